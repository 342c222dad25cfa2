"""``--fix``: apply one-for-one plain-English and British-spelling swaps to .txt and .md
files.

Only findings of rules whose kind swaps words (substitution, spelling) and that have
exactly one suggestion are applied: anything
that needs judgement (a harsh sentence, a long paragraph) is left to the writer. Word and
PDF files are never changed: edit the .docx in Word, where tracked changes show the edit.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import LintInputError
from docgen.lint.findings import FileReport, Finding

FIXABLE_SUFFIXES = (".txt", ".text", ".md", ".markdown")


@dataclass(frozen=True)
class FileFix:
    """What ``--fix`` would do to one file."""

    path: str
    original: str
    fixed: str
    applied: int

    def diff(self) -> str:
        """A unified diff from the file as it is to the file as fixed."""
        return "".join(difflib.unified_diff(
            self.original.splitlines(keepends=True), self.fixed.splitlines(keepends=True),
            fromfile=f"a/{self.path}", tofile=f"b/{self.path}",
        ))


def check_fixable(path: str) -> None:
    """Refuse --fix on anything but a .txt or .md file on disk."""
    suffix = Path(path).suffix.lower()
    if path == "-" or suffix not in FIXABLE_SUFFIXES:
        what = "standard input" if path == "-" else f"a {suffix or 'file without extension'}"
        raise LintInputError(
            f"--fix and --diff change .txt and .md files only, and this is {what}; "
            f"{_WHERE_TO_EDIT.get(suffix, 'make the suggested changes in the original document')}",
            path=path,
        )


#: Where a writer makes the suggested changes by hand, by the kind of file linted.
_WHERE_TO_EDIT = {
    ".docx": "edit the .docx in Word, where tracked changes show each edit",
    ".pdf": "edit the document the PDF was made from, then make the PDF again",
    ".yaml": "edit the fields the findings name in the data file, then render it again",
    ".yml": "edit the fields the findings name in the data file, then render it again",
    ".json": "edit the fields the findings name in the data file, then render it again",
}


def swap_rule_ids() -> frozenset[str]:
    """The ids of rules whose suggestions are word-for-word swaps (substitutions and
    British spellings), the ones ``--fix`` applies."""
    from docgen.lint.rules import load_rules

    return frozenset(rule.id for rule in load_rules() if rule.swaps_words)


def fixable(report: FileReport, substitutions: frozenset[str]) -> list[Finding]:
    """Findings ``--fix`` may apply: word-for-word swaps with exactly one suggestion."""
    return [f for f in report.findings if f.rule in substitutions and len(f.suggestions) == 1]


def apply_fixes(text: str, findings: list[Finding]) -> tuple[str, int]:
    """Replace each finding's match with its suggestion; returns the text and the count.

    A finding whose text in the file no longer matches, or that overlaps another, is
    skipped rather than guessed at.
    """
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans: list[tuple[int, int, str]] = []
    for f in findings:
        if f.line > len(starts) - 1 or f.end_line > len(starts) - 1:
            continue
        start = starts[f.line - 1] + f.column - 1
        end = starts[f.end_line - 1] + f.end_column - 1
        if _normal(text[start:start + len(f.match)]) == _normal(f.match):
            end = start + len(f.match)  # in Markdown the span may end past a closing mark
        elif _normal(text[start:end]) != _normal(f.match):
            continue
        spans.append((start, end, _same_case(text[start:end], f.suggestions[0])))
    spans.sort()
    applied = 0
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in spans:
        if start < cursor:
            continue  # overlaps a fix already made
        pieces += [text[cursor:start], replacement]
        cursor = end
        applied += 1
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def _same_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def plan_fix(path: str, report: FileReport, substitutions: frozenset[str]) -> FileFix:
    """Work out the fixed text of one file without writing it."""
    check_fixable(path)
    try:
        original = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LintInputError(f"cannot be read for --fix ({exc})", path=path) from None
    fixed, applied = apply_fixes(original, fixable(report, substitutions))
    return FileFix(path, original, fixed, applied)


def write_fix(fix: FileFix) -> None:
    """Write the fixed text whole, through a temporary file and a rename."""
    from docgen.fileio import atomic_write

    if fix.applied:
        atomic_write(Path(fix.path), fix.fixed.encode("utf-8"))
