"""The issue register: numbering, idempotency, append-only storage, the chain and verify.

Every test runs against SQLite. When ``DOCGEN_TEST_POSTGRES_URL`` names a PostgreSQL
server (``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``), every test runs
against it as well, each in a database of its own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from docgen.errors import RegisterError
from docgen.issue import migrations
from docgen.issue.register import (
    GENESIS_HASH,
    IssueDetails,
    Register,
    database_url,
    record_hash,
)

POSTGRES_URL = os.environ.get("DOCGEN_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]
TEMPLATE_VERSION = hashlib.sha256(b"pause_confirmation.docx").hexdigest()


def sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def details(n: int, template_id: str = "pause_confirmation", **extra) -> IssueDetails:
    """Return the details of a document issued from data number ``n``."""
    values = {
        "template_id": template_id,
        "template_version": TEMPLATE_VERSION,
        "data_sha256": sha256(f"{template_id} data {n}"),
        "docx_sha256": sha256(f"docx {n}"),
        "pdf_sha256": sha256(f"pdf {n}"),
        "issued_by": "Amara Okafor",
        "lint_summary": {"errors": 0, "warnings": 1},
        "urn": "100001",
        "recipient": "Ms Ní Bhriain",
    }
    values.update(extra)
    return IssueDetails(**values)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty register database."""
    if request.param == "sqlite":
        yield database_url(tmp_path / "register.sqlite3")
        return
    admin = create_engine(database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    name = f"docgen_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield make_url(database_url(POSTGRES_URL)).set(database=name).render_as_string(
            hide_password=False
        )
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture
def register(db_url: str) -> Iterator[Register]:
    with Register(db_url) as opened:
        yield opened


def raw_sql(db_url: str, *statements: str) -> None:
    """Run SQL straight against the database, as someone bypassing docgen would."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def drop_guards(db_url: str) -> None:
    """Drop the append-only triggers, the first step of any tampering."""
    if db_url.startswith("sqlite"):
        raw_sql(db_url, "DROP TRIGGER records_no_update", "DROP TRIGGER records_no_delete")
    else:
        raw_sql(db_url, "DROP TRIGGER records_no_change ON records")


def errors(register: Register, **kwargs) -> list[str]:
    return [str(p) for p in register.verify(**kwargs) if p.is_error]


# Numbering ---------------------------------------------------------------------------------

def test_references_are_sequential_per_prefix_and_year(register: Register) -> None:
    made = [register.record(details(n), prefix="PAU") for n in range(3)]
    made.append(register.record(details(9, "notification_letter"), prefix="NOT"))
    made.append(register.record(details(4), prefix="PAU"))
    year = made[0].issued_at[:4]
    assert [r.reference for r in made] == [
        f"PAU-{year}-000001", f"PAU-{year}-000002", f"PAU-{year}-000003",
        f"NOT-{year}-000001", f"PAU-{year}-000004",
    ]
    reserved = [register.reserve("PAU", 2031).reference, register.reserve("PAU", 2030).reference]
    assert reserved == ["PAU-2031-000001", "PAU-2030-000001"]


def test_each_record_links_to_the_one_before(register: Register) -> None:
    first = register.record(details(1), prefix="PAU")
    second = register.record(details(2), prefix="PAU")
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.record_hash
    assert record_hash(second.as_dict()) == second.record_hash
    assert register.head() == (2, second.record_hash)


def test_issued_at_is_utc_iso_8601(register: Register) -> None:
    issued_at = register.record(details(1), prefix="PAU").issued_at
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", issued_at)


def test_a_bad_prefix_or_hash_is_refused_and_nothing_is_recorded(register: Register) -> None:
    with pytest.raises(RegisterError, match="reference prefix 'pau'"):
        register.record(details(1), prefix="pau")
    with pytest.raises(RegisterError, match="field 'pdf_sha256'"):
        register.record(details(1, pdf_sha256="not a hash"), prefix="PAU")
    with pytest.raises(RegisterError, match="field 'waivers', waiver 1"):
        register.record(details(1, waivers=[{"rule": "Tone.Harsh"}]), prefix="PAU")
    assert register.all() == []


# Idempotency -------------------------------------------------------------------------------

def test_recording_the_same_data_again_returns_the_first_record(register: Register) -> None:
    first = register.record(details(1), prefix="PAU")
    again = register.record(details(1, issued_by="Someone Else"), prefix="PAU")
    assert again == first
    assert len(register.all()) == 1
    assert register.find("pause_confirmation", details(1).data_sha256) == first
    # The same data through another template is another document.
    other = register.record(details(1, template_id="notification_letter"), prefix="NOT")
    assert other.reference != first.reference


def test_completing_a_reservation_for_recorded_data_returns_the_record(
    register: Register,
) -> None:
    first = register.record(details(1), prefix="PAU")
    unused = register.reserve("PAU")
    assert register.complete(unused, details(1)) == first
    problems = register.verify(check_files=False)
    assert [p.severity for p in problems] == ["notice"]
    assert str(problems[0]).startswith(f"{unused.reference}: notice: reserved at ")


# Two phases --------------------------------------------------------------------------------

def test_reserve_then_complete_records_under_the_reserved_reference(
    register: Register,
) -> None:
    reservation = register.reserve("PAU")
    waivers = [{"rule": "Tone.Absolutes", "reason": "Quoted from the report", "by": "A Okafor"}]
    made = register.complete(reservation, details(1, waivers=waivers))
    assert made.reference == reservation.reference
    assert register.get(reservation.reference).waivers == waivers
    assert register.verify(check_files=False) == []


def test_a_reservation_cannot_be_used_twice(register: Register) -> None:
    reservation = register.reserve("PAU")
    register.complete(reservation, details(1))
    with pytest.raises(RegisterError, match="already records another document"):
        register.complete(reservation, details(2))


def test_an_abandoned_reservation_is_an_explained_gap(register: Register) -> None:
    register.record(details(1), prefix="PAU")
    abandoned = register.reserve("PAU")  # the issue crashed before complete()
    register.record(details(2), prefix="PAU")
    problems = register.verify(check_files=False)
    assert len(problems) == 1
    assert not problems[0].is_error
    assert problems[0].reference == abandoned.reference


# Append-only -------------------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE records SET recipient = 'Someone else'",
    "DELETE FROM records",
    "UPDATE reservations SET reserved_at = 'never'",
    "DELETE FROM reservations",
])
def test_raw_sql_cannot_change_or_delete_history(
    register: Register, db_url: str, statement: str
) -> None:
    register.complete(register.reserve("PAU"), details(1))
    with pytest.raises(DBAPIError, match="append-only"):
        raw_sql(db_url, statement)
    assert register.verify(check_files=False) == []


def test_the_api_offers_no_update_or_delete() -> None:
    public = {name for name in dir(Register) if not name.startswith("_")}
    assert not {n for n in public if re.match(r"(update|delete|remove|edit|amend)", n)}


# Verify ------------------------------------------------------------------------------------

def issue_files(root: Path, n: int) -> dict[str, object]:
    """Write a real Word document and a real PDF for document ``n``; return their details."""
    document = docx.Document()
    document.add_paragraph(f"Letter number {n}")
    docx_path = root / f"letter-{n}.docx"
    document.save(str(docx_path))
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Letter number {n}"})
    pdf_path = root / f"letter-{n}.pdf"
    with pdf_path.open("wb") as handle:
        writer.write(handle)
    return {
        "docx_sha256": sha256(docx_path.read_bytes()),
        "pdf_sha256": sha256(pdf_path.read_bytes()),
        "docx_path": docx_path.name,
        "pdf_path": pdf_path.name,
    }


@pytest.fixture
def issued(register: Register, tmp_path: Path) -> list:
    """Record three documents whose files are on disk under ``tmp_path``."""
    return [register.record(details(n, **issue_files(tmp_path, n)), prefix="PAU")
            for n in range(1, 4)]


def test_verify_passes_on_an_intact_register(
    register: Register, issued: list, tmp_path: Path
) -> None:
    assert register.verify(tmp_path) == []


def test_verify_names_the_field_altered_in_the_database(
    register: Register, issued: list, db_url: str, tmp_path: Path
) -> None:
    drop_guards(db_url)
    raw_sql(db_url, f"UPDATE records SET recipient = 'Mr Nobody' "
                    f"WHERE reference = '{issued[1].reference}'")
    assert errors(register, files_root=tmp_path) == [
        f"{issued[1].reference}: field 'recipient' changed after issue: "
        "the record no longer matches its hash"
    ]


def test_verify_catches_an_altered_record_whose_hash_was_recomputed(
    register: Register, issued: list, db_url: str, tmp_path: Path
) -> None:
    forged = issued[0].as_dict() | {"issued_by": "Mr Nobody"}
    forged_json = json.dumps(
        {k: v for k, v in forged.items() if k != "record_hash"},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    ).replace("'", "''")
    drop_guards(db_url)
    raw_sql(db_url, f"UPDATE records SET issued_by = 'Mr Nobody', "
                    f"record_hash = '{record_hash(forged)}', record_json = '{forged_json}' "
                    f"WHERE reference = '{issued[0].reference}'")
    assert errors(register, files_root=tmp_path) == [
        f"{issued[1].reference}: does not follow on from {issued[0].reference}: a record "
        f"between them was deleted, or {issued[0].reference} was altered"
    ]


def test_verify_names_a_record_deleted_from_the_database(
    register: Register, issued: list, db_url: str, tmp_path: Path
) -> None:
    drop_guards(db_url)
    raw_sql(db_url, f"DELETE FROM records WHERE reference = '{issued[1].reference}'")
    assert errors(register, files_root=tmp_path) == [
        f"{issued[2].reference}: does not follow on from {issued[0].reference}: a record "
        f"between them was deleted, or {issued[0].reference} was altered",
        f"register: the chain head records 3 records, but 2 remain and the last is "
        f"{issued[2].reference}: the newest records were deleted or replaced",
        f"{issued[1].reference}: is missing: the reference was allocated but has no record "
        "or reservation, so a record was deleted",
    ]


def test_verify_notices_the_newest_record_deleted(
    register: Register, issued: list, db_url: str, tmp_path: Path
) -> None:
    drop_guards(db_url)
    raw_sql(db_url, f"DELETE FROM records WHERE reference = '{issued[2].reference}'")
    found = errors(register, files_root=tmp_path)
    assert len(found) == 2
    assert found[0].startswith("register: the chain head records 3 records, but 2 remain")
    assert found[1].startswith(f"{issued[2].reference}: is missing")


def test_verify_names_a_pdf_altered_on_disk(
    register: Register, issued: list, tmp_path: Path
) -> None:
    pdf = tmp_path / issued[0].pdf_path
    writer = PdfWriter(clone_from=str(pdf))
    writer.add_metadata({"/Title": "Something else"})
    with pdf.open("wb") as handle:
        writer.write(handle)
    assert errors(register, files_root=tmp_path) == [
        f"{issued[0].reference}: the PDF file {pdf} was changed after issue: "
        "its SHA-256 no longer matches the register"
    ]


def test_verify_names_a_missing_file(
    register: Register, issued: list, tmp_path: Path
) -> None:
    (tmp_path / issued[2].docx_path).unlink()
    assert errors(register, files_root=tmp_path) == [
        f"{issued[2].reference}: the Word file {tmp_path / issued[2].docx_path} is missing"
    ]
    assert register.verify(tmp_path, check_files=False) == []


# Concurrency -------------------------------------------------------------------------------

def issue_many(db_url: str, worker: int, count: int, start) -> None:
    """Issue ``count`` documents, alternating prefixes and the one- and two-phase paths."""
    with Register(db_url) as register:
        start.wait()
        for i in range(count):
            n = worker * 1000 + i
            if i % 2:
                register.record(details(n), prefix="PAU")
            else:
                letter = details(n, template_id="notification_letter")
                register.complete(register.reserve("NOT"), letter)


def test_four_processes_issuing_at_once_give_unique_gap_free_references(
    db_url: str,
) -> None:
    Register(db_url).close()  # create the schema, as a deployment would
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    workers = [context.Process(target=issue_many, args=(db_url, w, 50, start))
               for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join()
    assert [p.exitcode for p in workers] == [0, 0, 0, 0]
    with Register(db_url) as register:
        made = register.all()
        assert len(made) == 200
        numbers: dict[str, list[int]] = {}
        for record in made:
            prefix, _, number = record.reference.split("-")
            numbers.setdefault(prefix, []).append(int(number))
        assert {p: sorted(n) for p, n in numbers.items()} == {
            "PAU": list(range(1, 101)), "NOT": list(range(1, 101)),
        }
        assert register.verify(check_files=False) == []
        assert register.head() == (200, made[-1].record_hash)


# Migrations --------------------------------------------------------------------------------

def test_a_version_1_register_is_upgraded_and_its_chain_continues(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as conn:
        assert migrations.migrate(conn, target=1) == 1
    previous, year = GENESIS_HASH, 2025
    with engine.begin() as conn:
        for n in (1, 2):
            values = details(n).__dict__ | {
                "reference": f"PAU-{year}-{n:06d}", "document_type": "pause_confirmation",
                "waivers": [], "issued_at": f"{year}-06-0{n}T09:00:00.000000Z",
                "idempotency_key": f"pause_confirmation:{details(n).data_sha256}",
                "docx_path": None, "pdf_path": None, "previous_hash": previous,
            }
            values = {k: v for k, v in values.items() if k != "lint_summary"}
            values["lint_summary"] = {"errors": 0, "warnings": 1}
            canonical = json.dumps(values, sort_keys=True, separators=(",", ":"),
                                   ensure_ascii=False)
            previous = hashlib.sha256(canonical.encode()).hexdigest()
            row = values | {"lint_summary": json.dumps(values["lint_summary"]),
                            "waivers": "[]", "record_hash": previous,
                            "record_json": canonical}
            conn.execute(text(
                f"INSERT INTO records ({', '.join(row)}) VALUES "
                f"({', '.join(':' + k for k in row)})"
            ), row)
        conn.execute(text("INSERT INTO reference_counters VALUES ('PAU', :year, 2)"),
                     {"year": year})
    with pytest.raises(DBAPIError, match="append-only"):
        raw_sql(db_url, "DELETE FROM records")
    engine.dispose()

    with Register(db_url) as register:
        assert register.schema_version == migrations.LATEST
        assert register.head() == (2, previous)
        assert register.verify(check_files=False) == []
        later = register.record(details(3), prefix="PAU")
        assert later.previous_hash == previous
        assert register.complete(register.reserve("PAU", year), details(4)).reference == (
            f"PAU-{year}-000003"
        )
        assert register.verify(check_files=False) == []


def test_opening_again_does_not_migrate_twice(db_url: str) -> None:
    with Register(db_url) as register:
        register.record(details(1), prefix="PAU")
    with Register(db_url) as register:
        assert register.schema_version == migrations.LATEST
        assert len(register.all()) == 1


def test_a_register_newer_than_docgen_is_refused(db_url: str) -> None:
    Register(db_url).close()
    raw_sql(db_url, f"UPDATE schema_version SET version = {migrations.LATEST + 1}")
    with pytest.raises(RegisterError, match="please upgrade docgen"):
        Register(db_url)


# Queries -----------------------------------------------------------------------------------

def test_list_filters_by_type_and_time_newest_first(register: Register) -> None:
    first = register.record(details(1), prefix="PAU")
    letter = register.record(details(2, template_id="notification_letter"), prefix="NOT")
    last = register.record(details(3), prefix="PAU")
    assert register.list(10) == [last, letter, first]
    assert register.list(1) == [last]
    assert register.list(10, document_type="pause_confirmation") == [last, first]
    assert register.list(10, since=letter.issued_at) == [last, letter]
    assert register.list(10, since="2999-01-01") == []


def test_get_an_unknown_reference_says_how_to_find_one(register: Register) -> None:
    with pytest.raises(RegisterError, match="there is no record 'PAU-2026-999999'"):
        register.get("PAU-2026-999999")


def test_export_csv_and_json_hold_every_field(register: Register) -> None:
    waivers = [{"rule": "Tone.Absolutes", "reason": "Quoted, with a comma", "by": "A Okafor"}]
    made = [register.record(details(1, waivers=waivers), prefix="PAU"),
            register.record(details(2), prefix="PAU")]
    as_json = json.loads(register.export("json"))
    assert as_json == [r.as_dict() for r in made]
    rows = list(csv.DictReader(io.StringIO(register.export("csv"))))
    assert [r["reference"] for r in rows] == [r.reference for r in made]
    assert json.loads(rows[0]["waivers"]) == waivers
    assert rows[1]["record_hash"] == made[1].record_hash


def test_database_url_resolves_paths_env_and_bare_postgres(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DOCGEN_DB", raising=False)
    assert database_url() == f"sqlite:///{tmp_path / 'docgen-register.sqlite3'}"
    monkeypatch.setenv("DOCGEN_DB", "elsewhere.db")
    assert database_url() == f"sqlite:///{tmp_path / 'elsewhere.db'}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(RegisterError, match="'mysql' is not supported"):
        Register("mysql://u@h/db")


def test_every_manifest_prefix_is_one_the_register_accepts(tmp_path: Path) -> None:
    from docgen.templates import Catalogue

    with Register(str(tmp_path / "register.sqlite3")) as register:
        for template in Catalogue():
            prefix = template.manifest.reference_prefix
            assert register.reserve(prefix).reference.startswith(f"{prefix}-")
