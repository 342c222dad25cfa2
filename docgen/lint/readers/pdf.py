"""PDF: the text of each page rebuilt into paragraphs from the place and size of its
lines, so a PDF that LibreOffice made from a .docx reads as the same blocks."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docgen.errors import LintInputError
from docgen.lint.document import BlockKind, Paragraph, TextDocument
from docgen.lint.readers.base import CELL_SEPARATOR, MAX_PDF_PAGES

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


#: The format's reader, as the registry in ``docgen.lint.readers`` calls it.
read = read_pdf
