from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from tests.lint.test_cli_lint_rules import fixed_rules  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("fixed_rules")

TEXT = (
    "Dear Ms Patel\n"
    "\n"
    "Commence the visit prior to May. Failure to act will result in closure.\n"
    "We will commence\n"
    "soon.\n"
)


def test_fix_applies_one_for_one_swaps_and_reports_what_is_left(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == (
        "Dear Ms Patel\n"
        "\n"
        "Start the visit before May. Failure to act will result in closure.\n"
        "We will start\n"
        "soon.\n"
    )
    assert f"{path}: made 3 changes" in result.output
    assert "Tone.Threat" in result.output  # left for the writer
    assert "Plain.Words" not in result.output
    assert result.exit_code == 1


def test_diff_previews_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nWe will *commence* soon.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--diff", str(path)])
    assert result.exit_code == 1  # there is something to change
    assert path.read_text(encoding="utf-8") == "# Notes\n\nWe will *commence* soon.\n"
    assert result.output == (
        f"--- a/{path}\n"
        f"+++ b/{path}\n"
        "@@ -1,3 +1,3 @@\n"
        " # Notes\n"
        " \n"
        "-We will *commence* soon.\n"
        "+We will *start* soon.\n"
    )


def test_fix_leaves_a_suppressed_swap_alone(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    original = "<!-- docgen-ignore Plain.Words: the contract's term -->\nWe commence on 1 May.\n"
    path.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--fix", str(path)])
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == original


@pytest.mark.parametrize("name", ["letter.docx", "letter.pdf", "letter.html", "-"])
def test_fix_refuses_other_files(tmp_path: Path, name: str) -> None:
    target = name if name == "-" else str(tmp_path / name)
    if name != "-":
        Path(target).write_bytes(b"x")
    result = CliRunner().invoke(main, ["lint", "--fix", target], input="We commence.\n")
    assert result.exit_code == 2
    assert "--fix and --diff change .txt and .md files only" in result.output


@pytest.mark.parametrize(("name", "advice"), [
    ("letter.docx", "edit the .docx in Word"),
    ("letter.pdf", "edit the document the PDF was made from"),
    ("letter.yaml", "edit the fields the findings name in the data file"),
    ("letter.json", "edit the fields the findings name in the data file"),
])
def test_fix_says_where_to_make_the_change(tmp_path: Path, name: str, advice: str) -> None:
    target = tmp_path / name
    target.write_bytes(b"x")
    result = CliRunner().invoke(main, ["lint", "--fix", str(target)])
    assert result.exit_code == 2
    assert advice in result.output
    assert "Word" not in result.output or name.endswith(".docx")


def test_diff_exits_0_when_there_is_nothing_to_change_or_report(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nWe will start soon.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--diff", str(path)])
    assert (result.exit_code, result.output) == (0, "")


def test_diff_exits_1_for_findings_it_cannot_fix(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Failure to act will result in closure.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--diff", str(path)])
    assert (result.exit_code, result.output) == (1, "")
    result = CliRunner().invoke(main, ["lint", "--diff", "--fail-on", "error", str(path)])
    assert result.exit_code == 1


def test_fix_shows_the_lines_as_they_now_read(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("Commence the visit prior to May. Failure to act will result in "
                    "closure.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--fix", str(path)])
    fixed = "Start the visit before May. Failure to act will result in closure."
    assert path.read_text(encoding="utf-8") == fixed + "\n"
    # The remaining finding's columns and the line under it are the fixed text's.
    column = fixed.index("Failure") + 1
    assert f"{path}:1:{column}: error Tone.Threat" in result.output
    assert fixed in result.output
    assert "Commence" not in result.output
