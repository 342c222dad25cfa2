"""docgen's own names, each a value type checked in one place.

- A **template id** (``pause_confirmation``) names a template. It is also the
  **document type**: the name the linter's required-content rules, ``docgen lint
  --type`` and the register use for a kind of document. A template takes its own id's
  rules unless its manifest names another type (``document_type``).
- A **reference prefix** (``PAU``, ``R19``) starts every reference the register gives a
  template's documents: ``PAU-2027-000042``.
- A **rule selector** (``Tone``, ``Tone.Blame``) names a rule, or every rule under a
  dotted prefix, in ``--select``, ``--ignore``, severities, suppressions and waivers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import StringConstraints

TEMPLATE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
REFERENCE_PREFIX_PATTERN = r"^[A-Z][A-Z0-9]{1,4}$"

#: A template's id, which is also a document type.
TemplateId = Annotated[str, StringConstraints(pattern=TEMPLATE_ID_PATTERN)]
#: A kind of document, named by the id of the template whose rules apply to it.
DocumentType = TemplateId
#: The start of a template's references: a capital letter then 1 to 4 capitals or digits.
ReferencePrefix = Annotated[str, StringConstraints(pattern=REFERENCE_PREFIX_PATTERN)]

_PREFIX = re.compile(REFERENCE_PREFIX_PATTERN)
#: A whole reference: its prefix, its year and its number (at least six digits).
REFERENCE = re.compile(rf"^({REFERENCE_PREFIX_PATTERN.strip('^$')})-(\d{{4}})-(\d{{6,}})$")


def is_reference_prefix(text: str) -> bool:
    return bool(_PREFIX.match(text or ""))


def format_reference(prefix: str, year: int, number: int) -> str:
    """``PREFIX-YEAR-NNNNNN``: the reference the register gives a document."""
    return f"{prefix}-{year:04d}-{number:06d}"


@dataclass(frozen=True)
class RuleSelector:
    """A rule id, or a dotted prefix naming every rule under it (a final dot is allowed:
    ``Tone.`` is ``Tone``)."""

    name: str

    @classmethod
    def of(cls, text: str) -> RuleSelector:
        return cls(text.strip().rstrip("."))

    def matches(self, rule_id: str) -> bool:
        """``Tone`` matches ``Tone`` and ``Tone.Blame``, never ``ToneDeaf``."""
        return rule_id == self.name or rule_id.startswith(self.name + ".")


def selects(selectors: Iterable[str], rule_id: str) -> bool:
    """Whether any of ``selectors`` (as typed) matches ``rule_id``."""
    return any(RuleSelector.of(text).matches(rule_id) for text in selectors)
