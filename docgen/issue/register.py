"""The issue register: an append-only, hash-chained record of every document issued.

Storage
    SQLAlchemy Core over an SQLite file (the default: ``DOCGEN_DB``, else
    ``docgen-register.sqlite3`` in the current folder) or PostgreSQL through a URL
    (``postgresql+psycopg://user@host/db``). Schema changes are numbered steps in
    ``docgen.issue.migrations``, applied when a register is opened.

Append-only
    The API has no update or delete, and the database refuses them too: triggers raise
    on UPDATE or DELETE of ``records`` and ``reservations`` (and on TRUNCATE in
    PostgreSQL), so changing history by hand means dropping the triggers first.

Hash chain
    Each record's hash is the SHA-256 of a canonical JSON object (sorted keys, no spaces,
    UTF-8) of all its fields, including the hash of the record inserted before it. A
    one-row ``chain_head`` holds the last hash and the record count, so deleting the
    newest record is caught too. Inserts lock the head row, which makes insertion order
    one total order even when several processes write at once. The canonical JSON is
    stored beside the columns, so when a column is edited ``verify`` can name the field.
    JSON fields are stored as canonical text, not JSONB, so they hash the same after a
    round trip through either database.

References
    ``PREFIX-YEAR-NNNNNN``, numbered from 1 per prefix and year by a counter row that is
    read and bumped in the same transaction as the insert that uses it (``BEGIN
    IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL), so numbers are unique
    and gap-free however many processes issue at once.

Two phases
    The reference must be printed inside the PDF, so the issue command needs it before
    the record can exist. ``reserve`` allocates the next number and writes a row in a
    separate, append-only ``reservations`` table, outside the hash chain; ``complete``
    later inserts the record itself, with every hash, in one transaction. A crash in
    between leaves a reservation and no record: never a half-recorded document. Such a
    reservation is an *explained* gap: ``verify`` lists it as a notice ("reserved, never
    issued") rather than an error, whereas a number with neither a record nor a
    reservation is an error (a record was deleted). ``record`` does both phases at once
    when the reference is not needed in advance.

Idempotency
    The key is the template id and the data's SHA-256. Recording the same pair again
    returns the record already made; ``complete`` then leaves its reservation unused.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from docgen.errors import RecordNotFound, RegisterError
from docgen.issue import migrations
from docgen.templates import REFERENCE_PREFIX

DEFAULT_FILE = "docgen-register.sqlite3"
GENESIS_HASH = "0" * 64
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PREFIX = re.compile(REFERENCE_PREFIX)
_REFERENCE = re.compile(r"^([A-Z]{2,5})-(\d{4})-(\d{6,})$")
_WRITE_ATTEMPTS = 8

T = TypeVar("T")

_metadata = MetaData()
records = Table(
    "records", _metadata,
    Column("seq", Integer, primary_key=True),
    Column("reference", Text),
    Column("document_type", Text),
    Column("template_id", Text),
    Column("template_version", Text),
    Column("data_sha256", Text),
    Column("docx_sha256", Text),
    Column("pdf_sha256", Text),
    Column("lint_summary", Text),
    Column("waivers", Text),
    Column("issued_by", Text),
    Column("issued_at", Text),
    Column("urn", Text),
    Column("recipient", Text),
    Column("idempotency_key", Text),
    Column("docx_path", Text),
    Column("pdf_path", Text),
    Column("previous_hash", Text),
    Column("record_hash", Text),
    Column("record_json", Text),
)
counters = Table(
    "reference_counters", _metadata,
    Column("prefix", Text, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_number", Integer),
)
reservations = Table(
    "reservations", _metadata,
    Column("reference", Text, primary_key=True),
    Column("prefix", Text),
    Column("year", Integer),
    Column("number", Integer),
    Column("reserved_at", Text),
)
chain_head = Table(
    "chain_head", _metadata,
    Column("id", Integer, primary_key=True),
    Column("record_hash", Text),
    Column("record_count", Integer),
)

# The fields a record's hash covers, in the order export and ``show`` print them.
HASHED_FIELDS = (
    "reference", "document_type", "template_id", "template_version", "data_sha256",
    "docx_sha256", "pdf_sha256", "lint_summary", "waivers", "issued_by", "issued_at",
    "urn", "recipient", "idempotency_key", "docx_path", "pdf_path", "previous_hash",
)
_JSON_FIELDS = ("lint_summary", "waivers")


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
            _canonical(dict(self.lint_summary))
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


def format_reference(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year:04d}-{number:06d}"


def database_url(target: str | Path | None = None) -> str:
    """Turn a path, URL or nothing (``DOCGEN_DB``, else the default file) into a URL."""
    target = target if target not in (None, "") else os.environ.get("DOCGEN_DB") or DEFAULT_FILE
    text = str(target)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    # Plain postgresql:// would pick psycopg2; docgen depends on psycopg 3.
    for bare in ("postgres://", "postgresql://"):
        if text.startswith(bare):
            return "postgresql+psycopg://" + text[len(bare):]
    return text


def _canonical(value: Mapping[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def _sha256_text(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _transient(exc: DBAPIError) -> bool:
    """Say whether a failed write may succeed if tried again."""
    if "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig):
        return True
    # PostgreSQL: serialization failure, deadlock detected.
    return getattr(exc.orig, "sqlstate", None) in {"40001", "40P01"}


def _row_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    """Return the hashed fields of a stored row, JSON fields parsed where they parse."""
    values = {name: row[name] for name in HASHED_FIELDS}
    for name in _JSON_FIELDS:
        # Text that does not parse stays text: the hash check then reports the field.
        with contextlib.suppress(TypeError, ValueError):
            values[name] = json.loads(values[name])
    return values


def _to_record(row: Mapping[str, Any]) -> Record:
    values = _row_fields(row)
    return Record(**values, record_hash=row["record_hash"])


class Register:
    """An issue register in one database; open it with a path, a URL or nothing."""

    def __init__(self, target: str | Path | None = None, *, create: bool = True) -> None:
        self.url = database_url(target)
        try:
            url = make_url(self.url)
        except ArgumentError:
            raise RegisterError(
                f"'{target}' is neither a file path nor a database URL such as "
                "postgresql+psycopg://user@host/docgen"
            ) from None
        self.label = url.render_as_string(hide_password=True)
        self.dialect = url.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise RegisterError(
                f"{self.label}: the register works with SQLite files and PostgreSQL; "
                f"'{self.dialect}' is not supported"
            )
        if self.dialect == "sqlite":
            path = Path(url.database or "")
            if not create and not path.is_file():
                raise RecordNotFound(
                    f"there is no register at {path}; pass --db or set DOCGEN_DB to the "
                    "register file or database URL"
                )
            self._engine = _sqlite_engine(self.url)
        else:
            try:
                self._engine = create_engine(self.url)
            except (ImportError, SQLAlchemyError) as exc:
                raise RegisterError(f"{self.label}: cannot open the register ({exc})") from None
        if self.dialect == "sqlite":
            self._use_wal()
        self.schema_version = self._write(migrations.migrate)

    # Lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Writing -----------------------------------------------------------------------------

    def record(self, details: IssueDetails, *, prefix: str) -> Record:
        """Number and record an issued document in one transaction, or return its record.

        The year of the reference is the year of issue, in UTC.
        """
        details.check()
        _check_prefix(prefix)

        def work(conn: Connection) -> Record:
            head = self._lock_head(conn)
            existing = self._by_key(conn, details.idempotency_key)
            if existing is not None:
                return existing
            issued_at = _now()
            year = int(issued_at[:4])
            reference = format_reference(prefix, year, self._next_number(conn, prefix, year))
            return self._insert(conn, head, reference, details, issued_at)

        return self._write(work)

    def reserve(self, prefix: str, year: int | None = None) -> Reservation:
        """Allocate the next reference for ``prefix`` and ``year`` ahead of issue."""
        _check_prefix(prefix)
        year = year if year is not None else datetime.now(UTC).year

        def work(conn: Connection) -> Reservation:
            number = self._next_number(conn, prefix, year)
            reservation = Reservation(format_reference(prefix, year, number), prefix, year,
                                      number, _now())
            conn.execute(reservations.insert().values(**asdict(reservation)))
            return reservation

        return self._write(work)

    def complete(self, reservation: Reservation, details: IssueDetails) -> Record:
        """Record the document issued under ``reservation``, or return its earlier record."""
        details.check()

        def work(conn: Connection) -> Record:
            head = self._lock_head(conn)
            existing = self._by_key(conn, details.idempotency_key)
            if existing is not None:
                return existing
            reserved = conn.execute(
                select(reservations.c.reference)
                .where(reservations.c.reference == reservation.reference)
            ).scalar()
            if reserved is None:
                raise RegisterError(
                    f"{reservation.reference}: this register has no such reservation; "
                    "reserve the reference with the same register"
                )
            if self._by_reference(conn, reservation.reference) is not None:
                raise RegisterError(
                    f"{reservation.reference}: already records another document; "
                    "reserve a new reference for this one"
                )
            return self._insert(conn, head, reservation.reference, details, _now())

        return self._write(work)

    # Reading -----------------------------------------------------------------------------

    def get(self, reference: str) -> Record:
        """Return the record with ``reference``."""
        with self._engine.connect() as conn:
            found = self._by_reference(conn, reference)
        if found is None:
            raise RecordNotFound(
                f"there is no record '{reference}' in {self.label}; "
                "'docgen register list' shows the references it holds"
            )
        return found

    def find(self, template_id: str, data_sha256: str) -> Record | None:
        """Return the record already made for this template and data, if any."""
        with self._engine.connect() as conn:
            return self._by_key(conn, idempotency_key(template_id, data_sha256))

    def list(
        self, limit: int | None = 50, document_type: str | None = None,
        since: datetime | str | None = None,
    ) -> list[Record]:
        """Return records, newest first, optionally of one type and issued since a time."""
        query = select(records).order_by(records.c.seq.desc())
        if document_type:
            query = query.where(records.c.document_type == document_type)
        if since is not None:
            if isinstance(since, datetime):
                aware = since if since.tzinfo else since.replace(tzinfo=UTC)
                since = aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            query = query.where(records.c.issued_at >= since)
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as conn:
            return [_to_record(row) for row in conn.execute(query).mappings()]

    def all(self) -> list[Record]:
        """Return every record in insertion order."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(records).order_by(records.c.seq)).mappings()
            return [_to_record(row) for row in rows]

    def reservations(self) -> list[Reservation]:
        """Return every reservation, used or not, in the order they were made."""
        query = select(reservations).order_by(reservations.c.reserved_at,
                                              reservations.c.reference)
        with self._engine.connect() as conn:
            return [Reservation(**row) for row in conn.execute(query).mappings()]

    def head(self) -> tuple[int, str]:
        """Return the number of records and the hash at the end of the chain."""
        with self._engine.connect() as conn:
            row = conn.execute(select(chain_head).where(chain_head.c.id == 1)).one()
        return row.record_count, row.record_hash

    def export(self, format: Literal["csv", "json"] = "csv") -> str:
        """Return every record in insertion order as CSV (with a header row) or JSON."""
        rows = [r.as_dict() for r in self.all()]
        if format == "json":
            return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
        if format != "csv":
            raise RegisterError(f"cannot export as '{format}'; expected csv or json")
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(Record)],
                                lineterminator="\n")
        writer.writeheader()
        for row in rows:
            for name in _JSON_FIELDS:
                row[name] = _canonical_any(row[name])
            writer.writerow(row)
        return out.getvalue()

    # Verifying ---------------------------------------------------------------------------

    def verify(self, files_root: str | Path | None = None, *,
               check_files: bool = True) -> list[Problem]:
        """Recheck every hash, the chain, the references and, optionally, the files.

        A relative file path is looked up under ``files_root`` (default: the current
        folder). Notices (unused reservations) are returned too; only errors mean the
        register is not intact.
        """
        with self._engine.connect() as conn:
            rows = list(conn.execute(select(records).order_by(records.c.seq)).mappings())
            head = conn.execute(select(chain_head).where(chain_head.c.id == 1)).one()
            reserved = {r.reference: r for r in conn.execute(select(reservations)).mappings()}
            numbered = {(r.prefix, r.year): r.last_number for r in conn.execute(select(counters))}
        problems = _check_chain(rows)
        if head.record_count != len(rows) or head.record_hash != (
            rows[-1]["record_hash"] if rows else GENESIS_HASH
        ):
            last = rows[-1]["reference"] if rows else "none"
            problems.append(Problem(None, (
                f"the chain head records {head.record_count} records, but {len(rows)} remain "
                f"and the last is {last}: the newest records were deleted or replaced"
            )))
        problems += _check_references(rows, reserved, numbered)
        if check_files:
            root = Path(files_root) if files_root is not None else Path.cwd()
            for row in rows:
                problems += _check_files(row, root)
        return problems

    # Internals ---------------------------------------------------------------------------

    def _use_wal(self) -> None:
        # WAL lets readers carry on while one process writes.
        def attempt() -> None:
            raw = self._engine.raw_connection()
            try:
                if raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    raw.execute("PRAGMA journal_mode=WAL")
            finally:
                raw.close()

        self._retry(attempt)

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one write transaction, retrying while another writer holds it."""

        def attempt() -> T:
            with self._engine.connect() as conn:
                conn.execution_options(docgen_begin="BEGIN IMMEDIATE")
                with conn.begin():
                    return work(conn)

        return self._retry(attempt)

    def _retry(self, attempt: Callable[[], T]) -> T:
        for number in range(1, _WRITE_ATTEMPTS + 1):
            try:
                return attempt()
            except DBAPIError as exc:
                if number < _WRITE_ATTEMPTS and _transient(exc):
                    time.sleep(random.uniform(0.05, 0.2) * number)
                    continue
                raise RegisterError(
                    f"{self.label}: the register could not be written "
                    f"({str(exc.orig).strip().splitlines()[0]})"
                ) from None
        raise AssertionError("unreachable")

    def _lock_head(self, conn: Connection) -> Mapping[str, Any]:
        query = select(chain_head).where(chain_head.c.id == 1).with_for_update()
        return conn.execute(query).mappings().one()

    def _next_number(self, conn: Connection, prefix: str, year: int) -> int:
        dialect_insert = sqlite.insert if self.dialect == "sqlite" else postgresql.insert
        conn.execute(
            dialect_insert(counters)
            .values(prefix=prefix, year=year, last_number=0)
            .on_conflict_do_nothing(index_elements=["prefix", "year"])
        )
        where = (counters.c.prefix == prefix) & (counters.c.year == year)
        last = conn.execute(
            select(counters.c.last_number).where(where).with_for_update()
        ).scalar_one()
        conn.execute(update(counters).where(where).values(last_number=last + 1))
        return last + 1

    def _insert(self, conn: Connection, head: Mapping[str, Any], reference: str,
                details: IssueDetails, issued_at: str) -> Record:
        values: dict[str, Any] = {
            "reference": reference,
            "document_type": details.document_type or details.template_id,
            "template_id": details.template_id,
            "template_version": details.template_version,
            "data_sha256": details.data_sha256,
            "docx_sha256": details.docx_sha256,
            "pdf_sha256": details.pdf_sha256,
            "lint_summary": dict(details.lint_summary),
            "waivers": [dict(w) for w in details.waivers],
            "issued_by": details.issued_by,
            "issued_at": issued_at,
            "urn": details.urn,
            "recipient": details.recipient,
            "idempotency_key": details.idempotency_key,
            "docx_path": str(details.docx_path) if details.docx_path is not None else None,
            "pdf_path": str(details.pdf_path) if details.pdf_path is not None else None,
            "previous_hash": head["record_hash"],
        }
        canonical = _canonical(values)
        record_hash = _sha256_text(canonical)
        columns = {**values, **{n: _canonical_any(values[n]) for n in _JSON_FIELDS}}
        conn.execute(records.insert().values(**columns, record_hash=record_hash,
                                             record_json=canonical))
        conn.execute(
            update(chain_head).where(chain_head.c.id == 1)
            .values(record_hash=record_hash, record_count=chain_head.c.record_count + 1)
        )
        return Record(**values, record_hash=record_hash)

    def _by_key(self, conn: Connection, key: str) -> Record | None:
        row = conn.execute(
            select(records).where(records.c.idempotency_key == key)
        ).mappings().first()
        return _to_record(row) if row else None

    def _by_reference(self, conn: Connection, reference: str) -> Record | None:
        row = conn.execute(
            select(records).where(records.c.reference == reference)
        ).mappings().first()
        return _to_record(row) if row else None


def record_hash(values: Mapping[str, Any]) -> str:
    """Return the hash of a record's fields (``HASHED_FIELDS``), as ``verify`` computes it."""
    return _sha256_text(_canonical({name: values[name] for name in HASHED_FIELDS}))


def _canonical_any(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _check_prefix(prefix: str) -> None:
    if not _PREFIX.match(prefix or ""):
        raise RegisterError(
            f"reference prefix '{prefix}': expected a capital letter then 1 to 4 capitals "
            "or digits, as in a template manifest's reference_prefix"
        )


def _check_chain(rows: Iterable[Mapping[str, Any]]) -> list[Problem]:
    problems: list[Problem] = []
    expected_previous, previous_reference = GENESIS_HASH, None
    for row in rows:
        reference = row["reference"]
        values = _row_fields(row)
        if record_hash(values) != row["record_hash"]:
            changed = _changed_fields(values, row["record_json"])
            if changed:
                names = ", ".join(f"'{name}'" for name in changed)
                problems.append(Problem(reference, (
                    f"field{'s' if len(changed) > 1 else ''} {names} changed after issue: "
                    "the record no longer matches its hash"
                )))
            else:
                problems.append(Problem(reference, (
                    "the stored record hash was changed: it no longer matches the record's "
                    "fields"
                )))
        elif _changed_fields(values, row["record_json"]):
            problems.append(Problem(reference, (
                "the stored copy of the record (record_json) was changed after issue"
            )))
        if row["previous_hash"] != expected_previous:
            if previous_reference is None:
                problems.append(Problem(reference, (
                    "the first record should start the chain but follows a record that is "
                    "no longer in the register: earlier records were deleted"
                )))
            else:
                problems.append(Problem(reference, (
                    f"does not follow on from {previous_reference}: a record between them "
                    f"was deleted, or {previous_reference} was altered"
                )))
        expected_previous, previous_reference = row["record_hash"], reference
    return problems


def _changed_fields(values: Mapping[str, Any], stored_json: str | None) -> list[str]:
    try:
        original = json.loads(stored_json or "")
    except ValueError:
        return []
    if not isinstance(original, dict):
        return []
    return [name for name in HASHED_FIELDS if original.get(name) != values[name]]


def _check_references(
    rows: Sequence[Mapping[str, Any]], reserved: Mapping[str, Any],
    numbered: Mapping[tuple[str, int], int],
) -> list[Problem]:
    problems: list[Problem] = []
    used: dict[tuple[str, int], set[int]] = {}
    for row in rows:
        match = _REFERENCE.match(row["reference"] or "")
        if not match:
            problems.append(Problem(row["reference"], (
                "is not a reference of the form PREFIX-YEAR-NNNNNN"
            )))
            continue
        prefix, year, number = match[1], int(match[2]), int(match[3])
        used.setdefault((prefix, year), set()).add(number)
        last = numbered.get((prefix, year))
        if last is None or number > last:
            problems.append(Problem(row["reference"], (
                f"is beyond the reference counter for {prefix} {year} "
                f"(last allocated: {last or 0}): the counter was changed"
            )))
    for (prefix, year), last in sorted(numbered.items()):
        issued = used.get((prefix, year), set())
        for number in range(1, last + 1):
            if number in issued:
                continue
            reference = format_reference(prefix, year, number)
            if reference in reserved:
                problems.append(Problem(reference, (
                    f"reserved at {reserved[reference].reserved_at} but never issued "
                    "(abandoned, or still being issued)"
                ), severity="notice"))
            else:
                problems.append(Problem(reference, (
                    "is missing: the reference was allocated but has no record or "
                    "reservation, so a record was deleted"
                )))
    return problems


def _check_files(row: Mapping[str, Any], root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for kind, path_field, hash_field in (("Word", "docx_path", "docx_sha256"),
                                         ("PDF", "pdf_path", "pdf_sha256")):
        stored = row[path_field]
        if not stored:
            continue
        path = Path(stored)
        path = path if path.is_absolute() else root / path
        if not path.is_file():
            problems.append(Problem(row["reference"], f"the {kind} file {path} is missing"))
        elif _file_sha256(path) != row[hash_field]:
            problems.append(Problem(row["reference"], (
                f"the {kind} file {path} was changed after issue: its SHA-256 no longer "
                "matches the register"
            )))
    return problems


def _sqlite_engine(url: str) -> Engine:
    # The driver's own transaction handling is turned off so that docgen can say
    # BEGIN IMMEDIATE: take the write lock first, instead of failing on upgrade later.
    engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("docgen_begin", "BEGIN"))

    return engine


__all__ = [
    "GENESIS_HASH", "HASHED_FIELDS", "IssueDetails", "Problem", "Record", "Register",
    "Reservation", "database_url", "format_reference", "idempotency_key", "record_hash",
]
