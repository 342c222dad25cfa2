"""Issuing through the lint gate: refusal, waivers, the register, and failure cases."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from docgen.cli import main
from docgen.issue.register import Register
from tests.conftest import ROOT, SAMPLES
from tests.issue.issuing import issue_rows, pause_rows

# Issuing needs *a* LibreOffice, not a fresh one: lend the run's warm converter.
pytestmark = pytest.mark.usefixtures("shared_converter")

HARSH = "As you are aware, leaders have failed to send the information we asked for."


@pytest.fixture
def harsh_letter(tmp_path: Path) -> Path:
    data = yaml.safe_load((SAMPLES / "publication_delay.yaml").read_text(encoding="utf-8"))
    data["reason"] = f"{HARSH} {data['reason']}"
    path = tmp_path / "delay.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_harsh_letter_is_refused_then_issued_with_waivers(harsh_letter: Path,
                                                          tmp_path: Path) -> None:
    db, out = str(tmp_path / "register.sqlite3"), tmp_path / "issued"
    runner = CliRunner()
    base = ["issue", str(harsh_letter), "--by", "Tom Barraclough", "--out", str(out), "--db", db]

    refused = runner.invoke(main, base)
    assert refused.exit_code == 1, refused.output
    assert "not issued: 2 error-level findings without a waiver" in refused.stderr
    rules = sorted(set(re.findall(r" error (Tone\.\w+) ", refused.stdout)))
    assert rules == ["Tone.Blame", "Tone.StockPhrases"]
    assert not out.exists() or not any(out.iterdir())
    assert Register(db).list(10) == []

    waived = runner.invoke(main, [
        *base,
        "--waive", "Tone.Blame", "--reason", "Quoted from the trust's own board minutes",
        "--waive", "Tone.StockPhrases", "--reason", "Agreed with the regional director",
    ])
    assert waived.exit_code == 0, waived.output
    reference = re.search(r"Issued (DEL-\d{4}-\d{6})", waived.stdout).group(1)
    pdf_path = out / f"{reference}.pdf"
    assert sorted(p.name for p in out.iterdir()) == [f"{reference}.docx", f"{reference}.pdf"]

    shown = runner.invoke(main, ["register", "show", reference, "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "Quoted from the trust's own board minutes" in shown.output
    assert "Tom Barraclough" in shown.output
    record = Register(db).get(reference)
    assert {w["rule"] for w in record.waivers} == {"Tone.Blame", "Tone.StockPhrases"}
    assert record.pdf_sha256 == hashlib.sha256(pdf_path.read_bytes()).hexdigest()

    # The PDF is stamped and says who it is for, with the reference in it.
    reader = PdfReader(str(pdf_path))
    assert reader.metadata["/DocgenReference"] == reference
    assert reader.metadata["/DocgenTemplate"] == "publication_delay"
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reference in text

    verified = runner.invoke(main, ["register", "verify", "--db", db])
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output

    pdf_path.write_bytes(pdf_path.read_bytes() + b"\n% altered after issue\n")
    altered = runner.invoke(main, ["register", "verify", "--db", db])
    assert altered.exit_code == 1
    assert reference in altered.output and "PDF" in altered.output


def test_issuing_the_same_data_again_returns_the_first_record(tmp_path: Path) -> None:
    db, out = str(tmp_path / "register.sqlite3"), tmp_path / "issued"
    args = ["issue", str(SAMPLES / "pause_confirmation.yaml"), "--by", "D Okafor",
            "--out", str(out), "--db", db]
    first = CliRunner().invoke(main, args)
    second = CliRunner().invoke(main, args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "already issued as PAU-" in second.stdout
    assert len(Register(db).list(10)) == 1


def test_waive_without_reason_is_a_usage_error(harsh_letter: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["issue", str(harsh_letter), "--by", "A", "--waive",
                                       "Tone.Blame", "--db", str(tmp_path / "r.sqlite3")])
    assert result.exit_code == 2
    assert "give one --reason for each --waive (1 --waive, 0 --reason)" in result.stderr


def test_libreoffice_missing_records_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_SOFFICE", "/nonexistent/soffice")
    db, out = str(tmp_path / "register.sqlite3"), tmp_path / "issued"
    result = CliRunner().invoke(main, ["issue", str(SAMPLES / "pause_confirmation.yaml"),
                                       "--by", "D Okafor", "--out", str(out), "--db", db])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("docgen: LibreOffice is not installed")
    assert len(result.stderr.strip().splitlines()) == 1
    assert Register(db).list(10) == []
    assert not out.exists() or not any(out.iterdir())


def test_libreoffice_failing_records_nothing(tmp_path: Path, monkeypatch) -> None:
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\necho 'LibreOffice crashed' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("DOCGEN_SOFFICE", str(broken))
    db, out = str(tmp_path / "register.sqlite3"), tmp_path / "issued"
    result = CliRunner().invoke(main, ["issue", str(SAMPLES / "pause_confirmation.yaml"),
                                       "--by", "D Okafor", "--out", str(out), "--db", db])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert Register(db).list(10) == []
    assert not out.exists() or not any(out.iterdir())


def test_four_processes_issue_200_documents_with_gap_free_references(tmp_path: Path) -> None:
    db, out = str(tmp_path / "register.sqlite3"), str(tmp_path / "issued")
    Register(db).close()
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        batches = pool.starmap(issue_rows, [(db, out, start, 50) for start in range(0, 200, 50)])
    references = [ref for batch in batches for ref in batch]
    assert len(set(references)) == 200
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in references)
    assert numbers == list(range(1, 201))
    with Register(db) as register:
        assert [p for p in register.verify() if p.is_error] == []
    assert len(list(Path(out).glob("*.pdf"))) == 200


def _write_rows(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _count_records(db: str) -> int:
    try:
        with Register(db, create=False) as register:
            return len(register.all())
    except Exception:
        return 0


def test_batch_killed_part_way_and_run_again_completes_without_duplicates(
        tmp_path: Path) -> None:
    rows, db, out = tmp_path / "rows.jsonl", str(tmp_path / "register.sqlite3"), tmp_path / "out"
    _write_rows(rows, pause_rows(24))
    command = [sys.executable, "-m", "docgen", "batch", "pause_confirmation", str(rows),
               "--out", str(out), "--issue", "--by", "Duty desk", "--db", db, "--workers", "2"]
    log = tmp_path / "batch.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    # A bound on the wait, not a timing: a loaded machine starts LibreOffice slowly.
    deadline = time.monotonic() + 600
    while _count_records(db) < 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, f"the batch ended before it was killed: {log.read_text()}"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = _count_records(db)
    assert 4 <= killed_at < 24

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    with Register(db) as register:
        records = register.all()
        assert len(records) == 24
        assert len({r.reference for r in records}) == 24
        assert len({r.idempotency_key for r in records}) == 24
        assert [p for p in register.verify() if p.is_error] == []
    summary = json.loads((out / "batch-summary.json").read_text())
    assert summary["counts"] == {"issued": 24 - killed_at, "already issued": killed_at}
    assert not list(out.glob(".*.tmp")), "a half-written file was left behind"


def test_batch_reports_bad_rows_and_carries_on(tmp_path: Path) -> None:
    rows, out = tmp_path / "rows.jsonl", tmp_path / "out"
    good = pause_rows(2)
    bad = dict(good[0], school=dict(good[0]["school"], urn="12AB"))
    rows.write_text("\n".join([json.dumps(good[0]), json.dumps(bad), "{not json",
                               json.dumps(good[1])]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", "pause_confirmation", str(rows), "--out",
                                       str(out), "--no-pdf", "--workers", "1"])
    assert result.exit_code == 2, result.output
    summary = json.loads((out / "batch-summary.json").read_text())
    assert summary["counts"] == {"rendered": 2, "invalid": 2}
    messages = {r["row"]: r["message"] for r in summary["results"] if r["message"]}
    assert "field 'school.urn': expected a URN of 6 or 7 digits" in messages[2]
    assert messages[3].startswith("row 3 is not valid JSON")
    assert sorted(p.name for p in out.glob("*.docx")) == [
        "pause_confirmation-00001.docx", "pause_confirmation-00004.docx"]


def test_ctrl_c_stops_a_batch_with_nothing_half_done(tmp_path: Path) -> None:
    rows, db, out = tmp_path / "rows.jsonl", str(tmp_path / "register.sqlite3"), tmp_path / "out"
    _write_rows(rows, pause_rows(30))
    command = [sys.executable, "-m", "docgen", "batch", "pause_confirmation", str(rows),
               "--out", str(out), "--issue", "--by", "Duty desk", "--db", db]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _count_records(db) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, "the batch finished before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    summary = json.loads((out / "batch-summary.json").read_text())
    assert summary["interrupted"] is True
    with Register(db) as register:
        records = register.all()
        assert [p for p in register.verify() if p.is_error] == []
        files = {r.reference: register.resolve_path(r.pdf_path) for r in records}
    assert len(records) < 30
    # Every recorded document has both files, whole; no temporary file is left.
    for record in records:
        assert hashlib.sha256(files[record.reference].read_bytes()).hexdigest() == \
            record.pdf_sha256
    assert not list(out.glob(".*.tmp"))
