"""The lint gate: a document is issued only as a PDF that passed the tone linter, or with
a named person's recorded reason for each waived finding.

``Issuer.issue`` runs the whole path for one document: render a draft, lint it with the
same engine and rules as ``docgen lint``, refuse while an error-level finding has no
waiver, reserve a reference, render the final document with that reference, convert it
to PDF, stamp and check the PDF, write both files whole, and record the issue.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.errors import IssueRefused
from docgen.fileio import atomic_write
from docgen.issue.register import IssueDetails, Record, Register
from docgen.lint.config import LintConfig
from docgen.lint.findings import FileReport, Finding, Severity
from docgen.models import Model
from docgen.render import render
from docgen.templates import Template


@dataclass(frozen=True)
class Waiver:
    """A named person's reason for issuing despite findings of one rule (or rule prefix)."""

    rule: str
    reason: str
    by: str

    def covers(self, finding: Finding) -> bool:
        return finding.rule == self.rule or finding.rule.startswith(self.rule.rstrip(".") + ".")

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "reason": self.reason, "by": self.by}


@dataclass
class IssueOutcome:
    """What issuing produced: the register's record, the files and the lint report."""

    record: Record
    report: FileReport | None
    already_issued: bool = False
    unused_waivers: list[Waiver] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return self.record.reference


class Refused(IssueRefused):
    """Error-level findings without a waiver; ``report`` holds every finding."""

    def __init__(self, message: str, report: FileReport, blocking: list[Finding]) -> None:
        super().__init__(message)
        self.report = report
        self.blocking = blocking


def data_sha256(template: Template, document: Model) -> str:
    """SHA-256 of the validated data, so key order and YAML layout do not change it."""
    canonical = json.dumps(
        {"template": template.id, "data": document.model_dump(mode="json")},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def recipient_of(document: Model) -> str:
    """The name the document is addressed to, as printed in it."""
    recipient = getattr(document, "recipient", None) or getattr(document, "headteacher", None)
    if recipient is not None and hasattr(recipient, "formal_name"):
        return recipient.formal_name
    trust = getattr(document, "trust", None)
    if trust is not None:
        return trust.name
    return document.school.name


def urn_of(document: Model) -> str | None:
    for name in ("school", "academy"):
        place = getattr(document, name, None)
        if place is not None:
            return place.urn
    return None


def blocking_findings(report: FileReport, waivers: Sequence[Waiver]) -> list[Finding]:
    """Error-level findings that no waiver covers."""
    return [
        f for f in report.findings
        if f.severity >= Severity.ERROR and not any(w.covers(f) for w in waivers)
    ]


def lint_rendered(docx: bytes, label: str, document_type: str,
                  config: LintConfig | None = None, data: Any = None) -> FileReport:
    """Lint a rendered .docx exactly as ``docgen lint`` would read the file, with the
    data it was rendered from for the consistency rules."""
    from docgen.lint import check_document
    from docgen.lint.readers import read_docx

    read = read_docx(docx, label, document_type)
    read.data = data
    return check_document(read, config)


class Issuer:
    """Issues documents into ``out_dir`` and ``register`` through one PDF converter."""

    def __init__(self, register: Register, out_dir: Path, converter: Any,
                 lint_config: LintConfig | None = None) -> None:
        self.register = register
        self.out_dir = out_dir
        self.converter = converter
        self.lint_config = lint_config

    def issue(self, template: Template, document: Model, *, by: str,
              waivers: Sequence[Waiver] = (), source: str = "<data>",
              facts: Any = None) -> IssueOutcome:
        """Issue one document, or return the record of the identical one issued before.

        ``facts`` is what the consistency rules read (``docgen.lint.facts``); by default
        the document itself, without linked texts.
        """
        from docgen.issue.pdf import check_pdf, stamp_pdf

        data_hash = data_sha256(template, document)
        earlier = self.register.find(template.id, data_hash)
        if earlier is not None:
            return IssueOutcome(earlier, None, already_issued=True)

        draft = render(template, document)
        report = lint_rendered(draft.docx, source, template.manifest.lint_profile,
                               self.lint_config, document if facts is None else facts)
        blocking = blocking_findings(report, waivers)
        if blocking:
            first = blocking[0]
            raise Refused(
                f"{source}: not issued: {len(blocking)} error-level finding"
                f"{'s' if len(blocking) > 1 else ''} without a waiver (first: {first.rule} at "
                f"paragraph {first.line}: {first.message}); rewrite the passage, or waive the "
                "rule with --waive RULE --reason TEXT",
                report, blocking,
            )
        used = [w for w in waivers if any(w.covers(f) for f in report.findings)]
        unused = [w for w in waivers if w not in used]

        reservation = self.register.reserve(template.manifest.reference_prefix)
        reference = reservation.reference
        final = render(template, document, reference=reference)
        pdf = self.converter.convert(final.docx, name=f"{reference}.docx")
        recipient = recipient_of(document)
        pdf = stamp_pdf(
            pdf, title=f"{template.manifest.title}: {recipient}", reference=reference,
            template_id=template.id, template_version=template.version,
            data_sha256=data_hash,
        )
        check_pdf(pdf, must_contain=[reference, recipient])

        docx_path = self.out_dir / f"{reference}.docx"
        pdf_path = self.out_dir / f"{reference}.pdf"
        atomic_write(docx_path, final.docx)
        atomic_write(pdf_path, pdf)
        summary = {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "suggestions": report.count(Severity.SUGGESTION),
            "waived": sorted({f.rule for f in report.findings
                              if f.severity >= Severity.ERROR and any(w.covers(f) for w in used)}),
        }
        record = self.register.complete(reservation, IssueDetails(
            template_id=template.id,
            template_version=template.version,
            data_sha256=data_hash,
            docx_sha256=hashlib.sha256(final.docx).hexdigest(),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            issued_by=by,
            lint_summary=summary,
            waivers=[w.to_dict() for w in used],
            urn=urn_of(document),
            recipient=recipient,
            docx_path=str(docx_path),
            pdf_path=str(pdf_path),
            document_type=template.manifest.lint_profile,
        ))
        return IssueOutcome(record, report, unused_waivers=unused)
