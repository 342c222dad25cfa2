"""A rendered Word document as one HTML page: for a quick preview, and an email's HTML part.

Headings, paragraphs, bullet lists, tables, bold or italic runs and quotations (Word's
quotation styles, as ``<blockquote>`` and ``<q>``, so that linting the page leaves them out
as linting the Word file does) are kept; page layout (headers, footers, margins) is not.
Every piece of text is escaped.
"""

from __future__ import annotations

import html
import io
import zipfile

from lxml import etree

from docgen.render.text import W, is_list_item, is_quotation_style

_STYLE = """body{font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;\
max-width:40em;margin:2em auto;padding:0 1em;color:#0b0c0c}\
h1{font-size:1.6em}h2{font-size:1.3em}h3{font-size:1.1em}\
table{border-collapse:collapse}td,th{border:1px solid #b1b4b6;padding:.3em .6em;\
vertical-align:top}q,blockquote{font-style:italic;quotes:none}\
blockquote{margin:0 0 1em 0}"""
_HEADINGS = {"Title": "h1", "Heading1": "h1", "Heading2": "h2", "Heading3": "h3"}


def docx_to_html(docx: bytes, title: str) -> str:
    """The body of a .docx as a standalone HTML page titled ``title``."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    body = root.find(f"{W}body")
    parts = [] if body is None else _blocks(body)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(parts) + "\n</body>\n</html>\n"
    )


def _blocks(container: etree._Element) -> list[str]:
    out: list[str] = []
    items: list[str] = []

    def close_list() -> None:
        if items:
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
            items.clear()

    for child in container:
        if child.tag == f"{W}p":
            style = _style(child)
            quotation = is_quotation_style(style)  # the whole paragraph: no <q> inside it
            inner = _runs(child, quoting=not quotation)
            if not inner.strip():
                continue
            if is_list_item(child):
                items.append(f"<li>{inner}</li>")
                continue
            close_list()
            if quotation:
                out.append(f"<blockquote><p>{inner}</p></blockquote>")
                continue
            tag = _HEADINGS.get(style, "p")
            out.append(f"<{tag}>{inner}</{tag}>")
        elif child.tag == f"{W}tbl":
            close_list()
            rows = []
            for tr in child.iterchildren(f"{W}tr"):
                cells = ["<td>" + "<br>".join(
                    _runs(p) for p in tc.iter(f"{W}p") if _runs(p).strip()
                ) + "</td>" for tc in tr.iterchildren(f"{W}tc")]
                if any(cell != "<td></td>" for cell in cells):
                    rows.append("<tr>" + "".join(cells) + "</tr>")
            if rows:
                out.append("<table>\n" + "\n".join(rows) + "\n</table>")
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                close_list()
                out += _blocks(content)
    close_list()
    return out


def _style(p: etree._Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


def _runs(p: etree._Element, quoting: bool = True) -> str:
    """A paragraph's runs as inline HTML; a run in a quotation style is a ``<q>`` unless
    ``quoting`` is off (the paragraph is a quotation already)."""
    pieces: list[str] = []
    for run in p.iter(f"{W}r"):
        text = []
        for node in run:
            if node.tag == f"{W}t":
                text.append(html.escape(node.text or "", quote=False))
            elif node.tag == f"{W}tab":
                text.append(" ")
            elif node.tag in (f"{W}br", f"{W}cr"):
                text.append("<br>")
        joined = "".join(text)
        if not joined:
            continue
        props = run.find(f"{W}rPr")
        if props is not None and _on(props.find(f"{W}b")):
            joined = f"<strong>{joined}</strong>"
        if props is not None and _on(props.find(f"{W}i")):
            joined = f"<em>{joined}</em>"
        style = props.find(f"{W}rStyle") if props is not None else None
        if (quoting and style is not None
                and is_quotation_style(style.get(f"{W}val", ""))):
            if pieces and pieces[-1].endswith("</q>"):  # one quotation over several runs
                joined = pieces.pop()[:-len("</q>")] + joined + "</q>"
            else:
                joined = f"<q>{joined}</q>"
        pieces.append(joined)
    return "".join(pieces)


def _on(toggle: etree._Element | None) -> bool:
    return toggle is not None and toggle.get(f"{W}val", "true") not in ("0", "false")
