"""The envelope of a document sent as an email: who it is from, to whom, and its subject."""

from __future__ import annotations

from pydantic import Field

from docgen.models.base import Model
from docgen.models.people import Email, Name


class Mailbox(Model):
    """A named email address: 'Daniel Okafor <daniel.okafor@example.org>'."""

    name: Name
    """The person's or team's name, as the email shows it."""
    address: Email
    """The email address."""


class EmailEnvelope(Model):
    """The headers of an email; the body is the rendered template."""

    sender: Mailbox = Field(description="Who the email is from (the From header).")
    to: list[Mailbox] = Field(min_length=1)
    """Who the email is to (the To header)."""
    cc: list[Mailbox] = Field(default_factory=list)
    """Who is copied in (the Cc header)."""
    reply_to: Mailbox | None = None
    """Where replies go, if not to the sender (the Reply-To header)."""
    subject: str = Field(min_length=1, max_length=150)
    """The email's subject line."""
