"""After a pause: the inspection resumes, is recorded as incomplete, or is deferred.

Ofsted's pause policy: a pause normally lasts until the next working day and may last up
to five working days; an inspection that cannot resume in that time is recorded as
incomplete, and the rest of the evidence is gathered later. A deferral (putting an
inspection off before it starts, or after a pause) is decided under Ofsted's deferral
policy; its grounds are the provider's to state and ours to weigh.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from docgen.models.letters import (
    MAX_PAUSE_WORKING_DAYS,
    PauseReason,
    PauseRequester,
    SchoolLetter,
)
from docgen.workdays import is_working_day, working_days_after, working_days_between


class PauseFollowUp(SchoolLetter):
    """What every letter after a pause has: when and why it began, and its reference."""

    paused_at: dt.datetime
    """When the inspection was paused (date and time)."""
    reason_category: PauseReason
    """Why the inspection was paused."""
    duty_desk_reference: str = Field(min_length=1, max_length=40)
    """The duty desk's reference for the pause."""

    @property
    def latest_resume_date(self) -> dt.date:
        """The last working day the inspection could resume on."""
        return working_days_after(self.paused_at.date(), MAX_PAUSE_WORKING_DAYS)


class InspectionResuming(PauseFollowUp):
    """Confirms the day and time a paused inspection resumes, and how it will run."""

    resume_date: dt.date
    """The working day the inspection resumes."""
    resume_time: dt.time
    """The time inspectors arrive on that day."""
    remaining_days: int = Field(ge=1, le=5, description="Days of inspection still to come.")
    arrangements: list[str] = Field(min_length=1)
    """How the rest of the inspection will run."""

    @model_validator(mode="after")
    def _within_the_limit(self) -> InspectionResuming:
        if not is_working_day(self.resume_date):
            raise ValueError(
                f"resume_date {self.resume_date} is not a working day in England; choose a "
                "weekday that is not a bank holiday"
            )
        days = working_days_between(self.paused_at.date(), self.resume_date)
        if days < 1:
            raise ValueError(
                f"resume_date {self.resume_date} must be after the pause began on "
                f"{self.paused_at.date()}"
            )
        if days > MAX_PAUSE_WORKING_DAYS:
            raise ValueError(
                f"resume_date {self.resume_date} is {days} working days after the pause began; "
                f"a pause may last up to {MAX_PAUSE_WORKING_DAYS}, so record the inspection as "
                "incomplete instead (template inspection_incomplete)"
            )
        return self

    @property
    def pause_length(self) -> int:
        return working_days_between(self.paused_at.date(), self.resume_date)


class InspectionIncomplete(PauseFollowUp):
    """Records that a paused inspection could not resume in time, and what happens next."""

    evidence_so_far: list[str] = Field(min_length=1, description="What inspectors gathered "
                                       "before the pause.")
    next_steps: list[str] = Field(min_length=1, description="How and when the rest of the "
                                  "evidence will be gathered.")
    agree_by: dt.date = Field(description="When we will have agreed the next steps with you.")

    @model_validator(mode="after")
    def _after_the_limit(self) -> InspectionIncomplete:
        if self.letter_date <= self.latest_resume_date:
            raise ValueError(
                f"letter_date {self.letter_date} is within the {MAX_PAUSE_WORKING_DAYS} working "
                f"days a pause may last (until {self.latest_resume_date}); an inspection is "
                "recorded as incomplete only after that"
            )
        if self.agree_by <= self.letter_date:
            raise ValueError(f"agree_by {self.agree_by} must be after letter_date "
                             f"{self.letter_date}")
        return self


DeferralOutcome = Literal["deferred", "not deferred"]


class DeferralDecision(SchoolLetter):
    """Our decision on a request to defer an inspection, and the reasons for it."""

    requested_by: PauseRequester
    """Who asked for the deferral."""
    requested_on: dt.date
    """The date the deferral was asked for."""
    grounds: str = Field(min_length=1, max_length=300, description="The grounds in general "
                         "terms, never intimate detail.")
    decision: DeferralOutcome
    """Whether the inspection is deferred."""
    reasons: list[str] = Field(min_length=1)
    """Why we reached our decision."""
    inspect_from: dt.date | None = Field(
        default=None, description="When deferred: the earliest date the inspection may now "
        "start.")

    @model_validator(mode="after")
    def _consistent(self) -> DeferralDecision:
        if self.requested_on > self.letter_date:
            raise ValueError(f"requested_on {self.requested_on} must not be after letter_date "
                             f"{self.letter_date}")
        if self.decision == "deferred":
            if self.inspect_from is None:
                raise ValueError("inspect_from is required when decision is 'deferred'")
            if self.inspect_from <= self.inspection.start_date:
                raise ValueError(
                    f"inspect_from {self.inspect_from} must be after the date the inspection "
                    f"was due to start, {self.inspection.start_date}"
                )
        elif self.inspect_from is not None:
            raise ValueError("inspect_from is only for a deferred inspection; leave it out "
                             "when decision is 'not deferred'")
        return self
