"""The Department for Education's letters around a termination warning notice (TWN).

The sequence: a pre-termination warning or minded-to-terminate letter (the trust may make
representations first, as section 2A of the Academies Act 2010 and the funding agreement
require); the decision after representations (the notice is withdrawn, or termination
goes ahead); and the termination notice itself. Each is published on GOV.UK.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from docgen.models.letters import Letter
from docgen.models.people import Contact, Person, trust_salutation
from docgen.models.school import AcademyTrust, School
from docgen.workdays import working_days_between

NoticeBasis = Literal["academies act section 2A", "funding agreement"]


class DfeNotice(Letter):
    """What every DfE letter to a trust's members and trustees has."""

    trust: AcademyTrust
    """The academy trust the letter is to."""
    academy: School
    """The academy the letter is about."""
    addressees: list[Person] = Field(min_length=1)
    """The trust's members and trustees the letter is written to."""
    legal_basis: NoticeBasis
    """The power the letter relies on: the Academies Act or the funding agreement."""
    funding_agreement_clause: str | None = Field(default=None, examples=["clause 93"])
    """The funding agreement clause relied on, when that is the basis."""
    support_offered: list[str] = Field(min_length=1)
    """The support the department offers the trust."""
    contacts: list[Contact] = Field(min_length=1)
    """Who the trust can contact about the letter; at least one with a phone number."""
    copy_to: list[str] = Field(default_factory=list)
    """Who else receives a copy of the letter."""

    @model_validator(mode="after")
    def _basis_and_contacts(self) -> DfeNotice:
        if self.legal_basis == "funding agreement" and not self.funding_agreement_clause:
            raise ValueError(
                "funding_agreement_clause is required when legal_basis is 'funding agreement'"
            )
        if not any(contact.phone for contact in self.contacts):
            raise ValueError("contacts needs at least one contact with a phone number")
        return self

    @property
    def salutation(self) -> str:
        return trust_salutation(self.addressees, self.trust.name)

    @property
    def basis_text(self) -> str:
        """The power the letter relies on, in words."""
        if self.legal_basis == "academies act section 2A":
            return "section 2A of the Academies Act 2010"
        return f"{self.funding_agreement_clause} of the academy's funding agreement"


PreTerminationStage = Literal["pre-termination warning", "minded to terminate"]


class MindedToTerminate(DfeNotice):
    """A pre-termination warning, or a letter saying the Secretary of State is minded to
    terminate the funding agreement; either way the trust may make representations first."""

    stage: PreTerminationStage
    """Whether this is a pre-termination warning or a minded-to-terminate letter."""
    earlier_notice_date: dt.date | None = Field(
        default=None, description="The termination warning notice this letter follows, "
        "if there was one.")
    reasons: list[str] = Field(min_length=1)
    """Why the department is considering termination."""
    representations_by: dt.date
    """The date by which the trust may make representations."""
    meeting_offer: str | None = None
    """An offer to meet the trust before that date, if one is made."""

    @model_validator(mode="after")
    def _dates(self) -> MindedToTerminate:
        if self.representations_by <= self.letter_date:
            raise ValueError(f"representations_by {self.representations_by} must be after "
                             f"letter_date {self.letter_date}")
        if self.stage == "minded to terminate" and self.earlier_notice_date is None:
            raise ValueError("earlier_notice_date is required for a minded-to-terminate "
                             "letter: it follows a termination warning notice")
        if self.earlier_notice_date is not None and self.earlier_notice_date >= self.letter_date:
            raise ValueError(f"earlier_notice_date {self.earlier_notice_date} must be before "
                             f"letter_date {self.letter_date}")
        return self

    @property
    def working_days_to_respond(self) -> int:
        return working_days_between(self.letter_date, self.representations_by)

    @property
    def title_text(self) -> str:
        if self.stage == "pre-termination warning":
            return "Pre-termination warning"
        return "The Secretary of State is minded to terminate the funding agreement"


DecisionOutcome = Literal["notice withdrawn", "termination to proceed"]


class RepresentationsDecision(DfeNotice):
    """The decision after the trust's representations: withdraw the notice, or proceed."""

    notice_date: dt.date = Field(description="The date of the notice the trust answered.")
    representations_received_on: dt.date
    """The date the trust's representations were received."""
    representations_summary: list[str] = Field(min_length=1)
    """What the trust said in its representations, in brief."""
    outcome: DecisionOutcome
    """Whether the notice is withdrawn or termination goes ahead."""
    reasons: list[str] = Field(min_length=1)
    """Why the department reached its decision."""
    conditions: list[str] = Field(default_factory=list, description="What we will keep "
                                  "monitoring, when the notice is withdrawn.")
    proposed_new_trust: str | None = Field(default=None, description="When termination is to "
                                           "proceed: the trust proposed to run the academy.")

    @model_validator(mode="after")
    def _consistent(self) -> RepresentationsDecision:
        if not self.notice_date <= self.representations_received_on <= self.letter_date:
            raise ValueError(
                f"representations_received_on {self.representations_received_on} must fall "
                f"between notice_date {self.notice_date} and letter_date {self.letter_date}"
            )
        if self.outcome == "termination to proceed" and not self.proposed_new_trust:
            raise ValueError("proposed_new_trust is required when outcome is 'termination to "
                             "proceed': say who will run the academy")
        if self.outcome == "notice withdrawn" and self.proposed_new_trust:
            raise ValueError("proposed_new_trust is only for 'termination to proceed'")
        return self


class TerminationNotice(DfeNotice):
    """Notice that the funding agreement will end, and how the academy moves to a new trust."""

    decision_date: dt.date
    """The date the Secretary of State decided to terminate."""
    termination_date: dt.date
    """The date the funding agreement ends."""
    new_trust: str = Field(min_length=1, max_length=200)
    """The trust that will run the academy."""
    transfer_steps: list[str] = Field(min_length=1)
    """How the academy moves to the new trust."""

    @model_validator(mode="after")
    def _dates(self) -> TerminationNotice:
        if not self.decision_date <= self.letter_date < self.termination_date:
            raise ValueError(
                f"termination_date {self.termination_date} must be after letter_date "
                f"{self.letter_date}, which must not be before decision_date "
                f"{self.decision_date}"
            )
        return self
