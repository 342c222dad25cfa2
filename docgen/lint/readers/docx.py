"""Word: the body block by block, exactly as ``docgen render --format text`` writes it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from docgen.errors import LintInputError
from docgen.lint.document import Paragraph, TextDocument
from docgen.lint.readers.base import MAX_DOCUMENT_XML_BYTES, MAX_PARTS, MAX_UNPACKED_BYTES

if TYPE_CHECKING:  # lxml is imported when a Word file is read
    from lxml import etree

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
    described = list(_block_kinds(root))
    if len(described) != len(blocks):  # never expected; fall back to the text's markers
        described = [("table" if "\n" in b else "paragraph", ()) for b in blocks]
    for number, (block, (kind, quoted)) in enumerate(zip(blocks, described, strict=True),
                                                     start=1):
        paragraphs += _docx_block(block, kind, number, quoted)
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
_Spans = tuple[tuple[int, int], ...]


def _block_kinds(root: etree._Element) -> Iterator[tuple[_DocxKind, _Spans]]:
    """Yield each body block's kind and quoted spans (``quoted_spans``), in the order and
    with the gaps of ``body_blocks``."""
    from docgen.render.text import (
        W,
        is_list_item,
        paragraph_text,
        quoted_spans,
        table_quoted_spans,
    )

    def walk(container: etree._Element) -> Iterator[tuple[_DocxKind, _Spans]]:
        for child in container:
            if child.tag == f"{W}p":
                if paragraph_text(child).strip():
                    quoted = quoted_spans(child)
                    if is_list_item(child):
                        yield "list_item", quoted
                    elif _is_heading(child, W):
                        yield "heading", quoted
                    else:
                        yield "paragraph", quoted
            elif child.tag == f"{W}tbl":
                cells = (
                    paragraph_text(p).strip()
                    for tr in child.iterchildren(f"{W}tr")
                    for tc in tr.iterchildren(f"{W}tc")
                    for p in tc.iter(f"{W}p")
                )
                if any(cell.strip(" |") for cell in cells):
                    yield "table", table_quoted_spans(child)
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


def _docx_block(block: str, kind: _DocxKind, number: int, quoted: _Spans = ()
                ) -> list[Paragraph]:
    if kind == "table":
        rows, offset, first = [], 0, 0
        for row in block.split("\n"):
            end = offset + len(row)
            while first < len(quoted) and quoted[first][1] <= offset:
                first += 1  # the spans are in order: each row reads only its own
            inside = []
            at = first
            while at < len(quoted) and quoted[at][0] < end:
                start, stop = quoted[at]
                inside.append((max(start, offset) - offset, min(stop, end) - offset))
                at += 1
            rows.append(Paragraph(row, number, 1, "table_row", quoted=tuple(inside)))
            offset = end + 1
        return rows
    if kind == "list_item" and block.startswith("- "):
        return [Paragraph(block[2:], number, 3, "list_item", quoted=quoted)]
    return [Paragraph(block, number, 1, kind, quoted=quoted)]


#: The format's reader, as the registry in ``docgen.lint.readers`` calls it.
read = read_docx
