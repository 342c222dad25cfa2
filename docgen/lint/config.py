"""Lint settings: which rules run, at what severity, with which thresholds.

``LintConfig`` is what the engine reads. Loading it from ``[tool.docgen.lint]`` in
pyproject.toml or from docgen.toml lives here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.lint.findings import Severity


@dataclass(frozen=True)
class LintConfig:
    """Rule selection by id prefix, severity overrides and per-type thresholds."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # rule id prefix -> severity
    # document type (or "default") -> threshold name -> value, overriding style_rules/
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    grammar_server: str | None = None  # LanguageTool server URL
    grammar_local: bool = False  # use a local LanguageTool install if one is found

    def enabled(self, rule_id: str) -> bool:
        """Whether a rule runs: selected (or nothing selected) and not ignored."""
        if self.select and not any(_covers(p, rule_id) for p in self.select):
            return False
        return not any(_covers(p, rule_id) for p in self.ignore)

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        """The configured severity for a rule; the longest matching prefix wins."""
        matches = [p for p in self.severity if _covers(p, rule_id)]
        return self.severity[max(matches, key=len)] if matches else default


def _covers(prefix: str, rule_id: str) -> bool:
    return rule_id == prefix or rule_id.startswith(prefix.rstrip(".") + ".")
