"""Inspection reports under the report-card framework and the 2019 framework."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from docgen.models.base import Model
from docgen.models.inspection import Inspection, Judgements2019, ReportCardJudgements
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
