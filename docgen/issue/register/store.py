"""Where the register lives: the tables, and ``Register``, which opens a database,
migrates it, numbers references and appends records in one transaction each."""

from __future__ import annotations

import builtins  # Register.list shadows list in the class body
import os
import random
import sqlite3
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Row,
    Table,
    Text,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import RowMapping, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from docgen.canonical import canonical_json, sha256_text
from docgen.errors import RecordNotFound, RegisterError
from docgen.identifiers import format_reference
from docgen.issue import migrations
from docgen.issue.checkpoint import Checkpoint, Witness
from docgen.issue.register.records import (
    JSON_FIELDS,
    IssueDetails,
    Problem,
    Record,
    Reservation,
    check_prefix,
    idempotency_key,
    row_fields,
)
from docgen.issue.register.verification import resolve
from docgen.lifecycle import Closable

DEFAULT_FILE = "docgen-register.sqlite3"
_WRITE_ATTEMPTS = 8
_SQLITE_NOTADB = 26
_FIRST_SIGNED_VERSION = 4  # the schema version that came with signed checkpoints

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



@dataclass(frozen=True)
class Snapshot:
    """Everything ``verify`` reads, read in one connection."""

    rows: builtins.list[RowMapping]
    head: Row[Any]
    reserved: Mapping[str, RowMapping]
    numbered: Mapping[tuple[str, int], int]


def database_url(target: str | Path | None = None) -> str:
    """Turn a path, URL or nothing (``DOCGEN_DB``, else the default file) into a URL."""
    from docgen.settings import environment

    target = target if target not in (None, "") else environment().db or DEFAULT_FILE
    text = str(target)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    # Plain postgresql:// would pick psycopg2; docgen depends on psycopg 3.
    for bare in ("postgres://", "postgresql://"):
        if text.startswith(bare):
            return "postgresql+psycopg://" + text[len(bare):]
    return text


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _transient(exc: DBAPIError) -> bool:
    """Say whether a failed write may succeed if tried again."""
    if "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig):
        return True
    # PostgreSQL: serialization failure, deadlock detected.
    return getattr(exc.orig, "sqlstate", None) in {"40001", "40P01"}


def _to_record(row: RowMapping) -> Record:
    values = row_fields(row)
    return Record(**values, record_hash=row["record_hash"])


class Register(Closable):
    """An issue register in one database; open it with a path, a URL or nothing."""

    def __init__(self, target: str | Path | None = None, *, create: bool = True,
                 witness: Witness | None | Literal["beside"] = "beside") -> None:
        """Open (or create) a register; ``witness`` defaults to the files beside it.

        ``Witness.beside`` puts the witness and signing key beside an SQLite file
        (``REGISTER.witness``, ``REGISTER.key``) unless ``DOCGEN_REGISTER_WITNESS`` and
        ``DOCGEN_REGISTER_KEY`` say otherwise; a PostgreSQL register needs both set.
        """
        self.url = database_url(target)
        self.last_checkpoint: Checkpoint | None = None
        self.last_checkpoint_error: str | None = None
        self.file: Path | None = None
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
            self.file = path
            self._engine = _sqlite_engine(self.url)
        else:
            try:
                self._engine = create_engine(self.url)
            except (ImportError, SQLAlchemyError) as exc:
                raise RegisterError(f"{self.label}: cannot open the register ({exc})") from None
        self.witness = Witness.beside(self.file) if witness == "beside" else witness
        new_file = self.file is not None and not self.file.exists()
        try:
            if self.dialect == "sqlite":
                self._use_wal()
            before, self.schema_version = self._write(
                lambda conn: (migrations.current_version(conn), migrations.migrate(conn)))
            if before < _FIRST_SIGNED_VERSION and self.witness is not None:
                # A new register, or one from before checkpoints: sign where it stands now.
                self.witness.open(*self.head())
        except RegisterError:
            self._engine.dispose()
            if new_file:  # a failed first open (a full disk) leaves no empty register behind
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.file}{suffix}").unlink(missing_ok=True)
            raise

    # Lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    # Writing -----------------------------------------------------------------------------

    def record(self, details: IssueDetails, *, prefix: str) -> Record:
        """Number and record an issued document in one transaction, or return its record.

        The year of the reference is the year of issue, in UTC.
        """
        details.check()
        check_prefix(prefix)

        def work(conn: Connection) -> tuple[Record, int | None]:
            head = self._lock_head(conn)
            existing = self._by_key(conn, details.idempotency_key)
            if existing is not None:
                return existing, None
            issued_at = _now()
            year = int(issued_at[:4])
            reference = format_reference(prefix, year, self._next_number(conn, prefix, year))
            return self._insert(conn, head, reference, details, issued_at)

        return self._write_signed(work)

    def reserve(self, prefix: str, year: int | None = None) -> Reservation:
        """Allocate the next reference for ``prefix`` and ``year`` ahead of issue."""
        check_prefix(prefix)
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

        def work(conn: Connection) -> tuple[Record, int | None]:
            head = self._lock_head(conn)
            existing = self._by_key(conn, details.idempotency_key)
            if existing is not None:
                return existing, None
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

        return self._write_signed(work)

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

    def all(self) -> builtins.list[Record]:
        """Return every record in insertion order."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(records).order_by(records.c.seq)).mappings()
            return [_to_record(row) for row in rows]

    def reservations(self) -> builtins.list[Reservation]:
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
        from docgen.issue.register.export import export

        return export(self.all(), format)

    # Verifying ---------------------------------------------------------------------------

    def verify(self, files_root: str | Path | None = None, *, check_files: bool = True,
               checkpoint_file: str | Path | None = None) -> builtins.list[Problem]:
        """Recheck every hash, the chain, the references, the checkpoints and the files
        (``docgen.issue.register.verification``)."""
        from docgen.issue.register.verification import verify

        with self._engine.connect() as conn:
            snapshot = Snapshot(
                rows=list(conn.execute(select(records).order_by(records.c.seq)).mappings()),
                head=conn.execute(select(chain_head).where(chain_head.c.id == 1)).one(),
                reserved={r.reference: r for r in conn.execute(select(reservations)).mappings()},
                numbered={(r.prefix, r.year): r.last_number
                          for r in conn.execute(select(counters))},
            )
        return verify(self, snapshot, files_root, check_files=check_files,
                      checkpoint_file=checkpoint_file)

    def files_root(self, files_root: str | Path | None) -> Path:
        """Where relative file paths are looked up: ``files_root``, else the register's
        folder (the current folder for a database URL)."""
        if files_root is not None:
            return Path(files_root)
        return self.file.parent if self.file is not None else Path.cwd()

    def resolve_path(self, stored: str) -> Path:
        """Where a stored file path points: relative paths are under the register's folder."""
        return resolve(stored, self.files_root(None))

    def stored_path(self, path: str | Path) -> str:
        """The path to record for an issued file: relative to the register's folder.

        So ``verify`` finds the files from any working folder, and the register and its
        issued folder can move together.
        """
        absolute = Path(path).resolve()
        if self.file is None:
            return str(absolute)
        return os.path.relpath(absolute, self.file.parent.resolve())

    # Internals ---------------------------------------------------------------------------

    def _use_wal(self) -> None:
        # WAL lets readers carry on while one process writes.
        def attempt() -> None:
            try:
                raw = self._engine.raw_connection()
                try:
                    if raw.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        raw.execute("PRAGMA journal_mode=WAL")
                finally:
                    raw.close()
            except sqlite3.Error as exc:
                # The raw driver connection raises the driver's own errors: wrap them as
                # SQLAlchemy would, so that _retry reports them like any other.
                raise DBAPIError("PRAGMA journal_mode=WAL", None, exc) from None

        self._retry(attempt)

    def _write_signed(self, work: Callable[[Connection], tuple[Record, int | None]]) -> Record:
        """Run an insert, then sign a checkpoint for the record it appended (if it did).

        The checkpoint is written after the commit, so it never signs a record that
        does not exist; ``last_checkpoint`` holds it for the caller to print.
        """
        self.last_checkpoint = None
        self.last_checkpoint_error = None
        if self.witness is not None:
            self.witness.key.key_id()  # a missing or unreadable key stops before the write
        record, count = self._write(work)
        if count is not None and self.witness is not None:
            try:
                self.last_checkpoint = self.witness.sign(count, record.record_hash)
            except RegisterError as exc:
                # The record is committed: say so, rather than fail as if nothing were done.
                self.last_checkpoint_error = exc.message
        return record

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
                if getattr(exc.orig, "sqlite_errorcode", None) == _SQLITE_NOTADB:
                    raise RegisterError(
                        f"{self.file} is not a docgen register (it is not an SQLite "
                        "database); pass --db the register file, or move this file away to "
                        "start a new register"
                    ) from None
                raise RegisterError(
                    f"{self.label}: the register could not be written "
                    f"({str(exc.orig).strip().splitlines()[0]})"
                ) from None
        raise AssertionError("unreachable")

    def _lock_head(self, conn: Connection) -> RowMapping:
        query = select(chain_head).where(chain_head.c.id == 1).with_for_update()
        return conn.execute(query).mappings().one()

    def _next_number(self, conn: Connection, prefix: str, year: int) -> int:
        where = (counters.c.prefix == prefix) & (counters.c.year == year)
        current = select(counters.c.last_number).where(where).with_for_update()
        last = conn.execute(current).scalar()
        if last is None:
            # SQLite's guard refuses an insert that collides with a stored counter, even
            # ON CONFLICT DO NOTHING; BEGIN IMMEDIATE already makes this writer the only one.
            start = {"prefix": prefix, "year": year, "last_number": 0}
            if self.dialect == "sqlite":
                conn.execute(counters.insert().values(**start))
            else:
                conn.execute(postgresql.insert(counters).values(**start)
                             .on_conflict_do_nothing(index_elements=["prefix", "year"]))
            last = conn.execute(current).scalar_one()
        conn.execute(update(counters).where(where).values(last_number=last + 1))
        return int(last) + 1

    def _insert(self, conn: Connection, head: RowMapping, reference: str,
                details: IssueDetails, issued_at: str) -> tuple[Record, int]:
        """Append the record; return it and its position in the chain (1 for the first)."""
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
        canonical = canonical_json(values)
        record_hash = sha256_text(canonical)
        columns = {**values, **{n: canonical_json(values[n]) for n in JSON_FIELDS}}
        conn.execute(records.insert().values(**columns, record_hash=record_hash,
                                             record_json=canonical))
        conn.execute(
            update(chain_head).where(chain_head.c.id == 1)
            .values(record_hash=record_hash, record_count=chain_head.c.record_count + 1)
        )
        return Record(**values, record_hash=record_hash), head["record_count"] + 1

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


def _sqlite_engine(url: str) -> Engine:
    # The driver's own transaction handling is turned off so that docgen can say
    # BEGIN IMMEDIATE: take the write lock first, instead of failing on upgrade later.
    engine = create_engine(url, connect_args={"timeout": 30, "isolation_level": None})

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get("docgen_begin", "BEGIN"))

    return engine
