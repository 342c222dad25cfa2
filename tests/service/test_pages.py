"""The page and its statements share one layout: one header and one footer to change."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from docgen.service.app import create_app
from docgen.service.routers.pages import PAGES
from docgen.settings import ServiceSettings

FOOTER = re.compile(r'<footer class="govuk-footer">.*?</footer>', re.S)


def test_every_page_has_the_same_header_and_footer_from_one_layout() -> None:
    client = TestClient(create_app(ServiceSettings()))
    pages = {path: client.get(path) for path in ("/", "/accessibility", "/privacy")}
    assert all(answer.status_code == 200 for answer in pages.values())
    footers = {FOOTER.search(answer.text).group(0) for answer in pages.values()}
    assert len(footers) == 1
    footer = footers.pop()
    for link in ("/accessibility", "/privacy", "/docs"):
        assert f'href="{link}"' in footer
    # Written once: only the layout holds the header and the footer.
    holding = sorted(p.name for p in PAGES.glob("*.html")
                     if "govuk-footer" in p.read_text(encoding="utf-8"))
    assert holding == ["layout.html"]
    titles = {path: re.search(r"<title>(.*?)</title>", answer.text).group(1)
              for path, answer in pages.items()}
    assert titles["/privacy"].startswith("Privacy – ")
    assert titles["/accessibility"].startswith("Accessibility statement – ")
    # Only the tool loads its script and says whether it needs a token.
    assert "tone-check.js" in pages["/"].text and "tone-check.js" not in pages["/privacy"].text
    assert 'data-lint-access="anonymous"' in pages["/"].text
    assert "{{" not in "".join(answer.text for answer in pages.values())
