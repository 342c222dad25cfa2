"""Text for people: one line per finding, the excerpt with a caret line, then a summary."""

from __future__ import annotations

from docgen.lint.findings import FileReport, Finding, LintReport, Severity
from docgen.lint.reporters import ReportContext

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.SUGGESTION: "cyan"}
_WINDOW = 40  # characters of context either side of a match in a long line


def render(report: LintReport, context: ReportContext) -> str:
    """Every file's findings, notices and suppressions, then one summary line.

    A notice that every file of several shares (such as "grammar skipped") is said once,
    after the files, rather than once per file.
    """
    shared = _shared_notices(report)
    out: list[str] = []
    for file in report.files:
        out += _file_lines(file, context, shared)
    out += [f"note: {notice} (all {len(report.files)} files)" for notice in shared]
    out.append(summary_line(report, context))
    return "\n".join(out) + "\n"


def _shared_notices(report: LintReport) -> list[str]:
    if len(report.files) < 2:
        return []
    first, *rest = report.files
    return [n for n in first.notices if all(n in f.notices for f in rest)]


def _style(text: str, context: ReportContext, **styles: object) -> str:
    if not context.color:
        return text
    import click

    return click.style(text, **styles)  # type: ignore[arg-type]


def _file_lines(file: FileReport, context: ReportContext, shared: list[str]) -> list[str]:
    lines: list[str] = []
    source = context.excerpts.get(file.path, {})
    for finding in file.findings:
        where = _style(f"{file.path}:{finding.line}:{finding.column}:", context, bold=True)
        severity = _style(str(finding.severity), context, fg=_COLOURS[finding.severity],
                          bold=True)
        rule = _style(finding.rule, context, dim=True)
        lines.append(f"{where} {severity} {rule} {finding.message}")
        if finding.line in source:
            lines += _excerpt(source[finding.line], finding, context)
        if finding.suggestions:
            lines.append(f"    suggestion: {' / '.join(finding.suggestions)}")
        if finding.category is not None:
            lines.append(f"    tone model: reads as {finding.category} "
                         f"(score {finding.score:.2f})")
    lines += [f"{file.path}: note: {notice}" for notice in file.notices if notice not in shared]
    for item in file.suppressed:
        lines.append(f"{file.path}:{item.line}: suppressed {item.rule} ({item.reason})")
    return lines


def _excerpt(line: str, finding: Finding, context: ReportContext) -> list[str]:
    start = max(finding.column - 1, 0)
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    end = min(max(end, start + 1), max(len(line), start + 1))
    shown, offset = line, 0
    if len(line) > 2 * _WINDOW + 40:
        first, last = max(0, start - _WINDOW), min(len(line), end + _WINDOW)
        shown = ("…" if first else "") + line[first:last] + ("…" if last < len(line) else "")
        offset = first - (1 if first else 0)
    shown = shown.replace("\t", " ")
    marks = " " * (start - offset) + "^" * (end - start)
    return [f"    {shown}", "    " + _style(marks, context, fg=_COLOURS[finding.severity])]


def summary_line(report: LintReport, context: ReportContext) -> str:
    """For example: '2 files: 1 error, 3 warnings, 0 suggestions, 1 suppressed.'"""
    counts = report.summary()

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    text = (f"{plural(counts['files'], 'file')}: {plural(counts['errors'], 'error')}, "
            f"{plural(counts['warnings'], 'warning')}, "
            f"{plural(counts['suggestions'], 'suggestion')}, {counts['suppressed']} suppressed.")
    failed = report.return_code(context.fail_on)
    return _style(text, context, fg="red" if failed else "green", bold=True)
