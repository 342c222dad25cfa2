"""Sentences, words and prose blocks: the units the rule kinds measure.

Our own splitter, not textstat's, because it must keep offsets (findings point at the
sentence) and know that "Mr", "e.g." and "11.30am" do not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.lint.document import Paragraph

_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vol", "fig", "approx", "etc",
    "e.g", "i.e", "cf", "vs", "dept", "govt", "ref", "tel", "ext", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
})
# A full stop, question or exclamation mark (optionally closed by a quote or bracket)
# followed by white space: a candidate sentence end.
_END = re.compile(r"[.!?]+[\"'’”)\]]*(?=\s)")
_VISIBLE = re.compile(r"\S")
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS)) + 1  # with a full stop of its own
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_TERMINAL = re.compile(r"[.!?:;][\"'’”)\]]*[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Span:
    """A sentence: its offsets in the paragraph's text."""

    start: int
    end: int


def sentence_spans(text: str) -> list[Span]:
    """Split a paragraph's text into sentence spans, skipping abbreviations.

    Each candidate end looks only at the word before it and the character after it, so
    the split takes time in proportion to the text, however many candidates it rejects.
    """
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group().startswith("."):
            word = _word_before(text, start, match.start())
            if word.lower().rstrip(".") in _ABBREVIATIONS:
                continue
        following = _VISIBLE.search(text, end)
        if following and not (following.group().isupper() or following.group().isdigit()
                              or following.group() in "\"'‘“(-•"):
            continue
        spans.append(_trimmed(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trimmed(text, start, len(text)))
    return [s for s in spans if s.end > s.start]


def _word_before(text: str, start: int, stop: int) -> str:
    """The last word of ``text[start:stop]``, or "" when it is longer than any
    abbreviation (only abbreviations matter to the caller)."""
    end = stop
    while end > start and text[end - 1].isspace():
        end -= 1
    begin = end
    while begin > start and not text[begin - 1].isspace():
        if end - begin > _LONGEST_ABBREVIATION:
            return ""
        begin -= 1
    return text[begin:end]


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, with apostrophes inside words."""
    return _WORD.findall(text)


def is_prose(paragraph: Paragraph) -> bool:
    """Whether a block is running prose (or a bullet), not a heading, table row or
    address line: short lines without closing punctuation are treated as headings."""
    if paragraph.kind in ("heading", "table_row"):
        return False
    if paragraph.kind == "list_item":
        return True
    text = paragraph.text.strip()
    if all(" | " in line for line in text.splitlines()):
        return False  # a table in a text rendering: cells joined by " | "
    if _TERMINAL.search(text):
        return True
    return len(words(text)) > 12
