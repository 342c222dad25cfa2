"""The envelope of a document sent as an email: who it is from, to whom, and its subject."""

from __future__ import annotations

from pydantic import Field

from docgen.models.base import Model
from docgen.models.people import Email, Name


class Mailbox(Model):
    """A named email address: 'Daniel Okafor <daniel.okafor@example.org>'."""

    name: Name
    address: Email


class EmailEnvelope(Model):
    """The headers of an email; the body is the rendered template."""

    sender: Mailbox = Field(description="Who the email is from (the From header).")
    to: list[Mailbox] = Field(min_length=1)
    cc: list[Mailbox] = Field(default_factory=list)
    reply_to: Mailbox | None = None
    subject: str = Field(min_length=1, max_length=150)
