"""The names a linter user types: document types and rule-id prefixes, checked once.

A typo such as ``--type pause_confirmaton`` or ``--select Tonee`` would otherwise
check nothing and say so nowhere (no required-content rule, or no rule at all). Each
unknown name is refused with the nearest names docgen knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from docgen.errors import UnknownNameError
from docgen.identifiers import RuleSelector
from docgen.suggest import did_you_mean

# Ids that are not rule files: grammar findings (one per LanguageTool rule) and the
# suppression check.
_OTHER_RULES = ("Grammar", "Docgen.SuppressionWithoutReason")


@cache
def document_types() -> tuple[str, ...]:
    """Every document type: the lint profile of each template (read once)."""
    from docgen.templates import Catalogue

    return tuple(sorted({template.document_type for template in Catalogue()}))


def check_document_type(value: str | None) -> str | None:
    """``value`` when it is a document type docgen knows (or None); else raise."""
    if value is None:
        return None
    known = document_types()
    if value not in known:
        raise UnknownNameError(
            f"there is no document type '{value}'"
            + did_you_mean(value, known, listing="; the types are the template ids")
            + " (see 'docgen templates')")
    return value


def rule_prefixes() -> list[str]:
    """Every prefix a rule id may be named by: each id and each dotted part of one."""
    from docgen.lint.rules import load_rules

    prefixes: set[str] = set()
    for rule_id in (*(rule.id for rule in load_rules()), *_OTHER_RULES):
        parts = rule_id.split(".")
        prefixes.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return sorted(prefixes)


def check_rule_prefixes(prefixes: Iterable[str], option: str) -> None:
    """Raise for a prefix that names no rule, saying where it came from (``option``)."""
    known = rule_prefixes()
    for prefix in prefixes:
        name = RuleSelector.of(prefix).name
        if name in known or name.startswith("Grammar."):  # grammar ids come from the server
            continue
        depth = name.count(".")  # "Tonee" is nearest a family, "Tone.Treat" a rule
        alike = [p for p in known if p.count(".") == depth]
        raise UnknownNameError(
            f"{option} {prefix}: no rule id starts with '{prefix}'"
            + did_you_mean(name, alike, listing="; rule ids start with "
                           + ", ".join(p for p in known if "." not in p))
            + " (rule ids are listed in style_rules/)")
