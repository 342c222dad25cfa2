"""Documents that arrive as bytes (the service's uploads), read within set limits.

A .docx is refused on its central directory alone when it would unpack absurdly (a zip
bomb), and a PDF on its page count, before any text is read. Python's zipfile stops at
each part's declared size when a part is read later, so these figures bind.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import Protocol

from docgen.errors import (
    DocumentTooComplex,
    DocumentTooLarge,
    LintInputError,
    TextTooLong,
    TooManyPages,
)
from docgen.lint.document import TextDocument, paragraphs_from_text

#: The kinds of file an upload may be.
UPLOAD_SUFFIXES = (".docx", ".pdf", ".txt")
MB = 1024 * 1024


class UploadLimits(Protocol):
    """How much of an uploaded document is read (the ``[service]`` settings' limits)."""

    @property
    def max_docx_unpacked_bytes(self) -> int: ...
    @property
    def max_docx_parts(self) -> int: ...
    @property
    def max_docx_ratio(self) -> float: ...  # unpacked size over packed size
    @property
    def max_pdf_pages(self) -> int: ...


def _megabytes(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size} bytes"


def read_upload(filename: str, data: bytes, document_type: str | None,
                limits: UploadLimits) -> TextDocument:
    """Read an uploaded .docx, .pdf or .txt within ``limits`` (its text length is the
    caller's to check: extracting text is allowed beyond what one lint takes)."""
    from docgen.lint import readers

    suffix = PurePath(filename).suffix.lower()
    if suffix == ".docx":
        check_docx_package(data, filename, limits)
        return readers.read_docx(data, filename, document_type)
    if suffix == ".pdf":
        check_pdf_pages(data, filename, limits.max_pdf_pages)
        return readers.read_pdf(data, filename, document_type)
    return TextDocument(filename, paragraphs_from_text(_decode(data, filename)), document_type)


def _decode(data: bytes, filename: str) -> str:
    if b"\x00" in data[:8192]:
        raise LintInputError("looks like a binary file, not text", path=filename)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LintInputError(f"is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                             "save it as UTF-8", path=filename) from None


def check_text_length(length: int, limit: int) -> None:
    """Refuse text longer than one check takes."""
    if length > limit:
        raise TextTooLong(
            f"The text is {length:,} characters long; this service checks up to "
            f"{limit:,} characters at a time (about {limit // 6:,} words). Check the "
            "letter or report in parts."
        )


def check_docx_package(data: bytes, filename: str, limits: UploadLimits) -> None:
    """Refuse a .docx whose central directory promises an absurd unpacking (a zip bomb).

    Only the central directory is read; no part is decompressed.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise LintInputError(
            f"{filename} is not a readable Word file (it is not a zip package); save it "
            "again as .docx and upload it once more."
        ) from None
    if len(infos) > limits.max_docx_parts:
        raise DocumentTooComplex(
            f"{filename} has {len(infos)} parts inside; a Word letter or report has far "
            f"fewer, and this service reads at most {limits.max_docx_parts}."
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.max_docx_unpacked_bytes:
        raise DocumentTooLarge(
            f"{filename} would unpack to {_megabytes(unpacked)}; this service reads Word "
            f"files that unpack to at most {_megabytes(limits.max_docx_unpacked_bytes)}."
        )
    packed = max(len(data), 1)
    if unpacked / packed > limits.max_docx_ratio and unpacked > MB:
        raise DocumentTooLarge(
            f"{filename} would unpack to {unpacked // packed} times its size, which only "
            "a deliberately compressed archive does; save the document again from Word or "
            "LibreOffice."
        )


def check_pdf_pages(data: bytes, filename: str, max_pages: int) -> None:
    """Refuse a PDF with more pages than ``max_pages`` before any text is extracted."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (DependencyError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, AssertionError, IndexError):
        raise LintInputError(
            f"{filename} is not a readable PDF; save or export it again and upload it once "
            "more."
        ) from None
    if pages > max_pages:
        raise TooManyPages(
            f"{filename} has {pages} pages; this service reads PDFs of at most {max_pages} "
            "pages. Upload the letter or report on its own."
        )
