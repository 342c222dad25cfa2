"""Every error the service sends is JSON: ``{"error": {"code": ..., "message": ...}}``.

A ``DocgenError`` from the library becomes a status and a code by its type alone
(``ERROR_STATUS``), never by its message; the service's own refusals are ``ApiError``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from docgen.errors import (
    ConfigError,
    ConversionError,
    ConversionTimeout,
    DataError,
    DocgenError,
    DocumentTooComplex,
    DocumentTooLarge,
    IssueRefused,
    LintInputError,
    RegisterError,
    RenderError,
    RuleFileError,
    TemplateError,
    TemplateNotFoundError,
    TextTooLong,
    TooManyPages,
    UnknownNameError,
)

_log = logging.getLogger("docgen.service")

# DocgenError subclass -> (status, code). The first match in order wins, so a subclass
# comes before the class it extends.
ERROR_STATUS: tuple[tuple[type[DocgenError], int, str], ...] = (
    (TemplateNotFoundError, 404, "template_not_found"),
    (DataError, 422, "invalid_data"),
    (TextTooLong, 413, "text_too_long"),
    (TooManyPages, 413, "too_many_pages"),
    (DocumentTooLarge, 413, "document_too_large"),
    (DocumentTooComplex, 413, "document_too_complex"),
    (LintInputError, 422, "unreadable_document"),
    (UnknownNameError, 422, "unknown_name"),
    (IssueRefused, 422, "issue_refused"),
    (ConversionTimeout, 504, "conversion_timeout"),
    (ConversionError, 503, "conversion_failed"),
    (RegisterError, 500, "register_error"),
    (TemplateError, 500, "template_error"),
    (RenderError, 422, "format_not_available"),
    (RuleFileError, 500, "rules_error"),
    (ConfigError, 500, "configuration_error"),
)


class ApiError(HTTPException):
    """A refused request: its status, a stable ``code`` for programs and a message for people."""

    def __init__(self, status_code: int, code: str, message: str, *,
                 headers: Mapping[str, str] | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(status_code=status_code, detail=message, headers=dict(headers or {}))
        self.code = code
        self.details = details or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.detail}
        error.update(self.details)
        return {"error": error}


def status_of(error: DocgenError) -> tuple[int, str]:
    """The HTTP status and error code for a library error, by its type."""
    return next(((s, c) for kind, s, c in ERROR_STATUS if isinstance(error, kind)),
                (422, "bad_input"))


def validation_problem(errors: Any) -> tuple[str, str]:
    """The code and message for pydantic's errors about a request."""
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


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error, expected or not, in the one JSON shape."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
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
        code, message = validation_problem(exc.errors())
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=422)

    @app.exception_handler(DocgenError)
    async def docgen_error(request: Request, exc: DocgenError) -> JSONResponse:
        status, code = status_of(exc)
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
