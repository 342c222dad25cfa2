"""The templates docgen can fill, and the schema of each one's data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from docgen.service.dependencies import PipelineDep
from docgen.service.models import DataSchema, TemplateSummary, error_responses

router = APIRouter(prefix="/v1/templates", tags=["templates"])


@router.get("", response_model=list[TemplateSummary], responses=error_responses())
def list_templates(pipeline: PipelineDep) -> list[dict[str, Any]]:
    """List the templates: id, title, kind, audience, model and document type."""
    rows = []
    for template in pipeline.catalogue:
        row: dict[str, Any] = dict(template.summary())
        row.pop("path", None)  # the server's file layout is nobody's business
        rows.append(row)
    return rows


@router.get("/{template_id}/schema", response_model=DataSchema,
            responses=error_responses(404))
def template_schema(template_id: str, pipeline: PipelineDep) -> dict[str, Any]:
    """Return the JSON Schema of the data a template takes, as ``docgen schema``."""
    return pipeline.catalogue.get(template_id).json_schema()
