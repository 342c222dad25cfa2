"""Required content per document type."""

from __future__ import annotations

from docgen.lint.config import LintConfig
from docgen.lint.engine import lint_text

ONLY = LintConfig(select=("Required",))
CONTACT = "Please call Daniel Okafor on 0300 123 1231."
SUPPORT = "Education Support runs a free helpline on 08000 562 561."
RIGHT = "The trust may make representations to us. Please send them by 10 June 2026."


def _required(text: str, kind: str | None) -> list[tuple[str, int, int]]:
    report = lint_text(text, document_type=kind, config=ONLY)
    return [(f.rule, f.line, f.column) for f in report.findings]


def test_complete_letters_pass() -> None:
    assert _required(f"{CONTACT}\n\n{SUPPORT}", "pause_confirmation") == []
    assert _required(f"{CONTACT}\n\n{SUPPORT}\n\n{RIGHT}", "termination_warning_notice") == []
    assert _required(f"{CONTACT}\n\n{SUPPORT}", "concern_acknowledgement") == []


def test_a_concern_acknowledgement_signposts_wellbeing_support() -> None:
    # Someone raising a concern about an inspection is often under strain (issue 11).
    assert _required(CONTACT, "concern_acknowledgement") == [("Required.Wellbeing", 1, 1)]


def test_missing_content_points_at_line_one() -> None:
    assert _required("\n\nWe have paused the inspection.", "pause_confirmation") == [
        ("Required.Contact", 3, 1), ("Required.Wellbeing", 3, 1)]


def test_termination_warning_notice_needs_right_and_date() -> None:
    found = [r for r, *_ in _required(f"{CONTACT}\n\n{SUPPORT}", "termination_warning_notice")]
    assert found == ["Required.Representations", "Required.RepresentationsDate"]
    undated = f"{CONTACT}\n\n{SUPPORT}\n\nThe trust may make representations to us."
    assert [r for r, *_ in _required(undated, "termination_warning_notice")] == [
        "Required.RepresentationsDate"]


def test_reports_and_untyped_documents_need_no_contact() -> None:
    assert _required("Pupils are safe.", "inspection_report_2019") == []
    assert _required("Pupils are safe.", None) == []
