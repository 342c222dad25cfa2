"""Inspection reports under the report-card framework and the 2019 framework."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from docgen.models.base import Model
from docgen.models.inspection import (
    Inspection,
    Judgements2019,
    ReportCardJudgements,
)
from docgen.models.people import Person
from docgen.models.school import ResponsibleBody, School

Paragraphs = list[str]


class InspectionReportCard(Model):
    """A report card: each evaluation area graded with a short narrative; no overall grade."""

    school: School
    """The school inspected."""
    headteacher: Person
    """The school's headteacher."""
    responsible_body: ResponsibleBody
    """The local authority or academy trust responsible for the school."""
    inspection: Inspection
    """The inspection reported on."""
    publication_date: dt.date
    """The day the report is published."""
    summary: Paragraphs = Field(min_length=1)
    """The summary of findings, one paragraph each."""
    judgements: ReportCardJudgements
    """Each evaluation area's grade and narrative."""
    safeguarding_narrative: Paragraphs = Field(min_length=1)
    """What inspectors found about safeguarding, one paragraph each."""
    next_steps: list[str] = Field(min_length=1)
    """What the school should do next, one item each."""

    @model_validator(mode="after")
    def _report_card_era(self) -> InspectionReportCard:
        if self.inspection.framework != "report cards":
            raise ValueError(
                f"inspection.start_date {self.inspection.start_date} is before 10 November "
                "2025, when report cards began; use the template 'inspection_report_2019' for "
                "an inspection under the 2019 framework"
            )
        return self


class PreviousInspection(Model):
    """The inspection before this one, as a 2019-framework report's details give it."""

    date: dt.date
    """The date of the previous inspection."""
    grade: Literal["outstanding", "good", "requires improvement", "inadequate"]
    """The overall effectiveness the previous inspection gave."""


class InspectionReport2019(Model):
    """A report under the education inspection framework of 2019."""

    school: School
    """The school inspected."""
    headteacher: Person
    """The school's headteacher."""
    responsible_body: ResponsibleBody
    """The local authority or academy trust responsible for the school."""
    inspection: Inspection
    """The inspection reported on."""
    publication_date: dt.date
    """The day the report is published."""
    judgements: Judgements2019
    """The key judgements."""
    what_is_it_like: Paragraphs = Field(min_length=1)
    """What it is like to attend the school, one paragraph each."""
    does_well_and_better: Paragraphs = Field(min_length=1)
    """What the school does well and what it needs to do better, one paragraph each."""
    safeguarding_narrative: Paragraphs = Field(min_length=1)
    """What inspectors found about safeguarding, one paragraph each."""
    improvements: list[str] = Field(min_length=1)
    """What the school needs to do to improve, one item each."""
    previous_inspection: PreviousInspection | None = Field(
        default=None, description="Leave out for a school's first inspection."
    )
    about_this_inspection: Paragraphs = Field(
        min_length=1, description="Who inspectors met and what they looked at."
    )

    @model_validator(mode="after")
    def _2019_era(self) -> InspectionReport2019:
        if self.inspection.framework != "2019":
            raise ValueError(
                f"inspection.start_date {self.inspection.start_date} is on or after 10 "
                "November 2025, when report cards replaced the 2019 framework; use the "
                "template 'inspection_report_card' for this inspection"
            )
        return self
