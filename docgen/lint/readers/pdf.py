"""PDF: the text of each page rebuilt into paragraphs from the place and size of its
lines, so a PDF that LibreOffice made from a .docx reads as the same blocks, with the
same quotations where the PDF is tagged."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docgen.errors import LintInputError
from docgen.lint.document import BlockKind, Paragraph, TextDocument, flagged_spans
from docgen.lint.readers.base import CELL_SEPARATOR, MAX_PDF_PAGES
from docgen.render.text import is_quotation_style

if TYPE_CHECKING:  # pypdf is imported when a PDF is read
    from pypdf import PdfReader


_BULLETS = frozenset("\uf0b7\uf0a7\uf076\uf0d8\uf0fc•◦▪▫‣⁃–-*·o")
_PDF_TYPE = re.compile(r"\bdocgen[\s,:;=]+([a-z][a-z0-9_]*)")


@dataclass
class _Line:
    page: int
    y: float
    x: float
    size: float
    text: str
    bullet: bool = False
    end: float = 0.0  # estimated right edge of the last run
    # Whether each character of ``text`` is quoted (empty: none is); while the line is
    # built, the pieces of text it was joined from, each with whether it is quoted.
    quoted: tuple[bool, ...] = ()
    pieces: list[tuple[str, bool]] = field(default_factory=list)


def _width(text: str, size: float) -> float:
    """Roughly how wide text is: proportional fonts average about half an em a character."""
    return len(text) * size * 0.5


def read_pdf(data: bytes, path: str, document_type: str | None = None) -> TextDocument:
    """Read a PDF's text and rebuild its paragraphs; line = paragraph number."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise LintInputError("cannot be read: pypdf is not installed", path=path) from None
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LintInputError("is password-protected; give an unprotected copy", path=path)
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:  # counted before any page's text is read
            raise LintInputError(
                f"has {pages} pages; docgen lint reads PDFs of at most {MAX_PDF_PAGES} "
                "pages, so lint the letter or report on its own", path=path)
        info: dict[Any, Any] = reader.metadata or {}
        metadata = {str(k).lstrip("/").lower(): str(v) for k, v in info.items() if v}
        lines = _pdf_lines(reader, metadata.get("title", ""))
    except LintInputError:
        raise
    except DependencyError:
        raise LintInputError(
            "is encrypted with AES, which needs the 'cryptography' package; install it "
            "(pip install cryptography) or give an unencrypted copy", path=path,
        ) from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, AssertionError, IndexError, ZeroDivisionError) as exc:
        raise LintInputError(
            f"is not a readable PDF ({type(exc).__name__}); save or export it again",
            path=path,
        ) from None
    if not lines and len(reader.pages) > 0:
        raise LintInputError(
            "has no text to read (it may be a scanned image); lint the .docx it came from",
            path=path,
        )
    found = _PDF_TYPE.search(metadata.get("keywords", ""))
    paragraphs = _pdf_paragraphs(lines)
    return TextDocument(
        path, paragraphs, document_type or (found.group(1) if found else None),
        source_format="pdf", metadata=metadata,
    )


def _pdf_lines(reader: PdfReader, title: str = "") -> list[_Line]:
    """Every text line of every page, headers and footers left out, each character
    knowing whether a tagged PDF marks it as part of a quotation."""
    quoted = _quoted_marks(reader)
    pages: list[list[_Line]] = []
    for number, page in enumerate(reader.pages):
        runs: list[_Run] = []
        marks = _Marks(quoted.get(number, frozenset()),
                       _page_properties(page) if number in quoted else {})

        def visit(text: str, cm: list[float], tm: list[float], font_dict: object,
                  font_size: float, runs: list[_Run] = runs, marks: _Marks = marks) -> None:
            in_quotation = marks.flushed()
            if text and text.strip():
                # The text matrix is in user space only after the current matrix applies.
                y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                size = font_size * (abs(tm[3] * cm[3]) or 1)
                runs.append((y, x, size, text, in_quotation))

        if marks.quoted:
            page.extract_text(visitor_text=visit, visitor_operand_before=marks.before,
                              visitor_operand_after=marks.after)
        else:  # nothing quoted on the page: no operator need be followed
            page.extract_text(visitor_text=visit)
        height = float(page.mediabox.height)
        pages.append(_join_runs(runs, number, height))
    return _drop_running_heads(_drop_continuation_headers(pages, title))


_Run = tuple[float, float, float, str, bool]  # y, x, size, text, quoted


# --- quotations in a tagged PDF ---------------------------------------------------------
# LibreOffice names each structure element after the paragraph or character style it was
# made from ("Quote", "Quote Char"), so a quotation in Word is a structure element of a
# quotation style in its PDF. Its text is found through the marked content it owns: each
# page's content marks its runs with the element's MCID.

_SHOWS = frozenset({b"Tj", b"TJ", b"'", b'"'})
_MAX_NODES = 200_000  # a structure tree is read this far and no further


def _is_quotation(structure_type: object) -> bool:
    name = str(structure_type).lstrip("/")
    return name in ("Quote", "BlockQuote") or is_quotation_style(name)


def _quoted_marks(reader: PdfReader) -> dict[int, frozenset[int]]:
    """Page index -> the MCIDs owned by a quotation structure element (or anything inside
    one); empty for an untagged PDF. A structure tree that cannot be read marks no
    quotation: its text is still read, as an untagged PDF's is."""
    from pypdf.errors import PyPdfError

    try:
        return _read_quoted_marks(reader)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            AssertionError, IndexError):
        return {}


def _read_quoted_marks(reader: PdfReader) -> dict[int, frozenset[int]]:
    root: Any = reader.trailer["/Root"]
    tree = root.get("/StructTreeRoot")
    if tree is None:
        return {}
    page_of = {page.indirect_reference.idnum: index
               for index, page in enumerate(reader.pages) if page.indirect_reference}
    found: dict[int, set[int]] = {}
    seen: set[int] = set()
    # (node, inside a quotation, the page named by the nearest element that names one)
    stack: list[tuple[Any, bool, int | None]] = [(tree, False, None)]
    steps = 0
    while stack and steps < _MAX_NODES:
        steps += 1
        node, inside, page = stack.pop()
        reference = getattr(node, "idnum", None)
        if reference is not None:
            if reference in seen:
                continue  # a tree that loops is read once
            seen.add(reference)
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int):
            if inside and page is not None:
                found.setdefault(page, set()).add(node)
            continue
        if isinstance(node, list):
            stack.extend((child, inside, page) for child in reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        named = node.get("/Pg")
        if named is not None and getattr(named, "idnum", None) in page_of:
            page = page_of[named.idnum]
        if node.get("/Type") == "/MCR":
            mcid = node.get("/MCID")
            if inside and page is not None and isinstance(mcid, int):
                found.setdefault(page, set()).add(mcid)
            continue
        inside = inside or _is_quotation(node.get("/S", ""))
        kids = node.get("/K")
        if kids is not None:
            stack.append((kids, inside, page))
    return {page: frozenset(mcids) for page, mcids in found.items()}


def _page_properties(page: Any) -> dict[str, Any]:
    """The page's named marked-content properties (``/Properties`` in its resources)."""
    try:
        properties = page["/Resources"].get_object().get("/Properties")
        return {str(k): v for k, v in properties.get_object().items()} if properties else {}
    except (AttributeError, KeyError, TypeError):
        return {}


class _Marks:
    """Follow a page's marked content while its text is read, to tell whether each run
    of text was shown inside marked content a quotation owns."""

    def __init__(self, quoted: frozenset[int], properties: dict[str, Any]) -> None:
        self.quoted = quoted
        self.properties = properties
        self.stack: list[int | None] = []  # the MCID of each open marked content
        self.shown: list[bool] = []  # for each text shown since the last flush: quoted?

    def before(self, operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        if operator == b"BDC":
            self.stack.append(self._mcid(operands[1] if len(operands) > 1 else None))
        elif operator == b"BMC":
            self.stack.append(None)
        elif operator == b"EMC" and self.stack:
            self.stack.pop()

    def after(self, operator: bytes, operands: list[Any], cm: Any, tm: Any) -> None:
        # Counted after the operator, so text it flushed was shown before it.
        if operator in _SHOWS:
            mcid = next((m for m in reversed(self.stack) if m is not None), None)
            self.shown.append(mcid in self.quoted)

    def flushed(self) -> bool:
        """Whether all the text shown since the last flush was quoted."""
        shown, self.shown = self.shown, []
        return bool(shown) and all(shown)

    def _mcid(self, properties: Any) -> int | None:
        if hasattr(properties, "get_object"):
            properties = properties.get_object()
        if isinstance(properties, str):  # a name: the page's /Properties entry
            properties = self.properties.get(properties)
            if hasattr(properties, "get_object"):
                properties = properties.get_object()
        mcid = properties.get("/MCID") if isinstance(properties, dict) else None
        return mcid if isinstance(mcid, int) else None


def _drop_continuation_headers(pages: list[list[_Line]], title: str) -> list[list[_Line]]:
    """Leave out the header docgen prints at the top of every page after the first
    ('Pause confirmation letter · PAU-2026-000123'; see ``docgen.render.house_style``).

    It is not on the first page, so it does not repeat on every page; the PDF's title
    (the template's title, before any ': recipient') recognises it instead.
    """
    name = title.split(": ", 1)[0].strip()
    if not name:
        return pages
    return [page[1:] if number and page and page[0].text.startswith(f"{name} · ") else page
            for number, page in enumerate(pages)]


def _join_runs(runs: list[_Run], page: int, height: float) -> list[_Line]:
    lines: list[_Line] = []
    for y, x, size, text, in_quotation in runs:
        text = text.replace("\n", " ")
        last = lines[-1] if lines else None
        if last is not None and abs(last.y - y) < max(size, last.size) * 0.4:
            if last.bullet and not last.pieces:
                last.pieces, last.x = [(text.lstrip(), in_quotation)], x
            elif last.pieces and x - last.end > size * 1.5:
                # Far to the right: a table cell.
                last.pieces += [(CELL_SEPARATOR, False), (text.lstrip(), in_quotation)]
            else:
                last.pieces.append((text, in_quotation))
            last.end = x + _width(text, size)
            continue
        if text.strip() in _BULLETS:
            lines.append(_Line(page, y, x, size, "", bullet=True, end=x + _width(text, size)))
        else:
            lines.append(_Line(page, y, x, size, "", end=x + _width(text, size),
                               pieces=[(text, in_quotation)]))
    for line in lines:
        line.text, line.quoted = _collapse_spaces(line.pieces)
        line.pieces = []
    del height
    return [line for line in lines if line.text]


def _collapse_spaces(pieces: list[tuple[str, bool]]) -> tuple[str, tuple[bool, ...]]:
    """The pieces joined, each run of white space one space, the ends stripped; and
    whether each character left is quoted (a collapsed space: its first character), or
    nothing when no piece is."""
    if not any(in_quotation for _, in_quotation in pieces):
        return re.sub(r"\s+", " ", "".join(text for text, _ in pieces)).strip(), ()
    chars: list[str] = []
    flags: list[bool] = []
    for text, in_quotation in pieces:
        for char in text:
            if char.isspace():
                if not chars or chars[-1] == " ":
                    continue
                char = " "
            chars.append(char)
            flags.append(in_quotation)
    if chars and chars[-1] == " ":
        chars.pop()
        flags.pop()
    return "".join(chars), tuple(flags)


def _drop_running_heads(pages: list[list[_Line]]) -> list[_Line]:
    """Leave out lines that repeat on every page at the same height: headers and footers."""
    if len(pages) > 1:
        def key(line: _Line) -> tuple[int, str]:
            return round(line.y), re.sub(r"\d+", "#", line.text)

        common = set.intersection(*({key(line) for line in page} for page in pages))
        pages = [[line for line in page if key(line) not in common] for page in pages]
    return [line for page in pages for line in page]


def _pdf_paragraphs(lines: list[_Line]) -> list[Paragraph]:
    """Group lines into paragraphs: a new one starts after a gap, a short line, a change of
    size or indent, or at a bullet."""
    if not lines:
        return []
    full = sorted(len(line.text) for line in lines)[int(len(lines) * 0.9)] or 1
    groups: list[tuple[BlockKind, list[_Line]]] = []
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        if previous is None or line.bullet or _breaks(previous, line, full, groups[-1]):
            kind: BlockKind = "paragraph"
            if line.bullet:
                kind = "list_item"
            elif CELL_SEPARATOR in line.text:
                kind = "table_row"
            groups.append((kind, [line]))
        else:
            groups[-1][1].append(line)
    sizes = [line.size for line in lines]
    body_size = max(set(sizes), key=sizes.count)
    paragraphs = []
    for number, (kind, group) in enumerate(groups, start=1):
        text = " ".join(line.text for line in group)
        if kind == "paragraph" and len(group) <= 2 and group[0].size > body_size + 0.5:
            kind = "heading"  # larger than the body text, like a Word heading style
        paragraphs.append(Paragraph(text, number, 3 if kind == "list_item" else 1, kind,
                                    quoted=_joined_quotation(group)))
    return paragraphs


def _joined_quotation(group: list[_Line]) -> tuple[tuple[int, int], ...]:
    """The quoted spans of the group's lines joined by spaces: a space between two quoted
    lines is part of the quotation."""
    if not any(line.quoted for line in group):
        return ()
    flags: list[bool] = []
    for index, line in enumerate(group):
        quoted = line.quoted or (False,) * len(line.text)
        if index:
            flags.append(bool(flags and flags[-1] and quoted and quoted[0]))
        flags += quoted
    return flagged_spans(flags)


def _breaks(previous: _Line, line: _Line, full: int,
            group: tuple[BlockKind, list[_Line]]) -> bool:
    kind, first = group[0], group[1][0]
    if abs(previous.size - line.size) > 0.5:
        return True
    if kind == "table_row":
        # A row's later lines hold the wrapped end of a cell to the right of its first.
        gap = previous.y - line.y
        return not (0 < gap <= line.size * 1.6 and line.x > first.x + 2)
    short = len(previous.text) < full * 0.75
    if previous.page != line.page:
        return short
    gap = previous.y - line.y
    if gap <= 0 or gap > line.size * 1.6:
        return True
    if kind != "list_item" and abs(previous.x - line.x) > 2:
        return True
    return short


#: The format's reader, as the registry in ``docgen.lint.readers`` calls it.
read = read_pdf
