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


def _refuse(message: str) -> str:
    return f"SELECT RAISE(ABORT, 'the issue register is append-only: {message}')"


def _v4_guard_replace_heads_and_counters(conn: Connection) -> None:
    """Refuse INSERT OR REPLACE, and any write to the head or counters but the next step.

    SQLite carries out ``INSERT OR REPLACE`` by deleting the row in the way without
    firing DELETE triggers (unless ``recursive_triggers`` is on, which a tamperer would
    not set), so an insert that collides with a stored row is refused before it starts.
    The chain head may only move to the record just appended, and a counter only up by
    one: the two writes docgen itself makes.
    """
    if conn.dialect.name == "sqlite":
        statements = [
            "CREATE TRIGGER records_no_replace BEFORE INSERT ON records WHEN EXISTS "
            "(SELECT 1 FROM records WHERE seq = NEW.seq OR reference = NEW.reference "
            "OR idempotency_key = NEW.idempotency_key) BEGIN "
            + _refuse("INSERT OR REPLACE on records is not allowed") + "; END",
            "CREATE TRIGGER reservations_no_replace BEFORE INSERT ON reservations WHEN EXISTS "
            "(SELECT 1 FROM reservations WHERE reference = NEW.reference OR (prefix = "
            "NEW.prefix AND year = NEW.year AND number = NEW.number)) BEGIN "
            + _refuse("INSERT OR REPLACE on reservations is not allowed") + "; END",
            "CREATE TRIGGER chain_head_no_insert BEFORE INSERT ON chain_head BEGIN "
            + _refuse("the chain head is written only by docgen") + "; END",
            "CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head BEGIN "
            + _refuse("DELETE on chain_head is not allowed") + "; END",
            "CREATE TRIGGER chain_head_follows_records BEFORE UPDATE ON chain_head WHEN "
            "NEW.id IS NOT OLD.id OR NEW.record_count IS NOT OLD.record_count + 1 "
            "OR NEW.record_count IS NOT (SELECT COUNT(*) FROM records) "
            "OR NEW.record_hash IS NOT (SELECT record_hash FROM records ORDER BY seq DESC "
            "LIMIT 1) BEGIN "
            + _refuse("the chain head may only move to the record just appended") + "; END",
            "CREATE TRIGGER reference_counters_start_at_zero BEFORE INSERT ON "
            "reference_counters WHEN NEW.last_number IS NOT 0 OR EXISTS (SELECT 1 FROM "
            "reference_counters WHERE prefix = NEW.prefix AND year = NEW.year) BEGIN "
            + _refuse("a reference counter starts at 0 and is never replaced") + "; END",
            "CREATE TRIGGER reference_counters_no_delete BEFORE DELETE ON reference_counters "
            "BEGIN " + _refuse("DELETE on reference_counters is not allowed") + "; END",
            "CREATE TRIGGER reference_counters_step_by_one BEFORE UPDATE ON "
            "reference_counters WHEN NEW.prefix IS NOT OLD.prefix OR NEW.year IS NOT OLD.year "
            "OR NEW.last_number IS NOT OLD.last_number + 1 BEGIN "
            + _refuse("a reference counter only moves up by one") + "; END",
        ]
        for statement in statements:
            conn.exec_driver_sql(statement)
        return
    # PostgreSQL has no INSERT OR REPLACE; ON CONFLICT DO UPDATE fires the UPDATE guards.
    conn.execute(text(
        "CREATE OR REPLACE FUNCTION docgen_register_guard_head() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP <> 'UPDATE' OR NEW.id <> OLD.id "
        "OR NEW.record_count <> OLD.record_count + 1 "
        "OR NEW.record_count <> (SELECT COUNT(*) FROM records) "
        "OR NEW.record_hash IS DISTINCT FROM "
        "(SELECT record_hash FROM records ORDER BY seq DESC LIMIT 1) THEN "
        "RAISE EXCEPTION 'the issue register is append-only: the chain head may only "
        "move to the record just appended'; END IF; RETURN NEW; END; $$"
    ))
    conn.execute(text(
        "CREATE OR REPLACE FUNCTION docgen_register_guard_counter() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF (TG_OP = 'INSERT' AND NEW.last_number <> 0) OR TG_OP = 'DELETE' "
        "OR (TG_OP = 'UPDATE' AND (NEW.prefix <> OLD.prefix OR NEW.year <> OLD.year "
        "OR NEW.last_number <> OLD.last_number + 1)) THEN "
        "RAISE EXCEPTION 'the issue register is append-only: a reference counter starts "
        "at 0 and only moves up by one'; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$"
    ))
    for table, function in (("chain_head", "docgen_register_guard_head"),
                            ("reference_counters", "docgen_register_guard_counter")):
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION docgen_register_append_only()"
        )


STEPS: list[Callable[[Connection], None]] = [
    _v1_records_and_counters,
    _v2_reservations_and_head,
    _v3_listing_index,
    _v4_guard_replace_heads_and_counters,
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
