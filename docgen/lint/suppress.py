"""Inline suppression: a reviewer keeps a flagged passage on purpose and says why.

One syntax everywhere, on a line (or a Word paragraph) of its own, just before the
paragraph it covers::

    <!-- docgen-ignore Tone.Threat: quoted word for word from the funding agreement -->

The comment marks are optional (``docgen-ignore Tone.Threat: reason`` works too, which
suits a .docx, where the line can be formatted as hidden text). Several rules may be
named, separated by commas; a name is a rule-id prefix, so ``Tone`` covers every tone
rule. The reason after the colon is required: a suppression without one silences
nothing and is reported as the error ``Docgen.SuppressionWithoutReason``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docgen.identifiers import selects
from docgen.lint.config import LintConfig
from docgen.lint.document import Paragraph, TextDocument
from docgen.lint.findings import FileReport, Finding, Severity, Suppression

WITHOUT_REASON = "Docgen.SuppressionWithoutReason"
_DIRECTIVE = re.compile(
    r"^\s*(?:<!--\s*)?(?P<mark>docgen-ignore)\b(?P<body>.*?)\s*(?:-->)?\s*$", re.S
)
_BODY = re.compile(r"^\s*(?P<rules>[A-Za-z][\w.]*(?:\s*,\s*[A-Za-z][\w.]*)*)\s*"
                   r"(?::\s*(?P<reason>.*))?$", re.S)


@dataclass(frozen=True)
class Directive:
    """One ``docgen-ignore`` line and the source lines of the paragraph it covers."""

    rules: tuple[str, ...]
    reason: str
    line: int
    column: int
    first_line: int = 0  # the covered paragraph's lines; 0 when nothing follows
    last_line: int = 0

    def covers(self, finding: Finding) -> bool:
        return (self.first_line <= finding.line <= self.last_line
                and selects(self.rules, finding.rule))


def split_suppressions(document: TextDocument) -> tuple[TextDocument, list[Directive],
                                                        list[Finding]]:
    """Take the directives out of a document.

    Returns the document without them, the directives with the lines each covers, and a
    finding for each directive that gives no reason or names no rule.
    """
    kept: list[Paragraph] = []
    directives: list[Directive] = []
    problems: list[Finding] = []
    waiting: list[Directive] = []
    for paragraph in document.paragraphs:
        rest: Paragraph | None = paragraph
        while rest is not None:
            lines = rest.text.split("\n")
            match = _DIRECTIVE.match(lines[0])
            if match is None:
                break
            line, column = rest.position(match.start("mark"))
            directive, problem = _parse(match, line, column, lines[0])
            if problem is not None:
                problems.append(problem)
            if directive is not None:
                waiting.append(directive)
            rest = _after_first_line(rest) if len(lines) > 1 else None
        if rest is None:
            continue
        last_line = rest.position(len(rest.text))[0]
        for directive in waiting:
            directives.append(replace(directive, first_line=rest.line, last_line=last_line))
        waiting.clear()
        kept.append(rest)
    directives += waiting  # at the end of the document: they cover nothing
    clean = TextDocument(document.path, kept, document.document_type,
                         document.source_format, dict(document.metadata), document.data)
    return clean, directives, problems


def _parse(match: re.Match[str], line: int, column: int,
           text: str) -> tuple[Directive | None, Finding | None]:
    body = _BODY.match(match.group("body"))
    end = column + len(text.strip())
    if body is None:
        return None, Finding(
            WITHOUT_REASON, Severity.ERROR,
            "this suppression names no rule; write 'docgen-ignore Tone.Threat: why the "
            "wording must stay'", text.strip(), line, column, line, end,
        )
    rules = tuple(r.strip() for r in body.group("rules").split(","))
    reason = (body.group("reason") or "").strip()
    if not reason:
        return None, Finding(
            WITHOUT_REASON, Severity.ERROR,
            f"this suppression of {', '.join(rules)} gives no reason, so it silences "
            "nothing; add one after a colon: 'docgen-ignore "
            f"{rules[0]}: why the wording must stay'",
            text.strip(), line, column, line, end,
        )
    return Directive(rules, reason, line, column), None


def _after_first_line(paragraph: Paragraph) -> Paragraph | None:
    """The rest of a paragraph after its first line, keeping its place in the source."""
    cut = paragraph.text.index("\n") + 1
    remainder = paragraph.text[cut:]
    stripped = remainder.lstrip()
    if not stripped:
        return None
    offset = cut + len(remainder) - len(stripped)
    line, column = paragraph.position(offset)
    quoted = tuple((max(0, start - offset), end - offset)
                   for start, end in paragraph.quoted if end > offset)
    places = getattr(paragraph, "places", ())
    if places:
        from docgen.lint.document import MappedParagraph

        return MappedParagraph(stripped, line, column, paragraph.kind,
                               tuple(places[offset:]), quoted=quoted)
    return Paragraph(stripped, line, column, paragraph.kind, quoted=quoted)


def apply_suppressions(report: FileReport, directives: list[Directive],
                       problems: list[Finding], config: LintConfig | None = None) -> FileReport:
    """Move covered findings to ``report.suppressed`` and add the directives' own problems."""
    kept: list[Finding] = []
    used: set[int] = set()
    for finding in report.findings:
        cover = next((i for i, d in enumerate(directives) if d.covers(finding)), None)
        if cover is None:
            kept.append(finding)
            continue
        used.add(cover)
        report.suppressed.append(
            Suppression(finding.rule, finding.line, directives[cover].reason))
    for index, directive in enumerate(directives):
        if index not in used:
            where = (f"the paragraph at line {directive.first_line}" if directive.first_line
                     else "nothing (no paragraph follows it)")
            report.notices.append(
                f"line {directive.line}: docgen-ignore {', '.join(directive.rules)} covers "
                f"{where} and silenced no finding; remove it if it is no longer needed")
    ignored = config.ignore if config is not None else ()
    kept += [p for p in problems if not selects(ignored, p.rule)]
    kept.sort(key=lambda f: (f.line, f.column, f.rule))
    report.findings = kept
    return report
