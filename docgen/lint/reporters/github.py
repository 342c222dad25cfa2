"""GitHub Actions workflow commands: one annotation per finding, notice and suppression."""

from __future__ import annotations

from docgen.lint.findings import LintReport, Severity
from docgen.lint.reporters import ReportContext

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: %, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as a message, plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **properties: object) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{level} {props}::{escape_data(message)}"


def render(report: LintReport, context: ReportContext) -> str:
    """``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`` lines."""
    out: list[str] = []
    for file in report.files:
        for f in file.findings:
            message = f.message
            if f.suggestions:
                message += f" (suggestion: {' / '.join(f.suggestions)})"
            if f.category is not None:
                message += f" (tone model: reads as {f.category}, score {f.score:.2f})"
            out.append(_command(_LEVELS[f.severity], message, file=file.path, line=f.line,
                                col=f.column, endLine=f.end_line, endColumn=f.end_column,
                                title=f.rule))
        for notice in file.notices:
            out.append(_command("notice", notice, file=file.path, title="docgen lint"))
        for item in file.suppressed:
            out.append(_command("notice", f"suppressed: {item.reason}", file=file.path,
                                line=item.line, title=f"{item.rule} (suppressed)"))
    return "".join(line + "\n" for line in out)
