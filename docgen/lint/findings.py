"""What the linter reports: findings, per-file reports and the run's summary.

These types are the contract between the engine (which makes them) and the reporters
(which print them); ``to_dict`` gives the stable JSON shape documented in the README.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """How serious a finding is; higher is worse."""

    SUGGESTION = 1  # a plain-English improvement
    WARNING = 2  # probably harsh or hard to read: a reviewer decides
    ERROR = 3  # discourteous or harsh: must not be issued

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity '{text}'; expected suggestion, warning or error"
            ) from None


@dataclass(frozen=True)
class Finding:
    """One problem at one place. Lines and columns are 1-based in the text as read;
    for .docx and .pdf a line is a paragraph. ``end_column`` is exclusive."""

    rule: str
    severity: Severity
    message: str
    match: str
    line: int
    column: int
    end_line: int
    end_column: int
    suggestions: tuple[str, ...] = ()
    category: str | None = None  # for a learned rule: the kind of harshness it saw
    score: float | None = None  # and how sure it is, 0 to 1
    # For a learned finding, the whole sentence it judged (line, column, end line, end
    # column): a pattern finding anywhere in it makes this one redundant.
    sentence: tuple[int, int, int, int] | None = field(default=None, compare=False)

    def classified(self, category: str, score: float,
                   sentence: tuple[int, int, int, int]) -> Finding:
        """This finding with the model's category, score and the sentence it judged."""
        return replace(self, category=category, score=score, sentence=sentence)

    def to_dict(self) -> dict[str, Any]:
        shape: dict[str, Any] = {
            "rule": self.rule,
            "severity": str(self.severity),
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "match": self.match,
            "message": self.message,
            "suggestions": list(self.suggestions),
        }
        if self.category is not None:
            shape |= {"category": self.category, "score": self.score}
        return shape


@dataclass(frozen=True)
class Suppression:
    """A finding silenced by an inline comment, with the reason the writer gave."""

    rule: str
    line: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class Quotation:
    """A passage the source marks as someone else's words: read, and left out of the
    tone, spelling and grammar checks."""

    text: str
    line: int
    column: int
    end_line: int
    end_column: int

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "text": self.text}


@dataclass
class FileReport:
    """Everything the linter found in one document."""

    path: str
    document_type: str | None
    findings: list[Finding] = field(default_factory=list)
    readability: dict[str, float | int] = field(default_factory=dict)
    suppressed: list[Suppression] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # e.g. "grammar skipped: ..."
    quotations: list[Quotation] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "document_type": self.document_type,
            "findings": [f.to_dict() for f in self.findings],
            "readability": self.readability,
            "suppressed": [s.to_dict() for s in self.suppressed],
            "notices": self.notices,
            "quotations": [q.to_dict() for q in self.quotations],
        }


@dataclass
class LintReport:
    """A whole run: one ``FileReport`` per document."""

    files: list[FileReport] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "errors": sum(f.count(Severity.ERROR) for f in self.files),
            "warnings": sum(f.count(Severity.WARNING) for f in self.files),
            "suggestions": sum(f.count(Severity.SUGGESTION) for f in self.files),
            "suppressed": sum(len(f.suppressed) for f in self.files),
        }

    def at_least(self, severity: Severity) -> LintReport:
        """The report without findings below ``severity`` (``--min-severity``)."""
        return LintReport([replace(f, findings=[x for x in f.findings if x.severity >= severity])
                           for f in self.files])

    def return_code(self, fail_on: Severity) -> int:
        """0 when nothing is at or above ``fail_on``; 1 otherwise. Never wraps round."""
        worst = max((w for f in self.files if (w := f.worst()) is not None), default=None)
        return 1 if worst is not None and worst >= fail_on else 0

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "summary": self.summary()}
