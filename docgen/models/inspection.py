"""The inspection, and the judgements under the 2019 framework and the report cards."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from docgen.models.base import Model
from docgen.models.people import Contact, Inspector, Person
from docgen.workdays import working_days_between

#: Report cards (the renewed framework) apply to inspections from this date; the 2019
#: framework's wording ("inadequate", "effective", graded and ungraded inspections) belongs
#: to inspections before it.
REPORT_CARDS_FROM = dt.date(2025, 11, 10)
Framework = Literal["2019", "report cards"]
TYPES_2019 = ("graded inspection", "ungraded inspection")


def framework_on(day: dt.date) -> Framework:
    """The inspection framework in force for an inspection that starts on ``day``."""
    return "report cards" if day >= REPORT_CARDS_FROM else "2019"


InspectionType = Literal[
    "full inspection",
    "graded inspection",
    "ungraded inspection",
    "monitoring inspection",
    "urgent inspection",
]


class Inspection(Model):
    """One inspection of one school."""

    reference: str = Field(min_length=1, max_length=40, examples=["10345678"])
    """Ofsted's reference for the inspection."""
    type: InspectionType
    """The kind of inspection."""
    start_date: dt.date
    """The inspection's first day."""
    end_date: dt.date
    """The inspection's last day."""
    lead_inspector: Inspector
    """The inspector who leads the inspection."""
    team: list[Inspector] = Field(default_factory=list)
    """The other inspectors on the team."""
    senior_inspector: Contact
    """The senior inspector the school can contact about the inspection."""
    nominee: Person | None = None
    """The school's nominee: the person who works with the lead inspector."""

    @model_validator(mode="after")
    def _dates_in_order(self) -> Inspection:
        if self.end_date < self.start_date:
            raise ValueError(
                f"end_date {self.end_date} is before start_date {self.start_date}"
            )
        if self.type in TYPES_2019 and self.framework == "report cards":
            raise ValueError(
                f"start_date {self.start_date} is on or after 10 November 2025, when report "
                f"cards replaced the 2019 framework, so the type '{self.type}' does not apply; "
                "use 'full inspection', 'monitoring inspection' or 'urgent inspection' (and "
                "the template 'inspection_report_card' for a report)"
            )
        return self

    @property
    def framework(self) -> Framework:
        """The framework this inspection was carried out under, from its start date."""
        return framework_on(self.start_date)

    @property
    def length_days(self) -> int:
        """The inspection's length in working days, counting its first day."""
        return working_days_between(self.start_date - dt.timedelta(days=1), self.end_date)


class NotificationCall(Model):
    """When the lead inspector telephones the school."""

    date: dt.date
    """The day of the notification call."""
    time: dt.time
    """The time of the call, such as 10:30."""


# --- The 2019 framework --------------------------------------------------------------

Grade2019 = Literal["outstanding", "good", "requires improvement", "inadequate"]


class Judgements2019(Model):
    """Key judgements under the education inspection framework of 2019."""

    overall_effectiveness: Grade2019 | None = Field(
        default=None,
        description="Not given to state-funded schools inspected from September 2024.",
    )
    quality_of_education: Grade2019
    """The grade for the quality of education."""
    behaviour_and_attitudes: Grade2019
    """The grade for behaviour and attitudes."""
    personal_development: Grade2019
    """The grade for personal development."""
    leadership_and_management: Grade2019
    """The grade for leadership and management."""
    early_years: Grade2019 | None = None
    """The grade for early years provision, where the school has it."""
    sixth_form: Grade2019 | None = None
    """The grade for sixth-form provision, where the school has it."""
    safeguarding: Literal["effective", "not effective"]
    """Whether safeguarding is effective."""

    @model_validator(mode="before")
    @classmethod
    def _category_not_typed(cls, data: object) -> object:
        if isinstance(data, dict) and "category_of_concern" in data:
            raise ValueError(
                "category_of_concern is worked out from the judgements; remove it from the data"
            )
        return data

    @property
    def key_judgements(self) -> list[Grade2019]:
        return [grade for grade in (
            self.overall_effectiveness, self.quality_of_education,
            self.behaviour_and_attitudes, self.personal_development,
            self.leadership_and_management, self.early_years, self.sixth_form,
        ) if grade]

    @property
    def category_of_concern(self) -> Literal["serious weaknesses", "special measures"] | None:
        """The category the judgements imply: inadequate leadership and management means
        special measures; any other inadequate judgement, or ineffective safeguarding,
        means serious weaknesses (an assumption recorded in the template's source note)."""
        if self.leadership_and_management == "inadequate":
            return "special measures"
        if "inadequate" in self.key_judgements or self.safeguarding == "not effective":
            return "serious weaknesses"
        return None

    @property
    def category_statement(self) -> str | None:
        """The report's sentence naming the category of concern, if there is one."""
        if self.category_of_concern == "special measures":
            return ("Under section 44 of the Education Act 2005, His Majesty's Chief Inspector "
                    "is of the opinion that this school requires special measures.")
        if self.category_of_concern == "serious weaknesses":
            return ("Under section 44 of the Education Act 2005, His Majesty's Chief Inspector "
                    "is of the opinion that this school has serious weaknesses.")
        return None

    @property
    def only_safeguarding_inadequate(self) -> bool:
        """Whether ineffective safeguarding is the only reason for an inadequate judgement:
        safeguarding not effective, and every judgement except leadership and management
        good or better."""
        others = [grade for grade in (
            self.quality_of_education, self.behaviour_and_attitudes,
            self.personal_development, self.early_years, self.sixth_form,
        ) if grade]
        return self.safeguarding == "not effective" and all(
            grade in ("outstanding", "good") for grade in others
        )

    @property
    def rows(self) -> list[tuple[str, str]]:
        """The judgement table: (area, grade) in the order reports print them."""
        areas = [
            ("Overall effectiveness", self.overall_effectiveness),
            ("The quality of education", self.quality_of_education),
            ("Behaviour and attitudes", self.behaviour_and_attitudes),
            ("Personal development", self.personal_development),
            ("Leadership and management", self.leadership_and_management),
            ("Early years provision", self.early_years),
            ("Sixth-form provision", self.sixth_form),
        ]
        return [(area, grade.capitalize()) for area, grade in areas if grade]


# --- Report cards, from November 2025 ----------------------------------------------

ReportCardGrade = Literal[
    "exceptional", "strong standard", "expected standard", "needs attention", "urgent improvement"
]


class EvaluationArea(Model):
    grade: ReportCardGrade
    """The area's grade."""
    narrative: str = Field(min_length=1, max_length=2000)
    """What inspectors found, in a short paragraph."""


class ReportCardJudgements(Model):
    """Evaluation areas under the report-card framework; there is no overall grade."""

    inclusion: EvaluationArea
    """Inclusion."""
    curriculum_and_teaching: EvaluationArea
    """Curriculum and teaching."""
    achievement: EvaluationArea
    """Achievement."""
    attendance_and_behaviour: EvaluationArea
    """Attendance and behaviour."""
    personal_development_and_wellbeing: EvaluationArea
    """Personal development and well-being."""
    leadership_and_governance: EvaluationArea
    """Leadership and governance."""
    early_years: EvaluationArea | None = None
    """Early years, where the school has it."""
    sixth_form: EvaluationArea | None = None
    """Sixth form, where the school has it."""
    safeguarding: Literal["met", "not met"]
    """Whether the school meets the safeguarding standards."""

    @property
    def category_of_concern(
        self,
    ) -> Literal["special measures", "significant improvement"] | None:
        """The category the grades imply: urgent improvement in leadership and governance
        means special measures; urgent improvement elsewhere, or safeguarding not met,
        means significant improvement."""
        if self.leadership_and_governance.grade == "urgent improvement":
            return "special measures"
        if self.safeguarding == "not met" or any(
            area.grade == "urgent improvement" for _, area in self.areas
        ):
            return "significant improvement"
        return None

    @property
    def category_statement(self) -> str | None:
        """The report card's sentence naming the category of concern, if there is one."""
        if self.category_of_concern is None:
            return None
        return ("Under section 44 of the Education Act 2005, His Majesty's Chief Inspector is "
                f"of the opinion that this school requires {self.category_of_concern}.")

    @property
    def areas(self) -> list[tuple[str, EvaluationArea]]:
        """(heading, area) in the order report cards print them."""
        named = [
            ("Inclusion", self.inclusion),
            ("Curriculum and teaching", self.curriculum_and_teaching),
            ("Achievement", self.achievement),
            ("Attendance and behaviour", self.attendance_and_behaviour),
            ("Personal development and well-being", self.personal_development_and_wellbeing),
            ("Leadership and governance", self.leadership_and_governance),
            ("Early years", self.early_years),
            ("Sixth form", self.sixth_form),
        ]
        return [(name, area) for name, area in named if area is not None]
