"""Issue a document through the lint gate into the register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from docgen.service.dependencies import CanIssue, StateDep, body_openapi, json_body
from docgen.service.models import IssueRequest, IssueResult, error_responses
from docgen.service.problems import ApiError

if TYPE_CHECKING:
    from docgen.issue.gate import Refused

router = APIRouter(prefix="/v1", tags=["issue"])


@router.post("/issue", status_code=201, response_class=JSONResponse,
             openapi_extra=body_openapi(IssueRequest),
             responses={201: {"model": IssueResult, "description": "Issued."},
                        200: {"model": IssueResult,
                              "description": "The same data was issued before."},
                        **error_responses(401, 403, 404, 413, 422, 503, 504)})
async def issue(state: StateDep, token: CanIssue,
                body: Annotated[IssueRequest, Depends(json_body(IssueRequest))]
                ) -> JSONResponse:
    """Issue a document through the lint gate and record it (issuer; waivers: reviewer)."""
    from docgen.issue.gate import Refused

    assert token is not None  # issuing is never anonymous
    if body.waivers and not token.may("waive"):
        raise ApiError(
            403, "role_not_allowed",
            f"The token '{token.name}' may issue but not waive findings; waivers need "
            "a token that also holds the reviewer role.",
        )
    try:
        outcome = await run_in_threadpool(
            state.pipeline.issue, body.data, template=body.template, by=token.name,
            waivers=[(w.rule, w.reason) for w in body.waivers])
    except Refused as refused:
        raise _refusal(refused) from None
    result: dict[str, Any] = {
        "reference": outcome.reference,
        "already_issued": outcome.already_issued,
        "record": outcome.record.as_dict(),
        "unused_waivers": [w.to_dict() for w in outcome.unused_waivers],
        "lint": outcome.report.to_dict() if outcome.report else None,
    }
    # 201 for a new record; 200 when the same data was issued before.
    return JSONResponse(result, status_code=200 if outcome.already_issued else 201)


def _refusal(refused: Refused) -> ApiError:
    """422 ``issue_refused``: the first blocking finding, and each with its origin."""
    count = len(refused.blocking)
    first = refused.blocking[0]
    return ApiError(
        422, "issue_refused",
        f"Not issued: {count} error-level finding{'s' if count > 1 else ''} "
        f"without a waiver (first: {first.rule} in "
        f"{refused.origins[first].describe('the data', refused.template_path)}: "
        f"{first.message}). Rewrite the passage, or send a waiver with a token "
        "that holds the reviewer role.",
        details={"findings": [
                     {**f.to_dict(), "origin": refused.origins[f].to_dict()}
                     if f in refused.origins else f.to_dict()
                     for f in refused.blocking],
                 "report": refused.report.to_dict()},
    )
