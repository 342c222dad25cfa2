"""Build a first draft of a Word template from a short outline, with python-docx.

The outline is a list of lines such as ``"h1 Your inspection"`` or ``"p Dear {{ name }}"``;
each becomes one paragraph with all its text in one run, so every docxtpl tag sits in a
single run (``docgen templates check`` confirms it). The styles, fonts, page size and
language come from an existing template. After the first build the Word file is the
template's only source: writers edit it in Word, and this script refuses to overwrite it.

Line kinds: ``head`` letterhead line (right, small), ``tight`` a line with no space after
(address blocks), ``p`` a paragraph, ``h1``/``h2`` headings, ``li`` a bullet, ``label``
``Bold label: | value``, ``blank`` an empty paragraph, ``foot`` a footer line.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "templates" / "letters" / "concern_acknowledgement.docx"


def build(outline: list[str], target: Path, *, force: bool = False) -> None:
    """Write ``target`` from ``outline``; an existing file is kept unless ``force``."""
    if target.exists() and not force:
        raise SystemExit(f"{target} exists; the Word file is now the template's source "
                         "(edit it in Word, or pass --force to rebuild it from the outline)")
    document = docx.Document(str(BASE))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    footer = document.sections[0].footer
    for paragraph in list(footer.paragraphs):
        paragraph._p.getparent().remove(paragraph._p)
    for line in outline:
        kind, _, text = line.partition(" ")
        if kind == "foot":
            paragraph = footer.add_paragraph(style="Footer")
            paragraph.add_run(text).font.size = Pt(9)
            continue
        _add(document, kind, text)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))


def _add(document: docx.document.Document, kind: str, text: str) -> None:
    if kind == "blank":
        document.add_paragraph()
        return
    if kind == "h1":
        document.add_paragraph(text, style="Heading 1")
    elif kind == "h2":
        document.add_paragraph(text, style="Heading 2")
    elif kind == "li":
        document.add_paragraph(text, style="List Bullet")
    elif kind == "head":
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.font.size = Pt(18) if text in ("Ofsted", "Department for Education") else Pt(10)
        run.bold = text in ("Ofsted", "Department for Education")
    elif kind == "tight":
        paragraph = document.add_paragraph(text)
        paragraph.paragraph_format.space_after = Pt(0)
    elif kind == "label":
        label, _, value = text.partition(" | ")
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(label + " ").bold = True
        paragraph.add_run(value)
    elif kind == "p":
        document.add_paragraph(text)
    else:
        raise ValueError(f"unknown outline line kind {kind!r} in {text!r}")


def loop(expression: str, lines: list[str]) -> list[str]:
    """Lines repeated for each item: ``{%p for … %}`` and ``{%p endfor %}`` around them."""
    return [f"tight {{%p for {expression} %}}", *lines, "tight {%p endfor %}"]


def when(condition: str, lines: list[str], otherwise: list[str] | None = None) -> list[str]:
    """Lines kept only when ``condition`` holds (``{%p if %}`` blocks)."""
    out = [f"tight {{%p if {condition} %}}", *lines]
    if otherwise:
        out += ["tight {%p else %}", *otherwise]
    return [*out, "tight {%p endif %}"]
