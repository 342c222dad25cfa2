"""Bad input: one clear line naming the file and field, exit 2, no traceback, no output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from tests.conftest import ROOT, SAMPLES

SAMPLE = (SAMPLES / "pause_confirmation.yaml").read_text(encoding="utf-8")


def _edited(**changes: object) -> str:
    data = yaml.safe_load(SAMPLE)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = data
        for key in parents:
            target = target[key]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return yaml.safe_dump(data, allow_unicode=True)


CASES = {
    "malformed YAML": (
        "letter.yaml",
        "template: pause_confirmation\nschool: [unclosed\n",
        "letter.yaml: is not valid YAML",
    ),
    "malformed JSON": (
        "letter.json",
        '{"template": "pause_confirmation", "school": }',
        "letter.json: is not valid JSON: Expecting value at line 1, column 46",
    ),
    "not a mapping": ("letter.yaml", "- a\n- b\n", "letter.yaml: expected a mapping of fields"),
    "unknown template": (
        "letter.yaml",
        _edited(template="pause_confirmaton"),
        "letter.yaml: field 'template': There is no template 'pause_confirmaton'. "
        "Did you mean 'pause_confirmation'?",
    ),
    "no template": (
        "letter.yaml", _edited(template=None), "letter.yaml: field 'template': is missing"
    ),
    "missing field": (
        "letter.yaml",
        _edited(duty_desk_reference=None),
        "letter.yaml: field 'duty_desk_reference': is required but missing",
    ),
    "unknown field": (
        "letter.yaml",
        _edited(school__nmae="Typo"),
        "letter.yaml: field 'school.nmae': is not a field of this document",
    ),
    "wrong type": (
        "letter.yaml",
        _edited(school__urn="12AB"),
        "letter.yaml: field 'school.urn': expected a URN of 6 or 7 digits, such as '100000', "
        "got '12AB'",
    ),
    "impossible date": (
        "letter.yaml",
        _edited(letter_date="2026-02-30"),
        "letter.yaml: field 'letter_date': expected a real date as YYYY-MM-DD, got '2026-02-30'",
    ),
    "pause too long": (
        "letter.yaml",
        _edited(pause_working_days=6),
        "letter.yaml: field 'pause_working_days': a pause may last up to 5 working days, but "
        "this one lasts 6 working days from 2027-04-29",
    ),
    "resume date too late": (
        "letter.yaml",
        _edited(pause_working_days=None, expected_resume_date="2027-05-10"),
        "letter.yaml: field 'expected_resume_date': a pause may last up to 5 working days, but "
        "this one lasts 6 working days from 2027-04-29",
    ),
    "resume on a bank holiday": (
        "letter.yaml",
        _edited(expected_resume_date="2027-05-03"),
        "letter.yaml: field 'expected_resume_date': 2027-05-03 is not a "
        "working day in England",
    ),
    "wrong list item": (
        "letter.yaml",
        _edited(inspection__team=[{"first_name": "A", "last_name": "B", "designation": "Boss"}]),
        "letter.yaml: field 'inspection.team[0].designation': expected 'HMI' or "
        "'Ofsted Inspector', got 'Boss'",
    ),
}


def _assert_one_clean_line(result, expected: str, out: Path) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("docgen: ")
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_data_file(tmp_path: Path, case: str) -> None:
    name, content, expected = CASES[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(path), "--out", str(out)])
    _assert_one_clean_line(result, f"{tmp_path}/{expected}" if "/" not in expected else expected,
                           out)


def test_missing_data_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(tmp_path / "nope.yaml")])
    _assert_one_clean_line(result, "nope.yaml: does not exist", tmp_path / "out")


@pytest.fixture
def corrupt_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", root)
    (root / "letters" / "pause_confirmation.docx").write_bytes(b"PK\x03\x04 not really a zip")
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(root))
    return root


def test_corrupt_template_file(tmp_path: Path, corrupt_templates: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["render", str(SAMPLES / "pause_confirmation.yaml"), "--out", str(out)]
    )
    _assert_one_clean_line(result, "pause_confirmation.docx: is not a readable Word file", out)


def test_template_using_a_field_the_data_lacks(tmp_path: Path, monkeypatch) -> None:
    import docx

    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", root)
    path = root / "letters" / "pause_confirmation.docx"
    document = docx.Document(str(path))
    document.add_paragraph("Head: {{ headteacher.nickname }}")
    document.save(str(path))
    monkeypatch.setenv("DOCGEN_TEMPLATES", str(root))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["render", str(SAMPLES / "pause_confirmation.yaml"), "--out", str(out)]
    )
    _assert_one_clean_line(
        result, "template 'pause_confirmation' uses a field 'nickname', which the data does "
        "not provide", out)


def test_a_good_file_still_renders_beside_a_bad_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(_edited(school__urn="12AB"), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(bad), str(good), "--out", str(out)])
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["good.docx"]
    assert "1 of 2 files could not be rendered" in result.stderr
