"""POST /v1/issue through the real lint gate, LibreOffice and register; GET /v1/register."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from docgen.issue.register import Register
from tests.service.conftest import bearer, sample_request
from tests.service.test_api import error_of

# Issuing needs *a* LibreOffice, not a fresh one: lend the run's warm converter.
pytestmark = pytest.mark.usefixtures("shared_converter")

HARSH = "You have failed to keep pupils safe, and frankly this is totally unacceptable."


def harsh_notice() -> dict:
    body = sample_request("termination_warning_notice")
    body["data"]["concerns"] = [*body["data"]["concerns"], HARSH]
    return body


def test_issue_without_a_token_is_401(client):
    response = client.post("/v1/issue", json=sample_request())
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("token", ["writer-secret", "reviewer-secret"])
def test_issue_without_the_issuer_role_is_403(client, token):
    response = client.post("/v1/issue", json=sample_request(), headers=bearer(token))
    assert response.status_code == 403
    assert "may not issue documents (the issuer role)" in error_of(response)["message"]


def test_waivers_need_the_reviewer_role_too(client):
    body = {**harsh_notice(), "waivers": [{"rule": "Tone.Blame", "reason": "Quoted"}]}
    response = client.post("/v1/issue", json=body, headers=bearer("issuer-secret"))
    assert response.status_code == 403
    assert "waivers need a token that also holds the reviewer role" in error_of(response)[
        "message"]


def test_issue_bad_data_is_422(client):
    body = sample_request()
    del body["data"]["school"]
    response = client.post("/v1/issue", json=body, headers=bearer("issuer-secret"))
    assert response.status_code == 422
    assert "field 'school'" in error_of(response)["message"]


def test_issue_unknown_template_is_404(client):
    body = {"template": "../templates/letters/pause_confirmation", "data": {}}
    response = client.post("/v1/issue", json=body, headers=bearer("issuer-secret"))
    assert response.status_code == 404


def test_harsh_notice_is_refused_then_issued_with_a_waiver(client, settings, tmp_path):
    refused = client.post("/v1/issue", json=harsh_notice(), headers=bearer("issuer-secret"))
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["code"] == "issue_refused"
    assert error["message"].startswith("Not issued: ")
    rules = sorted({f["rule"] for f in error["findings"]})
    assert "Tone.Blame" in rules
    assert all(f["severity"] == "error" for f in error["findings"])
    with Register(settings.register) as register:
        assert register.all() == []

    waivers = [{"rule": rule, "reason": "Quoted from the inspection report"} for rule in rules]
    body = {**harsh_notice(), "waivers": waivers}
    issued = client.post("/v1/issue", json=body, headers=bearer("senior-secret"))
    assert issued.status_code == 201, issued.text
    result = issued.json()
    reference = result["reference"]
    assert reference.startswith("TWN-")
    assert result["already_issued"] is False
    record = result["record"]
    assert record["issued_by"] == "Sam Senior"
    assert {w["rule"] for w in record["waivers"]} == set(rules)
    assert all(w["by"] == "Sam Senior" for w in record["waivers"])
    pdf = PdfReader(tmp_path / "issued" / f"{reference}.pdf")
    assert reference in "".join(page.extract_text() for page in pdf.pages)

    again = client.post("/v1/issue", json=body, headers=bearer("senior-secret"))
    assert again.status_code == 200
    assert again.json()["already_issued"] is True
    assert again.json()["reference"] == reference

    shown = client.get(f"/v1/register/{reference}", headers=bearer("writer-secret"))
    assert shown.status_code == 200
    assert shown.json() == record
    with Register(settings.register) as register:
        assert [r.reference for r in register.all()] == [reference]
        assert not [p for p in register.verify() if p.is_error]


def test_register_needs_a_token(client):
    response = client.get("/v1/register/PAU-2027-000001")
    assert response.status_code == 401
    unknown = client.get("/v1/register/PAU-2027-000001", headers=bearer("made-up"))
    assert unknown.status_code == 401


def test_register_unknown_reference_is_404(client, settings):
    Register(settings.register).close()
    response = client.get("/v1/register/PAU-2027-000999", headers=bearer("reviewer-secret"))
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "record_not_found"
    assert "PAU-2027-000999" in error["message"]


def test_register_before_anything_is_issued_is_404(client):
    response = client.get("/v1/register/PAU-2027-000001", headers=bearer("issuer-secret"))
    assert response.status_code == 404
    assert error_of(response)["code"] == "record_not_found"


def test_a_report_that_contradicts_its_grades_is_refused(client, settings):
    from docgen.data import read_data_file
    from tests.conftest import DATA

    raw = read_data_file(DATA / "contradictions" / "report_card_safeguarding_not_met.yaml")
    body = {"template": raw.pop("template"), "data": raw}
    refused = client.post("/v1/issue", json=body, headers=bearer("issuer-secret"))
    assert refused.status_code == 422
    findings = {f["rule"]: f["message"] for f in error_of(refused)["findings"]}
    assert "judgements.safeguarding is 'not met'" in findings["Consistency.SafeguardingClaims"]
    assert "Consistency.UrgentImprovementNarrative" in findings
    with Register(settings.register) as register:
        assert register.all() == []
