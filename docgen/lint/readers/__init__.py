"""Read .docx, .pdf, .txt, .md, .html, data files and standard input into a ``TextDocument``.

One module per format, found by suffix like the reporters by ``--format``: each has
``read(data, path, document_type)`` (Word, PDF) or ``paragraphs(text)`` (the text
formats). Every reader gives the engine the same paragraphs for the same text: a .docx is
read block by block exactly as ``docgen render --format text`` writes it, and a PDF that
LibreOffice made from that .docx is rebuilt into the same blocks from the position and
size of its lines. Heavy modules (pypdf, lxml) are imported only for the formats that
need them, so linting a text file starts quickly.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

from docgen.errors import LintInputError
from docgen.lint.document import TextDocument
from docgen.lint.readers.base import (
    CELL_SEPARATOR,
    MAX_INPUT_BYTES,
    MAX_PDF_PAGES,
    SOURCE_TEXT,
    check_size,
    decode,
)
from docgen.lint.readers.docx import read_docx
from docgen.lint.readers.html import html_paragraphs
from docgen.lint.readers.markdown import markdown_paragraphs
from docgen.lint.readers.pdf import read_pdf

__all__ = ["CELL_SEPARATOR", "DATA_SUFFIXES", "MAX_INPUT_BYTES", "MAX_PDF_PAGES", "STDIN",
           "SUFFIXES", "excerpts", "html_paragraphs", "markdown_paragraphs", "read_bytes",
           "read_data_document", "read_document", "read_docx", "read_pdf", "read_text"]

STDIN = "-"
STDIN_LABEL = "<stdin>"

#: Suffix -> the module (in this package) that reads it.
TEXT_FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
                ".html": "html", ".htm": "html"}
BINARY_FORMATS = {".docx": "docx", ".pdf": "pdf"}
SUFFIXES = (*TEXT_FORMATS, *BINARY_FORMATS)
# A data file named on the command line is rendered and linted with its data (a folder's
# data files are not picked up: folders hold documents).
DATA_SUFFIXES = (".yaml", ".yml", ".json")


def read_document(path: str, document_type: str | None = None) -> TextDocument:
    """Read one document for linting; ``"-"`` reads standard input as plain text."""
    if path == STDIN:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        check_size(len(data), STDIN_LABEL)
        return read_text(decode(data, STDIN_LABEL), STDIN_LABEL, "text", document_type)
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in DATA_SUFFIXES:
        return read_data_document(file, document_type)
    if suffix not in SUFFIXES:
        shown = f"'{suffix}'" if suffix else "no extension"
        raise LintInputError(
            f"has {shown}; docgen lint reads .docx, .pdf, .txt, .md and .html files "
            "(or '-' for standard input)",
            path=path,
        )
    try:
        if not file.is_file():
            problem = "is a folder; name the files in it" if file.is_dir() else "does not exist"
            raise LintInputError(problem, path=path)
        check_size(file.stat().st_size, path)
        data = file.read_bytes()
    except OSError as exc:
        raise LintInputError(f"cannot be read ({exc.strerror})", path=path) from None
    return read_bytes(data, path, suffix, document_type)


def read_bytes(data: bytes, path: str, suffix: str,
               document_type: str | None = None) -> TextDocument:
    """Read a document's bytes by the format its ``suffix`` names (one of ``SUFFIXES``)."""
    if suffix in BINARY_FORMATS:
        module = import_module(f"docgen.lint.readers.{BINARY_FORMATS[suffix]}")
        document: TextDocument = module.read(data, path, document_type)
        return document
    return read_text(decode(data, path), path, TEXT_FORMATS[suffix], document_type)


def read_text(text: str, path: str, fmt: str, document_type: str | None) -> TextDocument:
    """Read text in one of the text formats (``text``, ``markdown`` or ``html``)."""
    module = import_module(f"docgen.lint.readers.{fmt}")
    return TextDocument(path, module.paragraphs(text), document_type, source_format=fmt,
                        metadata={SOURCE_TEXT: text})


def read_data_document(path: Path, document_type: str | None = None) -> TextDocument:
    """Render a data file through its template and read the result with its data, so the
    consistency rules can compare the two."""
    from docgen.data import load_document
    from docgen.lint.facts import facts_for
    from docgen.render import render
    from docgen.templates import Catalogue

    loaded = load_document(path, Catalogue())
    rendered = render(loaded.template, loaded.document)
    document = read_docx(rendered.docx, str(path),
                         document_type or loaded.template.document_type)
    document.data = facts_for(loaded)
    return document


def excerpts(document: TextDocument) -> dict[int, str]:
    """Each line number a finding may name, and the text to show under it."""
    source = document.metadata.get(SOURCE_TEXT)
    if source is not None:
        return dict(enumerate(source.splitlines(), start=1))
    shown: dict[int, str] = {}
    for paragraph in document.paragraphs:
        shown.setdefault(paragraph.line, paragraph.text)
    return shown
