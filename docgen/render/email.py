"""A rendered template as an RFC 5322 email: a plain-text part and an HTML part.

Built with Python's ``email`` package (``EmailMessage``, the default policy), so headers
with names such as "Siobhán Ní Bhriain" are encoded properly. The plain text is the
document's text view, the HTML its HTML view: both come from the same rendered .docx, so
they say the same thing. Attachments, when given, make the message multipart/mixed.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from docgen.errors import RenderError
from docgen.models import Model
from docgen.models.envelope import EmailEnvelope, Mailbox
from docgen.render.docx import RenderedDocx
from docgen.render.html import docx_to_html
from docgen.templates import Template

LONDON = ZoneInfo("Europe/London")


def email_message(template: Template, document: Model, rendered: RenderedDocx,
                  attachments: Sequence[Path] = ()) -> EmailMessage:
    """The email for a rendered document whose model carries an ``envelope``."""
    envelope = getattr(document, "envelope", None)
    if not isinstance(envelope, EmailEnvelope):
        raise RenderError(
            f"template '{template.id}' is a {template.manifest.kind}, not an email, so it "
            "cannot be written as .eml; use --format docx, pdf, html or text"
        )
    message = EmailMessage()
    message["From"] = _address(envelope.sender)
    message["To"] = [_address(m) for m in envelope.to]
    if envelope.cc:
        message["Cc"] = [_address(m) for m in envelope.cc]
    if envelope.reply_to is not None:
        message["Reply-To"] = _address(envelope.reply_to)
    message["Subject"] = envelope.subject
    message["Date"] = format_datetime(_sent_at(document))
    message["Message-ID"] = make_msgid(domain=envelope.sender.address.rsplit("@", 1)[-1])
    message.set_content(rendered.text)
    message.add_alternative(docx_to_html(rendered.docx, envelope.subject), subtype="html")
    for path in attachments:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RenderError(f"cannot be attached ({exc.strerror})") from None
        kind, _ = mimetypes.guess_type(path.name)
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    # Last: setting or converting the content clears the Content-* headers.
    message["Content-Language"] = "en-GB"
    return message


def _address(mailbox: Mailbox) -> Address:
    username, domain = mailbox.address.rsplit("@", 1)
    return Address(display_name=mailbox.name, username=username, domain=domain)


def _sent_at(document: Model) -> dt.datetime:
    """When the email is dated: its ``sent_at``, else 9am on its letter date, London time."""
    sent = getattr(document, "sent_at", None)
    if isinstance(sent, dt.datetime):
        return sent if sent.tzinfo else sent.replace(tzinfo=LONDON)
    day = getattr(document, "letter_date", None) or dt.date.today()
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=LONDON)
