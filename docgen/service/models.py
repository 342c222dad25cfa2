"""What the service takes and gives, as pydantic models, so ``/openapi.json`` shows each
request body, each response and the error shape as a real schema."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

# The register's own record type is the response's schema, so the two cannot drift.
from docgen.issue.register import Record

Format = Literal["docx", "pdf", "html", "text", "eml"]

# --- requests ------------------------------------------------------------------------------


class RenderRequest(BaseModel):
    """Data for one template, and the format to render it in."""

    model_config = ConfigDict(extra="forbid")

    template: str = Field(description="A template id from GET /v1/templates.")
    data: dict[str, Any] = Field(description="The template's fields (see its schema).")
    format: Format = "docx"


# A quotation is some text: blank ones would match nothing, so they are refused.
Passage = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MAX_QUOTATIONS = 1000
# A place in a text: [start, end) character offsets.
Span = tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]]


class LintRequest(BaseModel):
    """Text to lint, and optionally the document type whose profile applies."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The letter or report as plain text.")
    document_type: str | None = Field(
        default=None, description="A lint profile such as 'pause_confirmation'; none: "
        "every rule except required content.")
    quotations: list[Passage] = Field(
        default_factory=list, max_length=MAX_QUOTATIONS,
        description="Passages of the text that are someone else's words, such as the "
        "complainant's point a complaint outcome quotes back. Each place the text holds "
        "one exactly, as whole words, is read but not judged by the tone, spelling and "
        "grammar checks. POST /v1/extract gives an upload's quotations.")
    quoted_spans: list[Span] = Field(
        default_factory=list, max_length=MAX_QUOTATIONS,
        description="Places in the text that are someone else's words, as [start, end] "
        "character offsets into 'text' (end excluded): unlike 'quotations', each marks "
        "one place only, so the same words elsewhere are still judged. POST /v1/extract "
        "gives an upload's quoted spans; the tone-check page moves them as the writer "
        "edits around them.")

    @field_validator("quoted_spans")
    @classmethod
    def _inside_the_text(cls, spans: list[tuple[int, int]], info: ValidationInfo
                         ) -> list[tuple[int, int]]:
        length = len(info.data.get("text", ""))
        for number, (start, end) in enumerate(spans, 1):
            if not start < end <= length:
                raise PydanticCustomError(
                    "span_outside_text",
                    "expected [start, end] offsets with start before end, inside the "
                    "text's {length} characters; span {number} is [{start}, {end}]",
                    {"length": length, "number": number, "start": start, "end": end})
        return spans


class Waiver(BaseModel):
    """A finding a reviewer has accepted, and why."""

    # Stripped as the CLI strips --reason, so a blank reason is refused (422), not recorded.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rule: str = Field(min_length=1, description="A rule id such as 'Tone.Threat', or a "
                      "prefix such as 'Tone'.")
    reason: str = Field(min_length=1, description="Why the finding may stand.")


class IssueRequest(BaseModel):
    """Data to issue through the lint gate, with any waivers."""

    model_config = ConfigDict(extra="forbid")

    template: str = Field(description="A template id from GET /v1/templates.")
    data: dict[str, Any] = Field(description="The template's fields (see its schema).")
    waivers: list[Waiver] = Field(default_factory=list, description="Findings to issue "
                                  "despite; needs a token that also holds the reviewer role.")


#: The request bodies the endpoints read themselves (after checking access).
REQUEST_MODELS: tuple[type[BaseModel], ...] = (RenderRequest, LintRequest, IssueRequest)

# --- responses -----------------------------------------------------------------------------


class Health(BaseModel):
    """The service is running."""

    status: Literal["ok"]
    version: str


class TemplateSummary(BaseModel):
    """One template, as ``docgen templates --format json`` lists it (without its path)."""

    id: str
    title: str
    kind: str = Field(description="letter, script or report.")
    audience: str
    model: str = Field(description="The data model the template takes.")
    document_type: str = Field(
        description="The document type its text is linted as: its id, unless the manifest "
                    "names another.")


class DataSchema(RootModel[dict[str, Any]]):
    """The JSON Schema (draft 2020-12) of the data a template takes, as ``docgen schema``."""


class ReadabilityTarget(BaseModel):
    """One readability measure's target."""

    target: float | None
    higher_is_better: bool


class ReadabilityTargets(RootModel[dict[str, ReadabilityTarget]]):
    """Each readability measure's target for a document type, by measure."""


class Finding(BaseModel):
    """One finding: the rule, where it is (1-based; ``end_column`` just past it), why."""

    rule: str
    severity: Literal["error", "warning", "suggestion"]
    line: int
    column: int
    end_line: int
    end_column: int
    match: str
    message: str
    suggestions: list[str]
    category: str | None = Field(None, description="A learned rule's finding: what the "
                                 "sentence may read as.")
    score: float | None = Field(None, description="A learned rule's finding: its score.")


class Suppressed(BaseModel):
    """A finding silenced by a ``docgen-ignore`` line, with its reason."""

    rule: str
    line: int
    reason: str


class Quotation(BaseModel):
    """A passage marked as someone else's words: read, not judged for tone or spelling."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


class FileResult(BaseModel):
    """Everything the linter found in one document."""

    path: str
    document_type: str | None
    findings: list[Finding]
    readability: dict[str, float]
    suppressed: list[Suppressed]
    notices: list[str]
    quotations: list[Quotation] = Field(
        default_factory=list, description="The passages the document marks as quotations, "
        "which the tone, spelling and grammar checks left out.")


class LintSummary(BaseModel):
    """Counts over every file."""

    files: int
    errors: int
    warnings: int
    suggestions: int
    suppressed: int


class LintResult(BaseModel):
    """Exactly the JSON of ``docgen lint --format json``."""

    files: list[FileResult]
    summary: LintSummary


class ExtractedText(BaseModel):
    """An uploaded document's text as the linter reads it."""

    path: str
    document_type: str | None
    text: str
    quotations: list[str] = Field(description="The passages the file marks as someone "
                                  "else's words (a Word quotation style), each once: send "
                                  "them with the text to POST /v1/lint to leave out "
                                  "every place they occur.")
    quoted_spans: list[tuple[int, int]] = Field(
        description="Where the file quotes them, as [start, end] offsets into 'text': send "
        "these with the text to POST /v1/lint (quoted_spans) to judge it as the file is "
        "judged.")


class RecordedWaiver(BaseModel):
    """A waiver as the register holds it: the rule, the reason and who waived it."""

    rule: str
    reason: str
    by: str


class IssueResult(BaseModel):
    """An issued document (201), or the record of the same data issued before (200)."""

    reference: str
    already_issued: bool
    record: Record
    unused_waivers: list[RecordedWaiver] = Field(description="Waivers that matched no "
                                                 "finding, so were not recorded.")
    lint: FileResult | None = Field(description="The lint report of the document; none "
                                    "when it was issued before.")


# --- errors --------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    """What went wrong: a stable code for programs, a message that says what to change."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="For example 'token_required' or 'issue_refused'.")
    message: str
    findings: list[dict[str, Any]] | None = Field(
        None, description="issue_refused: the blocking findings, each with its origin.")
    report: FileResult | None = Field(None, description="issue_refused: the whole report.")


class ErrorResponse(BaseModel):
    """Every error the service sends."""

    error: ErrorDetail


_DESCRIPTIONS = {
    401: "No token, or one that is not recognised (with WWW-Authenticate: Bearer).",
    403: "The token's roles do not allow this.",
    404: "No such template, record or endpoint.",
    405: "The method is not allowed here.",
    413: "The body, document or text is over a limit.",
    415: "The upload is not a .docx, .pdf or .txt file.",
    422: "The request or its data cannot be used; the message names the field.",
    500: "The service is not set up correctly.",
    503: "LibreOffice or a lint process failed, or the service is stopping; try again.",
    504: "A conversion or a lint took longer than this service allows.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry documenting each of ``statuses`` with ``ErrorResponse``
    (500 is documented for every endpoint)."""
    return {status: {"model": ErrorResponse, "description": _DESCRIPTIONS[status]}
            for status in (*statuses, 500)}
