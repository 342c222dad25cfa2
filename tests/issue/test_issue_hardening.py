"""Issue 10 points 2, 9, 11 and 13: the issue path as a new user and a careless one met it.

Nothing on disk that the register does not know; one reference, the register's; batch
waivers; verify from any folder; re-issuing without LibreOffice; the umask; PDF metadata
that pdfinfo reads without a warning; ``serve --port 0`` printing the port it serves on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from docgen.cli import main
from docgen.issue.register import Register
from tests.conftest import ROOT, SAMPLES

# Issuing needs *a* LibreOffice, not a fresh one: lend the run's warm converter.
pytestmark = pytest.mark.usefixtures("shared_converter")

CONCERN = SAMPLES / "concern_acknowledgement.yaml"
HARSH = "You have failed to keep pupils safe, and frankly this is totally unacceptable."


def invoke(*args: object, **kwargs) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def issued_reference(result) -> str:
    assert result.exit_code == 0, result.output
    return re.search(r"Issued ([A-Z]+-\d{4}-\d{6})", result.stdout).group(1)


@pytest.fixture
def concern(tmp_path: Path) -> tuple[Path, Path, str]:
    """The concern acknowledgement issued into ``tmp_path``; (register, folder, reference)."""
    db, out = tmp_path / "register.sqlite3", tmp_path / "issued"
    result = invoke("issue", CONCERN, "--by", "Victoria Hume", "--db", db, "--out", out)
    return db, out, issued_reference(result)


# Point 9: one reference ----------------------------------------------------------------

def test_the_letter_carries_one_reference_the_registers_in_its_own_year(concern) -> None:
    db, out, reference = concern
    # The letter is dated 10 June 2027: its reference is numbered in 2027, whenever issued.
    assert reference == "CON-2027-000001"
    text = "\n".join(page.extract_text() for page in PdfReader(out / f"{reference}.pdf").pages)
    assert f"Our reference: {reference}" in text
    assert f"Please quote our reference, {reference}." in text
    assert set(re.findall(r"\bCON-[\d-]+", text)) == {reference}
    with pytest.raises(Exception, match="field 'reference'"):
        from docgen.data import validate
        from docgen.templates import Catalogue

        data = yaml.safe_load(CONCERN.read_text())
        data.pop("template")
        validate(Catalogue().get("concern_acknowledgement"),
                 {**data, "reference": "CON-2027-0318"}, "letter.yaml")


# Point 2: nothing on disk the register does not know ------------------------------------

def test_verify_names_a_file_in_the_issued_folder_without_a_record(concern) -> None:
    db, out, reference = concern
    shutil.copy(out / f"{reference}.pdf", out / "CON-2027-000099.pdf")
    result = invoke("register", "verify", "--db", db)
    assert result.exit_code == 1, result.output
    assert (f"register: {out / 'CON-2027-000099.pdf'} has no record in the register"
            in result.stdout)


def test_files_staged_for_a_reservation_never_recorded_are_a_notice_not_an_error(
        concern) -> None:
    # A batch killed after staging a letter's files but before recording it leaves them
    # hidden beside the issued ones; run again, the data is issued under a new reference.
    db, out, reference = concern
    with Register(db) as register:
        stopped = register.reserve("CON", 2027).reference
    staged = [out / f".{stopped}.docx.staged", out / f"..{stopped}.pdf.staged.0a1b2c3d.tmp"]
    for path in staged:
        path.write_bytes(b"part of a letter")
    result = invoke("register", "verify", "--db", db)
    assert result.exit_code == 0, result.output
    for path in staged:
        assert (f"{stopped}: notice: {path} was staged but never recorded: the issue stopped "
                "before its record was made, so it was not issued; remove it") in result.stdout
    # A file under the plain name is sendable, so it stays an error whatever was reserved.
    (out / f"{stopped}.pdf").write_bytes((out / f"{reference}.pdf").read_bytes())
    result = invoke("register", "verify", "--db", db)
    assert result.exit_code == 1, result.output
    assert f"{out / f'{stopped}.pdf'} has no record in the register" in result.stdout


def test_a_stop_between_record_and_publish_is_named_then_finished(
    concern, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    db, out, _ = concern
    data = yaml.safe_load(CONCERN.read_text())
    data["letter_date"] = "2027-06-11"
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump(data, allow_unicode=True))

    def stopped(self, target):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(Path, "replace", stopped)
    result = invoke("issue", second, "--by", "Victoria Hume", "--db", db, "--out", out)
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert "CON-2027-000002 is recorded, but" in result.stderr
    verified = invoke("register", "verify", "--db", db)
    assert verified.exit_code == 1
    assert "CON-2027-000002: the Word file" in verified.stdout
    assert "was recorded but never published" in verified.stdout

    again = invoke("issue", second, "--by", "Victoria Hume", "--db", db, "--out", out)
    assert again.exit_code == 0 and "already issued as CON-2027-000002" in again.stdout
    assert invoke("register", "verify", "--db", db).exit_code == 0
    assert (out / "CON-2027-000002.pdf").is_file()


def test_the_api_strips_a_blank_waiver_reason_and_writes_nothing(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from docgen.service.app import create_app
    from docgen.service.settings import ApiToken, ServiceSettings, hash_token
    from tests.service.conftest import TOKENS, bearer, sample_request

    tokens = tuple(ApiToken(name=name, roles=frozenset(roles), sha256=hash_token(secret))
                   for secret, (name, roles) in TOKENS.items())
    settings = ServiceSettings(tokens=tokens, register=str(tmp_path / "register.sqlite3"),
                               issue_dir=str(tmp_path / "issued"))
    body = sample_request("termination_warning_notice")
    body["data"]["concerns"] = [*body["data"]["concerns"], HARSH]
    body["waivers"] = [{"rule": "Tone", "reason": "   "}]
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/issue", json=body, headers=bearer("senior-secret"))
    assert response.status_code == 422, response.text
    assert not (tmp_path / "issued").exists() or not any((tmp_path / "issued").iterdir())


# Point 11: batch --waive ---------------------------------------------------------------

def test_a_refused_batch_row_can_be_waived(tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "termination_warning_notice.yaml").read_text())
    data.pop("template")
    data["concerns"] = [*data["concerns"], HARSH]
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps(data, default=str) + "\n")
    db, out = tmp_path / "register.sqlite3", tmp_path / "out"
    base = ["batch", "termination_warning_notice", rows, "--out", out, "--issue", "--by",
            "Regional duty desk", "--db", db, "--workers", "1"]

    refused = invoke(*base)
    assert refused.exit_code == 1, refused.output
    assert "--waive RULE --reason TEXT" in refused.output

    waived = invoke(*base, "--waive", "Tone", "--reason", "Quoted from the trust's minutes")
    assert waived.exit_code == 0, waived.output
    with Register(db) as register:
        (record,) = register.all()
    assert {w["by"] for w in record.waivers} == {"Regional duty desk"}
    assert {w["reason"] for w in record.waivers} == {"Quoted from the trust's minutes"}

    no_reason = invoke(*base, "--waive", "Tone", "--reason", "  ")
    assert no_reason.exit_code == 2
    assert "--reason for --waive Tone is empty" in no_reason.stderr


# Point 14: a batch numbers its documents in row order ----------------------------------

def _complaint_row(number: int, points: int) -> dict:
    row = yaml.safe_load((SAMPLES / "complaint_outcome.yaml").read_text(encoding="utf-8"))
    row.pop("template")
    row["recipient"]["last_name"] = f"Whitfield-{number}"
    # Each point worded apart, so the linter checks every sentence afresh.
    row["points"] = [
        {**point, "point": f"Point {index}: {point['point']}",
         "explanation": f"On item {index} of your letter: {point['explanation']}"}
        for index, point in enumerate((row["points"] * points)[:points], start=1)
    ]
    return json.loads(json.dumps(row, default=str))


def test_batch_references_follow_row_order_when_later_rows_finish_first(
        tmp_path: Path) -> None:
    # Odd rows are long (60 points to check and convert), even rows short: with two
    # workers row 2 is ready long before row 1, and still takes the later reference.
    rows = [_complaint_row(n, 60 if n % 2 else 1) for n in range(1, 5)]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = invoke("batch", "complaint_outcome", path, "--issue", "--by", "Nadia Rahman",
                    "--db", tmp_path / "register.sqlite3", "--out", tmp_path / "issued",
                    "--workers", "2")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "issued" / "batch-summary.json").read_text())
    by_row = [(r["row"], r["reference"]) for r in summary["results"]]
    assert [reference for _, reference in by_row] == [
        f"CMP-2027-{n:06d}" for n in range(1, 5)], by_row


# Point 13 --------------------------------------------------------------------------------

def test_verify_from_another_folder_finds_the_files(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    office, elsewhere = tmp_path / "office", tmp_path / "elsewhere"
    office.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(office)
    issued_reference(invoke("issue", CONCERN, "--by", "V Hume", "--db", "register.sqlite3"))
    monkeypatch.chdir(elsewhere)
    result = invoke("register", "verify", "--db", office / "register.sqlite3")
    assert result.exit_code == 0, result.output
    assert "The register is intact: 1 record" in result.stdout

    # A missing file's message says where it looked and how to point elsewhere.
    (office / "issued" / "CON-2027-000001.pdf").unlink()
    missing = invoke("register", "verify", "--db", office / "register.sqlite3")
    assert missing.exit_code == 1
    assert f"looked up under {office}; pass --files-root" in missing.stdout


def test_reissuing_answers_from_the_register_without_libreoffice(
    concern, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, out, reference = concern
    monkeypatch.setenv("DOCGEN_SOFFICE", "/nonexistent/soffice")
    started = time.monotonic()
    again = invoke("issue", CONCERN, "--by", "Victoria Hume", "--db", db, "--out", out)
    assert again.exit_code == 0, again.output
    assert f"already issued as {reference}" in again.stdout
    assert time.monotonic() - started < 3


def test_issued_and_rendered_files_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        db, out = tmp_path / "register.sqlite3", tmp_path / "issued"
        reference = issued_reference(invoke("issue", CONCERN, "--by", "V Hume", "--db", db,
                                            "--out", out))
        rendered = invoke("render", CONCERN, "--out", tmp_path / "drafts")
        assert rendered.exit_code == 0
        report = invoke("lint", tmp_path / "drafts", "--output", tmp_path / "report.txt")
        assert report.exit_code in (0, 1)
    finally:
        os.umask(previous)
    for path in (out / f"{reference}.pdf", out / f"{reference}.docx",
                 tmp_path / "drafts" / "concern_acknowledgement.docx", tmp_path / "report.txt"):
        assert oct(path.stat().st_mode & 0o777) == oct(0o640), path


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")
def test_pdfinfo_reads_the_issued_pdf_without_a_warning(concern) -> None:
    db, out, reference = concern
    shown = subprocess.run(["pdfinfo", str(out / f"{reference}.pdf")], capture_output=True,
                           text=True, check=True)
    assert shown.stderr == ""
    assert re.search(r"^CreationDate:\s+\w{3} \w{3} +\d+ [\d:]+ \d{4} UTC$", shown.stdout,
                     re.M), shown.stdout
    metadata = PdfReader(out / f"{reference}.pdf").metadata
    assert re.fullmatch(r"D:\d{14}\+00'00'", metadata["/CreationDate"])


def test_serve_on_port_0_prints_the_port_it_listens_on(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--port", "0", "--lint-processes", "0"],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        line = process.stderr.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        assert port != 0, line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                            timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


# Point 10: findings named by the data field that produced them -------------------------

def test_a_refused_issue_names_the_field_and_yaml_line_and_shows_waivers(
    tmp_path: Path,
) -> None:
    data = yaml.safe_load((SAMPLES / "publication_delay.yaml").read_text())
    data["reason"] = ("As you are aware, leaders have failed to send the information we "
                      f"asked for. {data['reason']}")
    letter = tmp_path / "delay.yaml"
    letter.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    line = next(n for n, text in enumerate(letter.read_text().splitlines(), start=1)
                if text.startswith("reason:"))
    base = ["issue", letter, "--by", "Tom Barraclough", "--db", tmp_path / "r.sqlite3",
            "--out", tmp_path / "issued"]

    refused = invoke(*base)
    assert refused.exit_code == 1, refused.output
    shown = refused.stdout.splitlines()
    assert shown[:2] == [
        f"{letter}:{line}: field 'reason': error Tone.StockPhrases 'As you are aware' is a "
        "passive-aggressive stock phrase; say what you need directly.",
        f"{letter}:{line}: field 'reason': error Tone.Blame 'leaders have failed' blames "
        "people; describe what needs to improve and how we will help.",
    ]
    assert f"first: Tone.StockPhrases in {letter}:{line}: field 'reason'" in refused.stderr

    partly = invoke(*base, "--waive", "Tone.Blame", "--reason", "Quoted from the minutes")
    assert partly.exit_code == 1
    assert (f"{letter}:{line}: field 'reason': waived Tone.Blame (by Tom Barraclough: Quoted "
            "from the minutes) 'leaders have failed'") in partly.stdout
    assert partly.stdout.splitlines()[-1] == "1 error, 0 warnings, 0 suggestions, 1 waived."
    assert "not issued: 1 error-level finding without a waiver" in partly.stderr


def test_a_finding_in_the_templates_own_wording_is_named_as_such() -> None:
    from docgen.issue.origins import Origin, origin_of
    from docgen.lint.findings import Finding, Severity

    paragraphs = {7: "We have failed you, Brookfield Primary School, and we are sorry."}
    fields = {"school.name": "Brookfield Primary School", "reason": "staff illness"}

    def finding(start: int, end: int) -> Finding:
        return Finding("Tone.Test", Severity.ERROR, "m", paragraphs[7][start:end], 7,
                       start + 1, 7, end + 1)

    assert origin_of(finding(0, 14), paragraphs, fields) == Origin(None, 7)
    assert origin_of(finding(19, 29), paragraphs, fields,
                     {"school.name": 12}) == Origin("school.name", 7, 12)
    assert Origin(None, 7).describe("letter.yaml", "templates/letters/x.docx") == (
        "templates/letters/x.docx: paragraph 7, the template's own wording")
