"""--fix applies British spellings too, as the page's "Use this wording" does."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from docgen.cli import main
from docgen.lint.fix import swap_rule_ids


def test_fix_makes_british_spellings(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text("The visit was well organized. Behavior in lessons is calm.\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == (
        "The visit was well organised. Behaviour in lessons is calm.\n")
    assert f"{path}: made 2 changes" in result.output
    assert "Spelling.British" not in result.output
    assert result.exit_code == 0


def test_only_word_for_word_kinds_are_fixed() -> None:
    assert swap_rule_ids() == {"Law.Legalese", "Plain.Words", "Spelling.British",
                               "Spelling.Context"}
