"""Read .docx, .pdf, .txt, .md, .html and standard input into a ``TextDocument``.

Every reader gives the engine the same paragraphs for the same text: a .docx is read
block by block exactly as ``docgen render --format text`` writes it, and a PDF that
LibreOffice made from that .docx is rebuilt into the same blocks from the position and
size of its lines. Heavy modules (pypdf, lxml) are imported only for the formats that
need them, so linting a text file starts quickly.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from docgen.errors import LintInputError
from docgen.lint.document import BlockKind, Paragraph, TextDocument, paragraphs_from_text

if TYPE_CHECKING:  # imported only for the formats that need them
    from lxml import etree
    from pypdf import PdfReader

MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # every part of a .docx, uncompressed
MAX_DOCUMENT_XML_BYTES = 50 * 1024 * 1024
MAX_PARTS = 2000
MAX_PDF_PAGES = 200  # as the service's default max_pdf_pages
STDIN = "-"
STDIN_LABEL = "<stdin>"
SOURCE_TEXT = "source_text"  # metadata key: the text as read, for excerpts
CELL_SEPARATOR = " | "  # as docgen.render.text joins table cells

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                 ".html": "html", ".htm": "html"}
SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf")
# A data file named on the command line is rendered and linted with its data (a folder's
# data files are not picked up: folders hold documents).
DATA_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class MappedParagraph(Paragraph):
    """A paragraph whose text was cleaned of markup: each character keeps its source place.

    ``places[i]`` is the 1-based (line, column) of character ``i`` in the source; one
    more entry, just after the last character, closes the range.
    """

    places: tuple[tuple[int, int], ...] = ()

    def position(self, offset: int) -> tuple[int, int]:
        if not self.places:
            return super().position(offset)
        return self.places[max(0, min(offset, len(self.places) - 1))]


def read_document(path: str, document_type: str | None = None) -> TextDocument:
    """Read one document for linting; ``"-"`` reads standard input as plain text."""
    if path == STDIN:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        _check_size(len(data), STDIN_LABEL)
        return _read_text(_decode(data, STDIN_LABEL), STDIN_LABEL, "text", document_type)
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in DATA_SUFFIXES:
        return read_data_document(file, document_type)
    if suffix not in SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise LintInputError(
            f"has {shown}; docgen lint reads .docx, .pdf, .txt, .md and .html files "
            "(or '-' for standard input)",
            path=path,
        )
    try:
        if not file.is_file():
            problem = "is a folder; name the files in it" if file.is_dir() else "does not exist"
            raise LintInputError(problem, path=path)
        _check_size(file.stat().st_size, path)
        data = file.read_bytes()
    except OSError as exc:
        raise LintInputError(f"cannot be read ({exc.strerror})", path=path) from None
    if suffix == ".docx":
        return read_docx(data, path, document_type)
    if suffix == ".pdf":
        return read_pdf(data, path, document_type)
    return _read_text(_decode(data, path), path, TEXT_SUFFIXES[suffix], document_type)


def read_data_document(path: Path, document_type: str | None = None) -> TextDocument:
    """Render a data file through its template and read the result with its data, so the
    consistency rules can compare the two."""
    from docgen.data import load_document
    from docgen.lint.facts import facts_for
    from docgen.render import render
    from docgen.templates import Catalogue

    loaded = load_document(path, Catalogue())
    rendered = render(loaded.template, loaded.document)
    document = read_docx(rendered.docx, str(path),
                         document_type or loaded.template.manifest.lint_profile)
    document.data = facts_for(loaded)
    return document


def _check_size(size: int, label: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise LintInputError(
            f"is larger than {MAX_INPUT_BYTES // 1024 // 1024} MB; docgen lint reads "
            "letters and reports, so split the file or lint the part you need",
            path=label,
        )


def _decode(data: bytes, label: str) -> str:
    if b"\x00" in data[:8192]:
        raise LintInputError(
            "looks like a binary file, not text; give a .docx, .pdf, .txt, .md or .html file",
            path=label,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LintInputError(
            f"is not UTF-8 text (byte {exc.start + 1} cannot be read); save it as UTF-8",
            path=label,
        ) from None


def _read_text(text: str, path: str, fmt: str, document_type: str | None) -> TextDocument:
    if fmt == "markdown":
        paragraphs = markdown_paragraphs(text)
    elif fmt == "html":
        paragraphs = html_paragraphs(text)
    else:
        paragraphs = paragraphs_from_text(text)
    return TextDocument(path, paragraphs, document_type, source_format=fmt,
                        metadata={SOURCE_TEXT: text})


def excerpts(document: TextDocument) -> dict[int, str]:
    """Each line number a finding may name, and the text to show under it."""
    source = document.metadata.get(SOURCE_TEXT)
    if source is not None:
        return dict(enumerate(source.splitlines(), start=1))
    shown: dict[int, str] = {}
    for paragraph in document.paragraphs:
        shown.setdefault(paragraph.line, paragraph.text)
    return shown


# --- Markdown -------------------------------------------------------------------------

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"^(\s{0,3}>\s?)+")
# No part stops at a character that could open another construct of its kind ("[" in
# link text, "<" in a tag, "(" in an address), so an unclosed "![a" or "<a" fails at
# the next opening instead of at the paragraph's end: each scan is linear, where
# "![a" repeated 10,000 times once took seconds.
_INLINE = re.compile(
    r"!\[(?P<alt>[^\[\]]*)\]\([^()]*\)"  # image: keep the alt text
    r"|\[(?P<link>[^\[\]]+)\](?:\([^()]*\)|\[[^\[\]]*\])"  # link: keep its words
    r"|<(?P<auto>https?://[^<>\s]+|[^<>@\s]+@[^<>\s]+)>"  # autolink: keep the address
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|])"
    r"|</?[A-Za-z][^<>]*>"  # inline HTML tag
    r"|`+|\*+|~~|(?<!\w)_+|_+(?!\w)"  # code and emphasis marks
)


def _blank_comments(text: str) -> str:
    """Blank HTML comments other than suppressions, keeping the line count. A scan for
    each opening and its close, never a backtracking pattern: with no close, nothing
    after the opening is a comment, so the scan stops."""
    pieces: list[str] = []
    cursor = 0
    while (opening := text.find("<!--", cursor)) >= 0:
        closing = text.find("-->", opening + 4)
        if closing < 0:
            break
        end = closing + 3
        comment = text[opening:end]
        pieces += text[cursor:opening], (
            comment if "docgen-ignore" in comment else _NOT_NEWLINE.sub(" ", comment))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


_NOT_NEWLINE = re.compile(r"[^\n]")


def markdown_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of Markdown with the markup taken out; each character keeps its place."""
    lines = text.split("\n")
    blank = [False] * len(lines)
    if lines and lines[0].strip() == "---":  # front matter
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                blank[: end + 1] = [True] * (end + 1)
                break
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            blank[number] = True
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
        elif opening:
            fence, blank[number] = opening.group(1), True
        elif re.match(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", line) and "|" in line:
            blank[number] = True  # a table's header rule
    cleaned = "\n".join("" if gone else _QUOTE.sub(lambda m: " " * len(m.group(0)), line)
                        for line, gone in zip(lines, blank, strict=True))
    # Comments other than suppressions are invisible: blank them but keep the line count.
    cleaned = _blank_comments(cleaned)
    paragraphs = []
    for found in paragraphs_from_text(cleaned, markdown=True):
        # A suppression comment stays as written, on a paragraph of its own.
        lines = found.text.split("\n")
        taken = 0
        while taken < len(lines) and lines[taken].lstrip().startswith("<!--"):
            line = lines[taken]
            column = found.column if taken == 0 else len(line) - len(line.lstrip()) + 1
            paragraphs.append(Paragraph(line.lstrip(), found.line + taken, column))
            taken += 1
        paragraph: Paragraph = found
        if taken:
            if taken == len(lines):
                continue
            rest = "\n".join(lines[taken:])
            body = rest.lstrip()
            paragraph = Paragraph(body, found.line + taken, len(rest) - len(body) + 1,
                                  found.kind)
        mapped = _strip_inline(paragraph)
        if mapped.text.strip():
            paragraphs.append(mapped)
    return paragraphs


def _strip_inline(paragraph: Paragraph) -> Paragraph:
    raw = paragraph.text
    chars: list[str] = []
    where: list[int] = []
    cursor = 0
    for match in _INLINE.finditer(raw):
        chars += raw[cursor:match.start()]
        where += range(cursor, match.start())
        for group in ("alt", "link", "auto", "escaped"):
            if match.group(group) is not None:
                chars += match.group(group)
                where += range(match.start(group), match.end(group))
                break
        cursor = match.end()
    chars += raw[cursor:]
    where += range(cursor, len(raw))
    if len(chars) == len(raw):
        return paragraph
    text = "".join(chars)
    places = [paragraph.position(i) for i in where]
    end = paragraph.position(where[-1] + 1) if where else (paragraph.line, paragraph.column)
    start = places[0] if places else end
    return MappedParagraph(text, start[0], start[1], paragraph.kind, (*places, end))


# --- HTML -----------------------------------------------------------------------------

_HTML_BLOCKS: dict[str, BlockKind]
_HTML_BLOCKS = {"p": "paragraph", "div": "paragraph", "blockquote": "paragraph",
                "pre": "paragraph", "section": "paragraph", "article": "paragraph",
                "header": "paragraph", "footer": "paragraph", "address": "paragraph",
                "dt": "paragraph", "dd": "paragraph", "caption": "paragraph",
                "figcaption": "paragraph", "main": "paragraph", "aside": "paragraph",
                "ul": "paragraph", "ol": "paragraph", "table": "paragraph", "body": "paragraph",
                "h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading",
                "h5": "heading", "h6": "heading", "li": "list_item", "tr": "table_row"}
_HTML_HIDDEN = {"script", "style", "head", "template", "noscript", "title"}


def html_paragraphs(text: str) -> list[Paragraph]:
    """The text of an HTML page's block elements, one paragraph each, with source places."""
    from html.parser import HTMLParser

    paragraphs: list[Paragraph] = []
    chars: list[str] = []
    places: list[tuple[int, int]] = []
    kinds: list[BlockKind] = ["paragraph"]
    hidden = [0]

    def flush() -> None:
        while chars and chars[-1] == " ":
            chars.pop()
            places.pop()
        if chars:
            end = (places[-1][0], places[-1][1] + 1)
            line, column = places[0]
            paragraphs.append(MappedParagraph("".join(chars), line, column,
                                              kinds[-1], (*places, end)))
        chars.clear()
        places.clear()

    def add(data: str, line: int, column: int) -> None:
        for char in data:
            if char.isspace():
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    places.append((line, column))
            else:
                chars.append(char)
                places.append((line, column))
            if char == "\n":
                line, column = line + 1, 1
            else:
                column += 1

    class Reader(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in _HTML_HIDDEN:
                hidden[0] += 1
            elif tag in _HTML_BLOCKS:
                flush()
                kinds.append(_HTML_BLOCKS[tag])
            elif tag in ("td", "th") and chars:
                line, column = self.getpos()
                add(" | ", line, column + 1)
            elif tag == "br":
                line, column = self.getpos()
                add(" ", line, column + 1)

        def handle_endtag(self, tag: str) -> None:
            if tag in _HTML_HIDDEN:
                hidden[0] = max(0, hidden[0] - 1)
            elif tag in _HTML_BLOCKS:
                flush()
                if len(kinds) > 1:
                    kinds.pop()

        def handle_data(self, data: str) -> None:
            if not hidden[0]:
                line, column = self.getpos()
                add(data, line, column + 1)

        def handle_comment(self, data: str) -> None:
            if "docgen-ignore" in data:
                flush()
                line, column = self.getpos()
                paragraphs.append(Paragraph(f"<!--{data}-->", line, column + 1))

    reader = Reader(convert_charrefs=True)
    reader.feed(text)
    reader.close()
    flush()
    return paragraphs


# --- Word -----------------------------------------------------------------------------

def read_docx(data: bytes, path: str, document_type: str | None = None) -> TextDocument:
    """Read a .docx body (paragraphs and tables, in order); line = block number."""
    from lxml import etree

    from docgen.render.text import body_blocks

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise LintInputError(
            "is not a readable Word file (it is not a zip package); save it again as .docx",
            path=path,
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise LintInputError(
                f"has {len(infos)} parts inside; a Word file docgen reads has at most "
                f"{MAX_PARTS}", path=path,
            )
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            raise LintInputError(
                f"would unpack to {unpacked // 1024 // 1024} MB; a Word file docgen reads "
                f"unpacks to at most {MAX_UNPACKED_BYTES // 1024 // 1024} MB",
                path=path,
            )
        body = _read_part(archive, "word/document.xml", path, required=True)
        core = _read_part(archive, "docProps/core.xml", path, required=False)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise LintInputError(
            f"has a damaged body (word/document.xml: {exc.msg}); open and save it again in "
            "Word or LibreOffice", path=path,
        ) from None
    metadata = _core_properties(core, parser) if core else {}
    paragraphs: list[Paragraph] = []
    blocks = list(body_blocks(root))
    kinds = list(_block_kinds(root))
    if len(kinds) != len(blocks):  # never expected; fall back to reading the text's markers
        kinds = ["table" if "\n" in b else "paragraph" for b in blocks]
    for number, (block, kind) in enumerate(zip(blocks, kinds, strict=True), start=1):
        paragraphs += _docx_block(block, kind, number)
    return TextDocument(
        path, paragraphs, document_type or metadata.get("category") or None,
        source_format="docx", metadata=metadata,
    )


def _read_part(archive: zipfile.ZipFile, name: str, path: str, *, required: bool) -> bytes:
    try:
        with archive.open(name) as handle:
            data = handle.read(MAX_DOCUMENT_XML_BYTES + 1)
    except KeyError:
        if not required:
            return b""
        raise LintInputError(
            f"is not a Word document (it has no {name}); give a .docx saved by Word or "
            "LibreOffice", path=path,
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise LintInputError(f"is damaged ({name}: {exc}); save it again as .docx",
                             path=path) from None
    if len(data) > MAX_DOCUMENT_XML_BYTES:
        raise LintInputError(
            f"has a {name} larger than {MAX_DOCUMENT_XML_BYTES // 1024 // 1024} MB "
            "unpacked; docgen reads letters and reports, not archives", path=path,
        )
    return data


def _core_properties(core: bytes, parser: etree.XMLParser) -> dict[str, str]:
    from lxml import etree

    try:
        root = etree.fromstring(core, parser)
    except etree.XMLSyntaxError:
        return {}
    found: dict[str, str] = {}
    for node in root:
        if isinstance(node.tag, str) and node.text and node.text.strip():
            found[etree.QName(node).localname] = node.text.strip()
    return found


# A Word body block's kind: a table becomes one table_row paragraph per row.
_DocxKind = Literal["paragraph", "heading", "list_item", "table"]


def _block_kinds(root: etree._Element) -> Iterator[_DocxKind]:
    """Yield each body block's kind, in the order and with the gaps of ``body_blocks``."""
    from docgen.render.text import W, is_list_item, paragraph_text

    def walk(container: etree._Element) -> Iterator[_DocxKind]:
        for child in container:
            if child.tag == f"{W}p":
                if paragraph_text(child).strip():
                    if is_list_item(child):
                        yield "list_item"
                    elif _is_heading(child, W):
                        yield "heading"
                    else:
                        yield "paragraph"
            elif child.tag == f"{W}tbl":
                cells = (
                    paragraph_text(p).strip()
                    for tr in child.iterchildren(f"{W}tr")
                    for tc in tr.iterchildren(f"{W}tc")
                    for p in tc.iter(f"{W}p")
                )
                if any(cell.strip(" |") for cell in cells):
                    yield "table"
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    yield from walk(content)

    body = root.find(f"{W}body")
    if body is not None:
        yield from walk(body)


def _is_heading(p: etree._Element, w: str) -> bool:
    style = p.find(f"{w}pPr/{w}pStyle")
    name = style.get(f"{w}val", "") if style is not None else ""
    return name.lower().startswith(("heading", "title", "subtitle"))


def _docx_block(block: str, kind: _DocxKind, number: int) -> list[Paragraph]:
    if kind == "table":
        return [Paragraph(row, number, 1, "table_row") for row in block.split("\n")]
    if kind == "list_item" and block.startswith("- "):
        return [Paragraph(block[2:], number, 3, "list_item")]
    return [Paragraph(block, number, 1, kind)]


# --- PDF ------------------------------------------------------------------------------

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
    """Every text line of every page, headers and footers left out."""
    pages: list[list[_Line]] = []
    for number, page in enumerate(reader.pages):
        runs: list[tuple[float, float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], font_dict: object,
                  font_size: float, runs: list[tuple[float, float, float, str]] = runs) -> None:
            if text and text.strip():
                # The text matrix is in user space only after the current matrix applies.
                y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                size = font_size * (abs(tm[3] * cm[3]) or 1)
                runs.append((y, x, size, text))

        page.extract_text(visitor_text=visit)
        height = float(page.mediabox.height)
        pages.append(_join_runs(runs, number, height))
    return _drop_running_heads(_drop_continuation_headers(pages, title))


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


def _join_runs(runs: list[tuple[float, float, float, str]], page: int,
               height: float) -> list[_Line]:
    lines: list[_Line] = []
    for y, x, size, text in runs:
        text = text.replace("\n", " ")
        last = lines[-1] if lines else None
        if last is not None and abs(last.y - y) < max(size, last.size) * 0.4:
            if last.bullet and not last.text:
                last.text, last.x = text.lstrip(), x
            elif last.text and x - last.end > size * 1.5:
                last.text += CELL_SEPARATOR + text.lstrip()  # far to the right: a table cell
            else:
                last.text += text
            last.end = x + _width(text, size)
            continue
        if text.strip() in _BULLETS:
            lines.append(_Line(page, y, x, size, "", bullet=True, end=x + _width(text, size)))
        else:
            lines.append(_Line(page, y, x, size, text, end=x + _width(text, size)))
    for line in lines:
        line.text = re.sub(r"\s+", " ", line.text).strip()
    del height
    return [line for line in lines if line.text]


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
        paragraphs.append(Paragraph(text, number, 3 if kind == "list_item" else 1, kind))
    return paragraphs


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
