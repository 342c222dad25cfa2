"""--fix applies British spellings too, as the page's "Use this wording" does, and never inside a
quotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.lint.fix import swap_rule_ids


@pytest.mark.parametrize(("name", "text", "fixed", "changes"), [
    ("letter.txt", "The visit was well organized. Behavior in lessons is calm.\n",
     "The visit was well organised. Behaviour in lessons is calm.\n", "2 changes"),
    # A quotation is someone else's words: --fix never rewrites it.
    ("reply.md", "The visit was well organized.\n\n> The visit was badly organized.\n",
     "The visit was well organised.\n\n> The visit was badly organized.\n", "1 change"),
], ids=["british spellings", "not inside a quotation"])
def test_fix_makes_british_spellings(tmp_path: Path, name: str, text: str, fixed: str,
                                     changes: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--fix", str(path)])
    assert path.read_text(encoding="utf-8") == fixed
    assert f"{path}: made {changes}" in result.output
    assert "Spelling.British" not in result.output
    assert result.exit_code == 0


def test_only_word_for_word_kinds_are_fixed() -> None:
    assert swap_rule_ids() == {"Law.Legalese", "Plain.Words", "Spelling.British",
                               "Spelling.Context"}
