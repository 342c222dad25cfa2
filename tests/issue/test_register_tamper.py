"""Each rewrite of the register from issue 10 point 3 is refused or detected and named.

Every tamper is done as someone with write access to the database file would: straight
SQL, with the append-only guards dropped first where the database refuses it. The
register is verified through the CLI against its witness file and against a copy of a
checkpoint kept elsewhere (``--checkpoint``).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.issue.register import HASHED_FIELDS, Register, record_hash
from tests.issue.test_register import details

TAMPERS_DETECTED: list[str] = []


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A register of three documents issued the way ``docgen issue`` does (two phases)."""
    path = tmp_path / "register.sqlite3"
    with Register(path) as register:
        for n in range(1, 4):
            register.complete(register.reserve("PAU", 2026), details(n))
    return path


@pytest.fixture
def kept(db: Path, tmp_path: Path) -> Path:
    """The newest checkpoint, copied somewhere the tamperer cannot reach."""
    lines = Path(f"{db}.witness").read_text().splitlines()
    elsewhere = tmp_path / "elsewhere" / "checkpoint.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text(f"Checkpoint: {lines[-1]}\n")
    return elsewhere


def sql(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def drop_every_guard(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                            "'trigger'")]
        for name in names:
            conn.execute(f"DROP TRIGGER {name}")
    conn.close()


def refused(db: Path, statement: str) -> str:
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sql(db, statement)
    return str(caught.value)


def verify(db: Path, *extra: str) -> object:
    return CliRunner().invoke(main, ["register", "verify", "--db", str(db), "--no-files",
                                     *extra])


def assert_detected(name: str, db: Path, kept: Path, *expected: str) -> None:
    """Both the witness and the kept checkpoint catch it: exit 1, each problem named."""
    for extra in ((), ("--checkpoint", str(kept))):
        result = verify(db, *extra)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert "docgen: the register is not intact" in result.stderr
        for text in expected:
            assert text in result.stdout, result.stdout
    TAMPERS_DETECTED.append(name)


def row(db: Path, seq: int) -> dict:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        found = dict(conn.execute("SELECT * FROM records WHERE seq = ?", (seq,)).fetchone())
    conn.close()
    return found


def forge(values: dict) -> tuple[str, str]:
    """The record hash and stored JSON a careful forger would compute."""
    fields = {name: values[name] for name in HASHED_FIELDS}
    for name in ("lint_summary", "waivers"):
        fields[name] = json.loads(fields[name])
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return record_hash(fields), canonical


def test_an_intact_register_passes_with_its_witness_and_a_kept_checkpoint(
    db: Path, kept: Path
) -> None:
    result = verify(db, "--checkpoint", str(kept))
    assert result.exit_code == 0, result.output
    assert "The register is intact: 3 records" in result.stdout


def test_insert_or_replace_is_refused_and_detected_when_forced(db: Path, kept: Path) -> None:
    replace = ("INSERT OR REPLACE INTO records SELECT seq, reference, document_type, "
               "template_id, template_version, data_sha256, docx_sha256, pdf_sha256, "
               "lint_summary, waivers, issued_by, issued_at, urn, 'Mr Nobody', "
               "idempotency_key, docx_path, pdf_path, previous_hash, record_hash, record_json "
               "FROM records WHERE seq = 2")
    assert "INSERT OR REPLACE on records is not allowed" in refused(db, replace)
    assert "not allowed" in refused(
        db, "INSERT OR REPLACE INTO reservations SELECT reference, prefix, year, number, "
            "'2020-01-01' FROM reservations LIMIT 1")
    assert row(db, 2)["recipient"] == "Ms Ní Bhriain"

    drop_every_guard(db)
    sql(db, replace)
    assert_detected("INSERT OR REPLACE", db, kept,
                    "PAU-2026-000002: field 'recipient' changed after issue")


def test_a_write_to_the_chain_head_is_refused_and_detected_when_forced(
    db: Path, kept: Path
) -> None:
    assert "the chain head may only move to the record just appended" in refused(
        db, "UPDATE chain_head SET record_count = 2")
    assert "not allowed" in refused(db, "DELETE FROM chain_head")
    assert "written only by docgen" in refused(
        db, "INSERT OR REPLACE INTO chain_head VALUES (1, 'x', 2)")

    drop_every_guard(db)
    sql(db, "UPDATE chain_head SET record_count = 2")
    assert_detected("head write", db, kept,
                    "register: the chain head records 2 records, but 3 remain")


def test_a_write_to_a_counter_is_refused_and_detected_when_forced(
    db: Path, kept: Path
) -> None:
    assert "only moves up by one" in refused(
        db, "UPDATE reference_counters SET last_number = 1")
    assert "never replaced" in refused(
        db, "INSERT OR REPLACE INTO reference_counters VALUES ('PAU', 2026, 0)")
    assert "not allowed" in refused(db, "DELETE FROM reference_counters")

    drop_every_guard(db)
    sql(db, "UPDATE reference_counters SET last_number = 1")
    assert_detected("counter write", db, kept,
                    "PAU-2026-000002: is beyond the reference counter for PAU 2026")


def test_the_newest_record_deleted_and_the_head_reset_is_an_error(
    db: Path, kept: Path
) -> None:
    second = row(db, 2)
    drop_every_guard(db)
    sql(db, "DELETE FROM records WHERE seq = 3",
        f"UPDATE chain_head SET record_count = 2, record_hash = '{second['record_hash']}'")
    # Once only a notice: the reservation explained the gap.
    assert_detected("newest record deleted, head reset", db, kept,
                    "signed 3 records, but the register holds 2: records were deleted")


def test_a_tail_and_head_rewrite_is_detected(db: Path, kept: Path) -> None:
    last = row(db, 3)
    last["recipient"] = "Mr Nobody"
    new_hash, new_json = forge(last)
    drop_every_guard(db)
    sql(db, f"UPDATE records SET recipient = 'Mr Nobody', record_hash = '{new_hash}', "
            f"record_json = '{new_json}' WHERE seq = 3",
        f"UPDATE chain_head SET record_hash = '{new_hash}'")
    with Register(db) as register:  # the chain alone cannot see it
        assert [p for p in register.verify(check_files=False, checkpoint_file=None)
                if p.is_error and "checkpoint" not in p.message
                and "does not extend" not in p.message] == []
    assert_detected("tail-and-head rewrite", db, kept,
                    "PAU-2026-000003: the register does not extend",
                    "record 3 no longer has the signed hash")


def test_a_forged_append_is_detected(db: Path, kept: Path) -> None:
    last = row(db, 3)
    forged = dict(last, seq=4, reference="PAU-2026-000004", previous_hash=last["record_hash"],
                  data_sha256="f" * 64, idempotency_key="pause_confirmation:" + "f" * 64,
                  recipient="Mr Nobody")
    forged["record_hash"], forged["record_json"] = forge(forged)
    columns = ", ".join(forged)
    values = ", ".join("?" for _ in forged)
    drop_every_guard(db)
    with sqlite3.connect(db) as conn:
        conn.execute(f"INSERT INTO records ({columns}) VALUES ({values})", list(forged.values()))
        conn.execute("INSERT INTO reservations VALUES ('PAU-2026-000004', 'PAU', 2026, 4, "
                     "'2026-12-01T00:00:00.000000Z')")
        conn.execute("UPDATE reference_counters SET last_number = 4")
        conn.execute("UPDATE chain_head SET record_count = 4, record_hash = ?",
                     (forged["record_hash"],))
    conn.close()
    result = verify(db)
    assert result.exit_code == 1, result.output
    assert ("PAU-2026-000004: record 4 has no signed checkpoint" in result.stdout)
    TAMPERS_DETECTED.append("forged append")


def test_a_wiped_register_is_detected(db: Path, kept: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    Register(db).close()  # a fresh, empty register in its place
    assert_detected("wiped register", db, kept,
                    "signed 3 records, but the register holds 0")


def test_a_wiped_register_with_its_witness_and_key_is_caught_by_a_kept_checkpoint(
    db: Path, kept: Path
) -> None:
    for suffix in ("", "-wal", "-shm", ".witness", ".key"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    Register(db).close()  # makes a new key and witness: the tamperer's own
    result = verify(db, "--checkpoint", str(kept))
    assert result.exit_code == 1, result.output
    assert "the signature does not verify under the register's key" in result.stdout
    TAMPERS_DETECTED.append("wiped register, witness and key")


def test_a_cut_witness_line_is_detected(db: Path, kept: Path) -> None:
    witness = Path(f"{db}.witness")
    lines = witness.read_text().splitlines()
    witness.write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    result = verify(db)
    assert result.exit_code == 1, result.output
    assert "PAU-2026-000002: record 2 has no signed checkpoint" in result.stdout


def test_every_tamper_in_point_3_was_detected() -> None:
    """Runs last in this file: the figure for the notes."""
    expected = {"INSERT OR REPLACE", "head write", "counter write",
                "newest record deleted, head reset", "tail-and-head rewrite",
                "forged append", "wiped register", "wiped register, witness and key"}
    if not expected <= set(TAMPERS_DETECTED):
        pytest.skip("run the whole file to count the tampers detected")
    print(f"\ntampers detected: {len(expected)} of {len(expected)}")
