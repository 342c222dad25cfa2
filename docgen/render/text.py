"""Plain text of a Word document's body: what a reader sees, in reading order.

The text format is the linter's view of a document. Each paragraph is a block; list
items start with '- '; a table gives one line per row with cells joined by ' | '.
Blocks are separated by a blank line and empty paragraphs are left out.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}sdt"
_TEXT_TAGS = {f"{W}t": None, f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}
CELL_SEPARATOR = " | "


def paragraph_text(p: etree._Element) -> str:
    """Text of one ``w:p``, with tabs and line breaks as python-docx reads them."""
    parts: list[str] = []
    for node in p.iter(*_TEXT_TAGS):
        fixed = _TEXT_TAGS[node.tag]
        parts.append(node.text or "" if fixed is None else fixed)
    return "".join(parts)


# Word's and LibreOffice's quotation styles, by style id with case, spaces, hyphens and
# underscores ignored: a paragraph or a run in one of them holds someone else's words.
QUOTATION_STYLES = frozenset({"quote", "quotechar", "intensequote", "intensequotechar",
                              "quotation", "quotations"})


def is_quotation_style(style_id: str) -> bool:
    """Whether a paragraph or character style id is one of ``QUOTATION_STYLES``."""
    return "".join(c for c in style_id.lower() if c not in " -_") in QUOTATION_STYLES


def quoted_spans(p: etree._Element) -> tuple[tuple[int, int], ...]:
    """The spans of ``paragraph_text(p).strip()`` in a quotation style: all of it when
    the paragraph's style is one, else each run whose character style is one."""
    text = paragraph_text(p)
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    style = p.find(f"{W}pPr/{W}pStyle")
    if style is not None and is_quotation_style(style.get(f"{W}val", "")):
        return ((0, len(stripped)),) if stripped else ()
    spans: list[tuple[int, int]] = []
    offset = 0
    for node in p.iter(*_TEXT_TAGS):
        fixed = _TEXT_TAGS[node.tag]
        length = len(node.text or "" if fixed is None else fixed)
        run = node.getparent()
        run_style = run.find(f"{W}rPr/{W}rStyle") if run is not None else None
        if (length and run_style is not None
                and is_quotation_style(run_style.get(f"{W}val", ""))):
            start = max(0, offset - lead)
            end = min(len(stripped), offset + length - lead)
            if spans and spans[-1][1] == start:
                start = spans.pop()[0]  # one quotation split over several runs
            if start < end:
                spans.append((start, end))
        offset += length
    return tuple(spans)


def table_quoted_spans(tbl: etree._Element) -> tuple[tuple[int, int], ...]:
    """The quoted spans (``quoted_spans``) of a table's block as ``body_blocks`` writes
    it: its rows joined by line breaks, each row's cells by ``CELL_SEPARATOR``."""
    spans: list[tuple[int, int]] = []
    offset = 0  # where the next kept row starts in the block
    for tr in tbl.iterchildren(_TR):
        row, found = "", []
        for number, tc in enumerate(tr.iterchildren(_TC)):
            row += CELL_SEPARATOR if number else ""
            texts = 0
            for p in tc.iter(_P):
                text = paragraph_text(p).strip()
                if not text:
                    continue
                row += " " if texts else ""
                found += [(len(row) + start, len(row) + end) for start, end in quoted_spans(p)]
                row += text
                texts += 1
        if row.strip(" |"):
            spans += [(offset + start, offset + end) for start, end in found]
            offset += len(row) + 1
    return tuple(spans)


def is_list_item(p: etree._Element) -> bool:
    """Whether a paragraph is a bullet or numbered item (direct numbering or a List style)."""
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return False
    if ppr.find(f"{W}numPr") is not None:
        return True
    style = ppr.find(f"{W}pStyle")
    return style is not None and style.get(f"{W}val", "").startswith("List")


def _cell_text(tc: etree._Element) -> str:
    return " ".join(t for p in tc.iter(_P) if (t := paragraph_text(p).strip()))


def body_blocks(root: etree._Element) -> Iterator[str]:
    """Yield the text blocks of a parsed ``word/document.xml``."""
    body = root.find(f"{W}body")
    if body is None:
        return
    yield from _blocks(body)


def _blocks(container: etree._Element) -> Iterator[str]:
    for child in container:
        if child.tag == _P:
            text = paragraph_text(child).strip()
            if text:
                yield f"- {text}" if is_list_item(child) else text
        elif child.tag == _TBL:
            rows = [
                CELL_SEPARATOR.join(_cell_text(tc) for tc in tr.iterchildren(_TC))
                for tr in child.iterchildren(_TR)
            ]
            rows = [row for row in rows if row.strip(" |")]
            if rows:
                yield "\n".join(rows)
        elif child.tag == _SDT:
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def blocks_to_text(blocks: Iterator[str] | list[str]) -> str:
    return "\n\n".join(blocks) + "\n"


def docx_text(docx: bytes) -> str:
    """Plain text of a .docx file's body."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return blocks_to_text(body_blocks(root))
