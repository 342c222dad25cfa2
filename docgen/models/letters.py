"""One model per letter and script. Each is what its template may use, and no more."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from docgen.models.base import Model
from docgen.models.inspection import Inspection, Judgements2019, NotificationCall
from docgen.models.people import (
    DEFAULT_SUPPORT,
    Contact,
    Person,
    Signatory,
    Support,
    trust_salutation,
)
from docgen.models.school import AcademyTrust, Address, ResponsibleBody, School
from docgen.workdays import is_working_day, working_days_after, working_days_between

MAX_PAUSE_WORKING_DAYS = 5
DFE_ADDRESS = Address(lines=["Sanctuary Buildings", "Great Smith Street"], town="London",
                      postcode="SW1P 3BT")
PARENT_VIEW_URL = "https://parentview.ofsted.gov.uk"


class Letter(Model):
    """What every letter has: a date, a signatory and wellbeing support."""

    letter_date: dt.date
    """The date the letter is sent."""
    signatory: Signatory
    """Who signs the letter."""
    support: list[Support] = Field(default_factory=lambda: list(DEFAULT_SUPPORT))
    """Wellbeing support named in the letter; by default Education Support's helpline."""


class SchoolLetter(Letter):
    """A letter to a school's headteacher about an inspection."""

    school: School
    """The school the letter is about."""
    headteacher: Person
    """The headteacher the letter is written to."""
    responsible_body: ResponsibleBody
    """The local authority or academy trust responsible for the school."""
    inspection: Inspection
    """The inspection the letter is about."""

    @model_validator(mode="after")
    def _senior_inspector_reachable(self) -> SchoolLetter:
        _require_phone(self.inspection.senior_inspector, "inspection.senior_inspector.phone")
        return self

    @property
    def signed_by_lead_inspector(self) -> bool:
        """Whether the lead inspector signs: the letter then says "I" and "me"."""
        return self.signatory.name == self.inspection.lead_inspector.full_name


class NotificationCallScript(Model):
    """The script the lead inspector reads when telephoning the school."""

    school: School
    """The school being called."""
    headteacher: Person
    """The headteacher the lead inspector calls."""
    responsible_body: ResponsibleBody
    """The local authority or academy trust responsible for the school."""
    inspection: Inspection
    """The inspection being notified."""
    call: NotificationCall
    """When the notification call is made."""
    planning_call_time: dt.time
    """The time of the planning call that follows."""
    parent_view_url: str = PARENT_VIEW_URL
    """Where parents give their views (Ofsted Parent View)."""
    support: list[Support] = Field(default_factory=lambda: list(DEFAULT_SUPPORT))
    """Wellbeing support named in the call."""

    @model_validator(mode="after")
    def _call_before_inspection(self) -> NotificationCallScript:
        _require_phone(self.inspection.senior_inspector, "inspection.senior_inspector.phone")
        _require_phone(self.inspection.lead_inspector, "inspection.lead_inspector.phone")
        _check_call(self.call, self.planning_call_time, self.inspection)
        return self


def _check_call(
    call: NotificationCall, planning_call_time: dt.time, inspection: Inspection
) -> None:
    """Check the call comes before the inspection and the planning call after the call."""
    if call.date >= inspection.start_date:
        raise ValueError(
            f"call.date {call.date} must be before inspection.start_date {inspection.start_date}"
        )
    if planning_call_time <= call.time:
        raise ValueError(
            f"planning_call_time {planning_call_time} must be later in the day than call.time "
            f"{call.time}"
        )


def _require_phone(contact: Contact | Person, field: str) -> None:
    # Every letter to a school leader names someone they can telephone.
    if not contact.phone:
        raise ValueError(f"{field} is required: the letter gives this number for concerns")


class NotificationLetter(SchoolLetter):
    """Confirms in writing what the notification call said."""

    call: NotificationCall
    """When the notification call was made."""
    planning_call_time: dt.time
    """The time of the planning call."""
    parent_view_url: str = PARENT_VIEW_URL
    """Where parents give their views (Ofsted Parent View)."""

    @model_validator(mode="after")
    def _call_before_inspection(self) -> NotificationLetter:
        _check_call(self.call, self.planning_call_time, self.inspection)
        return self


PauseRequester = Literal["lead inspector", "headteacher", "responsible body", "senior inspector"]
PauseReason = Literal[
    "wellbeing of a school leader",
    "serious incident at the school",
    "other exceptional circumstances",
]


class PauseConfirmation(SchoolLetter):
    """Confirms that an inspection is paused, and when it should resume.

    The resume date is counted in England working days from the day the pause began;
    a pause may last five working days at most.
    """

    paused_at: dt.datetime
    """When the inspection was paused (date and time)."""
    requested_by: PauseRequester
    """Who asked for the pause."""
    reason_category: PauseReason
    """Why the inspection is paused."""
    duty_desk_reference: str = Field(min_length=1, max_length=40)
    """The duty desk's reference for the request."""
    pause_working_days: int = Field(default=1, ge=1)
    """How many working days the pause lasts (up to 5)."""
    expected_resume_date: dt.date | None = Field(
        default=None,
        description="Give this instead of pause_working_days to fix the date; it is checked "
        "against the five-working-day limit.",
    )
    responsible_body_told_on: dt.date
    """The day the responsible body was told of the pause."""

    @model_validator(mode="after")
    def _pause_within_limit(self) -> PauseConfirmation:
        start = self.paused_at.date()
        if self.expected_resume_date is not None:
            if not is_working_day(self.expected_resume_date):
                raise ValueError(
                    f"expected_resume_date {self.expected_resume_date} is not a working day "
                    "in England; choose a weekday that is not a bank holiday"
                )
            days = working_days_between(start, self.expected_resume_date)
            if days < 1:
                raise ValueError(
                    f"expected_resume_date {self.expected_resume_date} must be after the pause "
                    f"began on {start}"
                )
        else:
            days = self.pause_working_days
        if days > MAX_PAUSE_WORKING_DAYS:
            field = "expected_resume_date" if self.expected_resume_date else "pause_working_days"
            raise ValueError(
                f"{field}: a pause may last up to {MAX_PAUSE_WORKING_DAYS} working days, but this "
                f"one lasts {days} working days from {start}; choose a shorter pause (the "
                "inspection is recorded as incomplete if it cannot resume in time)"
            )
        return self

    @property
    def resume_date(self) -> dt.date:
        """The working day the inspection is expected to resume."""
        if self.expected_resume_date is not None:
            return self.expected_resume_date
        return working_days_after(self.paused_at.date(), self.pause_working_days)

    @property
    def latest_resume_date(self) -> dt.date:
        """The last day the inspection can resume before it is recorded as incomplete."""
        return working_days_after(self.paused_at.date(), MAX_PAUSE_WORKING_DAYS)

    @property
    def pause_length(self) -> int:
        return working_days_between(self.paused_at.date(), self.resume_date)


TerminationGround = Literal[
    "standards are unacceptably low",
    "there has been a serious breakdown in the way the academy is managed or governed",
    "the safety of pupils or staff is threatened",
    "there has been a material breach of the funding agreement",
]


class RequiredAction(Model):
    action: str = Field(min_length=1)
    """What the trust must do."""
    evidence: str = Field(min_length=1)
    """What shows it has been done."""
    deadline: dt.date
    """The date by which it must be done."""


class TerminationWarningNotice(Letter):
    """The Department for Education's notice to an academy trust's members and trustees."""

    #: Read by the consistency rules (the quoted report), not printed by the template.
    fields_outside_template: ClassVar[tuple[str, ...]] = ("ofsted_report",)

    trust: AcademyTrust
    """The academy trust the notice is sent to."""
    academy: School
    """The academy the notice is about."""
    addressees: list[Person] = Field(min_length=1)
    """The people the notice is addressed to."""
    legal_basis: Literal["academies act section 2A", "funding agreement"]
    """The power the notice is given under."""
    funding_agreement_clause: str | None = None
    """The funding agreement clause, when the notice is given under it."""
    termination_grounds: list[TerminationGround] = Field(default_factory=list)
    """The grounds for termination the notice relies on."""
    ofsted_notification_date: dt.date
    """The day Ofsted told the department of its judgement."""
    ofsted_category: Literal["special measures", "significant improvement"]
    """The category Ofsted placed the academy in."""
    inspection_dates: str = Field(min_length=1, examples=["4 and 5 March 2026"])
    """The dates of the inspection, in words."""
    concerns: list[str] = Field(min_length=1)
    """Each concern, one sentence each."""
    actions: list[RequiredAction] = Field(min_length=1)
    """What the trust must do, with the evidence and a deadline for each."""
    representations_by: dt.date
    """The date by which the trust may make representations."""
    meeting_offer: str | None = None
    """An offer to meet, in a sentence, if one is made."""
    support_offered: list[str] = Field(min_length=1)
    """The support offered to the trust, one item each."""
    contacts: list[Contact] = Field(min_length=1)
    """Who the trust can contact about the notice."""
    copy_to: list[str] = Field(default_factory=list)
    """Who else receives a copy."""
    representations_address: Address = Field(
        default_factory=lambda: DFE_ADDRESS,
        description="Where the trust may post its representations (they quote the reference).",
    )
    decision_after: dt.date | None = Field(
        default=None,
        description="When the Regional Director will decide, having seen the representations "
        "and the progress on each action; by default the last action's deadline.",
    )
    ofsted_report: str | None = Field(
        default=None,
        description="The data file of the Ofsted report the concerns are quoted from, relative "
        "to this file; the concerns are then checked word for word against it.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> TerminationWarningNotice:
        if self.legal_basis == "funding agreement":
            if not self.funding_agreement_clause:
                raise ValueError(
                    "funding_agreement_clause is required when legal_basis is 'funding agreement'"
                )
            if not self.termination_grounds:
                raise ValueError(
                    "termination_grounds needs at least one ground when legal_basis is "
                    "'funding agreement'"
                )
        if not any(contact.phone for contact in self.contacts):
            raise ValueError("contacts needs at least one contact with a phone number")
        if self.representations_by <= self.letter_date:
            raise ValueError(
                f"representations_by {self.representations_by} must be after letter_date "
                f"{self.letter_date}"
            )
        for number, item in enumerate(self.actions):
            if item.deadline <= self.letter_date:
                raise ValueError(
                    f"actions[{number}].deadline {item.deadline} must be after letter_date "
                    f"{self.letter_date}"
                )
        return self

    @property
    def salutation(self) -> str:
        return trust_salutation(self.addressees, self.trust.name)

    @property
    def working_days_to_respond(self) -> int:
        return working_days_between(self.letter_date, self.representations_by)

    @property
    def last_action_deadline(self) -> dt.date:
        return max(item.deadline for item in self.actions)

    @property
    def decision_date(self) -> dt.date:
        """The date after which the decision is made: never before an action is due."""
        return self.decision_after or self.last_action_deadline


SAFEGUARDING_RETURN_MONTHS = 3


class SafeguardingReturnVisit(SchoolLetter):
    """Tells a school when inspectors will return to look again at safeguarding.

    Under the 2019 framework a school judged inadequate only because safeguarding was not
    effective (every other judgement good or better) is visited again within three months
    of the report's publication.
    """

    #: Checked by the model (eligibility) and the consistency rules, not printed.
    fields_outside_template: ClassVar[tuple[str, ...]] = ("judgements",)

    report_published: dt.date
    """The day the inspection report was published."""
    judgements: Judgements2019
    """The inspection's judgements: safeguarding must be the only reason for inadequate."""
    return_visit_by: dt.date
    """The date by which inspectors will return."""
    areas_to_revisit: list[str] = Field(min_length=1)
    """What inspectors will look at again, one item each."""

    @model_validator(mode="after")
    def _eligible(self) -> SafeguardingReturnVisit:
        if self.inspection.framework != "2019":
            raise ValueError(
                f"inspection.start_date {self.inspection.start_date} is on or after 10 November "
                "2025; this letter follows the 2019 framework's return-visit policy, which "
                "applies to inspections before that date"
            )
        if not self.judgements.only_safeguarding_inadequate:
            raise ValueError(
                "judgements: a return visit is for a school judged inadequate only because "
                "safeguarding was not effective, with every other judgement good or better"
            )
        if self.report_published < self.inspection.end_date:
            raise ValueError(
                f"report_published {self.report_published} is before the inspection ended on "
                f"{self.inspection.end_date}"
            )
        return self

    @property
    def return_visit_deadline(self) -> dt.date:
        """Three months after the report's publication: the latest date for the visit."""
        return _add_months(self.report_published, SAFEGUARDING_RETURN_MONTHS)


class PublicationDelay(SchoolLetter):
    """Explains why a report will take longer than usual to publish, and when to expect it."""

    usual_working_days: int = Field(default=19, ge=1, le=60)
    """How many working days publication usually takes."""
    extra_quality_assurance: bool = False
    """Whether the report has the extra stage of quality assurance."""
    quality_assurance_working_days: int = Field(
        default=28, ge=1, le=60,
        description="The norm when a report has the extra stage of quality assurance.",
    )
    reason: str = Field(min_length=1, max_length=600)
    """Why publication is delayed, in a sentence or two."""
    expected_publication: dt.date
    """When the report is now expected to be published."""
    reason_for_longer: str | None = Field(
        default=None, max_length=600,
        description="Why publication is later even than the norm; needed when it is.",
    )
    contact: Contact
    """Who the school can contact about the delay."""

    @property
    def usual_publication(self) -> dt.date:
        return working_days_after(self.inspection.end_date, self.usual_working_days)

    @property
    def norm_working_days(self) -> int:
        """The working days publication normally takes for this report."""
        if self.extra_quality_assurance:
            return self.quality_assurance_working_days
        return self.usual_working_days

    @property
    def norm_publication(self) -> dt.date:
        return working_days_after(self.inspection.end_date, self.norm_working_days)

    @property
    def working_days_to_publication(self) -> int:
        return working_days_between(self.inspection.end_date, self.expected_publication)

    @model_validator(mode="after")
    def _later_than_usual(self) -> PublicationDelay:
        _require_phone(self.contact, "contact.phone")
        if self.expected_publication <= self.usual_publication:
            raise ValueError(
                f"expected_publication {self.expected_publication} is not later than the usual "
                f"date {self.usual_publication}; no delay letter is needed"
            )
        return self


class ConcernAcknowledgement(Letter):
    """Acknowledges a concern about an inspection and says what happens next."""

    recipient: Person
    """The person who raised the concern."""
    recipient_address: Address | None = None
    """Their postal address, when the letter is posted."""
    school: School
    """The school the concern is about."""
    inspection: Inspection
    """The inspection the concern is about."""
    received_on: dt.date
    """The day the concern was received."""
    concern_summary: str = Field(min_length=1, max_length=600)
    """The concern in a sentence or two, as the person put it."""
    reply_within_working_days: int = Field(default=30, ge=1, le=60)
    """How many working days a full reply takes."""
    contact: Contact
    """Who the person can contact about the concern."""
    inspection_continues: bool = True
    """Whether the inspection goes on while the concern is looked at."""

    @model_validator(mode="after")
    def _contact_reachable(self) -> ConcernAcknowledgement:
        _require_phone(self.contact, "contact.phone")
        return self

    @property
    def reply_by(self) -> dt.date:
        return working_days_after(self.received_on, self.reply_within_working_days)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
