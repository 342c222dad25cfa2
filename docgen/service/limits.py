"""Limits that keep one request from exhausting the service: body size, zip bombs, PDF pages.

The body limit is enforced while the body streams in, so a client that sends 10 GB with
no Content-Length (or a false one) is stopped at the limit, not after the server has
buffered everything.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.service.problems import ApiError


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def body_too_large(limit: int) -> ApiError:
    return ApiError(
        413, "body_too_large",
        f"The request body is larger than this service accepts ({_megabytes(limit)}). "
        "Send a smaller document, or lint the part you need.",
    )


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, counting bytes as they arrive."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            error = body_too_large(self.max_bytes)
            await _send_json(send, 413, error.body())
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise body_too_large(self.max_bytes)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except ApiError as error:
            # Reached only when the app let the error escape its own handlers.
            if started:
                raise
            await _send_json(send, error.status_code,
                             error.body())


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode("utf-8")
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(payload)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": payload})


def check_docx_package(data: bytes, filename: str, *, max_unpacked: int, max_parts: int,
                       max_ratio: float) -> None:
    """Refuse a .docx whose central directory promises an absurd unpacking (a zip bomb).

    Only the central directory is read; no part is decompressed. Python's zipfile stops
    at each part's declared size when a part is read later, so these figures bind.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ApiError(
            422, "unreadable_document",
            f"{filename} is not a readable Word file (it is not a zip package); save it "
            "again as .docx and upload it once more.",
        ) from None
    if len(infos) > max_parts:
        raise ApiError(
            413, "document_too_complex",
            f"{filename} has {len(infos)} parts inside; a Word letter or report has far "
            f"fewer, and this service reads at most {max_parts}.",
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked:
        raise ApiError(
            413, "document_too_large",
            f"{filename} would unpack to {_megabytes(unpacked)}; this service reads Word "
            f"files that unpack to at most {_megabytes(max_unpacked)}.",
        )
    packed = max(len(data), 1)
    if unpacked / packed > max_ratio and unpacked > 1024 * 1024:
        raise ApiError(
            413, "document_too_large",
            f"{filename} would unpack to {unpacked // packed} times its size, which only "
            "a deliberately compressed archive does; save the document again from Word or "
            "LibreOffice.",
        )


def check_pdf_pages(data: bytes, filename: str, *, max_pages: int) -> None:
    """Refuse a PDF with more pages than ``max_pages`` before any text is extracted."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (DependencyError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, AssertionError, IndexError):
        raise ApiError(
            422, "unreadable_document",
            f"{filename} is not a readable PDF; save or export it again and upload it once "
            "more.",
        ) from None
    if pages > max_pages:
        raise ApiError(
            413, "too_many_pages",
            f"{filename} has {pages} pages; this service reads PDFs of at most {max_pages} "
            "pages. Upload the letter or report on its own.",
        )
