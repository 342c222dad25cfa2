"""The British spelling kind: American forms with their British equivalents, offline.

``words`` lists known pairs (inflections such as -s, -ed and -ing are derived).
``patterns`` are whole-word rules such as "-ize" to "-ise". A pattern with ``confirm``
only fires when the hunspell en_GB word list knows the British form and, optionally,
does not know the American one (``unless_known``), so "doctor" or "water" are never
touched; without the word list such patterns are skipped. "-ize" needs no word list
(hunspell derives many -ise words by affix): its exceptions ("size", "prize") guard it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from docgen.lint.dictionary import english_words
from docgen.lint.findings import Finding
from docgen.lint.kinds.base import Context, RuleBase

_WORD = re.compile(r"(?<![\w'-])[A-Za-z]+(?![\w-])")
_INFLECTIONS = ("s", "es", "ed", "d", "ing", "ful", "less", "ly")


class SpellingPattern(BaseModel):
    """A whole-word American pattern and its British replacement (``\\1`` groups)."""

    model_config = ConfigDict(extra="forbid")

    us: str
    uk: str
    # British base form to find in the word list, e.g. '\1our'; without it the
    # pattern relies on the rule's exceptions and works with no word list at all.
    confirm: str | None = None
    unless_known: str | None = None  # skip when the word list knows this form


class Spelling(RuleBase):
    """Flag American spellings and suggest the British ones."""

    extends: Literal["spelling"]
    swaps_words: ClassVar[bool] = True  # "organized" becomes "organised", nothing else
    words: dict[str, str] = Field(default_factory=dict)
    patterns: list[SpellingPattern] = Field(default_factory=list)
    exceptions: list[str] = Field(default_factory=list)

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        self._words = {k.lower(): v for k, v in self.words.items()}
        self._exceptions = frozenset(e.lower() for e in self.exceptions)
        self._patterns = [(re.compile(p.us, re.IGNORECASE), p) for p in self.patterns]
        self._known: dict[str, str | None] = {}  # word -> British form, memoised

    def _lookup(self, word: str, dictionary: frozenset[str]) -> str | None:
        if word not in self._known:
            if len(self._known) > 50_000:
                self._known.clear()
            self._known[word] = self.british(word, dictionary)
        return self._known[word]

    def british(self, word: str, dictionary: frozenset[str]) -> str | None:
        """The British form of a lower-case word, or None when it is fine as it is."""
        if word in self._exceptions:
            return None
        if word in self._words:
            return self._words[word]
        for ending in _INFLECTIONS:
            stem = word[: -len(ending)]
            if word.endswith(ending) and stem in self._words:
                return self._words[stem] + ending
        for pattern, rule in self._patterns:
            match = pattern.fullmatch(word)
            if match is None:
                continue
            if rule.confirm is not None and (
                    not dictionary or match.expand(rule.confirm).lower() not in dictionary):
                continue
            if rule.unless_known and match.expand(rule.unless_known).lower() in dictionary:
                continue
            return match.expand(rule.uk).lower()
        return None

    def check(self, context: Context) -> Iterator[Finding]:
        dictionary = english_words() if self._patterns else frozenset()
        for index, paragraph in enumerate(context.paragraphs):
            if paragraph.kind not in self.scope:
                continue
            text = context.own_text(index)
            for match in _WORD.finditer(text):
                word = match.group()
                if word[0].isupper() and not _starts_sentence(text, match.start()):
                    continue  # a name, such as "Lincoln Center"
                british = self._lookup(word.lower(), dictionary)
                if british is None:
                    continue
                yield self.finding(paragraph, *match.span(),
                                   suggestions=(_same_case(word, british),))


def _starts_sentence(text: str, offset: int) -> bool:
    # Look back over white space only: slicing the text before every word is quadratic.
    while offset > 0 and text[offset - 1].isspace():
        offset -= 1
    return offset == 0 or text[offset - 1] in ".!?:\"'(\n"


def _same_case(original: str, replacement: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[0].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement
