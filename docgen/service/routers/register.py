"""Read the register of issued documents."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from docgen.errors import RecordNotFound
from docgen.issue.register import Record
from docgen.service.dependencies import CanReadRegister, PipelineDep
from docgen.service.models import error_responses
from docgen.service.problems import ApiError

router = APIRouter(prefix="/v1/register", tags=["issue"])


@router.get("/{reference}", response_model=Record,
            responses=error_responses(401, 404))
async def register_record(reference: str, pipeline: PipelineDep,
                          token: CanReadRegister) -> Record:
    """Return one register record by reference (any valid token)."""
    try:
        record = await run_in_threadpool(pipeline.record, reference)
    except RecordNotFound:  # no such record, or nothing issued yet
        raise ApiError(404, "record_not_found",
                       f"There is no record '{reference}' in the register. Check the "
                       "reference printed on the document.") from None
    return record
