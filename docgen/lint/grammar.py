"""Grammar through LanguageTool (language-tool-python), when one is available.

A server URL (``LintConfig.grammar_server`` or ``DOCGEN_LANGUAGETOOL_URL``) is used
first; a local install is used only when ``grammar_local`` is set and one is already
on disk. Otherwise grammar is skipped with one notice: LanguageTool is never
downloaded, and an unreachable server is a notice, never an error.
"""

from __future__ import annotations

import bisect
import os
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.identifiers import RuleSelector
from docgen.lint.config import LintConfig
from docgen.lint.document import TextDocument
from docgen.lint.findings import Finding, Severity

PREFIX = "Grammar"
URL_VARIABLE = "DOCGEN_LANGUAGETOOL_URL"
LANGUAGE = "en-GB"
SKIPPED = (
    "grammar skipped: no LanguageTool server configured (set DOCGEN_LANGUAGETOOL_URL) "
    "or installed"
)
# Spelling is left out: names of people, schools and places would all be "typos",
# and British spelling has its own offline rule.
DISABLED_CATEGORIES = frozenset({"TYPOS"})
# Rules that misfire on letters: typography, and address or signature lines.
DISABLED_RULES = frozenset({
    "WHITESPACE_RULE", "EN_QUOTES", "DASH_RULE", "PUNCTUATION_PARAGRAPH_END",
    "UPPERCASE_SENTENCE_START", "MORFOLOGIK_RULE_EN_GB",
})
# LanguageTool issue types that are grammar mistakes; the rest are style suggestions.
WARNING_ISSUE_TYPES = frozenset({"grammar", "misspelling"})
_JARS = ("languagetool-server.jar", "languagetool.jar")


def wanted(config: LintConfig) -> bool:
    """Whether the configuration lets any grammar rule run."""
    if any(RuleSelector.of(p).name == PREFIX for p in config.ignore):
        return False
    # Selecting "Grammar" or one grammar rule ("Grammar.MORFOLOGIK_RULE_EN_GB") runs it.
    return not config.select or any(
        RuleSelector(PREFIX).matches(RuleSelector.of(p).name) for p in config.select)


def server_url(config: LintConfig) -> str | None:
    """The LanguageTool server to use, from the configuration or the environment."""
    from docgen.settings import environment

    return config.grammar_server or environment().languagetool_url


def local_install() -> str | None:
    """The version of a LanguageTool already on disk where language-tool-python looks
    (``LTP_JAR_DIR_PATH`` or ``LTP_PATH``/LanguageTool-*), if Java can run it."""
    if shutil.which("java") is None:
        return None
    jar_dir = os.environ.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        return "jar" if any((Path(jar_dir) / jar).is_file() for jar in _JARS) else None
    base = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    if not base.is_dir():
        return None
    for folder in sorted(base.glob("LanguageTool-*"), reverse=True):
        if any((folder / jar).is_file() for jar in _JARS):
            return folder.name.removeprefix("LanguageTool-")
    return None


@lru_cache(maxsize=4)
def _client(url: str | None, version: str | None) -> Any:
    import language_tool_python

    if url:
        tool = language_tool_python.LanguageTool(LANGUAGE, remote_server=url)
    elif version and version != "jar":
        tool = language_tool_python.LanguageTool(
            LANGUAGE, language_tool_download_version=version)
    else:
        tool = language_tool_python.LanguageTool(LANGUAGE)
    tool.disabled_rules = set(DISABLED_RULES)
    tool.disabled_categories = set(DISABLED_CATEGORIES)
    return tool


def check_grammar(document: TextDocument, config: LintConfig) -> tuple[list[Finding], list[str]]:
    """LanguageTool's findings for a document, and any notice to show instead."""
    if not wanted(config) or not document.paragraphs:
        return [], []
    url = server_url(config)
    version = None if url else (local_install() if config.grammar_local else None)
    if url is None and version is None:
        return [], [SKIPPED]
    from language_tool_python.exceptions import LanguageToolError

    try:
        tool = _client(url, version)
        matches = tool.check(document.text)
    except (LanguageToolError, OSError, ValueError) as error:
        where = url or "the local LanguageTool"
        _client.cache_clear()
        return [], [f"grammar skipped: {where} did not answer ({_first_line(error)})"]
    return [f for m in matches if (f := _finding(document, m)) is not None], []


def _first_line(error: Exception, limit: int = 200) -> str:
    """The error's first line, shortened at a word (never mid-word) to ``limit``."""
    line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if len(line) <= limit:
        return line
    cut = line[:limit - 1]
    if " " in cut and not line[limit - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _finding(document: TextDocument, match: Any) -> Finding | None:
    """Place a LanguageTool match (an offset in ``document.text``) in its paragraph."""
    starts, position = [], 0
    for paragraph in document.paragraphs:
        starts.append(position)
        position += len(paragraph.text) + 2  # paragraphs are joined by a blank line
    index = bisect.bisect_right(starts, match.offset) - 1
    if index < 0:
        return None
    paragraph = document.paragraphs[index]
    start = match.offset - starts[index]
    end = min(start + match.error_length, len(paragraph.text))
    if start >= len(paragraph.text):
        return None
    if any(first <= start and end <= last for first, last in paragraph.quoted):
        return None  # someone else's words, quoted as they wrote them
    line, column = paragraph.position(start)
    end_line, end_column = paragraph.position(end)
    issue = (getattr(match, "rule_issue_type", "") or "").lower()
    return Finding(
        rule=f"{PREFIX}.{match.rule_id}",
        severity=Severity.WARNING if issue in WARNING_ISSUE_TYPES else Severity.SUGGESTION,
        message=match.message,
        match=paragraph.text[start:end],
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        suggestions=tuple(match.replacements[:3]),
    )
