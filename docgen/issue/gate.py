"""The lint gate: a document is issued only as a PDF that passed the tone linter, or with
a named person's recorded reason for each waived finding.

``Issuer.issue`` runs the whole path for one document: render a draft, lint it with the
same engine and rules as ``docgen lint``, refuse while an error-level finding has no
waiver, reserve a reference, render the final document with that reference, convert it
to PDF, stamp and check the PDF, and then, so that nothing is on disk that the register
does not know: write both files whole under hidden staging names, record the issue, and
only then publish the files under their real names. A failure before the record removes
the staged files; a stop between the record and the publishing leaves staged files that
``docgen register verify`` names.

The reference is the register's alone: templates print it as ``issue_reference``, and
its year is the year of the document's own date (``letter_date``), so a letter dated
2027 carries a 2027 reference whenever it is issued.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docgen.canonical import sha256_of
from docgen.errors import DataError, IssueRefused, WriteError
from docgen.fileio import atomic_write, check_writable
from docgen.identifiers import RuleSelector
from docgen.issue.checkpoint import Checkpoint
from docgen.issue.origins import Origin, origin_of, text_fields
from docgen.issue.register import IssueDetails, Record, Register, Reservation, staged_name
from docgen.lint.config import LintConfig
from docgen.lint.findings import FileReport, Finding, Severity
from docgen.models import AcademyTrust, Model, Person, School
from docgen.render import render
from docgen.templates import Template


@dataclass(frozen=True)
class Waiver:
    """A named person's reason for issuing despite findings of one rule (or rule prefix)."""

    rule: str
    reason: str
    by: str

    def covers(self, finding: Finding) -> bool:
        return RuleSelector.of(self.rule).matches(finding.rule)

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "reason": self.reason, "by": self.by}


@dataclass
class IssueOutcome:
    """What issuing produced: the register's record, the files and the lint report."""

    record: Record
    report: FileReport | None
    already_issued: bool = False
    unused_waivers: list[Waiver] = field(default_factory=list)
    checkpoint: Checkpoint | None = None
    files: tuple[Path, ...] = ()  # where the DOCX and PDF were written, as given

    @property
    def reference(self) -> str:
        return self.record.reference


@dataclass
class Prepared:
    """A document through the gate and waiting for its reference, or (``earlier``) the
    record of the identical document issued before."""

    data_sha256: str
    earlier: Record | None = None
    report: FileReport | None = None
    used: list[Waiver] = field(default_factory=list)
    unused: list[Waiver] = field(default_factory=list)
    year: int | None = None
    draft_size: int = 0


def reserve_for(register: Register, out_dir: Path, template: Template,
                prepared: Prepared) -> Reservation:
    """The next reference for a prepared document, once its folder can take the files (a
    folder that cannot fails here, before a reference is used)."""
    check_writable(out_dir, needed=4 * prepared.draft_size)
    return register.reserve(template.manifest.reference_prefix, prepared.year)


class Refused(IssueRefused):
    """Error-level findings without a waiver; ``report`` holds every finding, ``origins``
    the data field or template text each came from."""

    def __init__(self, message: str, report: FileReport, blocking: list[Finding], *,
                 origins: Mapping[Finding, Origin] | None = None,
                 waivers: Sequence[Waiver] = (), template_path: str = "") -> None:
        super().__init__(message)
        self.report = report
        self.blocking = blocking
        self.origins = dict(origins or {})
        self.waivers = list(waivers)
        self.template_path = template_path

    def lines(self) -> list[str]:
        """One line per finding, named by its origin, waived findings shown as waived."""
        out: list[str] = []
        counts = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.SUGGESTION: 0}
        waived = 0
        for finding in self.report.findings:
            origin = self.origins.get(finding, Origin(None, finding.line))
            where = origin.describe(self.report.path, self.template_path)
            cover = next((w for w in self.waivers if w.covers(finding)), None)
            if cover is not None and finding.severity >= Severity.ERROR:
                waived += 1
                out.append(f"{where}: waived {finding.rule} (by {cover.by}: {cover.reason}) "
                           f"{finding.message}")
                continue
            counts[finding.severity] += 1
            out.append(f"{where}: {finding.severity} {finding.rule} {finding.message}")
        out += [f"{self.report.path}: note: {notice}" for notice in self.report.notices]

        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        out.append(f"{plural(counts[Severity.ERROR], 'error')}, "
                   f"{plural(counts[Severity.WARNING], 'warning')}, "
                   f"{plural(counts[Severity.SUGGESTION], 'suggestion')}, {waived} waived.")
        return out


def data_sha256(template: Template, document: Model) -> str:
    """SHA-256 of the validated data, so key order and YAML layout do not change it."""
    return sha256_of({"template": template.id, "data": document.model_dump(mode="json")})


def recipient_of(document: Model) -> str:
    """The name the document is addressed to, as printed in it."""
    recipient = getattr(document, "recipient", None) or getattr(document, "headteacher", None)
    if isinstance(recipient, Person):
        return recipient.formal_name
    trust = getattr(document, "trust", None)
    if isinstance(trust, AcademyTrust):
        return trust.name
    school = getattr(document, "school", None)
    if isinstance(school, School):
        return school.name
    raise TypeError(f"{type(document).__name__} has no recipient, headteacher, trust or school")


def urn_of(document: Model) -> str | None:
    for name in ("school", "academy"):
        place = getattr(document, name, None)
        if isinstance(place, School):
            return place.urn
    return None


def blocking_findings(report: FileReport, waivers: Sequence[Waiver]) -> list[Finding]:
    """Error-level findings that no waiver covers."""
    return [
        f for f in report.findings
        if f.severity >= Severity.ERROR and not any(w.covers(f) for w in waivers)
    ]


def document_year(document: Model) -> int | None:
    """The year of the date a document carries, which its reference is numbered in."""
    for name in ("letter_date", "publication_date"):
        value = getattr(document, name, None)
        if isinstance(value, date):
            return value.year
    return None


def check_waivers(waivers: Sequence[Waiver]) -> None:
    """Refuse a waiver without a rule, a reason or a name, before any work is done."""
    for waiver in waivers:
        for name in ("rule", "reason", "by"):
            if not str(getattr(waiver, name)).strip():
                raise DataError(
                    f"the waiver of {waiver.rule.strip() or 'a rule'} has an empty {name}; "
                    + ("say why the finding may stand" if name == "reason"
                       else f"give the {name}"),
                    field="waivers",
                )


def lint_rendered(docx: bytes, label: str, document_type: str,
                  config: LintConfig | None = None, data: Any = None) -> FileReport:
    """Lint a rendered .docx exactly as ``docgen lint`` would read the file, with the
    data it was rendered from for the consistency rules."""
    return _lint_draft(docx, label, document_type, config, data)[0]


def _lint_draft(docx: bytes, label: str, document_type: str,
                config: LintConfig | None, data: Any = None) -> tuple[FileReport, dict[int, str]]:
    """Lint a rendered .docx with its data; return the report and each paragraph's text."""
    from docgen.lint import check_document
    from docgen.lint.readers import excerpts, read_docx

    read = read_docx(docx, label, document_type)
    read.data = data
    return check_document(read, config), excerpts(read)


class Issuer:
    """Issues documents into ``out_dir`` and ``register`` through one PDF converter."""

    def __init__(self, register: Register, out_dir: Path, converter: Any,
                 lint_config: LintConfig | None = None) -> None:
        """``converter`` is a converter, or a function that makes one when first needed
        (so re-issuing data already issued answers from the register alone)."""
        self.register = register
        self.out_dir = out_dir
        self._converter = converter
        self.lint_config = lint_config

    @property
    def converter(self) -> Any:
        if callable(self._converter) and not hasattr(self._converter, "convert"):
            self._converter = self._converter()
        return self._converter

    def issue(self, template: Template, document: Model, *, by: str,
              waivers: Sequence[Waiver] = (), source: str = "<data>",
              field_lines: Mapping[str, int] | None = None,
              facts: Any = None) -> IssueOutcome:
        """Issue one document, or return the record of the identical one issued before.

        ``field_lines`` (from ``origins.field_lines``) gives the data file's line of each
        field, so a refusal can name the line as well as the field. ``facts`` is what the
        consistency rules read (``docgen.lint.facts``); by default the document itself,
        without linked texts.
        """
        prepared = self.prepare(template, document, waivers=waivers, source=source,
                                field_lines=field_lines, facts=facts)
        if prepared.earlier is not None:
            return IssueOutcome(prepared.earlier, None, already_issued=True)
        reservation = reserve_for(self.register, self.out_dir, template, prepared)
        return self.publish(template, document, prepared, reservation, by=by)

    def prepare(self, template: Template, document: Model, *,
                waivers: Sequence[Waiver] = (), source: str = "<data>",
                field_lines: Mapping[str, int] | None = None,
                facts: Any = None) -> Prepared:
        """The gate without a reference: find an identical earlier issue, or lint the draft
        and raise ``Refused`` while an error-level finding has no waiver."""
        data_hash = data_sha256(template, document)
        earlier = self.register.find(template.id, data_hash)
        if earlier is not None:
            self._finish_publishing(earlier)
            return Prepared(data_hash, earlier=earlier)
        check_waivers(waivers)

        draft = render(template, document)
        report, paragraphs = _lint_draft(draft.docx, source, template.document_type,
                                         self.lint_config,
                                         document if facts is None else facts)
        blocking = blocking_findings(report, waivers)
        if blocking:
            fields = text_fields(document)
            origins = {f: origin_of(f, paragraphs, fields, field_lines)
                       for f in report.findings}
            template_path = "/".join(template.docx_path.parts[-3:])
            first = blocking[0]
            raise Refused(
                f"{source}: not issued: {len(blocking)} error-level finding"
                f"{'s' if len(blocking) > 1 else ''} without a waiver (first: {first.rule} in "
                f"{origins[first].describe(source, template_path)}: {first.message}); "
                "rewrite the passage, or waive the rule with --waive RULE --reason TEXT",
                report, blocking, origins=origins, waivers=waivers,
                template_path=template_path,
            )
        used = [w for w in waivers if any(w.covers(f) for f in report.findings)]
        return Prepared(data_hash, report=report, used=used,
                        unused=[w for w in waivers if w not in used],
                        year=document_year(document), draft_size=len(draft.docx))

    def publish(self, template: Template, document: Model, prepared: Prepared,
                reservation: Reservation, *, by: str) -> IssueOutcome:
        """Render the prepared document with its reserved reference, convert and check the
        PDF, stage both files, record the issue, then publish the files."""
        from docgen.issue.pdf import check_pdf, stamp_pdf

        report = prepared.report
        if report is None:
            raise ValueError("publish needs a document that passed the gate, not an earlier one")
        used = prepared.used
        reference = reservation.reference
        final = render(template, document, reference=reference)
        pdf = self.converter.convert(final.docx, name=f"{reference}.docx")
        recipient = recipient_of(document)
        pdf = stamp_pdf(
            pdf, title=f"{template.manifest.title}: {recipient}", reference=reference,
            template_id=template.id, template_version=template.version,
            data_sha256=prepared.data_sha256,
        )
        check_pdf(pdf, must_contain=[reference, recipient])

        docx_path = self.out_dir / f"{reference}.docx"
        pdf_path = self.out_dir / f"{reference}.pdf"
        summary = {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "suggestions": report.count(Severity.SUGGESTION),
            "waived": sorted({f.rule for f in report.findings
                              if f.severity >= Severity.ERROR and any(w.covers(f) for w in used)}),
            # Passages quoted as someone else's words, which the tone checks left out.
            "quoted": len(report.quotations),
        }
        details = IssueDetails(
            template_id=template.id,
            template_version=template.version,
            data_sha256=prepared.data_sha256,
            docx_sha256=hashlib.sha256(final.docx).hexdigest(),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            issued_by=by,
            lint_summary=summary,
            waivers=[w.to_dict() for w in used],
            urn=urn_of(document),
            recipient=recipient,
            docx_path=self.register.stored_path(docx_path),
            pdf_path=self.register.stored_path(pdf_path),
            document_type=template.document_type,
        )
        details.check()  # a field the register would refuse stops before any file is written
        files = ((docx_path, final.docx), (pdf_path, pdf))
        try:
            for path, content in files:
                atomic_write(staged_name(path), content)
            record = self.register.complete(reservation, details)
        except BaseException:
            for path, _ in files:
                staged_name(path).unlink(missing_ok=True)
            raise
        if record.reference != reference:  # the same data was issued meanwhile, elsewhere
            for path, _ in files:
                staged_name(path).unlink(missing_ok=True)
            return IssueOutcome(record, None, already_issued=True)
        for path, _ in files:
            try:
                staged_name(path).replace(path)
            except OSError as exc:
                raise WriteError(
                    f"{reference} is recorded, but {staged_name(path)} could not be renamed "
                    f"to {path.name} ({exc.strerror}); rename it by hand, then run 'docgen "
                    "register verify'", path=path.parent,
                ) from None
        return IssueOutcome(record, report, unused_waivers=prepared.unused,
                            checkpoint=self.register.last_checkpoint,
                            files=(docx_path, pdf_path))

    def _finish_publishing(self, record: Record) -> None:
        """Publish the staged files of an issue that stopped after its record was made."""
        for stored, sha256 in ((record.docx_path, record.docx_sha256),
                               (record.pdf_path, record.pdf_sha256)):
            if not stored:
                continue
            path = self.register.resolve_path(stored)
            staged = staged_name(path)
            if path.exists() or not staged.is_file():
                continue
            if hashlib.sha256(staged.read_bytes()).hexdigest() == sha256:
                staged.replace(path)
