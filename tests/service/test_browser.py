"""The tone-check page in a real browser: Debian's Chromium, driven by Playwright, against a
real ``docgen serve`` on loopback. Paste a harsh letter, see the highlights, apply a
suggestion, save a screenshot, and run axe-core over the page."""

from __future__ import annotations

import json
import os
import re
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
# A shared machine may be busy: wait for the page longer than Playwright's 5 seconds.
expect.set_options(timeout=30_000)


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
        for _ in range(1200):
            if process.poll() is not None:
                pytest.fail(f"docgen serve stopped: {(tmp_path / 'serve.log').read_text()}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("docgen serve did not answer /healthz within two minutes")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


# A long sentence holding three harsh phrases: findings nested inside another.
LETTER = HARSH_LETTER + (
    "\nWe note that the school has failed to act on the advice we gave at the last visit, "
    "and as you are aware the governors must now ensure that every member of staff who has "
    "failed to complete the training does so before the end of the spring term, or we will "
    "take further action.\n")

# Whether any underline of a mark runs over the underline of a mark inside it: for each
# line box of an inner mark, the outer mark's line box at that place must end at least
# its 3-pixel border lower.
OVERLAPS = """() => {
  const found = []
  for (const inner of document.querySelectorAll('mark.tone-mark mark.tone-mark')) {
    const outer = inner.parentElement.closest('mark.tone-mark')
    for (const a of inner.getClientRects()) {
      for (const b of outer.getClientRects()) {
        const sameLine = a.top < b.bottom && b.top < a.bottom
        const across = a.left < b.right && b.left < a.right
        if (sameLine && across && b.bottom < a.bottom + 3) found.push([inner.id, outer.id])
      }
    }
  }
  return found
}"""


def launch(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS)
    # The page's CSP allows no inline script; axe is injected as one, so bypass it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                  accept_downloads=True)
    return browser, context.new_page()


def serious_violations(page) -> list[tuple]:
    """axe-core's serious and critical violations on the page as it stands."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def labels_by_finding(page) -> dict[tuple[str, str], str]:
    """(rule-ish key, words) -> the label shown, for every finding in the list."""
    shown = {}
    for item in page.locator("#findings li.tone-finding").all():
        tag = item.locator(".govuk-tag").inner_text()
        heading = item.locator(".tone-finding__heading").inner_text()
        message = item.locator("p.govuk-body").first.inner_text()
        shown[(heading.removeprefix(tag).strip(), message)] = tag
    return shown


def test_paste_highlight_apply_and_check_accessibility(server, tmp_path):
    with sync_playwright() as playwright:
        browser, page = launch(playwright)
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

        page.get_by_label("Letter text").fill(LETTER)
        page.get_by_role("button", name="Check the tone").click()
        expect(summary).to_be_hidden()
        expect(page.locator("#letter-error")).to_be_hidden()
        errors = page.locator("mark.tone-mark--error")
        expect(errors.first).to_be_visible()
        expected = httpx.post(server + "/v1/lint", json={"text": LETTER}).json()
        expected = expected["files"][0]["findings"]
        assert sum(f["severity"] == "error" for f in expected) >= 3
        findings = page.locator("#findings li.tone-finding")
        expect(findings).to_have_count(len(expected))
        # One mark per finding, numbered within its severity in the order of the letter.
        numbers = {"error": 0, "warning": 0, "suggestion": 0}
        for finding in expected:
            numbers[finding["severity"]] += 1
            name = f"{finding['severity']}-{numbers[finding['severity']]}"
            mark = page.locator(f"#mark-{name}")
            assert mark.get_attribute("class").startswith(
                f"tone-mark tone-mark--{finding['severity']}")
            own_text = mark.evaluate("m => { const c = m.cloneNode(true); c.querySelectorAll("
                                     "'.tone-mark__label').forEach(l => l.remove()); "
                                     "return c.textContent }")
            assert own_text == finding["match"]
            label = mark.locator(":scope > .tone-mark__label")
            expect(label).to_have_text(f"{finding['severity'].title()} "
                                       f"{numbers[finding['severity']]}")
        expect(page.locator("#results-summary")).to_contain_text("error")

        # Nested findings are underlined apart: no underline runs over another.
        assert page.locator("mark.tone-mark mark.tone-mark").count() >= 3
        assert page.evaluate(OVERLAPS) == []

        # The findings are grouped by severity, with counts, and a group can be hidden.
        for severity, count in numbers.items():
            heading = page.locator(f"#group-{severity}-heading")
            expect(heading).to_have_text(f"{severity.title()}s ({count})")
        page.get_by_role("checkbox", name="Suggestions (2)").uncheck()
        expect(page.locator("#group-suggestion")).to_be_hidden()
        expect(page.locator("#group-error")).to_be_visible()
        page.get_by_role("checkbox", name="Suggestions (2)").check()
        expect(page.locator("#group-suggestion")).to_be_visible()

        # Plain words: what each finding is about and where, never a rule id or a setting.
        about = page.locator(".tone-finding__about").all_inner_texts()
        assert about[0].startswith("Line ") and "of the letter: " in about[0]
        assert "Line 3 of the letter: may read as blaming people." in about
        listed = " ".join(about) + page.locator("#notices").inner_text()
        assert "Tone." not in listed and "Rule " not in listed and "column" not in listed
        assert "DOCGEN_" not in listed and "LanguageTool" not in listed
        expect(page.locator("#notices")).to_contain_text(
            "Grammar was not checked: this service has no grammar checker set up.")

        # The reading-ease figure has its target beside it.
        expect(page.locator("#readability")).to_contain_text("Flesch reading ease")
        expect(page.locator("#target-flesch_reading_ease")).to_have_text("aim for 40 or more")
        expect(page.locator("#target-flesch_kincaid_grade")).to_have_text("aim for 12 or less")

        # Every highlight's label is a link a keyboard reaches, leading to its explanation.
        label = page.locator(".tone-mark__label").first
        label.focus()
        assert page.evaluate("document.activeElement.className").startswith("tone-mark__label")
        page.keyboard.press("Enter")
        assert page.url.endswith("#finding-error-1")

        # One click swaps 'utilise' for 'use' and checks the letter again; every other
        # finding keeps the number it had.
        before = labels_by_finding(page)
        utilise = findings.filter(has_text="utilise")
        utilise.get_by_role("button", name="Use this wording").first.click()
        expect(page.get_by_label("Letter text")).to_have_value(LETTER.replace("utilise", "use"))
        expect(page.locator("#findings")).not_to_contain_text("“utilise”")
        expect(errors.first).to_be_visible()
        after = labels_by_finding(page)
        gone = {key: tag for key, tag in before.items() if key not in after}
        assert list(gone.values()) == ["Suggestion 1"]
        assert {key: before[key] for key in after} == after
        expect(page.locator("#group-suggestion-heading")).to_have_text("Suggestions (1)")

        # The report downloads as the same JSON the API gives for the letter as it is now.
        now_text = LETTER.replace("utilise", "use")
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the report (JSON)").click()
        saved = tmp_path / "report.json"
        download.value.save_as(saved)
        now = httpx.post(server + "/v1/lint", json={"text": now_text}).json()
        assert json.loads(saved.read_text(encoding="utf-8")) == now

        # The letter downloads as Word with each finding as a comment on its words.
        with page.expect_download() as download:
            page.get_by_role("button", name="Download the letter with comments (Word)").click()
        word = tmp_path / "letter.docx"
        download.value.save_as(word)
        import docx

        copy = docx.Document(str(word))
        assert [p.text for p in copy.paragraphs] == now_text.split("\n")
        comments = list(copy.comments)
        assert len(comments) == len(now["files"][0]["findings"])
        assert comments[0].text.startswith("Error 1: ")
        assert any(c.text.endswith("Suggested: “to”") for c in comments)  # 'in order to'

        # A printable report: the print button prints, and in print the form, buttons and
        # filters are gone while the letter and its findings stay.
        page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1 } }")
        page.get_by_role("button", name="Print the report").click()
        assert page.evaluate("window.printed") == 1
        page.emulate_media(media="print")
        expect(page.locator("#tone-form")).to_be_hidden()
        expect(page.locator(".tone-actions")).to_be_hidden()
        expect(page.locator("#filter")).to_be_hidden()
        expect(page.locator("#highlighted")).to_be_visible()
        expect(findings.first).to_be_visible()
        page.emulate_media(media="screen")

        screenshot = tmp_path / "tone-check.png"
        page.locator("#results-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot), full_page=True)
        print(f"screenshot: {screenshot}")
        assert screenshot.stat().st_size > 10_000

        assert serious_violations(page) == []

        # The footer links to the accessibility statement and the privacy notice.
        for name, heading in (("Accessibility statement",
                               "Accessibility statement for Check the tone of a letter"),
                              ("Privacy", "Privacy")):
            page.locator(".govuk-footer").get_by_role("link", name=name).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            assert serious_violations(page) == []
            page.go_back()

        # The API documentation renders from the app's own copy of Swagger UI, offline.
        page.goto(server + "/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("docgen")

        # Every font, image and script the pages asked for was served by the app itself.
        assert problems == []
        browser.close()


def test_a_real_tone_model_finding_shows_its_category(server):
    """Not a fabricated report: the service's own tone model flags a sentence no pattern
    rule lists, and the page says what it may read as, from the finding's category."""
    sentence = ("Your staff seem to have treated the deadline as a suggestion rather than a "
                "commitment.")
    with sync_playwright() as playwright:
        browser, page = launch(playwright)
        page.goto(server + "/")
        page.get_by_label("Letter text").fill(sentence)
        page.get_by_role("button", name="Check the tone").click()
        about = page.locator(".tone-finding__about")
        expect(about).to_have_count(1)
        expect(about.first).to_have_text("Line 1 of the letter: may read as blaming people.")
        browser.close()


def test_a_finding_with_a_category_says_it_in_plain_words(server):
    """A learned rule's finding carries a category; the page says what it may read as."""
    sentence = "Staff have not been doing their jobs properly."
    report = {"files": [{"path": "<text>", "document_type": None, "findings": [
        {"rule": "Tone.Semantic", "severity": "warning", "line": 1, "column": 1,
         "end_line": 1, "end_column": len(sentence) + 1, "match": sentence,
         "message": "This may read as blaming staff; describe what needs to change.",
         "suggestions": [], "category": "blame", "score": 0.91},
        {"rule": "Tone.Semantic", "severity": "warning", "line": 1, "column": 1,
         "end_line": 1, "end_column": 6, "match": "Staff",
         "message": "Another reading.", "suggestions": [], "category": "cold",
         "score": 0.7}],
        "readability": {"words": 8}, "suppressed": [], "notices": []}],
        "summary": {"files": 1, "errors": 0, "warnings": 2, "suggestions": 0,
                    "suppressed": 0}}
    with sync_playwright() as playwright:
        browser, page = launch(playwright)
        page.route("**/v1/lint", lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(report)))
        page.goto(server + "/")
        page.get_by_label("Letter text").fill(sentence)
        page.get_by_role("button", name="Check the tone").click()
        about = page.locator(".tone-finding__about")
        expect(about).to_have_count(2)
        expect(about.first).to_have_text("Line 1 of the letter: may read as blaming people.")
        expect(about.last).to_have_text(
            "Line 1 of the letter: may read as cold or impersonal.")
        expect(page.locator("#mark-warning-1")).to_be_visible()
        browser.close()


def test_an_uploaded_quotation_is_left_out_until_the_writer_edits_it(server, tmp_path):
    """Upload a complaint outcome whose quoted point is harsh: the page fills its text
    box, checks our words only and says one passage was left out, as linting the file
    does; once the writer edits the quoted words, they are the writer's and are checked."""
    import io

    import docx

    harsh = "You have failed to keep pupils safe."
    document = docx.Document()
    document.add_paragraph("The point you raised: ").add_run(harsh, style="Quote Char")
    document.add_paragraph("We looked into this carefully and we are sorry it happened.")
    path = tmp_path / "outcome.docx"
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())

    with sync_playwright() as playwright:
        browser, page = launch(playwright)
        page.goto(server + "/")
        page.get_by_label("Or upload a file").set_input_files(str(path))
        box = page.get_by_label("Letter text")
        expect(box).to_have_value(re.compile(re.escape(harsh)))
        expect(page.locator("#notices")).to_contain_text(
            "1 passage marked as a quotation (someone else's words) was left out")
        expect(page.locator("#findings li.tone-finding")).to_have_count(0)
        # The letter shows which words were left out, in words a screen reader says too.
        quote = page.locator("#highlighted .tone-quote")
        expect(quote).to_have_count(1)
        expect(quote).to_have_text(re.compile(
            r"^Quotation, not checked for tone: " + re.escape(harsh) + r"\s*End of quotation\.$"))
        expect(page.locator("#quotation-hint")).to_be_visible()
        assert serious_violations(page) == []
        # The Word copy of the checked letter agrees: no finding, so no comment.
        with page.expect_download() as download:
            page.get_by_role("button", name=re.compile("Download the letter")).click()
        saved = tmp_path / "checked.docx"
        download.value.save_as(saved)
        assert not docx.Document(str(saved)).comments

        # Words added before the quotation move it (offsets count characters, as the
        # service does, whatever their UTF-16 length); the repeat of its words the writer
        # adds after it is theirs, and is checked.
        box.fill("Dear Ms Patel \N{SMILING FACE WITH SMILING EYES},\n\n" + box.input_value())
        box.fill(box.input_value() + f"\n\nYou said: {harsh}")
        page.get_by_role("button", name="Check the tone").click()
        expect(page.locator("#findings li.tone-finding")).to_have_count(1)
        expect(page.locator("#notices")).to_contain_text("1 passage marked as a quotation")
        expect(page.locator("#highlighted .tone-quote")).to_have_text(re.compile(
            r"^Quotation, not checked for tone: " + re.escape(harsh) + r"\s*End of quotation\.$"))

        box.fill(box.input_value().replace(f"raised: {harsh}", "raised: You have failed to "
                                           "keep pupils safe, and we will act."))
        page.get_by_role("button", name="Check the tone").click()
        expect(page.locator("#findings li.tone-finding")).not_to_have_count(0)
        expect(page.locator("#notices")).not_to_contain_text("quotation")
        expect(page.locator("#highlighted .tone-quote")).to_have_count(0)
        expect(page.locator("#quotation-hint")).to_be_hidden()
        browser.close()


def test_a_line_the_writer_starts_with_a_greater_than_sign_is_a_quotation(server):
    """The hint tells the writer how to mark someone else's words in the text box, and
    a pasted reply's '>' line is shown as a quotation and left out, as in a .txt file."""
    harsh = "You have failed to keep pupils safe."
    with sync_playwright() as playwright:
        browser, page = launch(playwright)
        page.goto(server + "/")
        expect(page.locator("#letter-hint")).to_contain_text("Start a line with >")
        page.get_by_label("Letter text").fill(
            f"Dear Mr Okafor,\n\nYou wrote:\n> {harsh}\n\nThank you for telling us.")
        page.get_by_role("button", name="Check the tone").click()
        expect(page.locator("#notices")).to_contain_text("1 passage marked as a quotation")
        expect(page.locator("#findings li.tone-finding")).to_have_count(0)
        expect(page.locator("#highlighted .tone-quote")).to_have_text(re.compile(
            r"^Quotation, not checked for tone: " + re.escape(harsh) + r"\s*End of quotation\.$"))
        expect(page.locator("#quotation-hint")).to_be_visible()
        assert serious_violations(page) == []
        browser.close()
