"""A Word copy of a checked letter with each finding as a comment, for a reviewer.

The tone-check page offers it beside the JSON report: the letter as it was checked, one
Word paragraph per line of the text, and each finding a comment on the words it is
about (its severity, its message and any suggested wording), so the writer can work
through them in Word's review pane.
"""

from __future__ import annotations

import io
from typing import Any

from docgen.lint.findings import FileReport, Finding

AUTHOR = "docgen tone check"
_SEVERITY = {"error": "Error", "warning": "Warning", "suggestion": "Suggestion"}


def annotated_docx(text: str, report: FileReport) -> bytes:
    """``text`` as a .docx with ``report``'s findings as comments on their words."""
    from docx import Document

    lines = text.split("\n")
    cuts: list[set[int]] = [{0, len(line)} for line in lines]
    findings = [f for f in report.findings if _on_page(f, lines)]
    for f in findings:
        cuts[f.line - 1].add(f.column - 1)
        cuts[f.end_line - 1].add(f.end_column - 1)
    document = Document()
    runs: list[dict[int, Any]] = []  # per line: start column -> run (python-docx's Run)
    ends: list[dict[int, Any]] = []  # per line: end column -> run
    for line, columns in zip(lines, cuts, strict=True):
        paragraph = document.add_paragraph()
        starts, stops = {}, {}
        points = sorted(c for c in columns if 0 <= c <= len(line))
        for start, end in zip(points, points[1:], strict=False):
            run = paragraph.add_run(line[start:end])
            starts[start], stops[end] = run, run
        runs.append(starts)
        ends.append(stops)
    counts: dict[str, int] = {}
    for f in findings:
        first = runs[f.line - 1].get(f.column - 1)
        last = ends[f.end_line - 1].get(f.end_column - 1)
        if first is None or last is None:
            continue
        label = str(f.severity)
        counts[label] = counts.get(label, 0) + 1
        document.add_comment([first, last], text=_comment(f, counts[label]), author=AUTHOR,
                             initials="DG")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _on_page(finding: Finding, lines: list[str]) -> bool:
    """Whether a finding's span lies within the text and covers at least a character."""
    if not (1 <= finding.line <= finding.end_line <= len(lines)):
        return False
    start, end = (finding.line, finding.column), (finding.end_line, finding.end_column)
    return (start < end and finding.column - 1 <= len(lines[finding.line - 1])
            and finding.end_column - 1 <= len(lines[finding.end_line - 1]))


def _comment(finding: Finding, number: int) -> str:
    text = f"{_SEVERITY.get(str(finding.severity), 'Finding')} {number}: {finding.message}"
    if finding.suggestions:
        text += " Suggested: " + " / ".join(f"“{s}”" for s in finding.suggestions)
    return text
