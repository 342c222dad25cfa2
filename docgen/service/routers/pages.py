"""The tone-check page, its statements, the API documentation and the health check."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from docgen.service.dependencies import SettingsDep
from docgen.service.models import Health

STATIC = Path(__file__).resolve().parents[1] / "static"
#: The pages: one layout (head, GOV.UK header and footer) and each page's own content.
PAGES = Path(__file__).resolve().parents[1] / "pages"
_SERVICE = "Check the tone of a letter – docgen"
_TITLES = {"index.html": _SERVICE,
           "accessibility.html": f"Accessibility statement – {_SERVICE}",
           "privacy.html": f"Privacy – {_SERVICE}"}
_TOOL = "index.html"  # the page that checks letters, with its script
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

router = APIRouter()


@router.get("/", include_in_schema=False)
def page(settings: SettingsDep) -> HTMLResponse:
    # The page asks for a token only when the service will not lint without one.
    mode = "anonymous" if settings.anonymous_lint else "token"
    return HTMLResponse(_page("index.html").replace("{{ lint_access }}", mode),
                        headers=PAGE_HEADERS)


@router.get("/docs", include_in_schema=False)
def docs() -> HTMLResponse:
    from fastapi.openapi.docs import get_swagger_ui_html

    # Served from the app's own copy of Swagger UI, not a CDN.
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="docgen API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/swagger/favicon-32x32.png",
    )


@router.get("/accessibility", include_in_schema=False)
def accessibility() -> HTMLResponse:
    return HTMLResponse(_page("accessibility.html"), headers=PAGE_HEADERS)


@router.get("/privacy", include_in_schema=False)
def privacy() -> HTMLResponse:
    return HTMLResponse(_page("privacy.html"), headers=PAGE_HEADERS)


@router.get("/healthz", tags=["service"], response_model=Health)
def healthz() -> Health:
    """Say the service is running."""
    return Health(status="ok", version=version())


@cache
def version() -> str:
    """docgen's installed version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("docgen")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


@cache
def _page(name: str) -> str:
    """A page's own content inside the layout every page shares."""
    layout = (PAGES / "layout.html").read_text(encoding="utf-8")
    tool = name == _TOOL
    return (layout
            .replace("{{ title }}", _TITLES[name])
            .replace("{{ body_attributes }}", ' data-lint-access="{{ lint_access }}"' if tool
                     else "")
            .replace("{{ scripts }}", '  <script type="module" src="/static/tone-check.js">'
                     "</script>\n" if tool else "")
            .replace("{{ content }}\n", (PAGES / name).read_text(encoding="utf-8")))
