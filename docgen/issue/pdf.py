"""Stamp an issued PDF with what it is, and check it is fit to send.

``stamp_pdf`` writes the document information (title, reference, template and data
hashes), a matching XMP packet and the document language. Its output depends only on
its inputs: the file identifier is derived from the content, and when ``issued_at`` is
given it replaces the creation time LibreOffice writes, so converting the same document
twice gives byte-identical stamped PDFs. Without ``issued_at``, LibreOffice's creation
time (to the second) is kept, and two conversions differ in that field only.

``check_pdf`` reads the result back: it opens, every page is A4, every font is embedded,
and the text contains what it must (the reference, the recipient).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    TextStringObject,
)

from docgen.errors import PdfCheckError

LANGUAGE = "en-GB"
PRODUCER = "docgen"
A4_POINTS = (595.0, 842.0)
A4_TOLERANCE = 1.0
_EMBEDDED = ("/FontFile", "/FontFile2", "/FontFile3")
_PLACEHOLDER_ID = bytes(16)


_PDF_DATE = re.compile(r"^D:(\d{14})(?:Z|([+-])(\d{2})'?(\d{2})?'?)?'?$")


def _parse_pdf_date(text: str) -> datetime | None:
    """Read a PDF date, even LibreOffice's ``D:20261201225014Z'``; None if it is not one."""
    found = _PDF_DATE.match(text)
    if found is None:
        return None
    moment = datetime.strptime(found[1], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    if found[2]:
        offset = timedelta(hours=int(found[3]), minutes=int(found[4] or 0))
        moment -= offset if found[2] == "+" else -offset
    return moment


def _pdf_date(moment: datetime) -> str:
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp(fields: dict[str, str], created: datetime | None) -> bytes:
    """An XMP packet that says what the document information dictionary says."""
    custom = "".join(
        f"<docgen:{key}>{escape(value)}</docgen:{key}>"
        for key, value in (
            ("Reference", fields["/DocgenReference"]),
            ("Template", fields["/DocgenTemplate"]),
            ("TemplateVersion", fields["/DocgenTemplateVersion"]),
            ("DataSHA256", fields["/DocgenDataSHA256"]),
        )
    )
    description = fields.get("/Subject")
    creator = fields.get("/Author")
    date = (
        f"<xmp:CreateDate>{created.astimezone(UTC).isoformat()}</xmp:CreateDate>"
        if created and created.tzinfo
        else ""
    )
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:docgen="https://docgen.invalid/ns/1.0/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(fields["/Title"])}'
        "</rdf:li></rdf:Alt></dc:title>"
        + (
            f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(description)}'
            "</rdf:li></rdf:Alt></dc:description>"
            if description
            else ""
        )
        + (
            f"<dc:creator><rdf:Seq><rdf:li>{escape(creator)}</rdf:li></rdf:Seq></dc:creator>"
            if creator
            else ""
        )
        + f"<dc:language><rdf:Bag><rdf:li>{LANGUAGE}</rdf:li></rdf:Bag></dc:language>"
        f"<pdf:Producer>{PRODUCER}</pdf:Producer>"
        f"{date}{custom}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    return packet.encode("utf-8")


def stamp_pdf(
    pdf: bytes,
    *,
    title: str,
    reference: str,
    template_id: str,
    template_version: str,
    data_sha256: str,
    subject: str | None = None,
    author: str | None = None,
    issued_at: datetime | None = None,
) -> bytes:
    """Return ``pdf`` with docgen's metadata, XMP and the en-GB language set."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        writer = PdfWriter(clone_from=reader)
    except (PyPdfError, ValueError, OSError) as exc:
        raise PdfCheckError(f"the PDF cannot be read to stamp it ({exc})") from None
    created = issued_at
    info: dict[str, str] = {
        "/Title": title,
        "/Producer": PRODUCER,
        "/Creator": "docgen (LibreOffice Writer)",
        "/DocgenReference": reference,
        "/DocgenTemplate": template_id,
        "/DocgenTemplateVersion": template_version,
        "/DocgenDataSHA256": data_sha256,
    }
    if subject:
        info["/Subject"] = subject
    if author:
        info["/Author"] = author
    previous: Mapping[Any, Any] = reader.metadata or {}
    if created is not None:
        info["/CreationDate"] = info["/ModDate"] = _pdf_date(created)
    elif (converted := _parse_pdf_date(str(previous.get("/CreationDate", "")))) is not None:
        # LibreOffice writes "D:20261201225014Z'", which pdfinfo calls malformed.
        info["/CreationDate"] = _pdf_date(converted)
    # Replaces the information dictionary whole: nothing LibreOffice guessed survives.
    writer.metadata = info
    writer.xmp_metadata = _xmp(info, created)
    # pypdf's setter leaves out the stream's type, so readers warn "Unknown Metadata type".
    metadata = writer.root_object["/Metadata"].get_object()
    assert isinstance(metadata, DictionaryObject)  # pypdf writes the stream it was given
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Lang")] = TextStringObject(LANGUAGE)
    writer.pdf_header = reader.pdf_header
    # A content-derived file identifier instead of a random one, for reproducible output:
    # write with a placeholder, then put the hash of that file in its place (same length).
    writer._ID = ArrayObject([ByteStringObject(_PLACEHOLDER_ID)] * 2)  # no public setter
    out = io.BytesIO()
    writer.write(out)
    written = out.getvalue()
    placeholder = f"<{_PLACEHOLDER_ID.hex()}>".encode()
    identifier = f"<{hashlib.sha256(written).hexdigest()[:32]}>".encode()
    return written.replace(placeholder, identifier)


@dataclass(frozen=True)
class PdfCheck:
    """What ``check_pdf`` found in a PDF that passed."""

    pages: int
    text: str
    fonts: tuple[str, ...]
    metadata: dict[str, str]
    language: str | None


def normalise_text(text: str) -> str:
    """Fold ligatures, typographic quotes and all whitespace, for comparing text."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTES)
    return " ".join(text.split())


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_SOFT_HYPHEN = re.compile("\u00ad")


def _fonts(resources: object, seen: set[int]) -> list[tuple[str, DictionaryObject]]:
    """Every font in a resource dictionary, including fonts inside form XObjects."""
    found: list[tuple[str, DictionaryObject]] = []
    resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
    if not isinstance(resources, DictionaryObject):
        return found
    fonts = resources.get("/Font")
    fonts = fonts.get_object() if fonts is not None else None
    if isinstance(fonts, DictionaryObject):
        for font in fonts.values():
            font = font.get_object()
            if isinstance(font, DictionaryObject):
                found.append((str(font.get("/BaseFont", "(unnamed)")), font))
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else None
    if isinstance(xobjects, DictionaryObject):
        for reference in xobjects.values():
            key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
            if key in seen:
                continue
            seen.add(key)
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                found += _fonts(xobject["/Resources"], seen)
    return found


def _embedded(font: DictionaryObject) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True  # drawn by the PDF's own glyph procedures
    if subtype == "/Type0":
        return all(_embedded(d.get_object()) for d in font.get("/DescendantFonts", []))
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(key in descriptor for key in _EMBEDDED)


def check_pdf(pdf: bytes, *, must_contain: list[str], name: str = "PDF") -> PdfCheck:
    """Check ``pdf`` opens, is all A4, embeds its fonts and contains each ``must_contain``."""
    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        pages = list(reader.pages)
    except (PyPdfError, ValueError, OSError, KeyError) as exc:
        raise PdfCheckError(f"cannot be opened as a PDF ({exc})", path=name) from None
    if not pages:
        raise PdfCheckError("has no pages", path=name)
    fonts: dict[str, bool] = {}
    texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        if page.get("/Rotate", 0) % 180:
            width, height = height, width
        if abs(width - A4_POINTS[0]) > A4_TOLERANCE or abs(height - A4_POINTS[1]) > A4_TOLERANCE:
            raise PdfCheckError(
                f"page {number} is {width:.0f}×{height:.0f} pt; expected A4 "
                f"({A4_POINTS[0]:.0f}×{A4_POINTS[1]:.0f} pt, portrait)",
                path=name,
            )
        for font_name, font in _fonts(page.get("/Resources"), set()):
            if not _embedded(font):
                raise PdfCheckError(
                    f"font {font_name.lstrip('/')} on page {number} is not embedded; "
                    "every font must be embedded so the letter looks the same everywhere",
                    path=name,
                )
            fonts[font_name.lstrip("/")] = True
        try:
            texts.append(page.extract_text() or "")
        except (PyPdfError, ValueError, KeyError) as exc:
            raise PdfCheckError(
                f"the text of page {number} cannot be read ({exc})", path=name
            ) from None
    text = _SOFT_HYPHEN.sub("", "\n".join(texts))
    flat = normalise_text(text)
    for wanted in must_contain:
        if normalise_text(wanted) not in flat:
            raise PdfCheckError(
                f"the text does not contain {wanted!r}; expected it in the issued letter",
                path=name,
            )
    metadata = {k: str(v) for k, v in (reader.metadata or {}).items()}
    language = reader.root_object.get("/Lang")
    return PdfCheck(
        pages=len(pages),
        text=text,
        fonts=tuple(sorted(fonts)),
        metadata=metadata,
        language=str(language) if language is not None else None,
    )
