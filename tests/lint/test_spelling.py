"""British spelling, offline."""

from __future__ import annotations

import pytest

from docgen.lint import dictionary
from docgen.lint.config import LintConfig
from docgen.lint.engine import lint_text

ONLY = LintConfig(select=("Spelling",))


def _swaps(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.match, f.suggestions) for f in lint_text(text, config=ONLY).findings]


def test_ize_to_ise_and_listed_words() -> None:
    assert _swaps("Leaders organized training. The colors were bright.") == [
        ("organized", ("organised",)), ("colors", ("colours",))]


def test_exceptions_and_names_pass() -> None:
    assert _swaps("The size of the prize. Doctor Water visited the Lincoln Center.") == []


def test_context_dependent_words() -> None:
    assert _swaps("They have a license. Pupils practice daily.") == [
        ("license", ("licence",))]
    assert _swaps("Pupils like to practice. Good practice.") == [("practice", ("practise",))]


@pytest.mark.skipif(not dictionary.DEFAULT_DICTIONARY.exists(), reason="needs hunspell-en-gb")
def test_dictionary_confirms_pattern_forms() -> None:
    assert _swaps("The armor policy is summarized.") == [
        ("armor", ("armour",)), ("summarized", ("summarised",))]


def test_without_dictionary_only_listed_words(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("DOCGEN_HUNSPELL_DIC", str(tmp_path / "absent.dic"))
    dictionary.english_words.cache_clear()
    from docgen.lint.rules import load_rules

    for rule in load_rules():
        getattr(rule, "_known", {}).clear()
    try:
        assert _swaps("Leaders organized the armor.") == [("organized", ("organised",))]
    finally:
        monkeypatch.delenv("DOCGEN_HUNSPELL_DIC")
        dictionary.english_words.cache_clear()
        for rule in load_rules():
            getattr(rule, "_known", {}).clear()
