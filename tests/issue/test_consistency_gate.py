"""Issue 11's acceptance: documents that contradict their data are refused by the gate,
naming the field and the sentence; every shipped sample issues cleanly (the one test
that issues every sample, each through the command a user runs)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.data import load_document
from tests.conftest import DATA, SAMPLES

# Issuing needs *a* LibreOffice, not a fresh one: lend the run's warm converter.
pytestmark = pytest.mark.usefixtures("shared_converter")

CONTRADICTIONS = DATA / "contradictions"

#: Each contradictory sample: the rules that refuse it, each with the field named and
#: (part of) the sentence quoted in its message.
EXPECTED = {
    "report_2019_safeguarding_not_effective": {
        "Consistency.SafeguardingClaims": (
            "judgements.safeguarding is 'not effective'",
            "'Leaders have created a strong culture of safeguarding.'"),
        "Consistency.CategoryNotImplied": (
            "judgements.category_of_concern is serious weaknesses",
            "'The school has been placed in the category of special measures.'"),
    },
    "report_card_safeguarding_not_met": {
        "Consistency.SafeguardingClaims": (
            "judgements.safeguarding is 'not met'",
            "'Staff are well trained and report concerns promptly.'"),
        "Consistency.UrgentImprovementNarrative": (
            "judgements.leadership_and_governance.narrative names no weakness",
            "'Leaders and trustees share a clear plan for the school."),
    },
    "twn_concern_not_in_report": {
        "Consistency.QuotedConcerns": (
            "concerns[0] is quoted as Ofsted's words",
            "'Safeguarding is not effective. Leaders do not act quickly enough"),
    },
    "twn_decision_before_deadlines": {
        "Consistency.DecisionAfterDeadlines": (
            "decision_date is 10 June 2026, before the last action is due on 11 December 2026",
            "'After 10 June 2026, I will write to you with my decision"),
    },
    "publication_delay_unexplained": {
        "Consistency.PublicationReason": (
            "34 working days after the inspection, beyond the norm of 28, but "
            "reason_for_longer is not given",
            "'We now expect to publish the report on Friday 23 April 2027.'"),
        "Consistency.BankHolidayReason": (
            "Working days already leave out bank holidays",
            "'The Easter bank holidays also fall within this period.'"),
    },
    "return_visit_too_late": {
        "Consistency.ReturnVisitWindow": (
            "return_visit_by is 13 March 2026",
            "'We will visit the school by Friday 13 March 2026.'"),
    },
}


def test_every_contradiction_has_expectations() -> None:
    assert sorted(p.stem for p in CONTRADICTIONS.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_contradiction_is_refused_naming_field_and_sentence(name: str, tmp_path: Path) -> None:
    out = tmp_path / "issued"
    result = CliRunner().invoke(main, [
        "issue", str(CONTRADICTIONS / f"{name}.yaml"), "--by", "A Reviewer",
        "--out", str(out), "--db", str(tmp_path / "register.sqlite3"),
    ])
    assert result.exit_code == 1, result.output
    assert "not issued" in result.stderr
    errors = dict(re.findall(r" error (Consistency\.\w+) (.*)", result.stdout))
    assert set(EXPECTED[name]) <= set(errors), result.stdout
    for rule, (field, sentence) in EXPECTED[name].items():
        assert field in errors[rule], errors[rule]
        assert sentence in errors[rule], errors[rule]
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_lint_on_the_data_file_finds_the_same(name: str) -> None:
    result = CliRunner().invoke(main, ["lint", str(CONTRADICTIONS / f"{name}.yaml")])
    assert result.exit_code == 1, result.output
    found = set(re.findall(r" error (Consistency\.\w+) ", result.stdout))
    assert set(EXPECTED[name]) <= found


def test_a_consistency_finding_can_be_waived_with_a_reason(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [
        "issue", str(CONTRADICTIONS / "return_visit_too_late.yaml"), "--by", "A Reviewer",
        "--out", str(tmp_path / "issued"), "--db", str(tmp_path / "register.sqlite3"),
        "--waive", "Consistency.ReturnVisitWindow",
        "--reason", "Visit date agreed with the school after its own request",
    ])
    assert result.exit_code == 0, result.output
    assert "Waivers recorded: Consistency.ReturnVisitWindow by A Reviewer" in result.stdout


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_sample_issues_cleanly(sample: Path, tmp_path: Path, catalogue) -> None:
    out = tmp_path / "issued"
    result = CliRunner().invoke(main, [
        "issue", str(sample), "--by", "A Reviewer", "--out", str(out),
        "--db", str(tmp_path / "register.sqlite3"),
    ])
    assert result.exit_code == 0, result.output
    issued = re.match(r"Issued ([A-Z0-9]+-\d{4}-\d{6})", result.stdout)
    assert issued, result.stdout
    reference = issued.group(1)
    prefix = load_document(sample, catalogue).template.manifest.reference_prefix
    assert reference.startswith(f"{prefix}-"), reference
    assert sorted(p.name for p in out.iterdir()) == [f"{reference}.docx", f"{reference}.pdf"]
