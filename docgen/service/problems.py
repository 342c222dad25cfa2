"""Every error the service sends is JSON: ``{"error": {"code": ..., "message": ...}}``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException


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
