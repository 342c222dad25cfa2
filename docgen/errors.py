"""Every exception docgen raises on purpose, under one ``DocgenError``.

Each message is one line a person can act on: it names the file, the field and what
was expected. The CLI prints ``message`` and exits with ``ExitCode.BAD_INPUT``.
"""

from __future__ import annotations

import enum
from pathlib import Path


class ExitCode(enum.IntEnum):
    """The one place docgen's exit codes are decided."""

    OK = 0
    FINDINGS = 1  # lint findings at or above the fail level, or a refused issue
    BAD_INPUT = 2  # bad input or usage


class DocgenError(Exception):
    """A problem the user can fix; ``str(error)`` says what and how."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, path: str | Path | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.message = f"{self.path}: {message}" if self.path else message
        super().__init__(self.message)


class DataError(DocgenError):
    """A data file that cannot be read or does not match its template's model."""

    def __init__(
        self, message: str, *, path: str | Path | None = None, field: str | None = None
    ) -> None:
        self.field = field
        super().__init__(f"field '{field}': {message}" if field else message, path=path)


class TemplateNotFoundError(DocgenError):
    """A template id that no manifest declares."""


class TemplateError(DocgenError):
    """A template file that is corrupt, or that uses a field its data does not have."""


class RenderError(DocgenError):
    """A document that could not be produced from valid data and a sound template."""


class LintInputError(DocgenError):
    """A file given to the linter that cannot be read as a document."""


class InputTooLarge(LintInputError):
    """A document or text over a limit the caller set, refused before it is read."""


class TextTooLong(InputTooLarge):
    """More characters of text than one check takes."""


class TooManyPages(InputTooLarge):
    """A PDF with more pages than are read."""


class DocumentTooLarge(InputTooLarge):
    """A .docx that would unpack to more than is read (a zip bomb, or nearly)."""


class DocumentTooComplex(InputTooLarge):
    """A .docx with more parts inside than a letter or report has."""


class UnknownNameError(DocgenError):
    """A document type, rule prefix or other name docgen does not know; the message
    gives the nearest names it does."""


class RuleFileError(DocgenError):
    """A style rule file that is malformed or has keys docgen does not know."""

    line: int | None = None  # the 1-based line of the problem, when it is known


class ConfigError(DocgenError):
    """A configuration file or value that docgen cannot use."""


class WriteError(DocgenError):
    """A file or folder docgen cannot write: unwritable, missing, or a full disk."""


class IssueRefused(DocgenError):
    """A document that may not be issued: error-level findings have no waiver."""

    exit_code = ExitCode.FINDINGS


class ConversionError(DocgenError):
    """LibreOffice is missing, failed or timed out while making a PDF."""


class ConversionTimeout(ConversionError):
    """LibreOffice did not finish a conversion in time, and was stopped."""


class PdfCheckError(DocgenError):
    """A PDF that cannot be read, or is not A4, lacks a font or lacks expected text."""


class RegisterError(DocgenError):
    """The issue register cannot be opened, written or verified."""


class RecordNotFound(RegisterError):
    """No register, or no record with the reference asked for."""
