"""Schema migrations for the issue register: numbered steps applied in order, once each.

The register keeps its schema version in a one-row ``schema_version`` table. ``migrate``
takes the register's write lock, reads the version, applies every later step and records
the new version, all in one transaction: SQLite and PostgreSQL both roll DDL back, so a
failed step leaves the schema as it was. Each step declares the tables as they were at
that version (its own ``MetaData``), so a later change to the current tables in
``register.py`` never rewrites history.

Add a step by appending a function to ``STEPS``; never edit a step that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    select,
    text,
)

from docgen.errors import RegisterError

# Any constant works; it only has to be the same in every process that migrates.
_PG_MIGRATION_LOCK = 0x646F6367


def _append_only(conn: Connection, table: str) -> None:
    """Make UPDATE and DELETE on ``table`` raise, even through raw SQL."""
    if conn.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'the issue register is append-only: "
                f"{action} on {table} is not allowed'); END"
            )
    else:
        # text(), not exec_driver_sql: it escapes the % placeholders for psycopg.
        conn.execute(text(
            "CREATE OR REPLACE FUNCTION docgen_register_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
            "'the issue register is append-only: % on % is not allowed', "
            "TG_OP, TG_TABLE_NAME; END; $$"
        ))
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION docgen_register_append_only()"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION docgen_register_append_only()"
        )


def _v1_records_and_counters(conn: Connection) -> None:
    """Create the records, with their hash chain, and the reference counters."""
    metadata = MetaData()
    Table(
        "records", metadata,
        Column("seq", Integer, primary_key=True, autoincrement=True),
        Column("reference", Text, nullable=False, unique=True),
        Column("document_type", Text, nullable=False),
        Column("template_id", Text, nullable=False),
        Column("template_version", Text, nullable=False),
        Column("data_sha256", Text, nullable=False),
        Column("docx_sha256", Text, nullable=False),
        Column("pdf_sha256", Text, nullable=False),
        Column("lint_summary", Text, nullable=False),
        Column("waivers", Text, nullable=False),
        Column("issued_by", Text, nullable=False),
        Column("issued_at", Text, nullable=False),
        Column("urn", Text),
        Column("recipient", Text),
        Column("idempotency_key", Text, nullable=False, unique=True),
        Column("docx_path", Text),
        Column("pdf_path", Text),
        Column("previous_hash", Text, nullable=False),
        Column("record_hash", Text, nullable=False),
        Column("record_json", Text, nullable=False),
        sqlite_autoincrement=True,
    )
    Table(
        "reference_counters", metadata,
        Column("prefix", Text, primary_key=True),
        Column("year", Integer, primary_key=True),
        Column("last_number", Integer, nullable=False),
    )
    metadata.create_all(conn)
    _append_only(conn, "records")


def _v2_reservations_and_head(conn: Connection) -> None:
    """Add two-phase reservations and a chain head that remembers the last record."""
    metadata = MetaData()
    Table(
        "reservations", metadata,
        Column("reference", Text, primary_key=True),
        Column("prefix", Text, nullable=False),
        Column("year", Integer, nullable=False),
        Column("number", Integer, nullable=False),
        Column("reserved_at", Text, nullable=False),
        UniqueConstraint("prefix", "year", "number"),
    )
    head = Table(
        "chain_head", metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("record_hash", Text, nullable=False),
        Column("record_count", Integer, nullable=False),
    )
    metadata.create_all(conn)
    _append_only(conn, "reservations")
    # Start the head where the chain of existing records ends.
    last = conn.execute(
        text("SELECT record_hash FROM records ORDER BY seq DESC LIMIT 1")
    ).scalar()
    count = conn.execute(text("SELECT COUNT(*) FROM records")).scalar_one()
    conn.execute(head.insert().values(id=1, record_hash=last or "0" * 64, record_count=count))


def _v3_listing_index(conn: Connection) -> None:
    """Index records by document type and time, for ``register list --type``."""
    conn.exec_driver_sql(
        "CREATE INDEX records_type_issued_at ON records (document_type, issued_at)"
    )


STEPS: list[Callable[[Connection], None]] = [
    _v1_records_and_counters,
    _v2_reservations_and_head,
    _v3_listing_index,
]
LATEST = len(STEPS)

_version_metadata = MetaData()
schema_version = Table(
    "schema_version", _version_metadata,
    Column("version", Integer, nullable=False),
)


def current_version(conn: Connection) -> int:
    """Return the schema version of the register, 0 when it is empty."""
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    return conn.execute(select(schema_version.c.version)).scalar() or 0


def migrate(conn: Connection, target: int = LATEST) -> int:
    """Bring the schema up to ``target`` inside the caller's write transaction.

    The caller holds the write lock (``BEGIN IMMEDIATE`` on SQLite); on PostgreSQL an
    advisory lock makes concurrent first opens wait for one another here.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
    version = current_version(conn)
    if version > LATEST:
        raise RegisterError(
            f"the register has schema version {version}, but this docgen knows versions up "
            f"to {LATEST}; please upgrade docgen before using this register"
        )
    if version >= target:
        return version
    if version == 0:
        _version_metadata.create_all(conn)
        conn.execute(schema_version.insert().values(version=0))
    for number in range(version + 1, target + 1):
        STEPS[number - 1](conn)
    conn.execute(schema_version.update().values(version=target))
    return target
