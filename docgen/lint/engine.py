"""Run the style rules, and grammar when available, over one document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace

from docgen.lint.config import LintConfig
from docgen.lint.document import TextDocument, paragraphs_from_text, quote_passages, quote_spans
from docgen.lint.findings import FileReport, Finding, Quotation, Severity
from docgen.lint.grammar import check_grammar
from docgen.lint.kinds import Context, RuleBase
from docgen.lint.kinds.readability import statistics
from docgen.lint.rules import load_rules


def lint_document(
    doc: TextDocument,
    config: LintConfig | None = None,
    rules: tuple[RuleBase, ...] | None = None,
) -> FileReport:
    """Lint a document with every enabled rule; findings come sorted by position.

    Suppression comments are not handled here: the caller filters the report.
    """
    config = config or LintConfig()
    context = Context(doc, doc.document_type, config.thresholds)
    findings: list[Finding] = []
    for rule in rules if rules is not None else load_rules():
        if config.enabled(rule.id):
            findings.extend(_configured(rule.check(context), config))
    grammar, notices = check_grammar(doc, config)
    findings.extend(_configured((f for f in grammar if config.enabled(f.rule)), config))
    findings = one_tone_finding(findings)
    quotations = quotations_of(doc)
    if quotations:
        notices = [*notices, quotations_notice(len(quotations))]
    findings.sort(key=lambda f: (f.line, f.column, f.end_line, f.end_column, f.rule))
    return FileReport(
        path=doc.path,
        document_type=doc.document_type,
        findings=findings,
        readability=dict(statistics(context)),
        notices=context.notices + notices,
        quotations=quotations,
    )


def quotations_of(doc: TextDocument) -> list[Quotation]:
    """Each passage the document marks as a quotation, placed in the source."""
    return [Quotation(p.text[start:end], *p.position(start), *p.position(end))
            for p in doc.paragraphs for start, end in p.quoted]


def quotations_notice(count: int) -> str:
    """Say that the quoted passages, someone else's words, were read but not judged."""
    if count == 1:
        return ("1 passage marked as a quotation (someone else's words) was left out of the "
                "tone, spelling and grammar checks")
    return (f"{count} passages marked as quotations (someone else's words) were left out "
            "of the tone, spelling and grammar checks")


def one_tone_finding(findings: list[Finding]) -> list[Finding]:
    """Drop a learned finding where a pattern rule already flagged its sentence at
    warning or above: one sentence gets one tone finding, and the pattern's message is
    the more specific advice."""
    by_line: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.category is None and f.rule.startswith("Tone.") and f.severity >= Severity.WARNING:
            by_line[f.line].append(f)
    if not by_line:
        return findings

    def covered(learned: Finding) -> bool:
        line, column, end_line, end_column = learned.sentence or (
            learned.line, learned.column, learned.end_line, learned.end_column)
        start, end = (line, column), (end_line, end_column)
        return any(start < (p.end_line, p.end_column) and (p.line, p.column) < end
                   for number in range(line, end_line + 1)
                   for p in by_line.get(number, ()))

    return [f for f in findings if f.category is None or not covered(f)]


def lint_text(
    text: str,
    document_type: str | None = None,
    config: LintConfig | None = None,
    path: str = "<text>",
    rules: tuple[RuleBase, ...] | None = None,
    quotations: Iterable[str] = (),
    quoted_spans: Iterable[tuple[int, int]] = (),
) -> FileReport:
    """Lint plain text, split into paragraphs at blank lines, honouring its
    ``docgen-ignore`` lines as every other way into the linter does. Someone else's
    words are read but not judged: each place the text holds one of ``quotations``, and
    the characters inside ``quoted_spans`` ((start, end) offsets into ``text``)."""
    from docgen.lint import check_document

    paragraphs = quote_spans(quote_passages(paragraphs_from_text(text), quotations), text,
                             quoted_spans)
    doc = TextDocument(path, paragraphs, document_type=document_type)
    return check_document(doc, config, rules)


def _configured(findings: Iterable[Finding], config: LintConfig) -> Iterator[Finding]:
    for finding in findings:
        severity = config.severity_for(finding.rule, finding.severity)
        yield finding if severity == finding.severity else replace(finding, severity=severity)
