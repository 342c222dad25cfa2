from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import ConfigError
from docgen.lint.config import LintConfig, find_config, load_config, with_overrides
from docgen.lint.findings import Severity

FULL = """\
select = ["Tone", "Plain"]
ignore = ["Tone.Exclamation"]
grammar_server = "http://127.0.0.1:8081"
grammar_local = true

[severity]
"Plain.Words" = "warning"

[thresholds.pause_confirmation]
flesch_reading_ease = 55
sentence_words = 30
"""


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    body = FULL.replace("[severity]", "[tool.docgen.lint.severity]").replace(
        "[thresholds.", "[tool.docgen.lint.thresholds.")
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\n\n[tool.docgen.lint]\n" + body, encoding="utf-8")
    config = load_config(start=tmp_path, environ={})
    assert config == LintConfig(
        select=("Tone", "Plain"), ignore=("Tone.Exclamation",),
        severity={"Plain.Words": Severity.WARNING},
        thresholds={"pause_confirmation": {"flesch_reading_ease": 55.0,
                                           "sentence_words": 30.0}},
        grammar_server="http://127.0.0.1:8081", grammar_local=True,
    )


def test_docgen_toml_is_found_from_a_subfolder_and_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.docgen.lint]\nselect = ["Plain"]\n',
                                             encoding="utf-8")
    (tmp_path / "docgen.toml").write_text('[lint]\nselect = ["Tone"]\n', encoding="utf-8")
    deep = tmp_path / "letters" / "2027"
    deep.mkdir(parents=True)
    assert find_config(deep) == (tmp_path / "docgen.toml", ("lint",))
    assert load_config(start=deep, environ={}).select == ("Tone",)


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text('[lint]\nignore = ["Spelling"]\n', encoding="utf-8")
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'pkg'\n", encoding="utf-8")
    assert load_config(start=inner, environ={}).ignore == ("Spelling",)


def test_no_file_gives_the_defaults_and_the_environment_url(tmp_path: Path) -> None:
    config = load_config(start=tmp_path, environ={"DOCGEN_LANGUAGETOOL_URL": "http://lt:8010"})
    assert config == LintConfig(grammar_server="http://lt:8010")


def test_explicit_config_path(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text('[lint]\nignore = ["Readability"]\n', encoding="utf-8")
    assert load_config(path, environ={}).ignore == ("Readability",)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('selct = ["Tone"]', "unknown key 'lint.selct'; expected one of"),
        ('[lint.severity]\n"Tone" = "fatal"',
         "'lint.severity.\"Tone\"' is 'fatal'; expected \"suggestion\", \"warning\" or \"error\""),
        ("[lint.thresholds.letter]\nreading_age = 9",
         "unknown key 'lint.thresholds.letter.reading_age'; expected one of"),
        ('[lint.thresholds.letter]\nsentence_words = "25"',
         "'lint.thresholds.letter.sentence_words' is '25'; expected a number"),
        ("select = [1]", "'lint.select' must be a list of rule-id prefixes"),
        ('grammar_server = "localhost:8081"', "expected an http:// or https:// URL"),
        ("grammar_local = 1", "'lint.grammar_local' must be true or false"),
        ("select = [", "is not valid TOML"),
        ('lint = "x"', "unknown key 'lint.lint'"),
        ('[severity]\n"Tone" = "error"', "unknown key 'severity'; put settings under [lint]"),
    ],
)
def test_bad_settings_name_the_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "docgen.toml"
    path.write_text("[lint]\n" + body + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(start=tmp_path, environ={})
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml", environ={})


def test_command_line_select_replaces_and_ignore_adds() -> None:
    config = LintConfig(select=("Tone",), ignore=("Spelling",))
    changed = with_overrides(config, select=("Plain",), ignore=("Tone.Must", "Spelling"))
    assert changed.select == ("Plain",)
    assert changed.ignore == ("Spelling", "Tone.Must")
    assert with_overrides(config).select == ("Tone",)
