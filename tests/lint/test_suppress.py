from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.lint import lint_file
from tests.lint.test_cli_lint_rules import fixed_rules  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("fixed_rules")


def lint(tmp_path: Path, text: str, name: str = "letter.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return lint_file(str(path))


def test_a_reasoned_suppression_moves_the_finding_to_suppressed(tmp_path: Path) -> None:
    report = lint(tmp_path, (
        "Dear Ms Patel\n\n"
        "<!-- docgen-ignore Tone.Threat: quoted from the funding agreement -->\n"
        "Failure to act will result in closure.\n\n"
        "Failure to act will result in closure.\n"
    ))
    assert [(f.rule, f.line) for f in report.findings] == [("Tone.Threat", 6)]
    assert [(s.rule, s.line, s.reason) for s in report.suppressed] == [
        ("Tone.Threat", 4, "quoted from the funding agreement")]


def test_a_prefix_and_several_rules_may_be_named(tmp_path: Path) -> None:
    report = lint(tmp_path, (
        "docgen-ignore Tone, Plain.Words: the trust asked for this wording\n"
        "Failure to act will result in closure! We will commence soon.\n"
    ))
    assert report.findings == []
    assert sorted(s.rule for s in report.suppressed) == [
        "Plain.Words", "Tone.Shouting", "Tone.Threat"]


def test_a_suppression_without_a_reason_is_an_error_and_silences_nothing(
        tmp_path: Path) -> None:
    report = lint(tmp_path, (
        "<!-- docgen-ignore Tone.Threat -->\n"
        "Failure to act will result in closure.\n"
    ))
    rules = [(f.rule, str(f.severity), f.line) for f in report.findings]
    assert rules == [("Docgen.SuppressionWithoutReason", "error", 1), ("Tone.Threat", "error", 2)]
    assert "gives no reason" in report.findings[0].message
    assert report.suppressed == []


def test_the_directive_itself_is_not_linted(tmp_path: Path) -> None:
    report = lint(tmp_path, (
        "<!-- docgen-ignore Tone.Shouting: failure to act will result in nothing! -->\n"
        "\nAll is well.\n"
    ))
    assert report.findings == []
    assert any("silenced no finding" in n for n in report.notices)


def test_markdown_and_html_use_the_same_comment(tmp_path: Path) -> None:
    markdown = lint(tmp_path, (
        "# Letter\n\n<!-- docgen-ignore Tone.Threat: statutory wording -->\n"
        "Failure to **act** will result in closure.\n"
    ), "letter.md")
    assert [s.rule for s in markdown.suppressed] == ["Tone.Threat"]
    html = lint(tmp_path, (
        "<html><body><p>Hello.</p>\n<!-- docgen-ignore Tone.Threat: statutory wording -->\n"
        "<p>Failure to act will result in closure.</p></body></html>\n"
    ), "letter.html")
    assert [s.rule for s in html.suppressed] == ["Tone.Threat"]
    assert html.findings == []


def test_a_hidden_paragraph_in_a_docx_suppresses_the_next(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("docgen-ignore Tone.Threat: quoted from clause 89").runs[0] \
        .font.hidden = True
    document.add_paragraph("Failure to act will result in closure.")
    path = tmp_path / "letter.docx"
    document.save(str(path))
    report = lint_file(str(path))
    assert report.findings == []
    assert [(s.rule, s.line) for s in report.suppressed] == [("Tone.Threat", 2)]


def test_suppressed_findings_are_listed_in_json(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("<!-- docgen-ignore Tone.Threat: quoted -->\n"
                    "Failure to act will result in closure.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(path), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["files"][0]["suppressed"] == [
        {"rule": "Tone.Threat", "line": 2, "reason": "quoted"}]
    assert data["summary"]["suppressed"] == 1
