"""``docgen register list | show | verify | export`` through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.issue.register import Register
from tests.issue.test_register import details, drop_guards, issue_files, raw_sql


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Return a register file holding two documents whose files are under ``tmp_path``."""
    path = tmp_path / "register.sqlite3"
    with Register(path) as register:
        register.record(details(1, **issue_files(tmp_path, 1)), prefix="PAU")
        register.record(details(2, template_id="notification_letter",
                                **issue_files(tmp_path, 2)), prefix="NOT")
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["register", *args])


def reference(db: Path, template_id: str) -> str:
    with Register(db) as register:
        return register.list(1, document_type=template_id)[0].reference


def test_list_shows_newest_first_and_filters_by_type(db: Path) -> None:
    result = run("list", "--db", str(db))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["REFERENCE", "ISSUED", "AT", "(UTC)", "TYPE", "RECIPIENT"]
    assert [line.split()[0] for line in lines[1:]] == [
        reference(db, "notification_letter"), reference(db, "pause_confirmation"),
    ]
    assert lines[1].split()[2:] == ["notification_letter", "Ms", "Ní", "Bhriain"]
    result = run("list", "--db", str(db), "--type", "pause_confirmation", "--format", "json")
    assert [r["template_id"] for r in json.loads(result.output)] == ["pause_confirmation"]


def test_db_comes_from_the_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCGEN_DB", str(db))
    result = run("list", "--limit", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 1


def test_a_missing_register_is_a_usage_error(tmp_path: Path) -> None:
    result = run("list", "--db", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 2
    assert result.output == (
        f"docgen: there is no register at {tmp_path / 'none.sqlite3'}; pass --db or set "
        "DOCGEN_DB to the register file or database URL\n"
    )
    assert not (tmp_path / "none.sqlite3").exists()


def test_show_prints_every_field(db: Path) -> None:
    ref = reference(db, "pause_confirmation")
    result = run("show", ref, "--db", str(db))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"reference:         {ref}"
    assert "lint_summary:      {\"errors\": 0, \"warnings\": 1}" in lines
    assert "urn:               100001" in lines
    assert run("show", "PAU-1999-000001", "--db", str(db)).exit_code == 2


def test_verify_passes_with_a_one_line_summary(db: Path, tmp_path: Path) -> None:
    with Register(db) as register:
        count, head = register.head()
    result = run("verify", "--db", str(db), "--files-root", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output == f"The register is intact: 2 records, chain head {head[:16]}.\n"
    assert count == 2


def test_verify_fails_and_names_each_problem(db: Path, tmp_path: Path) -> None:
    ref = reference(db, "pause_confirmation")
    url = f"sqlite:///{db}"
    drop_guards(url)
    raw_sql(url, f"UPDATE records SET urn = '999999' WHERE reference = '{ref}'")
    (tmp_path / "letter-2.pdf").write_bytes(b"%PDF-1.7 not the letter that was sent")
    result = run("verify", "--db", str(db), "--files-root", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{ref}: field 'urn' changed after issue: the record no longer matches its hash",
        f"{reference(db, 'notification_letter')}: the PDF file {tmp_path / 'letter-2.pdf'} "
        "was changed after issue: its SHA-256 no longer matches the register",
        "docgen: the register is not intact: 2 problems found.",
    ]


def test_export_csv_to_a_file_and_json_to_the_screen(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "register.csv"
    result = run("export", "--db", str(db), "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.output == f"{target}  (csv)\n"
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["template_id"] for r in rows] == ["pause_confirmation", "notification_letter"]
    result = run("export", "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["reference"] for r in json.loads(result.output)] == [r["reference"] for r in rows]
