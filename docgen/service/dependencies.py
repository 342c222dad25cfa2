"""The endpoints' dependencies: the application's state and settings, access by role,
and request bodies read only after access is checked."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError

from docgen.pipeline import Pipeline
from docgen.service.auth import authorise
from docgen.service.problems import ApiError, validation_problem
from docgen.service.state import ServiceState
from docgen.settings import ApiToken, ServiceSettings

M = TypeVar("M", bound=BaseModel)

# For OpenAPI's bearer scheme (the Authorize button in /docs). It never refuses by itself
# (auto_error=False): ``authorise`` reads the header, so a Basic header is told apart.
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="An API token: 'Authorization: Bearer <token>'.")


def get_state(request: Request) -> ServiceState:
    """The application's shared state."""
    state: ServiceState = request.app.state.docgen
    return state


def get_settings(state: Annotated[ServiceState, Depends(get_state)]) -> ServiceSettings:
    """The ``[service]`` settings."""
    return state.settings


def get_pipeline(state: Annotated[ServiceState, Depends(get_state)]) -> Pipeline:
    """The application's pipeline."""
    return state.pipeline


StateDep = Annotated[ServiceState, Depends(get_state)]
SettingsDep = Annotated[ServiceSettings, Depends(get_settings)]
PipelineDep = Annotated[Pipeline, Depends(get_pipeline)]


def _access(action: str) -> Callable[..., ApiToken | None]:
    # A dependency, so access is checked before the body is read or validated.
    def check(request: Request, settings: SettingsDep,
              credentials: Annotated[HTTPAuthorizationCredentials | None,
                                     Depends(bearer_scheme)]) -> ApiToken | None:
        anonymous_ok = action == "lint" and settings.anonymous_lint
        return authorise(settings, request.headers.get("authorization"), action,
                         anonymous_ok=anonymous_ok)

    return check


CanRender = Annotated[ApiToken | None, Depends(_access("render"))]
CanLint = Annotated[ApiToken | None, Depends(_access("lint"))]
CanIssue = Annotated[ApiToken | None, Depends(_access("issue"))]
CanReadRegister = Annotated[ApiToken | None, Depends(_access("read_register"))]


def parse_json(raw: bytes, model: type[M]) -> M:
    """Validate a JSON body against ``model``; a problem is 422 naming the field."""
    if not raw.strip():
        raise ApiError(422, "body_required",
                       "Send a JSON body such as {\"text\": \"Dear ...\"}, or upload a "
                       "file as multipart/form-data.")
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise ApiError(422, *validation_problem(exc.errors(include_url=False))) from None


def json_body(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """A dependency that reads the body as ``model``; list it after the access check.

    The body is read here rather than declared as a parameter, because FastAPI reads a
    declared body before it runs any dependency, and access must be checked first.
    """

    async def read(request: Request) -> M:
        return parse_json(await request.body(), model)

    return read


@dataclass(frozen=True)
class Upload:
    """A multipart upload: one file and an optional document type."""

    filename: str
    data: bytes
    document_type: str | None


async def read_upload(request: Request) -> Upload:
    """Read a multipart upload: one ``file`` (.docx, .pdf or .txt) and an optional
    ``document_type``."""
    from starlette.datastructures import UploadFile

    from docgen.lint.uploads import UPLOAD_SUFFIXES

    try:
        form = await request.form(max_files=1, max_fields=4)
    except ApiError:
        raise
    except Exception:  # python-multipart and Starlette raise several kinds here
        raise ApiError(422, "malformed_upload",
                       "The upload could not be read as multipart/form-data; send one "
                       "file in a field named 'file'.") from None
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ApiError(422, "file_required",
                       "Send the document in a multipart field named 'file'.")
    filename = PurePath((upload.filename or "upload").replace("\\", "/")).name or "upload"
    suffix = PurePath(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise ApiError(415, "unsupported_file_type",
                       f"{filename} has {shown}; upload a .docx, .pdf or .txt file.")
    data = await upload.read()
    document_type: Any = form.get("document_type")
    if not isinstance(document_type, str) or not document_type.strip():
        document_type = None
    return Upload(filename, data, document_type)


# --- OpenAPI for bodies read by hand -------------------------------------------------------

_UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "A .docx, .pdf or .txt file."},
        "document_type": {"type": "string", "description": "A lint profile (optional)."},
    },
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def body_openapi(model: type[BaseModel] | None = None, *,
                 upload: bool = False) -> dict[str, Any]:
    """The ``openapi_extra`` declaring a body read by hand: JSON as ``model`` (its
    schema is added to the components by ``create_app``), and/or a multipart upload."""
    content: dict[str, Any] = {}
    if model is not None:
        content["application/json"] = {"schema": _ref(model)}
    if upload:
        content["multipart/form-data"] = {"schema": _UPLOAD_SCHEMA}
    return {"requestBody": {"required": True, "content": content}}
