"""The stable JSON shape documented in the README."""

from __future__ import annotations

import json

from docgen.lint.findings import LintReport
from docgen.lint.reporters import ReportContext


def render(report: LintReport, context: ReportContext) -> str:
    """``{"files": [...], "summary": {...}}`` with two-space indents."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
