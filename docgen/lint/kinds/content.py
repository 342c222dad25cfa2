"""The required-content kind: what a document type must say somewhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from docgen.lint.document import Paragraph
from docgen.lint.findings import Finding
from docgen.lint.kinds.base import Context, RuleBase, compile_pattern


class Required(RuleBase):
    """Flag a document of one of ``document_types`` in which none of ``any_of`` appears.

    Documents with no type are never checked. The finding points at the start of the
    document (or its end, with ``where: end``), since the problem is an absence.
    """

    extends: Literal["required"]
    document_types: list[str] = Field(min_length=1)
    any_of: list[str] = Field(min_length=1)
    where: Literal["start", "end"] = "start"
    ignorecase: bool = True

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        source = "|".join(f"(?:{compile_pattern(p, boundaries=False)})" for p in self.any_of)
        self._pattern = re.compile(source, re.IGNORECASE if self.ignorecase else 0)

    def check(self, context: Context) -> Iterator[Finding]:
        if context.document_type not in self.document_types:
            return
        whole = "\n\n".join(context.plain_text(i) for i in range(len(context.paragraphs)))
        if self._pattern.search(whole):
            return
        paragraphs = context.paragraphs or [Paragraph("", 1)]
        if self.where == "end":
            last = paragraphs[-1]
            yield self.finding(last, len(last.text), len(last.text))
        else:
            yield self.finding(paragraphs[0], 0, 0)
