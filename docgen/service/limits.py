"""The body limit, which keeps one request from exhausting the service.

It is enforced while the body streams in, so a client that sends 10 GB with no
Content-Length (or a false one) is stopped at the limit, not after the server has
buffered everything. The limits on what an upload holds (zip bombs, PDF pages, text
length) are the library's: ``docgen.lint.uploads``.
"""

from __future__ import annotations

import json
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
