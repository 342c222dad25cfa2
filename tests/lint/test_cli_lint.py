from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from tests.lint.test_cli_lint_rules import fixed_rules  # noqa: F401 - a fixture

HARSH = (
    "Dear Ms Patel\n"
    "\n"
    "Thank you for meeting us. Failure to act will result in closure!\n"
    "\n"
    "We will commence the visit prior to May.\n"
)
COURTEOUS = "Dear Ms Patel\n\nThank you for meeting us. We will call you on Monday.\n"


def run(*args: str, input: str | None = None):  # noqa: A002
    return CliRunner().invoke(main, ["lint", *args], input=input)


@pytest.fixture
def harsh(tmp_path: Path) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text(HARSH, encoding="utf-8")
    return path


@pytest.mark.usefixtures("fixed_rules")
def test_text_format_prints_findings_excerpts_and_summary(harsh: Path) -> None:
    result = run(str(harsh))
    assert result.exit_code == 1
    p = str(harsh)
    assert result.output.splitlines() == [
        f"{p}:3:27: error Tone.Threat This reads as a threat; say what will happen and what "
        "support is offered.",
        "    Thank you for meeting us. Failure to act will result in closure!",
        "                              " + "^" * 29,
        f"{p}:3:64: warning Tone.Shouting An exclamation mark can read as shouting; use a "
        "full stop.",
        "    Thank you for meeting us. Failure to act will result in closure!",
        " " * 67 + "^",
        f"{p}:5:9: suggestion Plain.Words Use plain words.",
        "    We will commence the visit prior to May.",
        "            ^^^^^^^^",
        "    suggestion: start",
        f"{p}:5:28: suggestion Plain.Words Use plain words.",
        "    We will commence the visit prior to May.",
        "                               ^^^^^^^^",
        "    suggestion: before",
        f"{p}: note: grammar skipped: no LanguageTool server configured (set "
        "DOCGEN_LANGUAGETOOL_URL) or installed",
        "1 file: 1 error, 1 warning, 2 suggestions, 0 suppressed.",
    ]


@pytest.mark.usefixtures("fixed_rules")
def test_exit_codes_follow_fail_on(harsh: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text(COURTEOUS, encoding="utf-8")
    assert run(str(clean)).exit_code == 0
    assert run(str(harsh)).exit_code == 1
    assert run(str(harsh), "--ignore", "Tone.Threat").exit_code == 0
    assert run(str(harsh), "--ignore", "Tone.Threat", "--fail-on", "warning").exit_code == 1
    only_plain = run(str(harsh), "--select", "Plain", "--fail-on", "warning")
    assert only_plain.exit_code == 0
    assert run(str(harsh), "--select", "Plain", "--fail-on", "suggestion").exit_code == 1


@pytest.mark.usefixtures("fixed_rules")
def test_stdin_is_read_with_a_dash() -> None:
    result = run("-", "--format", "json", input=HARSH)
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["files"][0]["path"] == "<stdin>"
    assert [f["rule"] for f in data["files"][0]["findings"]] == [
        "Tone.Threat", "Tone.Shouting", "Plain.Words", "Plain.Words"]


@pytest.mark.usefixtures("fixed_rules")
def test_json_has_the_documented_shape(harsh: Path) -> None:
    result = run(str(harsh), "--format", "json", "--type", "pause_confirmation")
    data = json.loads(result.output)
    assert set(data) == {"files", "summary"}
    file = data["files"][0]
    assert {"path", "document_type", "findings", "readability", "suppressed",
            "notices", "quotations"} == set(file)
    assert file["document_type"] == "pause_confirmation"
    assert file["findings"][0] == {
        "rule": "Tone.Threat", "severity": "error", "line": 3, "column": 27, "end_line": 3,
        "end_column": 56, "match": "Failure to act will result in",
        "message": "This reads as a threat; say what will happen and what support is offered.",
        "suggestions": [],
    }
    assert file["readability"]["words"] > 0
    assert data["summary"] == {"files": 1, "errors": 1, "warnings": 1, "suggestions": 2,
                               "suppressed": 0}


@pytest.mark.usefixtures("fixed_rules")
def test_output_file_is_written_whole(harsh: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    result = run(str(harsh), "--format", "json", "--output", str(target))
    assert result.exit_code == 1
    assert result.output == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["errors"] == 1


@pytest.mark.usefixtures("fixed_rules")
def test_a_folder_is_linted_file_by_file(harsh: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("We will *commence* soon.\n", encoding="utf-8")
    (tmp_path / "data.yaml").write_text("template: x\n", encoding="utf-8")
    result = run(str(tmp_path), "--format", "json")
    paths = [Path(f["path"]).name for f in json.loads(result.output)["files"]]
    assert paths == ["letter.txt", "notes.md"]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.txt", None, "missing.txt: does not exist"),
        ("letter.odt", b"x", "letter.odt: has '.odt'; docgen lint reads .docx, .pdf"),
        ("binary.txt", b"\x00\x01\x02abc", "binary.txt: looks like a binary file"),
        ("latin.txt", "café".encode("latin-1"), "latin.txt: is not UTF-8 text"),
        ("broken.docx", b"PK\x03\x04 not really", "broken.docx: is not a readable Word file"),
        ("broken.pdf", b"%PDF-1.7\n garbage", "broken.pdf: "),
    ],
)
@pytest.mark.usefixtures("fixed_rules")
def test_bad_input_exits_2_with_one_line(tmp_path: Path, name: str, content: bytes | None,
                                         expected: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("docgen: ")
    assert expected in lines[0]


@pytest.mark.usefixtures("fixed_rules")
def test_usage_errors_exit_2(harsh: Path) -> None:
    assert run().exit_code == 2
    assert run(str(harsh), "--format", "xml").exit_code == 2
    assert run(str(harsh), "--fail-on", "never").exit_code == 2


@pytest.mark.usefixtures("fixed_rules")
def test_many_findings_never_wrap_round_to_zero(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Act now! " * 300 + "\n", encoding="utf-8")
    result = run(str(path), "--fail-on", "warning", "--format", "json")
    assert json.loads(result.output)["summary"]["warnings"] == 300
    assert result.exit_code == 1


@pytest.mark.usefixtures("fixed_rules")
def test_config_file_is_found_and_used(harsh: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docgen.toml").write_text(
        '[lint]\nignore = ["Tone.Threat"]\n[lint.severity]\n"Plain.Words" = "warning"\n',
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(str(harsh), "--format", "json")
    findings = json.loads(result.output)["files"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in findings] == [
        ("Tone.Shouting", "warning"), ("Plain.Words", "warning"), ("Plain.Words", "warning")]
    assert result.exit_code == 0


@pytest.mark.usefixtures("fixed_rules")
def test_bad_config_exits_2_naming_file_and_key(harsh: Path, tmp_path: Path) -> None:
    config = tmp_path / "docgen.toml"
    config.write_text("[lint]\nselekt = [\"Tone\"]\n", encoding="utf-8")
    result = run(str(harsh), "--config", str(config))
    assert result.exit_code == 2
    assert f"{config}: unknown key 'lint.selekt'" in result.output


def test_templates_lints_every_rendered_sample() -> None:
    result = run("--templates", "--format", "json", "--fail-on", "error")
    assert result.exit_code in (0, 1), result.output
    files = json.loads(result.output)["files"]
    assert files
    for file in files:
        assert file["path"].startswith("templates/")
        assert " (sample samples/" in file["path"]
        assert file["document_type"]
