"""The rest of an inspection's correspondence: to parents and carers, the notification
email, monitoring inspections and the outcome of a concern or complaint."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from docgen.models.base import Model
from docgen.models.envelope import EmailEnvelope
from docgen.models.inspection import (
    REPORT_CARDS_FROM,
    Inspection,
    NotificationCall,
    framework_on,
)
from docgen.models.letters import PARENT_VIEW_URL, SchoolLetter, _check_call, _require_phone
from docgen.models.people import (
    DEFAULT_SUPPORT,
    Contact,
    Inspector,
    Person,
    Signatory,
    Support,
)
from docgen.models.school import Address, ResponsibleBody, School
from docgen.workdays import working_days_after

#: Ofsted's number for a copy of a letter in large print or Braille.
ALTERNATIVE_FORMATS_PHONE = "0300 123 1231"


class ParentLetter(Model):
    """Ofsted's letter that a school sends to parents and carers about its inspection."""

    letter_date: dt.date
    """The date the letter is sent."""
    signatory: Signatory
    """Who signs the letter."""
    school: School
    """The school the letter is about."""
    inspection: Inspection
    """The inspection the letter is about."""
    parent_view_url: str = PARENT_VIEW_URL
    """Where parents give their views (Ofsted Parent View)."""
    parent_view_closes_at: dt.datetime | None = Field(
        default=None,
        description="When inspectors last read Parent View before judging; leave out to say "
        "'during the inspection'.",
    )
    alternative_formats_phone: str = ALTERNATIVE_FORMATS_PHONE
    """The number to call for a copy in large print or Braille."""

    @model_validator(mode="after")
    def _closes_during_inspection(self) -> ParentLetter:
        closes = self.parent_view_closes_at
        if closes is not None and not (
            self.inspection.start_date <= closes.date() <= self.inspection.end_date
        ):
            raise ValueError(
                f"parent_view_closes_at {closes} must fall during the inspection "
                f"({self.inspection.start_date} to {self.inspection.end_date})"
            )
        return self


class NotificationEmail(Model):
    """The email to the headteacher after the notification call."""

    #: Fields the email's headers use rather than its body (see docgen.render.email).
    fields_outside_template: ClassVar[tuple[str, ...]] = ("sent_at",)

    envelope: EmailEnvelope
    """Who the email is from and to, and its subject."""
    sent_at: dt.datetime
    """When the email is sent (date and time); the day of the call."""
    school: School
    """The school being inspected."""
    headteacher: Person
    """The headteacher the email is written to."""
    responsible_body: ResponsibleBody
    """The local authority or academy trust responsible for the school."""
    inspection: Inspection
    """The inspection being notified."""
    call: NotificationCall
    """When the notification call was made."""
    planning_call_time: dt.time
    """The time of the planning call that follows."""
    parent_letter_attached: bool = Field(
        default=True, description="Whether the letter to parents and carers is attached.")
    parent_view_url: str = PARENT_VIEW_URL
    """Where parents give their views (Ofsted Parent View)."""
    support: list[Support] = Field(default_factory=lambda: list(DEFAULT_SUPPORT))
    """Wellbeing support named in the email."""

    @model_validator(mode="after")
    def _after_the_call(self) -> NotificationEmail:
        _require_phone(self.inspection.senior_inspector, "inspection.senior_inspector.phone")
        _check_call(self.call, self.planning_call_time, self.inspection)
        if self.sent_at.date() != self.call.date:
            raise ValueError(
                f"sent_at {self.sent_at.date()} must be the day of the call, {self.call.date}: "
                "the email confirms what the call said"
            )
        return self

    @property
    def signatory(self) -> Inspector:
        """The lead inspector signs the email."""
        return self.inspection.lead_inspector


MonitoringCategory = Literal[
    "special measures", "significant improvement", "serious weaknesses", "requires improvement"
]
#: The framework a category belongs to follows issue 11's date (REPORT_CARDS_FROM, in
#: docgen.models.inspection): one date for reports, notices and monitoring letters.
_CATEGORIES_2019 = ("serious weaknesses", "requires improvement")
MonitoringProgress = Literal["taking effective action", "not yet taking effective action"]


class MonitoringVisit(SchoolLetter):
    """The letter after a monitoring inspection of a school in a category of concern."""

    category: MonitoringCategory
    """The category of concern the school is in."""
    category_since: dt.date = Field(description="The inspection that placed the school in its "
                                    "category ended on this date.")
    visit_number: int = Field(ge=1, le=12, description="1 for the first monitoring inspection.")
    progress: MonitoringProgress
    """Whether the school is taking effective action to improve."""
    progress_made: list[str] = Field(min_length=1)
    """What the school has improved since it was placed in its category."""
    next_priorities: list[str] = Field(min_length=1)
    """What the school should do next."""
    evidence: list[str] = Field(min_length=1, description="Whom inspectors met and what they "
                                "looked at.")
    next_visit: str | None = Field(default=None, examples=["in the spring term"])
    """When the next monitoring inspection is likely, if there will be one."""

    @model_validator(mode="after")
    def _category_before_visit(self) -> MonitoringVisit:
        renewed = framework_on(self.category_since) == "report cards"
        if renewed and self.category in _CATEGORIES_2019:
            raise ValueError(
                f"category '{self.category}' belongs to the 2019 framework, but the school was "
                f"placed in it on {self.category_since}, under report cards (from "
                f"{REPORT_CARDS_FROM}); use 'special measures' or 'significant improvement'"
            )
        if not renewed and self.category == "significant improvement":
            raise ValueError(
                f"category 'significant improvement' belongs to report cards (from "
                f"{REPORT_CARDS_FROM}); under the 2019 framework it is 'serious weaknesses'"
            )
        if self.category_since >= self.inspection.start_date:
            raise ValueError(
                f"category_since {self.category_since} must be before this inspection began "
                f"on {self.inspection.start_date}"
            )
        return self

    @property
    def visit_ordinal(self) -> str:
        words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                 "ninth", "tenth", "eleventh", "twelfth")
        return words[self.visit_number - 1]


ComplaintStage = Literal["formal complaint", "internal review"]
PointOutcome = Literal["upheld", "partly upheld", "not upheld"]


class ComplaintPoint(Model):
    """One point of a complaint and what we found."""

    point: str = Field(min_length=1, max_length=600)
    """The point raised, in a sentence or two, in the complainant's own words: the letter
    prints it as a quotation, which the tone checks read but do not judge."""
    outcome: PointOutcome
    """Whether we upheld the point."""
    explanation: str = Field(min_length=1, max_length=1500)
    """What we found and why we reached that outcome."""


class ComplaintOutcome(Model):
    """The outcome of a concern or complaint about an inspection, with the next step."""

    letter_date: dt.date
    """The date the letter is sent."""
    signatory: Signatory
    """Who signs the letter."""
    recipient: Person
    """The person who raised the concern or complaint."""
    recipient_address: Address | None = None
    """Their postal address, when the letter is posted."""
    school: School
    """The school whose inspection the complaint is about."""
    inspection: Inspection
    """The inspection the complaint is about."""
    received_on: dt.date
    """The date we received the concern or complaint."""
    stage: ComplaintStage
    """Whether this answers a formal complaint or an internal review."""
    points: list[ComplaintPoint] = Field(min_length=1)
    """Each point raised and what we found."""
    actions_taken: list[str] = Field(default_factory=list)
    """What we have done as a result, if anything."""
    review_within_working_days: int = Field(
        default=10, ge=1, le=60,
        description="How long after this letter an internal review can be asked for "
        "(formal complaints only; verify against Ofsted's complaints procedure).",
    )
    icaso_within_months: int = Field(
        default=3, ge=1, le=12,
        description="How long after the final reply a complaint can go to ICASO "
        "(verify against ICASO's current terms).",
    )
    contact: Contact
    """Who the person can contact about the complaint."""

    @model_validator(mode="after")
    def _reachable(self) -> ComplaintOutcome:
        _require_phone(self.contact, "contact.phone")
        if self.received_on > self.letter_date:
            raise ValueError(
                f"received_on {self.received_on} must not be after letter_date "
                f"{self.letter_date}"
            )
        return self

    @property
    def review_by(self) -> dt.date:
        return working_days_after(self.letter_date, self.review_within_working_days)

    @property
    def any_upheld(self) -> bool:
        return any(p.outcome != "not upheld" for p in self.points)
