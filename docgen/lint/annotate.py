"""A Word copy of a checked letter with each finding as a comment, for a reviewer.

The tone-check page offers it beside the JSON report: the letter as it was checked, one
Word paragraph per line of the text, and each finding a comment on the words it is
about (its severity, its message and any suggested wording), so the writer can work
through them in Word's review pane. A quotation the checks left out is in Word's *Quote
Char* style, as the letter marks it, so linting the copy leaves it out again.
"""

from __future__ import annotations

import io
from typing import Any

from docgen.lint.findings import FileReport, Finding, Quotation

AUTHOR = "docgen tone check"
QUOTE_STYLE = "Quote Char"  # in python-docx's default template, as in Word's
_SEVERITY = {"error": "Error", "warning": "Warning", "suggestion": "Suggestion"}


def annotated_docx(text: str, report: FileReport) -> bytes:
    """``text`` as a .docx with ``report``'s findings as comments on their words."""
    from docx import Document

    lines = text.split("\n")
    cuts: list[set[int]] = [{0, len(line)} for line in lines]
    findings = [f for f in report.findings if _on_page(f, lines)]
    quotations = [q for q in report.quotations if _on_page(q, lines)]
    spans: list[Finding | Quotation] = [*findings, *quotations]
    for f in spans:
        cuts[f.line - 1].add(f.column - 1)
        cuts[f.end_line - 1].add(f.end_column - 1)
    quoted = _quoted_columns(quotations, lines)
    document = Document()
    runs: list[dict[int, Any]] = []  # per line: start column -> run (python-docx's Run)
    ends: list[dict[int, Any]] = []  # per line: end column -> run
    for number, (line, columns) in enumerate(zip(lines, cuts, strict=True)):
        paragraph = document.add_paragraph()
        starts, stops = {}, {}
        points = sorted(c for c in columns if 0 <= c <= len(line))
        for start, end in zip(points, points[1:], strict=False):
            # Someone else's words stay in Word's quotation style, so the reviewer sees
            # what the checks left out and docgen lint leaves them out of the copy too.
            inside = any(first <= start < last for first, last in quoted[number])
            style = QUOTE_STYLE if inside else None
            run = paragraph.add_run(line[start:end], style=style)
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


def _quoted_columns(quotations: list[Quotation], lines: list[str]
                    ) -> list[list[tuple[int, int]]]:
    """Per line, the (start, end) columns (0-based) each quotation covers on it."""
    spans: list[list[tuple[int, int]]] = [[] for _ in lines]
    for q in quotations:
        for number in range(q.line - 1, q.end_line):
            first = q.column - 1 if number == q.line - 1 else 0
            last = q.end_column - 1 if number == q.end_line - 1 else len(lines[number])
            spans[number].append((first, last))
    return spans


def _on_page(finding: Finding | Quotation, lines: list[str]) -> bool:
    """Whether a finding's or quotation's span lies within the text and covers at least
    a character."""
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
