"""What every reader shares: the size limits, and decoding bytes into text."""

from __future__ import annotations

from docgen.errors import LintInputError

MAX_INPUT_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # every part of a .docx, uncompressed
MAX_DOCUMENT_XML_BYTES = 50 * 1024 * 1024
MAX_PARTS = 2000
MAX_PDF_PAGES = 200  # as the service's default max_pdf_pages
SOURCE_TEXT = "source_text"  # metadata key: the text as read, for excerpts
CELL_SEPARATOR = " | "  # as docgen.render.text joins table cells


def check_size(size: int, label: str) -> None:
    if size > MAX_INPUT_BYTES:
        raise LintInputError(
            f"is larger than {MAX_INPUT_BYTES // 1024 // 1024} MB; docgen lint reads "
            "letters and reports, so split the file or lint the part you need",
            path=label,
        )


def decode(data: bytes, label: str) -> str:
    if b"\x00" in data[:8192]:
        raise LintInputError(
            "looks like a binary file, not text; give a .docx, .pdf, .txt, .md or .html file",
            path=label,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LintInputError(
            f"is not UTF-8 text (byte {exc.start + 1} cannot be read); save it as UTF-8",
            path=label,
        ) from None
