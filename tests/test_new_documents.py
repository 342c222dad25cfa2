"""The documents added in issue 12: the catalogue, the email, each model's checks, and
every sample rendered and linted clean (tests/issue/test_consistency_gate.py issues every
sample)."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from docgen.cli import main
from docgen.data import load_document, read_data_file
from docgen.errors import DataError
from tests.conftest import SAMPLES

NEW = ["parent_letter", "notification_email", "monitoring_visit", "complaint_outcome",
       "inspection_resuming", "inspection_incomplete", "deferral_decision",
       "minded_to_terminate", "representations_decision", "termination_notice"]


def test_catalogue_lists_at_least_18_documents_with_source_notes(catalogue) -> None:
    result = CliRunner().invoke(main, ["templates", "--format", "json"])
    ids = {row["id"] for row in json.loads(result.output)}
    assert len(ids) >= 18
    assert set(NEW) <= ids
    for template_id in NEW:
        assert catalogue.get(template_id).manifest.sources.follows, template_id


@pytest.mark.parametrize("template_id", NEW)
def test_each_new_document_has_samples(template_id: str) -> None:
    names = [p.stem for p in SAMPLES.glob("*.yaml")
             if read_data_file(p).get("template") == template_id]
    assert names, f"no sample for {template_id}"


@pytest.mark.parametrize("outcome,sample", [
    ("notice withdrawn", "representations_decision"),
    ("termination to proceed", "representations_decision_terminate"),
])
def test_both_decisions_have_a_sample(outcome: str, sample: str) -> None:
    assert read_data_file(SAMPLES / f"{sample}.yaml")["outcome"] == outcome


def test_new_templates_lint_with_no_findings() -> None:
    result = CliRunner().invoke(main, ["lint", "--templates", "--format", "json",
                                       "--fail-on", "suggestion"])
    files = json.loads(result.output)["files"]
    for file in files:
        if any(f"templates/letters/{t}.docx" in file["path"] for t in NEW):
            assert file["findings"] == [], (file["path"], file["findings"])


# --- The email ----------------------------------------------------------------------------

def _eml(tmp_path: Path, *extra: str) -> email.message.EmailMessage:
    result = CliRunner().invoke(main, ["render", str(SAMPLES / "notification_email.yaml"),
                                       "--out", str(tmp_path), "--format", "eml", *extra])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "notification_email.eml").read_bytes()
    return email.message_from_bytes(data, policy=email.policy.default)


def test_eml_has_a_text_and_an_html_part(tmp_path: Path) -> None:
    message = _eml(tmp_path)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Inspection of Wyverton Community Academy on 9 and 10 March 2027"
    assert message["From"] == "Amara Osei <amara.osei@ofsted.example.org>"
    assert message["To"] == "Mrs Rebecca Hollins <head@wyverton-academy.example.org>"
    assert message["Cc"] == "School office <office@wyverton-academy.example.org>"
    assert message["Date"] == "Mon, 08 Mar 2027 11:02:00 +0000"
    assert message["Content-Language"] == "en-GB"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "You can talk to Graham Pike, Senior His Majesty's Inspector, on 01632 960399." in plain
    assert "<li>Education Support: 08000 562 561" in html
    assert "{{" not in plain and "{{" not in html


def test_eml_with_an_attachment_is_mixed(tmp_path: Path) -> None:
    letter = tmp_path / "letter to parents.pdf"
    letter.write_bytes(b"%PDF-1.7 test")
    message = _eml(tmp_path, "--attach", str(letter))
    assert message.get_content_type() == "multipart/mixed"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "letter to parents.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.7 test"
    assert message.get_body(("plain",)) is not None
    assert message["Content-Language"] == "en-GB"


def test_eml_encodes_names_with_diacritics(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render",
                                       str(SAMPLES / "notification_email_no_attachment.yaml"),
                                       "--out", str(tmp_path), "--format", "eml"])
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "notification_email_no_attachment.eml").read_bytes()
    assert raw.isascii()  # headers and bodies are encoded for transport
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"].addresses[0].display_name == "Zoë Łukasiewicz-Brennan"
    assert "Dear Zoë Łukasiewicz-Brennan" in message.get_body(("plain",)).get_content()


# --- Each model's checks ------------------------------------------------------------------

def _invalid(tmp_path: Path, catalogue, sample: str, change, expected: str) -> None:
    raw = read_data_file(SAMPLES / f"{sample}.yaml")
    change(raw)
    path = tmp_path / f"{sample}.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_document(path, catalogue)
    assert expected in caught.value.message


CASES = [
    ("inspection_resuming", lambda r: r.update(resume_date="2027-04-06"),
     "6 working days after the pause began"),
    ("inspection_resuming", lambda r: r.update(resume_date="2027-03-29"),
     "is not a working day in England"),
    ("inspection_incomplete", lambda r: r.update(letter_date="2027-05-11"),
     "within the 5 working days a pause may last (until 2027-05-11)"),
    ("deferral_decision", lambda r: r.pop("inspect_from"),
     "field 'inspect_from': is required when decision is 'deferred'"),
    ("deferral_decision_not_deferred", lambda r: r.update(inspect_from="2027-11-01"),
     "field 'inspect_from': is only for a deferred inspection"),
    ("monitoring_visit", lambda r: r.update(category="significant improvement"),
     "belongs to report cards"),
    ("monitoring_visit_report_card", lambda r: r.update(category="serious weaknesses"),
     "belongs to the 2019 framework"),
    ("notification_email", lambda r: r.update(sent_at="2027-03-09T08:00"),
     "must be the day of the call"),
    ("representations_decision", lambda r: r.update(outcome="termination to proceed"),
     "field 'proposed_new_trust': is required when outcome is 'termination to proceed'"),
    ("minded_to_terminate_after_twn", lambda r: r.pop("earlier_notice_date"),
     "field 'earlier_notice_date': is required for a minded-to-terminate letter"),
    ("minded_to_terminate", lambda r: r.update(representations_by="2027-01-18"),
     "must be after letter_date"),
    ("termination_notice", lambda r: r.update(termination_date="2027-04-01"),
     "must be after letter_date"),
    ("parent_letter_one_day", lambda r: r.update(parent_view_closes_at="2027-06-16T11:00"),
     "must fall during the inspection"),
    ("complaint_outcome", lambda r: r["contact"].pop("phone"),
     "field 'contact.phone': is required"),
]


@pytest.mark.parametrize("sample,change,expected", CASES, ids=[c[0] + "-" + c[2][:24]
                                                               for c in CASES])
def test_model_refuses_inconsistent_data(sample, change, expected, tmp_path, catalogue) -> None:
    _invalid(tmp_path, catalogue, sample, change, expected)


def test_working_days_over_easter(catalogue) -> None:
    loaded = load_document(SAMPLES / "inspection_resuming.yaml", catalogue)
    import datetime as dt

    assert loaded.document.pause_length == 1  # Good Friday and Easter Monday are not counted
    assert loaded.document.latest_resume_date == dt.date(2027, 4, 5)


def test_a_prefix_the_manifest_accepts_is_one_the_register_accepts(tmp_path: Path,
                                                                    catalogue) -> None:
    # The 2019 report's manifest declares 'R19'; the register once refused digits.
    from docgen.issue.register import Register

    prefix = catalogue.get("inspection_report_2019").manifest.reference_prefix
    with Register(str(tmp_path / "register.sqlite3")) as register:
        assert register.reserve(prefix, 2027).reference == f"{prefix}-2027-000001"


def test_parent_letter_profile_asks_for_plainer_english() -> None:
    from docgen.lint.engine import lint_text

    # Reading ease about 49: acceptable in a letter to a headteacher, not to every parent.
    text = (
        "Inspectors will look at the curriculum and talk to pupils about their experiences "
        "at the school. They will discuss the school's priorities with leaders, governors "
        "and the local authority, and read the documents the school provides.\n\n"
        "Parents and carers can give their views through Ofsted Parent View at any time "
        "during the inspection. Inspectors consider every response carefully, alongside the "
        "other evidence, before reaching their conclusions.\n\nThe report describes the "
        "school's strengths and the areas it should improve. If you have a question, please "
        "telephone Ofsted on 0300 123 1231."
    )
    rules = {f.rule for f in lint_text(text, "parent_letter").findings}
    assert {"Readability.ReadingEase", "Readability.Grade"} <= rules
    assert not {f.rule for f in lint_text(text, None).findings}
