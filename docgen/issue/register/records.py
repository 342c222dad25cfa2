"""What the register holds: the details of an issue, its record, reservations, the
problems ``verify`` reports, and how references and record hashes are made."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from docgen.canonical import canonical_json, sha256_text
from docgen.errors import RegisterError
from docgen.identifiers import is_reference_prefix

GENESIS_HASH = "0" * 64
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

# The fields a record's hash covers, in the order export and ``show`` print them.
HASHED_FIELDS = (
    "reference", "document_type", "template_id", "template_version", "data_sha256",
    "docx_sha256", "pdf_sha256", "lint_summary", "waivers", "issued_by", "issued_at",
    "urn", "recipient", "idempotency_key", "docx_path", "pdf_path", "previous_hash",
)
JSON_FIELDS = ("lint_summary", "waivers")


@dataclass(frozen=True)
class IssueDetails:
    """What the issue command knows about a document before the register numbers it."""

    template_id: str
    template_version: str
    data_sha256: str
    docx_sha256: str
    pdf_sha256: str
    issued_by: str
    lint_summary: Mapping[str, Any] = field(default_factory=dict)
    waivers: Sequence[Mapping[str, str]] = ()
    urn: str | None = None
    recipient: str | None = None
    docx_path: str | Path | None = None
    pdf_path: str | Path | None = None
    document_type: str | None = None

    @property
    def idempotency_key(self) -> str:
        return idempotency_key(self.template_id, self.data_sha256)

    def check(self) -> None:
        """Raise ``RegisterError`` naming the first field the register cannot accept."""
        for name in ("template_version", "data_sha256", "docx_sha256", "pdf_sha256"):
            if not _SHA256.match(str(getattr(self, name))):
                raise RegisterError(
                    f"field '{name}': expected a SHA-256 as 64 lower-case hex digits, "
                    f"got {getattr(self, name)!r}"
                )
        for name in ("template_id", "issued_by"):
            if not str(getattr(self, name)).strip():
                raise RegisterError(f"field '{name}': expected a name, got an empty value")
        for number, waiver in enumerate(self.waivers, start=1):
            missing = [k for k in ("rule", "reason", "by") if not str(waiver.get(k, "")).strip()]
            extra = sorted(set(waiver) - {"rule", "reason", "by"})
            if missing or extra:
                raise RegisterError(
                    f"field 'waivers', waiver {number}: expected rule, reason and by "
                    f"(missing: {', '.join(missing) or 'none'}; unknown: "
                    f"{', '.join(extra) or 'none'})"
                )
        try:
            canonical_json(dict(self.lint_summary))
        except (TypeError, ValueError):
            raise RegisterError(
                "field 'lint_summary': expected JSON values (text, numbers, lists, objects)"
            ) from None


@dataclass(frozen=True)
class Record:
    """One issued document as the register holds it."""

    reference: str
    document_type: str
    template_id: str
    template_version: str
    data_sha256: str
    docx_sha256: str
    pdf_sha256: str
    lint_summary: dict[str, Any]
    waivers: list[dict[str, str]]
    issued_by: str
    issued_at: str
    urn: str | None
    recipient: str | None
    idempotency_key: str
    docx_path: str | None
    pdf_path: str | None
    previous_hash: str
    record_hash: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Reservation:
    """A reference allocated ahead of its record, so it can be printed in the document."""

    reference: str
    prefix: str
    year: int
    number: int
    reserved_at: str


@dataclass(frozen=True)
class Problem:
    """One thing ``verify`` found, as one line naming the reference."""

    reference: str | None
    message: str
    severity: Literal["error", "notice"] = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.reference or "register"
        return f"{where}: {self.message}" if self.is_error else f"{where}: notice: {self.message}"


def idempotency_key(template_id: str, data_sha256: str) -> str:
    """Return the key that makes issuing the same data twice return one record."""
    return f"{template_id}:{data_sha256}"


def record_hash(values: Mapping[str, Any]) -> str:
    """Return the hash of a record's fields (``HASHED_FIELDS``), as ``verify`` computes it."""
    return sha256_text(canonical_json({name: values[name] for name in HASHED_FIELDS}))


def check_prefix(prefix: str) -> None:
    if not is_reference_prefix(prefix):
        raise RegisterError(
            f"reference prefix '{prefix}': expected a capital letter then 1 to 4 capitals "
            "or digits, as in a template manifest's reference_prefix"
        )


def row_fields(row: Mapping[Any, Any]) -> dict[str, Any]:
    """Return the hashed fields of a stored row, JSON fields parsed where they parse."""
    values = {name: row[name] for name in HASHED_FIELDS}
    for name in JSON_FIELDS:
        # Text that does not parse stays text: the hash check then reports the field.
        with contextlib.suppress(TypeError, ValueError):
            values[name] = json.loads(values[name])
    return values
