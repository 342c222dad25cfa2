"""The tone-check page in a real browser: Debian's Chromium, driven by Playwright, against a
real ``docgen serve`` on loopback. Paste a harsh letter, see the highlights, apply a
suggestion, save a screenshot, and run axe-core over the page."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.service.conftest import HARSH_LETTER, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """Run ``docgen serve`` in a subprocess; yield its base URL."""
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "DOCGEN_DB": str(tmp_path / "register.sqlite3")},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"docgen serve stopped: {(tmp_path / 'serve.log').read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("docgen serve did not answer /healthz within 30 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_paste_highlight_apply_and_check_accessibility(server, tmp_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        # The page's CSP allows no inline script; axe is injected as one, so bypass it.
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      bypass_csp=True)
        page = context.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)
        page.goto(server + "/")
        expect(page.get_by_role("heading", name="Check the tone of a letter")).to_be_visible()

        # An empty submission shows the GOV.UK error summary, linked to the field.
        page.get_by_role("button", name="Check the tone").click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()
        expect(summary.get_by_role("link")).to_have_text(
            "Enter the text of the letter, or upload a file")

        page.get_by_label("Letter text").fill(HARSH_LETTER)
        page.get_by_role("button", name="Check the tone").click()
        expect(summary).to_be_hidden()
        expect(page.locator("#letter-error")).to_be_hidden()
        errors = page.locator("mark.tone-mark--error")
        expect(errors.first).to_be_visible()
        # One mark per finding, each labelled with its severity and number, as the API says.
        expected = httpx.post(server + "/v1/lint", json={"text": HARSH_LETTER}).json()
        expected = expected["files"][0]["findings"]
        assert sum(f["severity"] == "error" for f in expected) >= 3
        findings = page.locator("#findings > li")
        expect(findings).to_have_count(len(expected))
        for number, finding in enumerate(expected, start=1):
            mark = page.locator(f"#mark-{number}")
            assert mark.get_attribute("class") == f"tone-mark tone-mark--{finding['severity']}"
            own_text = mark.evaluate("m => { const c = m.cloneNode(true); c.querySelectorAll("
                                     "'.tone-mark__label').forEach(l => l.remove()); "
                                     "return c.textContent }")
            assert own_text == finding["match"]
            label = mark.locator(".tone-mark__label").last
            expect(label).to_have_text(f"{finding['severity'].title()} {number}")
        expect(page.locator("#readability")).to_contain_text("Flesch reading ease")
        expect(page.locator("#results-summary")).to_contain_text("error")

        # Every highlight's label is a link a keyboard reaches, leading to its explanation.
        label = page.locator(".tone-mark__label").first
        label.focus()
        assert page.evaluate("document.activeElement.className").startswith("tone-mark__label")
        page.keyboard.press("Enter")
        assert page.url.endswith("#finding-1")

        # One click swaps 'utilise' for 'use' and checks the letter again.
        utilise = findings.filter(has_text="utilise")
        utilise.get_by_role("button", name="Use this wording").first.click()
        expect(page.get_by_label("Letter text")).to_have_value(
            HARSH_LETTER.replace("utilise", "use"))
        expect(page.locator("#findings")).not_to_contain_text("“utilise”")
        expect(errors.first).to_be_visible()

        # The report downloads as the same JSON the API gives for the letter as it is now.
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the report (JSON)").click()
        saved = tmp_path / "report.json"
        download.value.save_as(saved)
        now = httpx.post(server + "/v1/lint",
                         json={"text": HARSH_LETTER.replace("utilise", "use")}).json()
        assert json.loads(saved.read_text(encoding="utf-8")) == now

        screenshot = tmp_path / "tone-check.png"
        page.locator("#results-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot), full_page=True)
        print(f"screenshot: {screenshot}")
        assert screenshot.stat().st_size > 10_000

        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []

        # The API documentation renders from the app's own copy of Swagger UI, offline.
        page.goto(server + "/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("docgen")

        # Every font, image and script the pages asked for was served by the app itself.
        assert problems == []
        browser.close()
