"""Render data with a template to a file."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from docgen.pipeline import MEDIA_TYPES
from docgen.service.dependencies import CanRender, StateDep, body_openapi, json_body
from docgen.service.models import RenderRequest, error_responses

router = APIRouter(prefix="/v1", tags=["documents"])

_FILES: dict[int | str, dict[str, Any]] = {200: {
    "description": "The document, in the format asked for.",
    "content": {media: {"schema": {"type": "string", "format": "binary"}}
                for media in MEDIA_TYPES.values()}}}


@router.post("/render", response_class=Response, openapi_extra=body_openapi(RenderRequest),
             responses={**_FILES, **error_responses(401, 403, 404, 413, 422, 503, 504)})
async def render_document(state: StateDep, token: CanRender,
                          body: Annotated[RenderRequest, Depends(json_body(RenderRequest))]
                          ) -> Response:
    """Render data with a template to DOCX, PDF, HTML, plain text or (for an email
    template) an email message (writer or issuer)."""
    result = await state.cpu_bound(state.pipeline.render, body.data, body.format,
                                   template=body.template)
    return Response(result.content, media_type=result.media_type,
                    headers=attachment(result.filename))


def attachment(filename: str) -> dict[str, str]:
    """The header that offers a response as a file to save."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}
