"""The service's shape: OpenAPI schemas and security, one register per app, errors by type,
and no import of the HTTP app from the library side."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from docgen.errors import ConversionError, ConversionTimeout
from docgen.service.app import create_app
from tests.service.conftest import ROOT, bearer, sample_request
from tests.service.test_api import error_of
from tests.service.test_issue import harsh_notice

# Every operation, and each error status it can answer besides 500.
ERRORS = {
    ("get", "/healthz"): (),
    ("get", "/v1/templates"): (),
    ("get", "/v1/templates/{template_id}/schema"): (404,),
    ("get", "/v1/readability-targets"): (422, 503, 504),
    ("post", "/v1/render"): (401, 403, 404, 413, 422, 503, 504),
    ("post", "/v1/lint"): (401, 403, 413, 415, 422, 503, 504),
    ("post", "/v1/lint/word"): (401, 403, 413, 422, 503, 504),
    ("post", "/v1/extract"): (401, 403, 413, 415, 422),
    ("post", "/v1/issue"): (401, 403, 404, 413, 422, 503, 504),
    ("get", "/v1/register/{reference}"): (401, 404),
}
PROTECTED = {key for key, statuses in ERRORS.items() if 401 in statuses}


@pytest.fixture(scope="module")
def spec() -> dict:
    with TestClient(create_app()) as client:
        return client.get("/openapi.json").json()


def resolve(spec: dict, schema: dict) -> dict:
    ref = schema.get("$ref", "")
    assert ref.startswith("#/components/schemas/"), schema
    name = ref.rsplit("/", 1)[1]
    assert name in spec["components"]["schemas"], name
    return spec["components"]["schemas"][name]


def test_every_operation_is_listed(spec):
    listed = {(method, path) for path, item in spec["paths"].items() for method in item}
    assert listed == set(ERRORS)


def test_openapi_declares_a_bearer_scheme_used_by_every_protected_endpoint(spec):
    schemes = spec["components"]["securitySchemes"]
    [(name, scheme)] = schemes.items()
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    for method, path in PROTECTED:
        assert {name: []} in spec["paths"][path][method]["security"], (method, path)
    assert "security" not in spec["paths"]["/v1/templates"]["get"]


@pytest.mark.parametrize(("method", "path"), [k for k, v in ERRORS.items() if v])
def test_each_error_status_is_documented_with_the_error_model(spec, method, path):
    responses = spec["paths"][path][method]["responses"]
    for status in ERRORS[(method, path)]:
        content = responses[str(status)]["content"]["application/json"]
        model = resolve(spec, content["schema"])
        assert model["title"] == "ErrorResponse", (path, status)
    error = resolve(spec, spec["components"]["schemas"]["ErrorResponse"]["properties"]["error"])
    assert {"code", "message"} <= set(error["required"])


@pytest.mark.parametrize(("path", "model"), [
    ("/v1/render", "RenderRequest"), ("/v1/lint", "LintRequest"),
    ("/v1/lint/word", "LintRequest"), ("/v1/issue", "IssueRequest"),
])
def test_json_bodies_are_named_schemas(spec, path, model):
    body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    assert resolve(spec, body["schema"])["title"] == model
    # Nested models (a waiver) resolve too: nothing points at a '$defs' OpenAPI lacks.
    assert "#/$defs/" not in str(spec)


@pytest.mark.parametrize(("method", "path", "status", "model"), [
    ("get", "/healthz", 200, "Health"),
    ("get", "/v1/templates", 200, "TemplateSummary"),
    ("get", "/v1/templates/{template_id}/schema", 200, "DataSchema"),
    ("get", "/v1/readability-targets", 200, "ReadabilityTargets"),
    ("post", "/v1/lint", 200, "LintResult"),
    ("post", "/v1/extract", 200, "ExtractedText"),
    ("post", "/v1/issue", 201, "IssueResult"),
    ("post", "/v1/issue", 200, "IssueResult"),
    ("get", "/v1/register/{reference}", 200, "Record"),
])
def test_json_responses_are_named_schemas(spec, method, path, status, model):
    schema = spec["paths"][path][method]["responses"][str(status)]["content"][
        "application/json"]["schema"]
    if schema.get("type") == "array":
        schema = schema["items"]
    assert resolve(spec, schema)["title"] == model


def test_file_responses_name_their_media_types(spec):
    render = spec["paths"]["/v1/render"]["post"]["responses"]["200"]["content"]
    assert {"application/pdf", "message/rfc822"} <= set(render)
    word = spec["paths"]["/v1/lint/word"]["post"]["responses"]["200"]["content"]
    assert set(word) == {"application/vnd.openxmlformats-officedocument."
                         "wordprocessingml.document"}


# --- one register per application ---------------------------------------------------------

@pytest.fixture
def register_opens(monkeypatch):
    """Count every Register opened and every migration run."""
    from docgen.issue import migrations, register

    opened: list[object] = []
    migrated: list[object] = []
    original_init = register.Register.__init__
    original_migrate = migrations.migrate

    def counting_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        opened.append(self)  # opened: a missing register that raised is not counted

    def counting_migrate(*args, **kwargs):
        migrated.append(args)
        return original_migrate(*args, **kwargs)

    monkeypatch.setattr(register.Register, "__init__", counting_init)
    monkeypatch.setattr(migrations, "migrate", counting_migrate)
    return opened, migrated


def test_an_existing_register_is_opened_once_at_start_up(settings, register_opens):
    from docgen.issue.register import Register

    Register(settings.register).close()
    opened, migrated = register_opens
    opened.clear()
    migrated.clear()
    with TestClient(create_app(settings)) as client:
        assert len(opened) == 1 and len(migrated) == 1
        for _ in range(2):
            refused = client.post("/v1/issue", json=harsh_notice(),
                                  headers=bearer("issuer-secret"))
            assert refused.status_code == 422
            missing = client.get("/v1/register/TWN-2027-000001",
                                 headers=bearer("issuer-secret"))
            assert missing.status_code == 404
    assert len(opened) == 1 and len(migrated) == 1


def test_a_new_register_is_made_by_the_first_issue_and_kept(settings, register_opens,
                                                             tmp_path):
    opened, migrated = register_opens
    with TestClient(create_app(settings)) as client:
        # Linting and reading make no register: a service that only lints writes nothing.
        assert client.get("/v1/register/TWN-2027-000001",
                          headers=bearer("issuer-secret")).status_code == 404
        assert opened == [] and not (tmp_path / "register.sqlite3").exists()
        for _ in range(2):
            assert client.post("/v1/issue", json=harsh_notice(),
                               headers=bearer("issuer-secret")).status_code == 422
        assert len(opened) == 1 and len(migrated) == 1


# --- errors by type ------------------------------------------------------------------------

@pytest.mark.parametrize(("error", "status", "code"), [
    # The type decides, whatever the message says.
    (ConversionTimeout("LibreOffice stopped"), 504, "conversion_timeout"),
    (ConversionError("LibreOffice did not finish"), 503, "conversion_failed"),
])
def test_errors_map_to_status_by_type_not_message(settings, monkeypatch, error, status, code):
    from docgen.pipeline import Pipeline

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(Pipeline, "render", fail)
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/render", json={**sample_request(), "format": "pdf"},
                               headers=bearer("writer-secret"))
    assert response.status_code == status
    assert error_of(response)["code"] == code


# --- imports run one way -------------------------------------------------------------------

@pytest.mark.parametrize(("module", "absent"), [
    ("docgen.service.pool", "docgen.service.app"),
    ("docgen.pipeline", "docgen.service"),
    ("docgen.settings", "docgen.service"),
])
def test_the_library_side_does_not_import_the_app(module, absent):
    code = (f"import sys, {module}\n"
            f"found = sorted(m for m in sys.modules if m == {absent!r} "
            f"or m.startswith({absent!r} + '.'))\n"
            "print(found)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]", result.stdout
