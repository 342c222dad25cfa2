"""Every endpoint of the service, through FastAPI's TestClient and the real library."""

from __future__ import annotations

import io
import json

import docx
import pytest
from click.testing import CliRunner

from docgen.cli import main
from tests.service.conftest import HARSH_LETTER, bearer, sample_request


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    assert body["error"]["message"].strip()
    return body["error"]


# --- open endpoints ------------------------------------------------------------------------

def test_healthz_is_open(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_templates_lists_every_template_without_server_paths(client, catalogue):
    response = client.get("/v1/templates")
    assert response.status_code == 200
    rows = response.json()
    assert [r["id"] for r in rows] == [t.id for t in catalogue]
    assert all("path" not in r for r in rows)
    assert {"id", "title", "kind", "audience", "model", "document_type"} <= set(rows[0])


def test_schema_matches_the_cli(client):
    response = client.get("/v1/templates/pause_confirmation/schema")
    assert response.status_code == 200
    cli = CliRunner().invoke(main, ["schema", "pause_confirmation"])
    assert response.json() == json.loads(cli.output)


def test_unknown_template_schema_is_404(client):
    error = error_of(response := client.get("/v1/templates/pause_confirmaton/schema"))
    assert response.status_code == 404
    assert error["code"] == "template_not_found"
    assert "Did you mean 'pause_confirmation'?" in error["message"]


@pytest.mark.parametrize("template_id", [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "pause_confirmation.yaml",
    "letters%2Fpause_confirmation",
])
def test_a_path_for_a_template_id_is_404_never_a_file(client, template_id):
    response = client.get(f"/v1/templates/{template_id}/schema")
    assert response.status_code == 404
    assert error_of(response)["code"] in {"template_not_found", "not_found"}
    assert "root:" not in response.text


@pytest.mark.parametrize("template_id", ["../../etc/passwd", "/etc/passwd",
                                         "letters/pause_confirmation"])
def test_render_with_a_path_for_template_is_404(client, template_id):
    body = {"template": template_id, "data": {}, "format": "text"}
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 404
    assert error_of(response)["code"] == "template_not_found"


def test_unknown_path_and_wrong_method_are_json(client):
    response = client.get("/v2/nothing")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    response = client.delete("/v1/templates")
    assert response.status_code == 405
    error = error_of(response)
    assert error["code"] == "method_not_allowed"
    assert error["message"] == "DELETE is not allowed on /v1/templates; use GET."


def test_openapi_and_docs(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/healthz", "/v1/templates", "/v1/templates/{template_id}/schema",
                 "/v1/render", "/v1/lint", "/v1/issue", "/v1/register/{reference}"):
        assert path in spec["paths"]
    lint_body = spec["paths"]["/v1/lint"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(lint_body)


def test_page_and_its_assets_are_served_by_the_app(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<label class="govuk-label govuk-label--m" for="letter">' in page.text
    for asset in ("/static/govuk/govuk-frontend.min.css", "/static/govuk/govuk-frontend.min.js",
                  "/static/tone-check.js", "/static/tone-check.css",
                  "/assets/images/favicon.svg", "/assets/fonts/bold-b542beb274-v2.woff2"):
        assert client.get(asset).status_code == 200, asset
    assert "http" not in page.text.split("<footer")[0].replace("http://www.w3.org", "")


def test_cors_is_off_by_default(client):
    response = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/v1/lint", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_when_configured(settings, make_client):
    client = make_client(settings, cors_origins=("https://tone.example.gov.uk",))
    allowed = client.get("/healthz", headers={"Origin": "https://tone.example.gov.uk"})
    assert allowed.headers["access-control-allow-origin"] == "https://tone.example.gov.uk"
    other = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


# --- render --------------------------------------------------------------------------------

def test_render_docx(client):
    response = client.post("/v1/render", json=sample_request(), headers=bearer("writer-secret"))
    assert response.status_code == 200
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert 'filename="pause_confirmation.docx"' in response.headers["content-disposition"]
    document = docx.Document(io.BytesIO(response.content))
    assert any("Brookfield Primary School" in p.text for p in document.paragraphs)


def test_render_text_matches_the_cli(client, tmp_path):
    body = {**sample_request(), "format": "text"}
    response = client.post("/v1/render", json=body, headers=bearer("issuer-secret"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    result = CliRunner().invoke(main, ["render", "samples/pause_confirmation.yaml",
                                       "--format", "text", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert response.text == (tmp_path / "pause_confirmation.txt").read_text(encoding="utf-8")


def test_render_pdf_through_libreoffice(client):
    body = {**sample_request(), "format": "pdf"}
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_conversion_timeout_is_504(settings, make_client):
    client = make_client(settings, conversion_timeout=0.001)
    body = {**sample_request(), "format": "pdf"}
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 504
    error = error_of(response)
    assert error["code"] == "conversion_timeout"
    assert "did not finish" in error["message"]


def test_render_bad_data_is_422_naming_the_field(client):
    body = sample_request()
    body["data"]["pause_working_days"] = 9
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid_data"
    assert "field 'pause_working_days'" in error["message"]


def test_render_unknown_format_is_422(client):
    body = {**sample_request(), "format": "rtf"}
    response = client.post("/v1/render", json=body, headers=bearer("writer-secret"))
    assert response.status_code == 422
    assert error_of(response)["message"] == (
        "The request's field 'format' expected 'docx', 'pdf', 'html', 'text' or 'eml', "
        "got 'rtf'.")


def test_render_without_a_token_is_401_with_a_challenge(client):
    response = client.post("/v1/render", json=sample_request())
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "token_required"


def test_render_with_an_unknown_token_is_401(client):
    response = client.post("/v1/render", json=sample_request(), headers=bearer("guess"))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert error_of(response)["code"] == "token_not_recognised"


def test_render_with_a_basic_header_is_401(client):
    response = client.post("/v1/render", json=sample_request(),
                           headers={"Authorization": "Basic d3JpdGVyOnNlY3JldA=="})
    assert response.status_code == 401
    assert "not a bearer token" in error_of(response)["message"]


def test_render_with_the_reviewer_role_is_403(client):
    response = client.post("/v1/render", json=sample_request(), headers=bearer("reviewer-secret"))
    assert response.status_code == 403
    error = error_of(response)
    assert error["code"] == "role_not_allowed"
    assert "'Ravi Reviewer' (reviewer) may not render documents" in error["message"]


def test_access_is_checked_before_the_body(client):
    response = client.post("/v1/render", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 401


# --- lint ----------------------------------------------------------------------------------

def test_lint_text_gives_the_cli_json(client):
    response = client.post("/v1/lint", json={"text": HARSH_LETTER, "document_type": None})
    assert response.status_code == 200
    body = response.json()
    cli = CliRunner().invoke(main, ["lint", "-", "--format", "json"], input=HARSH_LETTER)
    from_cli = json.loads(cli.output)
    assert body["files"][0]["findings"] == from_cli["files"][0]["findings"]
    assert body["summary"] == from_cli["summary"]
    assert body["summary"]["errors"] >= 1
    assert {"rule", "severity", "line", "column", "end_line", "end_column", "match",
            "message", "suggestions"} == set(body["files"][0]["findings"][0])


# Harsh in a way no pattern rule lists: only the tone model (Tone.Semantic) flags it.
MODEL_ONLY = ("Your staff seem to have treated the deadline as a suggestion rather than a "
              "commitment.")


def test_a_tone_model_finding_keeps_its_category_through_the_service(client):
    response = client.post("/v1/lint", json={"text": MODEL_ONLY})
    assert response.status_code == 200
    findings = response.json()["files"][0]["findings"]
    semantic = [f for f in findings if f["rule"] == "Tone.Semantic"]
    assert len(semantic) == 1
    assert semantic[0]["category"] == "blame"
    assert 0.85 <= semantic[0]["score"] <= 1
    assert "sentence" not in semantic[0]  # the extent the model judged is not sent

    word = client.post("/v1/lint/word", json={"text": MODEL_ONLY})
    assert word.status_code == 200
    comments = [c.text for c in docx.Document(io.BytesIO(word.content)).comments]
    assert any("blaming people" in c for c in comments)


def test_lint_with_a_document_type(client):
    response = client.post("/v1/lint", json={"text": HARSH_LETTER,
                                             "document_type": "pause_confirmation"})
    assert response.status_code == 200
    assert response.json()["files"][0]["document_type"] == "pause_confirmation"


def test_lint_docx_upload_matches_the_cli(client, tmp_path):
    rendered = client.post("/v1/render", json=sample_request(), headers=bearer("writer-secret"))
    path = tmp_path / "letter.docx"
    path.write_bytes(rendered.content)
    response = client.post("/v1/lint", files={"file": ("letter.docx", rendered.content)})
    assert response.status_code == 200, response.text
    cli = CliRunner().invoke(main, ["lint", str(path), "--format", "json"])
    from_cli = json.loads(cli.output)["files"][0]
    body = response.json()["files"][0]
    assert body["path"] == "letter.docx"
    assert body["findings"] == from_cli["findings"]
    assert body["readability"] == from_cli["readability"]


def test_lint_docx_upload_lists_its_quotations_as_the_cli_does(client, tmp_path):
    import io

    import docx

    words = docx.Document()
    paragraph = words.add_paragraph()
    paragraph.add_run("The point you raised: ")
    paragraph.add_run("You have failed to keep pupils safe.", style="Quote Char")
    out = io.BytesIO()
    words.save(out)
    path = tmp_path / "outcome.docx"
    path.write_bytes(out.getvalue())

    response = client.post("/v1/lint", files={"file": ("outcome.docx", out.getvalue())})
    assert response.status_code == 200, response.text
    body = response.json()["files"][0]
    cli = json.loads(CliRunner().invoke(main, ["lint", str(path), "--format", "json"]).output)
    assert body["quotations"] == cli["files"][0]["quotations"] == [
        {"line": 1, "column": 23, "end_line": 1, "end_column": 59,
         "text": "You have failed to keep pupils safe."}]
    assert not [f for f in body["findings"] if f["rule"].startswith("Tone.")]


def test_lint_txt_upload_matches_the_cli(client, tmp_path):
    response = client.post("/v1/lint", files={"file": ("letter.txt", HARSH_LETTER.encode())},
                           data={"document_type": "pause_confirmation"})
    assert response.status_code == 200
    file = response.json()["files"][0]
    assert file["path"] == "letter.txt"
    assert file["document_type"] == "pause_confirmation"
    path = tmp_path / "letter.txt"
    path.write_text(HARSH_LETTER, encoding="utf-8")
    cli = CliRunner().invoke(main, ["lint", str(path), "--type", "pause_confirmation",
                                    "--format", "json"])
    assert file["findings"] == json.loads(cli.output)["files"][0]["findings"]


def test_lint_pdf_upload(client, letter_pdf):
    response = client.post("/v1/lint", files={"file": ("letter.pdf", letter_pdf)})
    assert response.status_code == 200, response.text
    assert response.json()["files"][0]["readability"]["words"] > 100


def test_extract_gives_the_text_as_read(client):
    rendered = client.post("/v1/render", json=sample_request(), headers=bearer("writer-secret"))
    response = client.post("/v1/extract", files={"file": ("letter.docx", rendered.content)})
    assert response.status_code == 200
    body = response.json()
    assert body["path"] == "letter.docx"
    assert "Brookfield Primary School" in body["text"]


def test_lint_unsupported_upload_is_415(client):
    response = client.post("/v1/lint", files={"file": ("letter.exe", b"MZ")})
    assert response.status_code == 415
    assert error_of(response)["message"] == (
        "letter.exe has '.exe'; upload a .docx, .pdf or .txt file.")


def test_lint_upload_without_a_file_field_is_422(client):
    response = client.post("/v1/lint", data={"text": "hello"},
                           files={"other": ("a.txt", b"hello")})
    assert response.status_code == 422
    assert error_of(response)["code"] == "file_required"


def test_lint_binary_txt_is_422(client):
    response = client.post("/v1/lint", files={"file": ("letter.txt", b"\x00\x01\x02")})
    assert response.status_code == 422
    assert error_of(response)["code"] == "unreadable_document"


def test_lint_not_a_docx_is_422(client):
    response = client.post("/v1/lint", files={"file": ("letter.docx", b"plain text")})
    assert response.status_code == 422
    assert "not a readable Word file" in error_of(response)["message"]


def test_lint_malformed_json_is_422(client):
    response = client.post("/v1/lint", content=b'{"text": "Dear Sir",}',
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "malformed_json"
    assert error["message"].startswith("The request body is not valid JSON")


def test_lint_missing_text_is_422(client):
    response = client.post("/v1/lint", json={"document_type": None})
    assert response.status_code == 422
    assert error_of(response)["message"] == "The request's field 'text' is required but missing."


def test_lint_unknown_field_is_422(client):
    response = client.post("/v1/lint", json={"text": "Dear Sir", "type": "letter"})
    assert response.status_code == 422
    assert "'type' is not a field this endpoint takes" in error_of(response)["message"]


def test_lint_empty_body_is_422(client):
    response = client.post("/v1/lint", content=b"", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "body_required"


def test_lint_needs_a_token_when_anonymous_lint_is_off(settings, make_client):
    client = make_client(settings, allow_anonymous_lint=False)
    response = client.post("/v1/lint", json={"text": HARSH_LETTER})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    for token in ("writer-secret", "reviewer-secret", "issuer-secret"):
        allowed = client.post("/v1/lint", json={"text": HARSH_LETTER}, headers=bearer(token))
        assert allowed.status_code == 200, token
    page = client.get("/")
    assert 'data-lint-access="token"' in page.text


def test_page_says_when_lint_is_open(client):
    assert 'data-lint-access="anonymous"' in client.get("/").text


def test_lint_in_a_process_pool_gives_the_same_json(settings, make_client, client):
    pooled = make_client(settings, lint_processes=1)
    body = {"text": HARSH_LETTER, "document_type": "pause_confirmation"}
    response = pooled.post("/v1/lint", json=body)
    assert response.status_code == 200
    assert response.json() == client.post("/v1/lint", json=body).json()


def _outcome_docx() -> bytes:
    """A complaint outcome whose quoted point (Quote Char) is harsh."""
    import io

    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("The point you raised: ")
    paragraph.add_run("You have failed to keep pupils safe.", style="Quote Char")
    document.add_paragraph("We looked into this carefully and we are sorry it happened.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_extract_names_the_quotations_and_lint_leaves_them_out(client):
    """The tone-check page puts an upload's text in a text box: the quotations the file
    marks come with it, and linting the text with them judges our words only, as
    linting the file itself does."""
    extracted = client.post("/v1/extract", files={"file": ("outcome.docx", _outcome_docx())})
    assert extracted.status_code == 200, extracted.text
    body = extracted.json()
    assert body["quotations"] == ["You have failed to keep pupils safe."]

    def tone(request: dict) -> list[str]:
        response = client.post("/v1/lint", json=request)
        assert response.status_code == 200, response.text
        return [f["rule"] for f in response.json()["files"][0]["findings"]
                if f["rule"].startswith("Tone.")]

    assert "Tone.Blame" in tone({"text": body["text"]})
    assert tone({"text": body["text"], "quotations": body["quotations"]}) == []
    upload = client.post("/v1/lint", files={"file": ("outcome.docx", _outcome_docx())})
    assert [f["rule"] for f in upload.json()["files"][0]["findings"]
            if f["rule"].startswith("Tone.")] == []


def test_extract_gives_the_quoted_places_so_the_same_words_elsewhere_are_judged(client):
    """The quoted spans mark the place the file quotes, not the words: where the writer
    repeats the complainant's words as their own, those are judged."""
    harsh = "You have failed to keep pupils safe."
    document = docx.Document()
    document.add_paragraph("The point you raised: ").add_run(harsh, style="Quote Char")
    document.add_paragraph(f"We agree. {harsh}")
    out = io.BytesIO()
    document.save(out)
    body = client.post("/v1/extract", files={"file": ("outcome.docx", out.getvalue())}).json()
    start = body["text"].index(harsh)
    assert body["quoted_spans"] == [[start, start + len(harsh)]]

    def tone_lines(request: dict) -> list[int]:
        response = client.post("/v1/lint", json=request)
        assert response.status_code == 200, response.text
        return [f["line"] for f in response.json()["files"][0]["findings"]
                if f["rule"].startswith("Tone.")]

    assert tone_lines({"text": body["text"], "quotations": body["quotations"]}) == []
    assert tone_lines({"text": body["text"], "quoted_spans": body["quoted_spans"]}) == [3]
    upload = client.post("/v1/lint", files={"file": ("outcome.docx", out.getvalue())})
    assert [f["line"] for f in upload.json()["files"][0]["findings"]
            if f["rule"].startswith("Tone.")] == [2]  # a .docx line is its paragraph


@pytest.mark.parametrize("spans", [[[5, 2]], [[0, 10_000]], [[-1, 3]], [[1]], "0-3"])
def test_lint_refuses_a_quoted_span_outside_the_text(client, spans):
    response = client.post("/v1/lint", json={"text": HARSH_LETTER, "quoted_spans": spans})
    assert response.status_code == 422, response.text
    message = error_of(response)["message"]
    assert "quoted_spans" in message and "is not a field" not in message


def test_a_span_past_the_end_names_the_texts_length(client):
    response = client.post("/v1/lint", json={"text": "Dear Ms Patel,", "quoted_spans": [[5, 20]]})
    assert response.status_code == 422, response.text
    assert error_of(response)["message"] == (
        "The request's field 'quoted_spans' expected [start, end] offsets with start "
        "before end, inside the text's 14 characters; span 1 is [5, 20].")


@pytest.mark.parametrize("quotations", [[""], ["   "], "not a list", [3]])
def test_lint_refuses_a_quotation_that_is_not_text(client, quotations):
    response = client.post("/v1/lint", json={"text": HARSH_LETTER, "quotations": quotations})
    assert response.status_code == 422, response.text
    assert "quotations" in error_of(response)["message"]


def test_the_word_copy_keeps_the_quotations_in_quote_char(client, tmp_path):
    """The Word copy of a checked letter marks what was left out in Word's quotation
    style, so the reviewer sees it and linting the copy again leaves it out again."""
    extracted = client.post("/v1/extract",
                            files={"file": ("outcome.docx", _outcome_docx())}).json()
    response = client.post("/v1/lint/word", json={"text": extracted["text"],
                                                  "quotations": extracted["quotations"]})
    assert response.status_code == 200, response.text
    copy = docx.Document(io.BytesIO(response.content))
    quoted = [run.text for p in copy.paragraphs for run in p.runs
              if run.style is not None and run.style.name == "Quote Char"]
    assert quoted == ["You have failed to keep pupils safe."]
    assert not copy.comments  # nothing of ours was flagged

    path = tmp_path / "checked.docx"
    path.write_bytes(response.content)
    again = json.loads(CliRunner().invoke(main, ["lint", str(path), "--format", "json"]).output)
    assert [q["text"] for q in again["files"][0]["quotations"]] == quoted
    assert not [f for f in again["files"][0]["findings"] if f["rule"].startswith("Tone.")]


def test_extract_gives_a_text_files_quoted_lines(client):
    """A .txt upload's '>' lines are quoted on the page as in the file."""
    harsh = "You have failed to keep pupils safe."
    text = f"You wrote to us:\n> {harsh}\n\nWe are sorry for the delay.\n"
    body = client.post("/v1/extract", files={"file": ("reply.txt", text.encode())}).json()

    assert body["quotations"] == [harsh]
    [(start, end)] = body["quoted_spans"]
    assert body["text"][start:end] == harsh
    response = client.post("/v1/lint", json={"text": body["text"],
                                             "quoted_spans": body["quoted_spans"]})
    assert [f["rule"] for f in response.json()["files"][0]["findings"]
            if f["rule"].startswith("Tone.")] == []
