"""Plain text: paragraphs are separated by blank lines, and a line that starts with ">"
quotes someone, as in an email reply (see ``paragraphs_from_text``)."""

from __future__ import annotations

from docgen.lint.document import Paragraph, paragraphs_from_text

FORMAT = "text"


def paragraphs(text: str) -> list[Paragraph]:
    return paragraphs_from_text(text)
