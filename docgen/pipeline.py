"""The one path from data to a document, a lint report or an issued record.

``Pipeline`` owns what every adapter would otherwise set up for itself: the template
catalogue, the style rules, the lint settings, a PDF converter (started only when a PDF
is first wanted) and the register (opened once, and kept). It renders, lints and issues
a data file's path or a mapping of its fields, and lints text and uploaded bytes. The
command line and the service only translate: arguments or requests in, output and exit
codes or HTTP responses out. ::

    with Pipeline(load_settings()) as pipeline:
        result = pipeline.render(Path("samples/pause_confirmation.yaml"), "pdf")
        report = pipeline.lint(Path("letter.docx"))
        outcome = pipeline.issue(Path("letter.yaml"), by="Samira Haddad",
                                 waivers=[("Tone.Threat", "Statutory wording")])

A pipeline is safe to share between threads: what it makes on first use is made under
a lock, the converter converts one document at a time, and the register takes one
write at a time.

Lint processes (the service's pool) each hold a pipeline of their own, built by
``start_worker`` from the server's settings; the functions ending in ``_json`` or
``_docx`` below are their jobs, which encode their answer where it was computed so the
server passes bytes on.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from docgen.errors import RecordNotFound
from docgen.lifecycle import Closable
from docgen.settings import Settings

if TYPE_CHECKING:  # imported when first used, to keep start-up fast
    from docgen.data import DataDocument
    from docgen.issue.convert.soffice import Converter
    from docgen.issue.gate import IssueOutcome, Issuer, Waiver
    from docgen.issue.register import Record, Register
    from docgen.lint.document import TextDocument
    from docgen.lint.findings import FileReport
    from docgen.lint.kinds import RuleBase
    from docgen.models import Model
    from docgen.templates import Catalogue, Template

P = ParamSpec("P")
T = TypeVar("T")

#: A data file's path (a ``str`` is a path too), or its fields (with or without
#: ``template``).
Source = str | PurePath | Mapping[str, Any]
#: How a mapping is named in messages when the caller gives it no name.
MAPPING_LABEL = "request data"

MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml."
                       "document",
               "pdf": "application/pdf", "html": "text/html; charset=utf-8",
               "text": "text/plain; charset=utf-8", "eml": "message/rfc822"}


@dataclass(frozen=True)
class DocumentResult:
    """One rendered document: its template, its data and the file's bytes."""

    source: str  # the data file, or what the mapping was called
    template: Template
    document: Model
    format: str
    content: bytes

    @property
    def suffix(self) -> str:
        from docgen.render.formats import SUFFIXES

        return SUFFIXES[self.format]

    @property
    def filename(self) -> str:
        """The file's name: the template id and the format's suffix."""
        return f"{self.template.id}{self.suffix}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


@dataclass(frozen=True)
class ExtractedText:
    """An uploaded document's text as the linter reads it."""

    path: str
    document_type: str | None
    text: str
    # The passages the file marks as someone else's words, in order, each once.
    quotations: list[str] = field(default_factory=list)
    # Where in ``text`` the file quotes them, as (start, end) offsets: lint the text with
    # them (``lint_text(..., quoted_spans=...)``) to judge it as the file is judged.
    quoted_spans: list[tuple[int, int]] = field(default_factory=list)


class Pipeline(Closable):
    """Render, lint and issue with one set of settings; close it to stop LibreOffice."""

    def __init__(self, settings: Settings | None = None, *,
                 converter: Converter | None = None) -> None:
        """``converter`` is a PDF converter to use (and close) instead of the one the
        pipeline would start, for callers that set their own restart and time limits."""
        self.settings = settings or Settings()
        self._lock = threading.RLock()
        self._catalogue: Catalogue | None = None
        self._rules: tuple[RuleBase, ...] | None = None
        self._converter: Converter | None = converter
        self._register: Register | None = None

    # --- what it owns ------------------------------------------------------------------

    @property
    def catalogue(self) -> Catalogue:
        """The templates: the shipped ones, or ``DOCGEN_TEMPLATES``'s."""
        with self._lock:
            if self._catalogue is None:
                from docgen.templates import Catalogue

                self._catalogue = Catalogue(self.settings.environment.templates)
            return self._catalogue

    @property
    def rules(self) -> tuple[RuleBase, ...]:
        """The style rules: the shipped ones, or ``DOCGEN_STYLE_RULES``'s."""
        with self._lock:
            if self._rules is None:
                from docgen.lint.rules import load_rules

                self._rules = load_rules(self.settings.environment.style_rules)
            return self._rules

    def converter(self) -> Converter:
        """The PDF converter, started on first use and kept until ``close``."""
        with self._lock:
            if self._converter is None:
                from docgen.issue.convert.soffice import Converter

                self._converter = Converter(timeout=self.settings.service.conversion_timeout)
            return self._converter

    def open_register(self) -> Register | None:
        """Open the register if it exists (running its migrations once), and keep it.

        A register that does not exist yet is made by the first issue, so a pipeline that
        only renders and lints writes nothing.
        """
        with self._lock:
            if self._register is None:
                from docgen.issue.register import Register

                try:
                    self._register = Register(self.settings.register, create=False)
                except RecordNotFound:
                    return None
            return self._register

    @property
    def register(self) -> Register:
        """The register, opened (or made) on first use and kept until ``close``."""
        with self._lock:
            if self._register is None:
                from docgen.issue.register import Register

                self._register = Register(self.settings.register)
            return self._register

    def close(self) -> None:
        """Stop LibreOffice and close the register."""
        with self._lock:
            if self._converter is not None:
                self._converter.close()
                self._converter = None
            if self._register is not None:
                self._register.close()
                self._register = None

    # --- data ----------------------------------------------------------------------------

    def load(self, source: Source, *, template: str | None = None,
             label: str = MAPPING_LABEL) -> DataDocument:
        """Read and validate a data file, or a mapping of fields.

        ``template`` names the template apart from the data (an unknown id is
        ``TemplateNotFoundError``); otherwise the data's ``template`` field does.
        """
        from docgen.data import DataDocument, document_from_mapping, load_document

        if isinstance(source, str | PurePath):
            return load_document(Path(source), self.catalogue)
        found, document = document_from_mapping(source, self.catalogue, label,
                                                template_id=template)
        return DataDocument(Path(label), found, document, dict(source))

    # --- render --------------------------------------------------------------------------

    def render(self, source: Source, fmt: str = "docx", *, template: str | None = None,
               label: str = MAPPING_LABEL, attachments: Sequence[Path] = ()) -> DocumentResult:
        """Render data as ``fmt`` (docx, pdf, html, text or eml); a PDF starts LibreOffice."""
        from docgen.render.formats import render_as

        loaded = self.load(source, template=template, label=label)
        converter = self.converter() if fmt == "pdf" else None
        content = render_as(loaded.template, loaded.document, fmt, converter=converter,
                            attachments=attachments)
        return DocumentResult(str(loaded.path), loaded.template, loaded.document, fmt,
                              content)

    # --- lint ----------------------------------------------------------------------------

    def lint(self, source: Source, *, document_type: str | None = None,
             template: str | None = None, label: str = MAPPING_LABEL) -> FileReport:
        """Lint a document file (``"-"``: standard input), or a data file or mapping
        rendered through its template and read with its data, as ``docgen lint`` does."""
        from docgen.data import DATA_SUFFIXES

        if isinstance(source, Mapping) or Path(source).suffix.lower() in DATA_SUFFIXES:
            return self._lint_data(source, document_type, template, label)
        from docgen.lint.readers import read_document

        return self.check(read_document(str(source), document_type))

    def _lint_data(self, source: Source, document_type: str | None,
                   template: str | None, label: str) -> FileReport:
        from docgen.issue.gate import lint_rendered
        from docgen.lint.facts import facts_for
        from docgen.render import render

        loaded = self.load(source, template=template, label=label)
        rendered = render(loaded.template, loaded.document)
        return lint_rendered(rendered.docx, str(loaded.path),
                             document_type or loaded.template.document_type,
                             self.settings.lint, facts_for(loaded))

    def check(self, document: TextDocument) -> FileReport:
        """Lint a document already read, honouring its ``docgen-ignore`` lines."""
        from docgen.lint import check_document

        return check_document(document, self.settings.lint, self.rules)

    def lint_text(self, text: str, document_type: str | None = None, *,
                  path: str = "<text>", limit: bool = False,
                  quotations: Sequence[str] = (),
                  quoted_spans: Sequence[tuple[int, int]] = ()) -> FileReport:
        """Lint plain text as ``docgen lint -`` does, leaving each of ``quotations`` in it
        and the characters inside ``quoted_spans`` unjudged; with ``limit``, refuse text
        longer than the service's ``max_text_chars`` (``TextTooLong``)."""
        from docgen.lint.engine import lint_text

        if limit:
            self.check_text_length(len(text))
        return lint_text(text, document_type, self.settings.lint, path, self.rules,
                         quotations, quoted_spans)

    def check_text_length(self, length: int) -> None:
        """Refuse ``length`` characters when it is more than one lint takes."""
        from docgen.lint.uploads import check_text_length

        check_text_length(length, self.settings.service.max_text_chars)

    def read_upload(self, filename: str, data: bytes,
                    document_type: str | None = None) -> TextDocument:
        """Read an uploaded .docx, .pdf or .txt within the service's limits."""
        from docgen.lint.uploads import read_upload

        return read_upload(filename, data, document_type, self.settings.service)

    def lint_upload(self, filename: str, data: bytes,
                    document_type: str | None = None) -> FileReport:
        """Read an upload within the limits (its text's length too) and lint it."""
        document = self.read_upload(filename, data, document_type)
        self.check_text_length(sum(len(p.text) for p in document.paragraphs))
        return self.check(document)

    def extract(self, filename: str, data: bytes,
                document_type: str | None = None) -> ExtractedText:
        """An upload's text as the linter reads it: paragraphs apart, list items marked."""
        document = self.read_upload(filename, data, document_type)
        blocks: list[str] = []
        spans: list[tuple[int, int]] = []
        at = 0
        for paragraph in document.paragraphs:
            marker = "- " if paragraph.kind == "list_item" else ""
            start = at + len(marker)
            spans += [(start + s, start + e) for s, e in paragraph.quoted]
            blocks.append(marker + paragraph.text)
            at += len(blocks[-1]) + 2
        quoted = dict.fromkeys(p.text[start:end].strip() for p in document.paragraphs
                               for start, end in p.quoted)
        return ExtractedText(filename, document.document_type, "\n\n".join(blocks),
                             [q for q in quoted if q], spans)

    def annotated_docx(self, text: str, document_type: str | None = None,
                       quotations: Sequence[str] = (),
                       quoted_spans: Sequence[tuple[int, int]] = ()) -> bytes:
        """Lint text and return it as a .docx with each finding as a Word comment."""
        from docgen.lint.annotate import annotated_docx

        return annotated_docx(text, self.lint_text(text, document_type,
                                                   quotations=quotations,
                                                   quoted_spans=quoted_spans))

    def readability_targets(self, document_type: str | None) -> dict[str, dict[str, object]]:
        """Each readability measure's target for a document type, as the linter applies it."""
        from docgen.lint.kinds.readability import targets

        config = self.settings.lint
        rules = [r for r in self.rules if config.enabled(r.id)]
        return targets(rules, document_type, config.thresholds)

    # --- issue ---------------------------------------------------------------------------

    def issue(self, source: Source, *, by: str,
              waivers: Sequence[Waiver | tuple[str, str]] = (), template: str | None = None,
              label: str = MAPPING_LABEL, out_dir: Path | None = None,
              field_lines: Mapping[str, int] | None = None) -> IssueOutcome:
        """Issue one document through the lint gate into the register (``docgen issue``).

        ``waivers`` are ``Waiver`` values or (rule, reason) pairs waived by ``by``. For a
        data file, ``field_lines`` defaults to the file's own, so a refusal names the
        line of each field. Raises ``Refused`` (an ``IssueRefused``) while an
        error-level finding has no waiver.
        """
        from docgen.issue import origins
        from docgen.issue.gate import Waiver
        from docgen.lint.facts import facts_for

        loaded = self.load(source, template=template, label=label)
        if field_lines is None and isinstance(source, str | PurePath):
            field_lines = origins.field_lines(Path(source))
        chosen = [w if isinstance(w, Waiver) else Waiver(w[0], w[1], by) for w in waivers]
        return self.issuer(out_dir).issue(loaded.template, loaded.document, by=by, waivers=chosen,
                            source=str(loaded.path), field_lines=field_lines,
                            facts=facts_for(loaded))

    def issuer(self, out_dir: Path | None = None) -> Issuer:
        """The gate and register for issuing into ``out_dir`` (default: the settings'),
        starting LibreOffice only when a document first needs a PDF."""
        from docgen.issue.gate import Issuer

        return Issuer(self.register, out_dir or self.settings.issue_dir, self.converter,
                      self.settings.lint)

    def record(self, reference: str) -> Record:
        """The register's record of ``reference``; ``RecordNotFound`` when there is none
        (or no register yet)."""
        register = self.open_register()
        if register is None:
            raise RecordNotFound(f"there is no record '{reference}' in the register")
        return register.get(reference)


# --- jobs for lint processes ----------------------------------------------------------------

_worker: Pipeline | None = None


def start_worker(settings: Settings | None) -> None:
    """Build this process's pipeline, load the rules and lint a line, so what loads on
    first use is loaded now: a fresh worker's first job takes no longer than any other."""
    global _worker
    from docgen.settings import load_settings

    _worker = Pipeline(settings or load_settings())
    _worker.lint_text("Thank you for your letter of 3 May.")


def in_worker(job: Callable[Concatenate[Pipeline, P], T], *args: P.args,
              **kwargs: P.kwargs) -> T:
    """Run ``job`` with this lint process's pipeline (see ``start_worker``)."""
    if _worker is None:
        raise RuntimeError("start_worker has not run in this process")
    return job(_worker, *args, **kwargs)


def json_bytes(value: Any) -> bytes:
    """Encode a response body as FastAPI's ``JSONResponse`` does."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


def _report_json(report: FileReport) -> bytes:
    from docgen.lint.findings import LintReport

    return json_bytes(LintReport(files=[report]).to_dict())


def lint_text_json(pipeline: Pipeline, text: str, document_type: str | None,
                   quotations: Sequence[str] = (),
                   quoted_spans: Sequence[tuple[int, int]] = ()) -> bytes:
    """Lint text; the JSON of ``docgen lint --format json``."""
    return _report_json(pipeline.lint_text(text, document_type, quotations=quotations,
                                           quoted_spans=quoted_spans))


def lint_upload_json(pipeline: Pipeline, filename: str, data: bytes,
                     document_type: str | None) -> bytes:
    """Lint an upload within the limits; the JSON of ``docgen lint --format json``."""
    return _report_json(pipeline.lint_upload(filename, data, document_type))


def lint_text_docx(pipeline: Pipeline, text: str, document_type: str | None,
                   quotations: Sequence[str] = (),
                   quoted_spans: Sequence[tuple[int, int]] = ()) -> bytes:
    """Lint text; a .docx of it with each finding as a comment."""
    return pipeline.annotated_docx(text, document_type, quotations, quoted_spans)


def readability_targets_json(pipeline: Pipeline, document_type: str | None) -> bytes:
    """The readability targets for a document type, as JSON."""
    return json_bytes(pipeline.readability_targets(document_type))
