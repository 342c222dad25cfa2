"""Typos in names are refused with the nearest valid names, never checked silently."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from docgen.cli import main
from docgen.service.app import create_app
from docgen.service.settings import ServiceSettings


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.txt"
    path.write_text("Thank you for meeting us.\n", encoding="utf-8")
    return path


def lint(*args: str):
    return CliRunner().invoke(main, ["lint", *args])


def test_an_unknown_document_type_is_refused_with_the_nearest(letter: Path) -> None:
    result = lint(str(letter), "--type", "pause_confirmaton")
    assert result.exit_code == 2
    assert result.output == ("docgen: there is no document type 'pause_confirmaton'; did you "
                             "mean 'pause_confirmation'? (see 'docgen templates')\n")
    result = lint(str(letter), "--type", "nonsense")
    assert result.exit_code == 2
    assert result.output == ("docgen: there is no document type 'nonsense'; the types are the "
                             "template ids (see 'docgen templates')\n")
    assert lint(str(letter), "--type", "pause_confirmation").exit_code == 1  # required content


@pytest.mark.parametrize(("option", "value", "nearest"), [
    ("--select", "Tonee", "did you mean 'Tone'?"),
    ("--ignore", "Tone.Treat", "did you mean 'Tone.Threat'?"),
    ("--select", "Readabilty.SentenceLength", "did you mean 'Readability.SentenceLength'?"),
])
def test_an_unknown_rule_prefix_is_refused_with_the_nearest(letter: Path, option: str,
                                                            value: str, nearest: str) -> None:
    result = lint(str(letter), option, value)
    assert result.exit_code == 2
    assert result.output == (f"docgen: {option} {value}: no rule id starts with '{value}'; "
                             f"{nearest} (rule ids are listed in style_rules/)\n")


def test_an_unlike_prefix_lists_the_rule_families(letter: Path) -> None:
    result = lint(str(letter), "--select", "Xyzzy")
    assert result.exit_code == 2
    assert "; rule ids start with Consistency, Docgen, Grammar, Law, Plain, Readability, " \
           "Required, Spelling, Tone (rule ids" in result.output


@pytest.mark.parametrize("prefix", ["Tone", "Tone.", "Tone.Threat", "Grammar",
                                    "Grammar.MORFOLOGIK_RULE_EN_GB",
                                    "Docgen.SuppressionWithoutReason"])
def test_known_prefixes_pass(letter: Path, prefix: str) -> None:
    assert lint(str(letter), "--select", prefix).exit_code == 0


def test_the_service_refuses_an_unknown_document_type() -> None:
    with TestClient(create_app(ServiceSettings())) as client:
        response = client.post("/v1/lint", json={"text": "Thank you.",
                                                 "document_type": "nonsense"})
        upload = client.post("/v1/lint", files={"file": ("a.txt", b"Thank you.")},
                             data={"document_type": "pause_confirmaton"})
        known = client.post("/v1/lint", json={"text": "Thank you.",
                                              "document_type": "pause_confirmation"})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "unknown_name",
        "message": "there is no document type 'nonsense'; the types are the template ids "
                   "(see 'docgen templates')"}
    assert upload.status_code == 422
    assert "did you mean 'pause_confirmation'?" in upload.json()["error"]["message"]
    assert known.status_code == 200


def test_register_list_refuses_an_unknown_type(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["register", "list", "--type", "pause_confirmaton",
                                       "--db", str(tmp_path / "register.sqlite3")])
    assert result.exit_code == 2
    assert result.output == ("docgen: There is no template 'pause_confirmaton'. Did you mean "
                             "'pause_confirmation'? Run 'docgen templates' to see the ids you "
                             "can use.\n")
