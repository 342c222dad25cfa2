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
    headteacher: Person
    responsible_body: ResponsibleBody
    inspection: Inspection
    publication_date: dt.date
    summary: Paragraphs = Field(min_length=1)
    judgements: ReportCardJudgements
    safeguarding_narrative: Paragraphs = Field(min_length=1)
    next_steps: list[str] = Field(min_length=1)

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
    grade: Literal["outstanding", "good", "requires improvement", "inadequate"]


class InspectionReport2019(Model):
    """A report under the education inspection framework of 2019."""

    school: School
    headteacher: Person
    responsible_body: ResponsibleBody
    inspection: Inspection
    publication_date: dt.date
    judgements: Judgements2019
    what_is_it_like: Paragraphs = Field(min_length=1)
    does_well_and_better: Paragraphs = Field(min_length=1)
    safeguarding_narrative: Paragraphs = Field(min_length=1)
    improvements: list[str] = Field(min_length=1)
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
