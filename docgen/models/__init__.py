"""Pydantic models for docgen's inputs: schools, people, inspections and each document."""

from __future__ import annotations

from docgen.models.base import Model
from docgen.models.correspondence import (
    ComplaintOutcome,
    MonitoringVisit,
    NotificationEmail,
    ParentLetter,
)
from docgen.models.inspection import (
    EvaluationArea,
    Inspection,
    Judgements2019,
    NotificationCall,
    ReportCardJudgements,
)
from docgen.models.intervention import (
    MindedToTerminate,
    RepresentationsDecision,
    TerminationNotice,
)
from docgen.models.letters import (
    ConcernAcknowledgement,
    NotificationCallScript,
    NotificationLetter,
    PauseConfirmation,
    PublicationDelay,
    SafeguardingReturnVisit,
    TerminationWarningNotice,
)
from docgen.models.pause_followups import (
    DeferralDecision,
    InspectionIncomplete,
    InspectionResuming,
)
from docgen.models.people import Contact, Inspector, Person, Signatory, Support
from docgen.models.reports import InspectionReport2019, InspectionReportCard
from docgen.models.school import AcademyTrust, Address, LocalAuthority, School

#: Models a template manifest may name, by their class name.
DOCUMENT_MODELS: dict[str, type[Model]] = {
    model.__name__: model
    for model in (
        NotificationCallScript,
        NotificationLetter,
        PauseConfirmation,
        TerminationWarningNotice,
        SafeguardingReturnVisit,
        PublicationDelay,
        ConcernAcknowledgement,
        InspectionReportCard,
        InspectionReport2019,
    )
}
# The rest of the correspondence (issue 12).
DOCUMENT_MODELS.update({
    model.__name__: model
    for model in (
        ParentLetter, NotificationEmail, MonitoringVisit, ComplaintOutcome,
        MindedToTerminate, RepresentationsDecision, TerminationNotice,
        InspectionResuming, InspectionIncomplete, DeferralDecision,
    )
})

__all__ = [
    "DOCUMENT_MODELS", "AcademyTrust", "Address", "ConcernAcknowledgement", "Contact",
    "EvaluationArea", "Inspection", "InspectionReport2019", "InspectionReportCard", "Inspector",
    "Judgements2019", "LocalAuthority", "Model", "NotificationCall", "NotificationCallScript",
    "NotificationLetter", "PauseConfirmation", "Person", "PublicationDelay",
    "ReportCardJudgements", "SafeguardingReturnVisit", "School", "Signatory", "Support",
    "TerminationWarningNotice",
]
