"""The HTTP service: the library behind ``docgen`` over HTTP, and the tone-check page.

Thin like ``cli.py``, in FastAPI's larger-application layout: one router per area
(``routers/``), access and settings as dependencies (``dependencies.py``), the request
and response models (``models.py``), and errors mapped by type (``problems.py``). Every
endpoint checks access, calls the pipeline (``docgen.pipeline``) and translates its
answer or its ``DocgenError`` into HTTP. CPU-bound work runs off the event loop, and
linting in a pool of processes (``pool.py``) that a time limit can stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from pydantic.json_schema import models_json_schema

from docgen.service.limits import BodyLimitMiddleware
from docgen.service.models import REQUEST_MODELS, ErrorResponse
from docgen.service.problems import install_error_handlers
from docgen.service.routers import issue, lint, pages, register, render, templates
from docgen.service.state import ServiceState
from docgen.settings import ServiceSettings, Settings, load_settings, variable

# The variables 'docgen serve' hands its options to the app built by uvicorn through.
CONFIG_ENV = variable("service_config")
LINT_PROCESSES_ENV = variable("service_lint_processes")
HOST_ENV = variable("service_host")


def create_app(settings: Settings | ServiceSettings | None = None) -> FastAPI:
    """Build the service with ``settings`` (the defaults suit local use); given only the
    ``[service]`` settings, the lint settings and the environment are read now."""
    if not isinstance(settings, Settings):
        settings = Settings.for_service(settings)
    state = ServiceState(settings)
    service = settings.service

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await state.start()
        restore = _before_stop_signals(state.stop_linting)
        try:
            yield
        finally:
            restore()
            state.close()

    app = FastAPI(
        title="docgen",
        version=pages.version(),
        description="Render, lint and issue courteous inspection letters and reports.",
        lifespan=lifespan,
        docs_url=None,  # served by the pages router from the app's own Swagger UI
        redoc_url=None,
    )
    app.state.docgen = state
    install_error_handlers(app)
    if service.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(service.cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimitMiddleware, max_bytes=service.max_body_bytes)
    app.mount("/assets", StaticFiles(directory=pages.STATIC / "govuk" / "assets"),
              name="assets")
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    for router in (pages.router, templates.router, render.router, lint.router,
                   issue.router, register.router):
        app.include_router(router)
    app.openapi = openapi_with_bodies(app)  # type: ignore[method-assign]
    return app


def openapi_with_bodies(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """OpenAPI with the bodies read by hand (after the access check) in the components,
    and validation errors documented in the service's own error shape."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version,
                           description=app.description, routes=app.routes)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        _, definitions = models_json_schema(
            [(model, "validation") for model in REQUEST_MODELS],
            ref_template="#/components/schemas/{model}")
        schemas.update(definitions.get("$defs", {}))
        # FastAPI documents a 422 of its own shape for every parameter; the service
        # answers it as every other error.
        error_ref = f"#/components/schemas/{ErrorResponse.__name__}"
        for item in spec["paths"].values():
            for operation in item.values():
                invalid = operation.get("responses", {}).get("422", {})
                for media in invalid.get("content", {}).values():
                    media["schema"] = {"$ref": error_ref}
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        app.openapi_schema = spec
        return spec

    return openapi


def _before_stop_signals(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` on SIGTERM or SIGINT, then the handler already there (the
    server's, which starts its graceful shutdown); return a function that undoes it.

    Lint jobs change nothing, so on a stop signal they end at once and their callers
    are told to try again, rather than holding the shutdown for as long as a lint may
    take. Other requests get the server's grace period as before.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # signals reach only the main thread (not in tests' clients)
    loop = asyncio.get_running_loop()
    previous = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        prior = signal.getsignal(signum)

        def handler(number: int, frame: Any, prior: Any = prior) -> None:
            loop.call_soon_threadsafe(callback)
            if callable(prior):
                prior(number, frame)

        previous[signum] = prior
        signal.signal(signum, handler)

    def restore() -> None:
        for signum, prior in previous.items():
            signal.signal(signum, prior)

    return restore


def app_from_environment() -> FastAPI:
    """Build the app from the settings 'docgen serve' handed on (``DOCGEN_SERVICE_*``),
    for uvicorn."""
    return create_app(load_settings())
