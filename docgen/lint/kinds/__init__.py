"""Rule kinds: the code behind rule files, one class per ``extends:`` value."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from docgen.lint.kinds.base import Context, RuleBase
from docgen.lint.kinds.classifier import Classifier
from docgen.lint.kinds.consistency import Consistency
from docgen.lint.kinds.content import Required
from docgen.lint.kinds.patterns import Capitals, Existence, Pattern, Substitution
from docgen.lint.kinds.readability import Readability
from docgen.lint.kinds.spelling import Spelling

AnyRule = Annotated[
    Existence | Substitution | Pattern | Capitals | Readability | Required | Spelling
    | Classifier | Consistency,
    Field(discriminator="extends"),
]

KINDS = ("capitals", "classifier", "consistency", "existence", "pattern", "readability",
         "required", "spelling", "substitution")

__all__ = ["KINDS", "AnyRule", "Classifier", "Context", "RuleBase"]
