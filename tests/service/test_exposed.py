"""Safe defaults when the service is reachable beyond this machine, and a docgen.toml that
holds both [lint] and [service] as the README shows."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pypdf import PdfWriter

from docgen.cli import main
from docgen.errors import ConfigError
from docgen.lint.config import load_config
from docgen.service.app import create_app
from docgen.service.settings import ServiceSettings, load_settings
from tests.service.test_api import error_of

LETTER = {"text": "Thank you for your letter."}


@pytest.mark.parametrize(("host", "status"), [
    ("127.0.0.1", 200), ("::1", 200), ("localhost", 200), ("127.0.0.2", 200),
    ("0.0.0.0", 401), ("::", 401), ("10.20.30.40", 401), ("tone.example.gov.uk", 401),
])
def test_anonymous_lint_is_on_by_default_only_on_a_loopback_address(host, status):
    with TestClient(create_app(ServiceSettings(host=host))) as client:
        response = client.post("/v1/lint", json=LETTER)
        assert response.status_code == status
        page = client.get("/").text
    assert f'data-lint-access="{"anonymous" if status == 200 else "token"}"' in page


def test_the_settings_file_can_still_open_lint_to_anyone():
    settings = ServiceSettings(host="0.0.0.0", allow_anonymous_lint=True)
    with TestClient(create_app(settings)) as client:
        assert client.post("/v1/lint", json=LETTER).status_code == 200
    closed = ServiceSettings(host="127.0.0.1", allow_anonymous_lint=False)
    with TestClient(create_app(closed)) as client:
        response = client.post("/v1/lint", json=LETTER)
    assert response.status_code == 401
    assert error_of(response)["code"] == "token_required"


@pytest.fixture
def started(monkeypatch):
    """Run 'docgen serve' with uvicorn replaced; return what uvicorn was given."""
    calls: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    for name in ("DOCGEN_SERVICE_CONFIG", "DOCGEN_SERVICE_LINT_PROCESSES",
                 "DOCGEN_SERVICE_HOST"):
        monkeypatch.delenv(name, raising=False)
    return calls


def serve(*args: str):
    return CliRunner().invoke(main, ["serve", *args])


def test_start_up_says_who_may_lint(started, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = serve()
    assert result.exit_code == 0, result.output
    assert ("docgen: anyone on this machine may lint without a token (the service listens "
            "on 127.0.0.1, a loopback address, only)") in result.output
    result = serve("--host", "0.0.0.0")
    assert result.exit_code == 0, result.output
    assert ("docgen: linting needs a token (the service listens on 0.0.0.0, beyond this "
            "machine; to let anyone lint, set allow_anonymous_lint = true under [service]; "
            "no tokens are configured yet, so nobody can lint: add one made with 'docgen "
            "serve --hash-token')") in result.output
    assert started[-1]["host"] == "0.0.0.0"
    config = tmp_path / "docgen.toml"
    config.write_text("[service]\nallow_anonymous_lint = true\n", encoding="utf-8")
    result = serve("--host", "0.0.0.0", "--config", str(config))
    assert (f"docgen: anyone who can reach 0.0.0.0 may lint without a token "
            f"(allow_anonymous_lint = true in the file {config})") in result.output


def test_the_host_reaches_the_app_built_by_uvicorn(started, tmp_path, monkeypatch):
    from docgen.service.app import app_from_environment

    monkeypatch.chdir(tmp_path)
    assert serve("--host", "0.0.0.0").exit_code == 0
    app = app_from_environment()
    assert app.state.docgen.settings.host == "0.0.0.0"
    assert not app.state.docgen.settings.anonymous_lint


def test_serve_gives_running_requests_the_configured_grace(started, tmp_path):
    config = tmp_path / "docgen.toml"
    config.write_text("[service]\nshutdown_timeout = 3\n", encoding="utf-8")
    assert serve("--config", str(config)).exit_code == 0
    assert started[-1]["timeout_graceful_shutdown"] == 3


README_TOML = """\
[lint]
ignore = ["Spelling.Ize"]

[lint.severity]
"Plain.Words" = "warning"

[service]
allow_anonymous_lint = false
max_pdf_pages = 20
"""


def test_docgen_toml_with_lint_and_service_tables_serves_both(tmp_path, started, monkeypatch):
    (tmp_path / "docgen.toml").write_text(README_TOML, encoding="utf-8")
    (tmp_path / "letter.txt").write_text("We will utilize the records.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(environ={})
    assert config.ignore == ("Spelling.Ize",)
    settings = load_settings()
    assert settings.max_pdf_pages == 20 and settings.allow_anonymous_lint is False
    result = CliRunner().invoke(main, ["lint", "letter.txt"])
    assert result.exit_code == 0, result.output  # Plain.Words is only a warning here
    assert "warning" in result.output
    result = serve()
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and started


def test_serve_reports_bad_lint_settings_in_one_line(tmp_path, started):
    config = tmp_path / "docgen.toml"
    config.write_text('[service]\nmax_pdf_pages = 20\n[lint]\nselct = ["Tone"]\n',
                      encoding="utf-8")
    result = serve("--config", str(config))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"docgen: {config}: unknown key 'lint.selct'; expected one of grammar_local, "
        "grammar_server, ignore, select, severity, thresholds"]
    assert not started


@pytest.mark.parametrize(("table", "message"), [
    ("[servce]\nmax_pdf_pages = 2", "unknown table [servce]; did you mean 'service'?"),
    ("[lnt]\nselect = []", "unknown table [lnt]; did you mean 'lint'?"),
    ("[output]\nx = 1", "unknown table [output]; docgen.toml holds [lint] (docgen lint) "
                        "and [service] (docgen serve)"),
])
def test_a_mistyped_table_is_named_with_the_nearest(tmp_path, table, message):
    path = tmp_path / "docgen.toml"
    path.write_text(table + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert caught.value.message == f"{path}: {message}"


def test_cli_lint_refuses_a_pdf_longer_than_the_page_limit(tmp_path: Path):
    writer = PdfWriter()
    for _ in range(201):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "long.pdf"
    path.write_bytes(buffer.getvalue())
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    assert result.output == (f"docgen: {path}: has 201 pages; docgen lint reads PDFs of at "
                             "most 200 pages, so lint the letter or report on its own\n")


def test_settings_never_take_the_host_from_the_file(tmp_path):
    path = tmp_path / "docgen.toml"
    path.write_text('[service]\nhost = "0.0.0.0"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'host'"):
        load_settings(path)
    assert replace(ServiceSettings(), host="::1").anonymous_lint
