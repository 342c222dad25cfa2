"""Service settings from TOML, token hashing, and the serve command's helper."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from docgen.cli import main
from docgen.errors import ConfigError
from docgen.service.app import create_app
from docgen.service.settings import ServiceSettings, hash_token, load_settings

WRITER_HASH = hashlib.sha256(b"writer-token").hexdigest()


def test_pyproject_table(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text(f"""
[project]
name = "x"

[tool.docgen.service]
allow_anonymous_lint = false
max_body_bytes = 2048
max_pdf_pages = 20
cors_origins = ["https://tone.example.gov.uk"]

[[tool.docgen.service.tokens]]
name = "Regional office"
role = "writer"
sha256 = "{WRITER_HASH}"

[[tool.docgen.service.tokens]]
name = "Senior reviewer"
roles = ["issuer", "reviewer"]
sha256 = "{"a" * 64}"
""", encoding="utf-8")
    settings = load_settings(path)
    assert settings.allow_anonymous_lint is False
    assert settings.max_body_bytes == 2048
    assert settings.max_pdf_pages == 20
    assert settings.cors_origins == ("https://tone.example.gov.uk",)
    assert [(t.name, sorted(t.roles)) for t in settings.tokens] == [
        ("Regional office", ["writer"]), ("Senior reviewer", ["issuer", "reviewer"])]
    client = TestClient(create_app(settings))
    response = client.post("/v1/lint", json={"text": "Thank you for your letter."},
                           headers={"Authorization": "Bearer writer-token"})
    assert response.status_code == 200


def test_docgen_toml_service_table(tmp_path, monkeypatch):
    (tmp_path / "docgen.toml").write_text(
        f'[service]\nmax_docx_parts = 50\n[[service.tokens]]\nname = "ci"\nrole = "issuer"\n'
        f'sha256 = "{WRITER_HASH}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.max_docx_parts == 50
    assert settings.tokens[0].may("issue") and settings.tokens[0].may("render")
    assert not settings.tokens[0].may("waive")


def test_no_configuration_gives_the_local_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings() == ServiceSettings()
    assert ServiceSettings().max_body_bytes == 10 * 1024 * 1024
    assert ServiceSettings().cors_origins == ()


@pytest.mark.parametrize(("table", "message"), [
    ('maximum_body = 3', "[service] has unknown key 'maximum_body'"),
    ('max_body_bytes = "10MB"', "[service] max_body_bytes: expected a whole number above 0"),
    ('allow_anonymous_lint = "yes"', "allow_anonymous_lint: expected true or false"),
    ('cors_origins = "*"', "cors_origins: expected a list of origins"),
    ('[[service.tokens]]\nname = "x"\nrole = "admin"\nsha256 = "' + "a" * 64 + '"',
     "tokens[0] (x): expected role to be one of writer, reviewer, issuer, got ['admin']"),
    ('[[service.tokens]]\nname = "x"\nrole = "writer"\nsha256 = "not-a-hash"',
     "'sha256' must be the 64-character hex SHA-256 of the token"),
    ('[[service.tokens]]\nname = "x"\nrole = "writer"\ntoken = "plain"\nsha256 = "' + "a" * 64
     + '"', "tokens[0]: unknown key 'token'"),
])
def test_bad_settings_name_the_file_and_key(tmp_path, table, message):
    path = tmp_path / "docgen.toml"
    path.write_text("[service]\n" + table + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in caught.value.message
    assert message in caught.value.message


def test_hash_token_helper_matches_the_stored_hash():
    result = CliRunner().invoke(main, ["serve", "--hash-token"], input="writer-token\n")
    assert result.exit_code == 0
    assert result.output == f'sha256 = "{WRITER_HASH}"\n'
    assert hash_token("writer-token") == WRITER_HASH


def test_serve_reports_a_bad_configuration_before_starting(tmp_path):
    path = tmp_path / "docgen.toml"
    path.write_text("[service]\nmax_body_bytes = -1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--config", str(path)])
    assert result.exit_code == 2
    assert "max_body_bytes: expected a whole number above 0, got -1" in result.output
