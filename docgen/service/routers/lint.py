"""Lint text or an uploaded document; the readability targets; an upload's text."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from docgen.lint.names import check_document_type
from docgen.pipeline import (
    MEDIA_TYPES,
    lint_text_docx,
    lint_text_json,
    lint_upload_json,
    readability_targets_json,
)
from docgen.service.dependencies import (
    CanLint,
    StateDep,
    Upload,
    body_openapi,
    json_body,
    parse_json,
    read_upload,
)
from docgen.service.models import (
    ExtractedText,
    LintRequest,
    LintResult,
    ReadabilityTargets,
    error_responses,
)
from docgen.service.routers.render import attachment

router = APIRouter(prefix="/v1", tags=["documents"])
JSON = "application/json"


@router.post("/lint", response_class=Response,
             openapi_extra=body_openapi(LintRequest, upload=True),
             responses={200: {"model": LintResult, "description": "The findings."},
                        **error_responses(401, 403, 413, 415, 422, 503, 504)})
async def lint(request: Request, state: StateDep, token: CanLint) -> Response:
    """Lint text (JSON) or an uploaded .docx, .pdf or .txt (multipart) for tone.

    Returns the same JSON as ``docgen lint --format json``.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        upload = await read_upload(request)
        check_document_type(upload.document_type)
        report = await state.lint_job(lint_upload_json, upload.filename, upload.data,
                                      upload.document_type)
    else:
        body = parse_json(await request.body(), LintRequest)
        check_document_type(body.document_type)
        state.pipeline.check_text_length(len(body.text))
        report = await state.lint_job(lint_text_json, body.text, body.document_type,
                                      body.quotations, body.quoted_spans)
    return Response(report, media_type=JSON)


@router.post("/lint/word", response_class=Response, openapi_extra=body_openapi(LintRequest),
             responses={200: {"description": "The text as a Word file, with each finding "
                              "as a comment.",
                              "content": {MEDIA_TYPES["docx"]: {
                                  "schema": {"type": "string", "format": "binary"}}}},
                        **error_responses(401, 403, 413, 422, 503, 504)})
async def lint_to_word(state: StateDep, token: CanLint,
                       body: Annotated[LintRequest, Depends(json_body(LintRequest))]
                       ) -> Response:
    """Lint text and return it as a Word file with each finding as a comment."""
    check_document_type(body.document_type)
    state.pipeline.check_text_length(len(body.text))
    docx = await state.lint_job(lint_text_docx, body.text, body.document_type,
                                body.quotations, body.quoted_spans)
    return Response(docx, media_type=MEDIA_TYPES["docx"],
                    headers=attachment("letter-with-findings.docx"))


@router.get("/readability-targets", response_class=Response,
            responses={200: {"model": ReadabilityTargets,
                             "description": "Each measure's target."},
                       **error_responses(422, 503, 504)})
async def readability_targets(state: StateDep, document_type: str | None = None) -> Response:
    """The readability targets for a document type, as the linter applies them."""
    check_document_type(document_type or None)
    targets = await state.lint_job(readability_targets_json, document_type or None)
    return Response(targets, media_type=JSON)


@router.post("/extract", response_model=ExtractedText,
             openapi_extra=body_openapi(upload=True),
             responses=error_responses(401, 403, 413, 415, 422))
async def extract(state: StateDep, token: CanLint,
                  upload: Annotated[Upload, Depends(read_upload)]) -> Any:
    """Return the text of an uploaded .docx, .pdf or .txt as the linter reads it.

    The tone-check page uses this to put an uploaded letter into its text box.
    """
    return await state.cpu_bound(state.pipeline.extract, upload.filename, upload.data,
                                 upload.document_type)
