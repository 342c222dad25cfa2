"""Grammar through the real language-tool-python client against a local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from docgen.lint import grammar
from docgen.lint.config import LintConfig
from docgen.lint.engine import lint_text
from docgen.lint.findings import Severity


class _LanguageTool(BaseHTTPRequestHandler):
    """Answers /v2/languages and /v2/check in LanguageTool's JSON format; flags
    "a" before a vowel, as LanguageTool's EN_A_VS_AN rule does."""

    checked: list[dict[str, list[str]]] = []

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/v2/languages"):
            self._send([{"name": "English (GB)", "code": "en", "longCode": "en-GB"},
                        {"name": "English (US)", "code": "en", "longCode": "en-US"}])
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        if not self.path.startswith("/v2/check"):
            self.send_error(404)
            return
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        type(self).checked.append(form)
        text = form["text"][0]
        matches = []
        at = text.find(" a inspection")
        if at >= 0:
            matches.append({
                "message": "Use \u201can\u201d instead of \u2018a\u2019 if the following word "
                           "starts with a vowel sound.",
                "shortMessage": "Wrong article",
                "replacements": [{"value": "an"}],
                "offset": at + 1,
                "length": 1,
                "context": {"text": text[:60], "offset": at + 1, "length": 1},
                "sentence": text,
                "type": {"typeName": "Other"},
                "rule": {"id": "EN_A_VS_AN", "description": "a vs an", "issueType": "misspelling",
                         "category": {"id": "MISC", "name": "Miscellaneous"}},
            })
        self._send({"software": {"name": "LanguageTool", "version": "6.6"},
                    "language": {"name": "English (GB)", "code": "en-GB"},
                    "matches": matches})


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.delenv(grammar.URL_VARIABLE, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _LanguageTool)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _LanguageTool.checked.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    grammar._client.cache_clear()


TEXT = "Dear Ms Patel\n\nThank you for your time.\nWe will arrange a inspection\nsoon."


def test_matches_become_findings_at_their_place(server: str) -> None:
    report = lint_text(TEXT, config=LintConfig(grammar_server=server))
    found = [f for f in report.findings if f.rule.startswith("Grammar.")]
    assert [(f.rule, f.line, f.column, f.end_column, f.match, f.suggestions) for f in found] == [
        ("Grammar.EN_A_VS_AN", 4, 17, 18, "a", ("an",))
    ]
    assert found[0].severity == Severity.WARNING
    assert report.notices == []
    sent = _LanguageTool.checked[-1]
    assert sent["language"] == ["en-GB"]
    assert "TYPOS" in sent["disabledCategories"][0]


def test_server_from_environment(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(grammar.URL_VARIABLE, server)
    report = lint_text(TEXT)
    assert any(f.rule == "Grammar.EN_A_VS_AN" for f in report.findings)


def test_grammar_rules_follow_ignore(server: str) -> None:
    report = lint_text(TEXT, config=LintConfig(grammar_server=server, ignore=("Grammar",)))
    assert not [f for f in report.findings if f.rule.startswith("Grammar")]
    assert report.notices == []


def test_no_server_gives_one_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(grammar.URL_VARIABLE, raising=False)
    report = lint_text(TEXT)
    assert report.notices == [grammar.SKIPPED]
    assert not [f for f in report.findings if f.rule.startswith("Grammar")]


def test_unreachable_server_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _LanguageTool)
    port = httpd.server_address[1]
    httpd.server_close()  # nothing listens on this port now
    report = lint_text(TEXT, config=LintConfig(grammar_server=f"http://127.0.0.1:{port}"))
    assert len(report.notices) == 1
    assert report.notices[0].startswith("grammar skipped:")


def test_local_install_absent_gives_the_notice(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(grammar.URL_VARIABLE, raising=False)
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path))  # an empty download folder
    assert grammar.local_install() is None
    report = lint_text(TEXT, config=LintConfig(grammar_local=True))
    assert report.notices == [grammar.SKIPPED]
    assert list(tmp_path.iterdir()) == []  # nothing was downloaded
