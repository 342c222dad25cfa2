"""The HTTP service: the library behind ``docgen`` over HTTP, and the tone-check page.

Thin like ``cli.py``: each endpoint checks access, calls the library and maps
``DocgenError`` to a JSON error. CPU-bound work (rendering, linting) runs in the thread
pool so the event loop keeps answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import signal
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from functools import cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from docgen.errors import (
    ConfigError,
    ConversionError,
    DataError,
    DocgenError,
    IssueRefused,
    LintInputError,
    RecordNotFound,
    RegisterError,
    RenderError,
    RuleFileError,
    TemplateError,
    TemplateNotFoundError,
    UnknownNameError,
)
from docgen.lint.names import check_document_type
from docgen.service.auth import authorise
from docgen.service.limits import BodyLimitMiddleware, check_docx_package, check_pdf_pages
from docgen.service.problems import ApiError
from docgen.service.settings import ApiToken, ServiceSettings, load_settings

if TYPE_CHECKING:  # imported when first used, to keep start-up fast

    from docgen.issue.convert.soffice import Converter
    from docgen.lint.config import LintConfig
    from docgen.templates import Catalogue

_log = logging.getLogger("docgen.service")
T = TypeVar("T")
STATIC = Path(__file__).resolve().parent / "static"
CONFIG_ENV = "DOCGEN_SERVICE_CONFIG"
LINT_PROCESSES_ENV = "DOCGEN_SERVICE_LINT_PROCESSES"
HOST_ENV = "DOCGEN_SERVICE_HOST"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UPLOAD_SUFFIXES = (".docx", ".pdf", ".txt")
_MEDIA_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf", "html": "text/html; charset=utf-8",
                "text": "text/plain; charset=utf-8", "eml": "message/rfc822"}

# DocgenError subclass -> (status, code). The first match in order wins.
_ERROR_STATUS: tuple[tuple[type[DocgenError], int, str], ...] = (
    (TemplateNotFoundError, 404, "template_not_found"),
    (DataError, 422, "invalid_data"),
    (LintInputError, 422, "unreadable_document"),
    (UnknownNameError, 422, "unknown_name"),
    (IssueRefused, 422, "issue_refused"),
    (ConversionError, 503, "conversion_failed"),
    (RegisterError, 500, "register_error"),
    (TemplateError, 500, "template_error"),
    (RenderError, 422, "format_not_available"),
    (RuleFileError, 500, "rules_error"),
    (ConfigError, 500, "configuration_error"),
)

_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class RenderRequest(BaseModel):
    """Data for one template, and the format to render it in."""

    model_config = ConfigDict(extra="forbid")

    template: str = Field(description="A template id from GET /v1/templates.")
    data: dict[str, Any] = Field(description="The template's fields (see its schema).")
    format: Literal["docx", "pdf", "html", "text", "eml"] = "docx"


class LintRequest(BaseModel):
    """Text to lint, and optionally the document type whose profile applies."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The letter or report as plain text.")
    document_type: str | None = Field(
        default=None, description="A lint profile such as 'pause_confirmation'; none: "
        "every rule except required content.")


class Waiver(BaseModel):
    """A finding a reviewer has accepted, and why."""

    # Stripped as the CLI strips --reason, so a blank reason is refused (422), not recorded.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rule: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class IssueRequest(BaseModel):
    """Data to issue through the lint gate, with any waivers."""

    model_config = ConfigDict(extra="forbid")

    template: str
    data: dict[str, Any]
    waivers: list[Waiver] = Field(default_factory=list)


def _access(action: str) -> Any:
    # A dependency, so access is checked before the body is read or validated.
    def check(request: Request,
              authorization: str | None = Header(default=None)) -> ApiToken | None:
        settings: ServiceSettings = request.app.state.docgen.settings
        anonymous_ok = action == "lint" and settings.anonymous_lint
        return authorise(settings, authorization, action, anonymous_ok=anonymous_ok)

    return Depends(check)


CanRender = Annotated[ApiToken | None, _access("render")]
CanLint = Annotated[ApiToken | None, _access("lint")]
CanIssue = Annotated[ApiToken | None, _access("issue")]
CanReadRegister = Annotated[ApiToken | None, _access("read_register")]


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """Build the service with ``settings`` (the defaults suit local use)."""
    settings = settings or ServiceSettings()
    state = _State(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await state.start_pool()
        restore = _before_stop_signals(state.stop_linting)
        yield
        restore()
        state.close()

    app = FastAPI(
        title="docgen",
        version=_version(),
        description="Render, lint and issue courteous inspection letters and reports.",
        lifespan=lifespan,
        docs_url=None,  # served below from the app's own copy of Swagger UI, not a CDN
        redoc_url=None,
    )
    app.state.docgen = state

    _install_error_handlers(app)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.mount("/assets", StaticFiles(directory=STATIC / "govuk" / "assets"), name="assets")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(_page_html(settings.anonymous_lint), headers=_PAGE_HEADERS)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        from fastapi.openapi.docs import get_swagger_ui_html

        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="docgen API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/swagger/favicon-32x32.png",
        )

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        """Say the service is running."""
        return {"status": "ok", "version": _version()}

    @app.get("/v1/templates", tags=["templates"])
    def list_templates() -> list[dict[str, str]]:
        """List the templates: id, title, kind, audience, model and lint profile."""
        rows = []
        for template in state.catalogue:
            row = template.summary()
            row.pop("path", None)  # the server's file layout is nobody's business
            rows.append(row)
        return rows

    @app.get("/v1/templates/{template_id}/schema", tags=["templates"])
    def template_schema(template_id: str) -> dict[str, Any]:
        """Return the JSON Schema of the data a template takes."""
        return state.catalogue.get(template_id).json_schema()

    @app.post("/v1/render", tags=["documents"], openapi_extra=_json_body(RenderRequest),
              responses={200: {"content": {media: {} for media in _MEDIA_TYPES.values()}}})
    async def render_document(request: Request, token: CanRender) -> Response:
        """Render data with a template to DOCX, PDF, HTML, plain text or (for an email
        template) an email message (writer or issuer)."""
        # The body is parsed here, not by FastAPI, so access is checked before it is read.
        body = _parse_json(await request.body(), RenderRequest)
        return await _cpu_bound(state.render, body)

    @app.post("/v1/lint", tags=["documents"], openapi_extra=_LINT_OPENAPI)
    async def lint(request: Request, token: CanLint) -> Response:
        """Lint text (JSON) or an uploaded .docx, .pdf or .txt (multipart) for tone.

        Returns the same JSON as ``docgen lint --format json``.
        """
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "multipart/form-data":
            filename, data, document_type = await _upload(request)
            check_document_type(document_type)
            report = await state.lint_job(lint_upload_job, filename, data, document_type,
                                          state.settings)
        else:
            body = _parse_json(await request.body(), LintRequest)
            check_document_type(body.document_type)
            check_text_length(len(body.text), state.settings.max_text_chars)
            report = await state.lint_job(lint_text_job, body.text, body.document_type)
        return Response(report, media_type="application/json")

    @app.post("/v1/lint/word", tags=["documents"], openapi_extra=_json_body(LintRequest),
              responses={200: {"content": {DOCX_TYPE: {}}}})
    async def lint_to_word(request: Request, token: CanLint) -> Response:
        """Lint text and return it as a Word file with each finding as a comment."""
        body = _parse_json(await request.body(), LintRequest)
        check_document_type(body.document_type)
        check_text_length(len(body.text), state.settings.max_text_chars)
        docx = await state.lint_job(lint_word_job, body.text, body.document_type)
        return Response(docx, media_type=DOCX_TYPE,
                        headers=_attachment("letter-with-findings.docx"))

    @app.get("/v1/readability-targets", tags=["documents"])
    async def readability_targets(document_type: str | None = None) -> Response:
        """The readability targets for a document type, as the linter applies them."""
        check_document_type(document_type or None)
        targets = await state.lint_job(targets_job, document_type or None)
        return Response(targets, media_type="application/json")

    @app.get("/accessibility", include_in_schema=False)
    def accessibility() -> HTMLResponse:
        return HTMLResponse(_static_page("accessibility.html"), headers=_PAGE_HEADERS)

    @app.get("/privacy", include_in_schema=False)
    def privacy() -> HTMLResponse:
        return HTMLResponse(_static_page("privacy.html"), headers=_PAGE_HEADERS)

    @app.post("/v1/extract", tags=["documents"], openapi_extra=_UPLOAD_OPENAPI)
    async def extract(request: Request, token: CanLint) -> dict[str, Any]:
        """Return the text of an uploaded .docx, .pdf or .txt as the linter reads it.

        The tone-check page uses this to put an uploaded letter into its text box.
        """
        filename, data, document_type = await _upload(request)
        return await _cpu_bound(state.extract, filename, data, document_type)

    @app.post("/v1/issue", tags=["issue"], openapi_extra=_json_body(IssueRequest))
    async def issue(request: Request, token: CanIssue) -> JSONResponse:
        """Issue a document through the lint gate and record it (issuer; waivers: reviewer)."""
        assert token is not None
        body = _parse_json(await request.body(), IssueRequest)
        if body.waivers and not token.may("waive"):
            raise ApiError(
                403, "role_not_allowed",
                f"The token '{token.name}' may issue but not waive findings; waivers need "
                "a token that also holds the reviewer role.",
            )
        result = await run_in_threadpool(state.issue, body, token.name)
        # 201 for a new record; 200 when the same data was issued before.
        return JSONResponse(result, status_code=200 if result["already_issued"] else 201)

    @app.get("/v1/register/{reference}", tags=["issue"])
    async def register_record(reference: str, token: CanReadRegister) -> dict[str, Any]:
        """Return one register record by reference (any valid token)."""
        return await run_in_threadpool(state.register_record, reference)

    return app


_CPU_LIMITER: anyio.CapacityLimiter | None = None


async def _cpu_bound(function: Callable[..., T], *args: Any) -> T:
    """Run CPU-bound work off the event loop, one job at a time per process.

    Threads only take turns holding the GIL, so running several lints at once in one
    process makes each slower and the tail latency worse; queueing them keeps the event
    loop free and lets extra worker processes (one per core) supply the parallelism.
    """
    global _CPU_LIMITER
    if _CPU_LIMITER is None:
        _CPU_LIMITER = anyio.CapacityLimiter(1)
    return await anyio.to_thread.run_sync(functools.partial(function, *args),
                                          limiter=_CPU_LIMITER)


def _before_stop_signals(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` on SIGTERM or SIGINT, then the handler already there (the
    server's, which starts its graceful shutdown); return a function that undoes it.

    Lint jobs change nothing, so on a stop signal they end at once and their callers
    are told to try again, rather than holding the shutdown for as long as a lint may
    take. Other requests get the server's grace period as before.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals reach only the main thread (not in tests' clients)
    loop = asyncio.get_running_loop()
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        prior = signal.getsignal(signum)

        def handler(number: int, frame: Any, prior: Any = prior) -> None:
            loop.call_soon_threadsafe(callback)
            if callable(prior):
                prior(number, frame)

        previous[signum] = prior
        signal.signal(signum, handler)

    def restore() -> None:
        for signum, prior in previous.items():
            signal.signal(signum, prior)

    return restore


def app_from_environment() -> FastAPI:
    """Build the app from the settings file named in ``DOCGEN_SERVICE_CONFIG`` (uvicorn)."""
    path = os.environ.get(CONFIG_ENV)
    settings = load_settings(Path(path) if path else None)
    processes = os.environ.get(LINT_PROCESSES_ENV)
    if processes:  # docgen serve --lint-processes
        settings = replace(settings, lint_processes=int(processes))
    host = os.environ.get(HOST_ENV)
    if host:  # docgen serve --host
        settings = replace(settings, host=host)
    return create_app(settings)


def check_text_length(length: int, limit: int) -> None:
    """Refuse text longer than the service lints in one request."""
    if length > limit:
        raise ApiError(
            413, "text_too_long",
            f"The text is {length:,} characters long; this service checks up to "
            f"{limit:,} characters at a time (about {limit // 6:,} words). Check the "
            "letter or report in parts.",
        )


def lint_text_job(text: str, document_type: str | None, config: Any = None) -> bytes:
    """Lint text as 'docgen lint -' does; return the CLI's JSON, encoded where the lint
    ran so the server process only passes bytes on. Without ``config``, a lint worker's
    own settings apply."""
    return json_bytes(lint_text_report(text, document_type, config or _worker_config()))


def lint_upload_job(filename: str, data: bytes, document_type: str | None,
                    settings: ServiceSettings, config: Any = None) -> bytes:
    """Read an uploaded file within the service's limits and lint it; the CLI's JSON."""
    from docgen.lint import check_document
    from docgen.lint.findings import LintReport

    document = read_upload(filename, data, document_type, settings)
    check_text_length(sum(len(p.text) for p in document.paragraphs), settings.max_text_chars)
    report = check_document(document, config or _worker_config())
    return json_bytes(LintReport(files=[report]).to_dict())


def lint_word_job(text: str, document_type: str | None, config: Any = None) -> bytes:
    """Lint text and return it as a .docx with each finding as a Word comment."""
    from docgen.lint import check_document
    from docgen.lint.annotate import annotated_docx
    from docgen.lint.document import TextDocument, paragraphs_from_text

    document = TextDocument("<text>", paragraphs_from_text(text), document_type)
    return annotated_docx(text, check_document(document, config or _worker_config()))


def targets_job(document_type: str | None, config: Any = None) -> bytes:
    """The readability targets for a document type, where the rules are loaded."""
    from docgen.lint.kinds.readability import targets
    from docgen.lint.rules import load_rules

    config = config or _worker_config()
    rules = [r for r in load_rules() if config.enabled(r.id)]
    return json_bytes(targets(rules, document_type, config.thresholds))


def _worker_config() -> Any:
    from docgen.service.pool import lint_config

    return lint_config()


def lint_text_report(text: str, document_type: str | None, config: Any) -> dict[str, Any]:
    """Lint text as 'docgen lint -' does (inline suppressions included); the CLI's JSON."""
    from docgen.lint import check_document
    from docgen.lint.document import TextDocument, paragraphs_from_text
    from docgen.lint.findings import LintReport

    document = TextDocument("<text>", paragraphs_from_text(text), document_type)
    return LintReport(files=[check_document(document, config)]).to_dict()


def json_bytes(value: Any) -> bytes:
    """Encode a response body as ``JSONResponse`` does."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")


class _State:
    """What the endpoints share: settings, the template catalogue, lint config, a converter."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._lint_config: LintConfig | None = None
        self._converter: Converter | None = None
        self.pool: Any = None  # a LintPool when lint_processes > 0

    @property
    def catalogue(self) -> Catalogue:
        with self._lock:
            if self._catalogue is None:
                from docgen.templates import Catalogue

                self._catalogue = Catalogue()
            return self._catalogue

    @property
    def lint_config(self) -> LintConfig:
        with self._lock:
            if self._lint_config is None:
                from docgen.lint.config import load_config

                source = self.settings.lint_config_file
                self._lint_config = load_config(Path(source) if source else None)
            return self._lint_config

    def converter(self) -> Converter:
        with self._lock:
            if self._converter is None:
                from docgen.issue.convert.soffice import Converter

                self._converter = Converter(timeout=self.settings.conversion_timeout)
            return self._converter

    def stop_linting(self) -> None:
        """Stop the lint workers now, busy or not: their requests answer 503."""
        if self.pool is not None:
            self.pool.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()  # busy workers too: their requests answer 503
            self.pool = None
        with self._lock:
            if self._converter is not None:
                self._converter.close()
                self._converter = None

    # --- documents --------------------------------------------------------------------

    def render(self, body: RenderRequest) -> Response:
        from docgen.data import validate
        from docgen.render.formats import SUFFIXES, render_as

        template = self.catalogue.get(body.template)
        fields = dict(body.data)
        fields.pop("template", None)
        document = validate(template, fields, "request data")
        converter = self.converter() if body.format == "pdf" else None
        output = render_as(template, document, body.format, converter=converter)
        return Response(output, media_type=_MEDIA_TYPES[body.format],
                        headers=_attachment(f"{template.id}{SUFFIXES[body.format]}"))

    async def start_pool(self) -> None:
        """Start the lint workers (when configured) and wait until each has its rules,
        so the first requests do not wait for them."""
        if self.settings.lint_processes and self.pool is None:
            from docgen.service.pool import LintPool

            pool = LintPool(self.settings.lint_processes, self.settings.lint_config_file,
                            self.settings.lint_timeout)
            await pool.start()
            self.pool = pool

    async def lint_job(self, job: Callable[..., bytes], *args: Any) -> bytes:
        """Run a lint job in a worker, within the time limit; in this process when the
        service has no workers (then no time limit applies: nothing could stop it)."""
        if self.pool is None:
            return await _cpu_bound(functools.partial(job, config=self.lint_config), *args)
        from docgen.service.pool import JobTimedOut, PoolClosed, WorkerLost

        try:
            result: bytes = await self.pool.run(job, *args)
            return result
        except JobTimedOut:
            raise ApiError(
                504, "lint_timeout",
                f"Checking this text took longer than this service allows "
                f"({self.settings.lint_timeout:g} seconds), so it was stopped. Check the "
                "letter or report in parts.",
            ) from None
        except PoolClosed:
            raise ApiError(
                503, "service_stopping",
                "The service stopped before the check finished. Please try again in a "
                "minute.", headers={"Retry-After": "60"},
            ) from None
        except WorkerLost:
            _log.error("a lint worker stopped during a job; another has started")
            raise ApiError(
                503, "lint_interrupted",
                "The check stopped before it finished. Please try again; if it happens "
                "again, tell the service's administrator.",
            ) from None

    def extract(self, filename: str, data: bytes, document_type: str | None) -> dict[str, Any]:
        document = read_upload(filename, data, document_type, self.settings)
        blocks = [f"- {p.text}" if p.kind == "list_item" else p.text
                  for p in document.paragraphs]
        return {"path": filename, "document_type": document.document_type,
                "text": "\n\n".join(blocks)}

    # --- issue and register ------------------------------------------------------------

    def issue(self, body: IssueRequest, issued_by: str) -> dict[str, Any]:
        from docgen.data import validate
        from docgen.issue.gate import Issuer, Refused, Waiver
        from docgen.issue.register import Register

        template = self.catalogue.get(body.template)
        fields = dict(body.data)
        fields.pop("template", None)
        document = validate(template, fields, "request data")
        waivers = [Waiver(rule=w.rule, reason=w.reason, by=issued_by) for w in body.waivers]
        out_dir = Path(self.settings.issue_dir or "issued")
        with Register(self.settings.register) as register:
            issuer = Issuer(register, out_dir, self.converter, self.lint_config)
            try:
                outcome = issuer.issue(template, document, by=issued_by, waivers=waivers,
                                       source="request data")
            except Refused as refused:
                count = len(refused.blocking)
                first = refused.blocking[0]
                raise ApiError(
                    422, "issue_refused",
                    f"Not issued: {count} error-level finding{'s' if count > 1 else ''} "
                    f"without a waiver (first: {first.rule} in "
                    f"{refused.origins[first].describe('the data', refused.template_path)}: "
                    f"{first.message}). Rewrite the passage, or send a waiver with a token "
                    "that holds the reviewer role.",
                    details={"findings": [
                                 {**f.to_dict(), "origin": refused.origins[f].to_dict()}
                                 if f in refused.origins else f.to_dict()
                                 for f in refused.blocking],
                             "report": refused.report.to_dict()},
                ) from None
        return {
            "reference": outcome.reference,
            "already_issued": outcome.already_issued,
            "record": outcome.record.as_dict(),
            "unused_waivers": [w.to_dict() for w in outcome.unused_waivers],
            "lint": outcome.report.to_dict() if outcome.report else None,
        }

    def register_record(self, reference: str) -> dict[str, Any]:
        from docgen.issue.register import Register

        not_found = ApiError(404, "record_not_found",
                             f"There is no record '{reference}' in the register. Check the "
                             "reference printed on the document.")
        try:
            with Register(self.settings.register, create=False) as register:
                return register.get(reference).as_dict()
        except RecordNotFound:  # no such record, or nothing issued yet
            raise not_found from None


def read_upload(filename: str, data: bytes, document_type: str | None,
                settings: ServiceSettings) -> Any:
    """Read an uploaded .docx, .pdf or .txt within the service's limits."""
    from docgen.lint import readers
    from docgen.lint.document import TextDocument, paragraphs_from_text

    suffix = PurePath(filename).suffix.lower()
    if suffix == ".docx":
        check_docx_package(data, filename, max_unpacked=settings.max_docx_unpacked_bytes,
                           max_parts=settings.max_docx_parts,
                           max_ratio=settings.max_docx_ratio)
        return readers.read_docx(data, filename, document_type)
    if suffix == ".pdf":
        check_pdf_pages(data, filename, max_pages=settings.max_pdf_pages)
        return readers.read_pdf(data, filename, document_type)
    if b"\x00" in data[:8192]:
        raise LintInputError("looks like a binary file, not text", path=filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LintInputError(f"is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                             "save it as UTF-8", path=filename) from None
    return TextDocument(filename, paragraphs_from_text(text), document_type)


# --- request parsing ---------------------------------------------------------------------

_UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "A .docx, .pdf or .txt file."},
        "document_type": {"type": "string", "description": "A lint profile (optional)."},
    },
}
_UPLOAD_OPENAPI = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": _UPLOAD_SCHEMA}}}}
_LINT_OPENAPI = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": LintRequest.model_json_schema()},
    "multipart/form-data": {"schema": _UPLOAD_SCHEMA},
}}}


def _json_body(model: type[BaseModel]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": model.model_json_schema()}}}}


async def _upload(request: Request) -> tuple[str, bytes, str | None]:
    """Read a multipart upload: one ``file`` and an optional ``document_type``."""
    from starlette.datastructures import UploadFile

    try:
        form = await request.form(max_files=1, max_fields=4)
    except ApiError:
        raise
    except Exception:  # python-multipart and Starlette raise several kinds here
        raise ApiError(422, "malformed_upload",
                       "The upload could not be read as multipart/form-data; send one "
                       "file in a field named 'file'.") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(422, "file_required",
                       "Send the document in a multipart field named 'file'.")
    filename = PurePath((upload.filename or "upload").replace("\\", "/")).name or "upload"
    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise ApiError(415, "unsupported_file_type",
                       f"{filename} has {shown}; upload a .docx, .pdf or .txt file.")
    data = await upload.read()
    document_type = form.get("document_type")
    if not isinstance(document_type, str) or not document_type.strip():
        document_type = None
    return filename, data, document_type


def _parse_json(raw: bytes, model: type[BaseModel]) -> Any:
    if not raw.strip():
        raise ApiError(422, "body_required",
                       "Send a JSON body such as {\"text\": \"Dear ...\"}, or upload a "
                       "file as multipart/form-data.")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise ApiError(422, *_validation_problem(exc.errors(include_url=False))) from None


def _validation_problem(errors: Any) -> tuple[str, str]:
    first = errors[0]
    if first["type"] == "json_invalid":
        ctx = first.get("ctx", {}).get("error", "")
        return ("malformed_json",
                f"The request body is not valid JSON ({ctx or first['msg']}). Check the "
                "quotes and commas.")
    loc = [str(p) for p in first["loc"] if p != "body"]
    where = ".".join(loc) or "body"
    kind = first["type"]
    if kind == "missing":
        detail = "is required but missing"
    elif kind == "extra_forbidden":
        detail = "is not a field this endpoint takes; check its spelling in /docs"
    else:
        message = first["msg"]
        detail = message[0].lower() + message[1:]
        detail = detail.replace("input should be", "expected")
        got = first.get("input")
        if isinstance(got, str | int | float | bool) and got is not None:
            detail += f", got {got!r}"
    more = len(errors) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return "invalid_request", f"The request's field '{where}' {detail}{tail}."


# --- errors --------------------------------------------------------------------------------

def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        path = request.url.path
        if exc.status_code == 404:
            code, message = "not_found", (f"There is nothing at {path}. The endpoints are "
                                          "listed at /docs.")
        elif exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "")
            code = "method_not_allowed"
            message = f"{request.method} is not allowed on {path}" + (
                f"; use {allowed}." if allowed else ".")
        else:
            code, message = f"http_{exc.status_code}", str(exc.detail)
        return JSONResponse({"error": {"code": code, "message": message}},
                            status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        code, message = _validation_problem(exc.errors())
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=422)

    @app.exception_handler(DocgenError)
    async def docgen_error(request: Request, exc: DocgenError) -> JSONResponse:
        status, code = next(((s, c) for kind, s, c in _ERROR_STATUS if isinstance(exc, kind)),
                            (422, "bad_input"))
        if isinstance(exc, ConversionError) and "did not finish" in exc.message:
            status, code = 504, "conversion_timeout"
        message = exc.message
        if status == 500:
            # The detail names files on the server; it goes to the log, not to the caller.
            _log.error("%s: %s", code, exc.message)
            message = ("The service is not set up correctly, so the request was not "
                       "completed. Please tell the service's administrator.")
        body: dict[str, Any] = {"code": code, "message": message}
        findings = getattr(exc, "findings", None)
        if findings:
            body["findings"] = [f.to_dict() for f in findings]
        return JSONResponse({"error": body}, status_code=status)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(
            {"error": {"code": "internal_error",
                       "message": "Something went wrong on our side; the request was not "
                                  "completed. Please try again, and tell the service's "
                                  "administrator if it happens again."}},
            status_code=500,
        )


# --- helpers -------------------------------------------------------------------------------

def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docgen")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


@cache
def _static_page(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@cache
def _page_template() -> str:
    return (STATIC / "index.html").read_text(encoding="utf-8")


def _page_html(anonymous_lint: bool) -> str:
    # The page asks for a token only when the service will not lint without one.
    mode = "anonymous" if anonymous_lint else "token"
    return _page_template().replace("{{ lint_access }}", mode)

