"""Plain text: paragraphs are separated by blank lines."""

from __future__ import annotations

from docgen.lint.document import Paragraph, paragraphs_from_text

FORMAT = "text"


def paragraphs(text: str) -> list[Paragraph]:
    return paragraphs_from_text(text)
