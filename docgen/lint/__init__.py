"""The tone linter: read documents, check them against the style rules, report findings.

Library use::

    from docgen.lint import lint_paths, lint_text
    report = lint_paths(["letter.docx"], document_type="pause_confirmation")
    report.return_code(Severity.ERROR)

The engine (rules and rule kinds) is imported on first use, so importing this package
stays cheap for the command line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import LintInputError
from docgen.lint.config import LintConfig, load_config
from docgen.lint.findings import FileReport, Finding, LintReport, Severity, Suppression

if TYPE_CHECKING:
    from docgen.lint.document import TextDocument
    from docgen.lint.kinds import RuleBase

__all__ = [
    "FileReport", "Finding", "LintConfig", "LintReport", "Severity", "Suppression",
    "check_document", "expand_paths", "lint_file", "lint_paths", "lint_text", "load_config",
]


def check_document(document: TextDocument, config: LintConfig | None = None,
                   rules: tuple[RuleBase, ...] | None = None) -> FileReport:
    """Lint a document that has been read, honouring its ``docgen-ignore`` lines; with
    ``rules``, those rules rather than the style rules folder's."""
    from docgen.lint.engine import lint_document
    from docgen.lint.suppress import apply_suppressions, split_suppressions

    clean, directives, problems = split_suppressions(document)
    report = lint_document(clean, config, rules)
    return apply_suppressions(report, directives, problems, config)


def lint_file(path: str, *, document_type: str | None = None,
              config: LintConfig | None = None) -> FileReport:
    """Read and lint one file (``"-"`` for standard input)."""
    from docgen.lint.readers import read_document

    return check_document(read_document(path, document_type), config)


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files to lint: each file as given, and the readable documents inside each folder."""
    from docgen.lint.readers import SUFFIXES

    found: list[str] = []
    for path in paths:
        folder = Path(path)
        if path != "-" and folder.is_dir():
            inside = sorted(
                str(p) for p in folder.rglob("*")
                if p.suffix.lower() in SUFFIXES and p.is_file()
                and not p.name.startswith(("~$", ".~lock", "."))
            )
            if not inside:  # as render does: an empty folder is a mistake, not a clean run
                raise LintInputError(
                    "has no .docx, .pdf, .txt, .md or .html files to lint", path=path)
            found += inside
        else:
            found.append(path)
    return found


def lint_paths(paths: Iterable[str], *, document_type: str | None = None,
               config: LintConfig | None = None) -> LintReport:
    """Lint files and folders; a file that cannot be read raises ``LintInputError``."""
    return LintReport([lint_file(p, document_type=document_type, config=config)
                       for p in expand_paths(paths)])


def __getattr__(name: str) -> Any:
    # lint_text lives in the engine, which loads the rules: import it only when asked.
    if name == "lint_text":
        from docgen.lint.engine import lint_text

        return lint_text
    raise AttributeError(f"module 'docgen.lint' has no attribute {name!r}")
