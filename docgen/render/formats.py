"""One rendered document in any of the formats docgen writes: the path every adapter shares.

``docx`` and ``text`` come straight from the renderer; ``html`` is the body as a web page;
``pdf`` goes through a LibreOffice converter the caller owns (a warm
``docgen.issue.convert.Converter``, so many files convert quickly); ``eml`` is an email
message, for templates whose model names a sender, recipients and subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from docgen.errors import RenderError
from docgen.models import Model
from docgen.templates import Template

#: Each format and the suffix of the file it is written to.
SUFFIXES = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "text": ".txt", "eml": ".eml"}


class PdfConverter(Protocol):
    def convert(self, docx: bytes, *, name: str | None = None) -> bytes: ...


def render_as(template: Template, document: Model, fmt: str, *,
              converter: PdfConverter | None = None, reference: str | None = None,
              attachments: Sequence[Path] = ()) -> bytes:
    """Render ``document`` with ``template`` as ``fmt`` (one of ``SUFFIXES``)."""
    from docgen.render import render

    if fmt not in SUFFIXES:
        raise RenderError(f"unknown format '{fmt}'; expected one of {', '.join(SUFFIXES)}")
    if attachments and fmt != "eml":
        raise RenderError("attachments go with --format eml only")
    result = render(template, document, reference=reference)
    if fmt == "docx":
        return result.docx
    if fmt == "text":
        return result.text.encode("utf-8")
    if fmt == "html":
        from docgen.render.html import docx_to_html

        return docx_to_html(result.docx, template.manifest.title).encode("utf-8")
    if fmt == "pdf":
        if converter is None:
            raise RenderError("a PDF needs a LibreOffice converter; none was given")
        return converter.convert(result.docx, name=f"{template.id}.docx")
    from docgen.render.email import email_message

    return email_message(template, document, result, attachments).as_bytes()
