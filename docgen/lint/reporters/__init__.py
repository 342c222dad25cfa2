"""Reporters: turn a ``LintReport`` into text for people, JSON, SARIF, JUnit or GitHub.

Each reporter is a function ``(report, context) -> str``; the command line picks one
with ``--format``. Every format lists suppressed findings and notices too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from docgen.lint.findings import LintReport, Severity

FORMATS = ("text", "json", "sarif", "junit", "github")
_MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "junit": "junit",
            "github": "github"}


@dataclass
class ReportContext:
    """What a reporter may need beyond the findings."""

    fail_on: Severity = Severity.ERROR
    color: bool = False
    # path -> line number -> the source line (or, for .docx and .pdf, the paragraph)
    excerpts: dict[str, dict[int, str]] = field(default_factory=dict)


def format_report(report: LintReport, fmt: str, context: ReportContext | None = None) -> str:
    """Render ``report`` in one of ``FORMATS``."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown format '{fmt}'; expected one of {', '.join(FORMATS)}")
    module = import_module(f"docgen.lint.reporters.{_MODULES[fmt]}")
    render: Callable[[LintReport, ReportContext], str] = module.render
    return render(report, context or ReportContext())
