"""Framework by date: 2019-framework documents only for inspections before 10 November
2025, report cards from then; categories of concern come from the judgements."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.models import Judgements2019, ReportCardJudgements
from tests.conftest import SAMPLES


def _sample(name: str) -> dict:
    return yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))


def _written(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _render(path: Path, tmp_path: Path):
    return CliRunner().invoke(main, ["render", str(path), "--out", str(tmp_path / "out")])


CASES = {
    "2019 report after report cards began": (
        "inspection_report_2019",
        {"inspection": {"start_date": "2025-11-10", "end_date": "2025-11-11"}},
        "field 'inspection.start_date': 2025-11-10 is on or after 10 November 2025, when "
        "report cards replaced the 2019 framework",
    ),
    "report card before report cards began": (
        "inspection_report_card",
        {"inspection": {"start_date": "2025-11-06", "end_date": "2025-11-07"}},
        "field 'inspection.start_date': 2025-11-06 is before 10 November 2025, when report "
        "cards began; use the template 'inspection_report_2019'",
    ),
    "graded inspection after report cards began": (
        "pause_confirmation",
        {"inspection": {"type": "graded inspection"}},
        "field 'inspection.start_date': 2027-04-28 is on or after 10 November 2025, when "
        "report cards replaced the 2019 framework, so the type 'graded inspection' does not "
        "apply; use 'full inspection'",
    ),
    "a category typed by hand": (
        "inspection_report_2019",
        {"judgements": {"category_of_concern": "special measures"}},
        "field 'judgements.category_of_concern': is worked out from the judgements; remove "
        "it from the data",
    ),
    "return visit under report cards": (
        "safeguarding_return_visit",
        {"inspection": {"start_date": "2026-11-17", "end_date": "2026-11-18",
                        "type": "full inspection"}, "report_published": "2027-01-12"},
        "field 'inspection.start_date': 2026-11-17 is on or after 10 November 2025; this "
        "letter follows the 2019 framework's return-visit policy",
    ),
    "return visit where more than safeguarding was inadequate": (
        "safeguarding_return_visit",
        {"judgements": {"quality_of_education": "requires improvement"}},
        "data.yaml: judgements: a return visit is for a school judged inadequate only because "
        "safeguarding was not effective",
    ),
}


def _merge(data: dict, changes: dict) -> dict:
    for key, value in changes.items():
        if isinstance(value, dict):
            _merge(data[key], value)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize("case", sorted(CASES))
def test_wrong_framework_for_the_date_is_exit_2_naming_field_and_date(case: str,
                                                                      tmp_path: Path) -> None:
    sample, changes, message = CASES[case]
    path = _written(tmp_path, _merge(_sample(sample), changes))
    result = _render(path, tmp_path)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_issue_refuses_a_2019_report_dated_after_report_cards_began(tmp_path: Path) -> None:
    data = _merge(_sample("inspection_report_2019"),
                  {"inspection": {"start_date": "2026-03-03", "end_date": "2026-03-04"}})
    result = CliRunner().invoke(main, [
        "issue", str(_written(tmp_path, data)), "--by", "A Reviewer",
        "--out", str(tmp_path / "issued"), "--db", str(tmp_path / "register.sqlite3"),
    ])
    assert result.exit_code == 2, result.output
    assert "field 'inspection.start_date': 2026-03-03 is on or after 10 November 2025, when " \
        "report cards replaced the 2019 framework" in result.stderr


GOOD = "good"


def _judgements_2019(**grades: str) -> Judgements2019:
    base = {"quality_of_education": GOOD, "behaviour_and_attitudes": GOOD,
            "personal_development": GOOD, "leadership_and_management": GOOD,
            "safeguarding": "effective"}
    return Judgements2019.model_validate({**base, **grades})


@pytest.mark.parametrize(("grades", "category"), [
    ({}, None),
    ({"safeguarding": "not effective"}, "serious weaknesses"),
    ({"quality_of_education": "inadequate"}, "serious weaknesses"),
    ({"leadership_and_management": "inadequate"}, "special measures"),
    ({"leadership_and_management": "inadequate", "safeguarding": "not effective"},
     "special measures"),
    ({"quality_of_education": "requires improvement"}, None),
])
def test_2019_category_comes_from_the_judgements(grades: dict, category: str | None) -> None:
    judgements = _judgements_2019(**grades)
    assert judgements.category_of_concern == category
    assert (judgements.category_statement is None) == (category is None)


def _report_card(safeguarding: str = "met", **grades: str) -> ReportCardJudgements:
    areas = ("inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
             "personal_development_and_wellbeing", "leadership_and_governance")
    return ReportCardJudgements.model_validate({
        **{area: {"grade": grades.get(area, "expected standard"), "narrative": "Text."}
           for area in areas},
        "safeguarding": safeguarding,
    })


@pytest.mark.parametrize(("safeguarding", "grades", "category"), [
    ("met", {}, None),
    ("not met", {}, "significant improvement"),
    ("met", {"achievement": "urgent improvement"}, "significant improvement"),
    ("met", {"leadership_and_governance": "urgent improvement"}, "special measures"),
    ("not met", {"leadership_and_governance": "urgent improvement"}, "special measures"),
    ("met", {"achievement": "needs attention"}, None),
])
def test_report_card_category_comes_from_the_grades(safeguarding: str, grades: dict,
                                                    category: str | None) -> None:
    judgements = _report_card(safeguarding, **grades)
    assert judgements.category_of_concern == category
    if category:
        assert judgements.category_statement.endswith(f"this school requires {category}.")
