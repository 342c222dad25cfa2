"""POST /v1/render in the formats added with issue 12: HTML, and an email for email templates."""

from __future__ import annotations

import email
import email.policy

from docgen.data import read_data_file
from tests.conftest import SAMPLES
from tests.service.conftest import bearer, sample_request


def test_render_html(client):
    body = {**sample_request(), "format": "html"}
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 'filename="pause_confirmation.html"' in response.headers["content-disposition"]
    assert "<h1>" in response.text and "Education Support" in response.text


def test_render_eml_for_the_email_template(client):
    data = read_data_file(SAMPLES / "notification_email.yaml")
    data.pop("template")
    body = {"template": "notification_email", "data": data, "format": "eml"}
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "message/rfc822"
    message = email.message_from_bytes(response.content, policy=email.policy.default)
    assert message.get_body(("plain",)) is not None
    assert message.get_body(("html",)) is not None


def test_render_eml_for_a_letter_is_refused_with_the_reason(client):
    body = {**sample_request(), "format": "eml"}
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "format_not_available"
    assert "is a letter, not an email" in error["message"]
