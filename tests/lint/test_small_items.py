"""Small things a new user hit: NO_COLOR, the templates table, grammar notices cut
mid-word, a notice per suggestion in GitHub's format, and SARIF rules without help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen.cli
from docgen.cli import main

LETTER = "Dear Ms Patel\n\nFailure to act will result in closure. We will commence soon.\n"


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text(LETTER, encoding="utf-8")
    return path


def lint(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["lint", *args], env=env, color=True)


def test_colour_on_a_terminal_unless_no_color(letter, monkeypatch):
    import click.testing

    # CliRunner's standard output, made to say it is a terminal.
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)
    coloured = lint(str(letter), env={"NO_COLOR": ""})
    assert "\x1b[" in coloured.output
    plain = lint(str(letter), env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output
    assert "error Tone.Threat" in plain.output


def test_colour_wanted_reads_no_color(monkeypatch):
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(docgen.cli.sys, "stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert docgen.cli._colour_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not docgen.cli._colour_wanted()


def test_templates_table_has_the_data_model_its_help_promises():
    result = CliRunner().invoke(main, ["templates"])
    header, *rows = result.output.splitlines()
    assert header.split() == ["ID", "KIND", "MODEL", "TITLE"]
    pause = next(r for r in rows if r.startswith("pause_confirmation "))
    assert pause.split()[:3] == ["pause_confirmation", "letter", "PauseConfirmation"]
    assert "data model" in CliRunner().invoke(main, ["templates", "--help"]).output


def test_a_long_grammar_error_is_shortened_at_a_word(monkeypatch):
    from language_tool_python.exceptions import LanguageToolError

    from docgen.lint import grammar
    from docgen.lint.config import LintConfig
    from docgen.lint.document import TextDocument, paragraphs_from_text

    words = "connection refused by the server at languagetool.example " * 10

    def refuse(url, version):  # noqa: ARG001
        raise LanguageToolError(words)

    monkeypatch.setattr(grammar, "_client", refuse)
    refuse.cache_clear = lambda: None
    document = TextDocument("x", paragraphs_from_text("We met on Monday."))
    _, notices = grammar.check_grammar(
        document, LintConfig(grammar_server="http://languagetool.example"))
    [notice] = notices
    reason = notice.split("(", 1)[1].rstrip(")")
    assert reason.endswith("…")
    assert words.startswith(reason[:-1])
    assert words[len(reason) - 1] == " "  # cut where a word ended, not inside one
    assert len(reason) <= 200


def test_github_format_hides_suggestions_with_min_severity(letter):
    every = lint(str(letter), "--format", "github")
    assert "::notice " in every.output and "Plain.Words" in every.output
    fewer = lint(str(letter), "--format", "github", "--min-severity", "warning")
    assert "Plain.Words" not in fewer.output
    assert "::error " in fewer.output and fewer.exit_code == 1
    errors = lint(str(letter), "--min-severity", "error", "--fail-on", "suggestion")
    assert "suggestion" not in errors.output.split("\n")[0]
    assert "0 suggestions" in errors.output


def test_sarif_rules_carry_a_full_description_and_the_guide_section(letter):
    result = lint(str(letter), "--format", "sarif")
    rules = {r["id"]: r for r in json.loads(result.output)["runs"][0]["tool"]["driver"]["rules"]}
    threat = rules["Tone.Threat"]
    assert threat["helpUri"].startswith("file://")
    assert threat["helpUri"].endswith(
        "/GUIDE.md#3-never-threaten-offer-support-with-every-requirement")
    assert Path(threat["helpUri"].removeprefix("file://").split("#")[0]).is_file()
    assert threat["help"]["text"] == ("See section 3. Never threaten; offer support with every "
                                      "requirement of the docgen style guide.")
    assert threat["fullDescription"]["text"]
    assert rules["Plain.Words"]["helpUri"].endswith("#1-write-plainly")


def _undescribed(node, where: str = "") -> list[str]:
    found = []
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            if "description" not in value:
                found.append(f"{node.get('title', where)}.{name}")
        for value in node.values():
            found += _undescribed(value, node.get("title", where))
    elif isinstance(node, list):
        for value in node:
            found += _undescribed(value, where)
    return found


def test_docgen_schema_describes_every_field(catalogue):
    for template in catalogue:
        result = CliRunner().invoke(main, ["schema", template.id])
        schema = json.loads(result.output)
        assert _undescribed(schema) == [], template.id
    pause = json.loads(CliRunner().invoke(main, ["schema", "pause_confirmation"]).output)
    assert pause["properties"]["duty_desk_reference"]["description"] == (
        "The duty desk's reference for the request.")
