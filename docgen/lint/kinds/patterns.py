"""Kinds that match phrases: existence, substitution, pattern (tone) and capitals."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from re import _constants, _parser  # type: ignore[attr-defined]  # private: typeshed omits them
from typing import Any, ClassVar, Literal

from pydantic import Field

from docgen.lint.dictionary import english_words
from docgen.lint.findings import Finding, Severity
from docgen.lint.kinds.base import Context, RuleBase, compile_pattern, fold_pattern
from docgen.lint.text import Span


class _Matching(RuleBase):
    """Shared by the phrase kinds: case, word boundaries and sentence exceptions.

    An exception is a regular expression searched for in the sentence around a match;
    when it is found, the match is allowed (for example a right, not a command).
    """

    ignorecase: bool = True
    boundaries: bool = True
    gap: int = Field(default=4, ge=0, le=20)
    exceptions: list[str] = Field(default_factory=list)

    def _flags(self) -> int:
        return re.IGNORECASE if self.ignorecase else 0

    def _combine(self, sources: list[str]) -> Compiled:
        """Compile the rule's sources for scanning (see ``Compiled``)."""
        return Compiled(sources, self.ignorecase, self.boundaries)

    def _compile_exceptions(self) -> re.Pattern[str] | None:
        if not self.exceptions:
            return None
        return re.compile("|".join(f"(?:{compile_pattern(e, boundaries=False)})"
                                   for e in self.exceptions), self._flags())

    def _scan(
        self, context: Context, pattern: Compiled | re.Pattern[str],
        exceptions: re.Pattern[str] | None,
    ) -> Iterator[tuple[int, re.Match[str], int, int, int]]:
        """Yield (paragraph index, match, alternative, start, end) for every match that
        no exception excuses. ``alternative`` says which source pattern matched."""
        for index, paragraph in enumerate(context.paragraphs):
            if paragraph.kind not in self.scope:
                continue
            text = context.plain_text(index)
            if isinstance(pattern, Compiled):
                folded = context.folded_text(index) if pattern.folded is not None else None
                if pattern.folded is not None and folded is not None:
                    scanner, scanned = pattern.folded, folded
                else:
                    scanner, scanned = pattern.full, text
            else:
                scanner, scanned = pattern, text
            excused: dict[Span, bool] = {}  # per sentence: many matches, one search
            for match in scanner.finditer(scanned):
                alternative, start, end = _which(match)
                if exceptions is not None:
                    sentence = context.sentence_at(index, start)
                    if sentence not in excused:
                        excused[sentence] = exceptions.search(
                            text, sentence.start, sentence.end) is not None
                    if excused[sentence]:
                        continue
                yield index, match, alternative, start, end


class Compiled:
    """A rule's sources combined into one expression. Text is nearly always scanned in
    lower case against a folded twin (see ``fold_pattern``), so the case-insensitive
    form is compiled only when a paragraph cannot be folded: loading the rules then
    compiles each expression once, which matters for a cold start."""

    def __init__(self, sources: list[str], ignorecase: bool, boundaries: bool) -> None:
        self._sources = sources
        self._boundaries = boundaries
        self._full: re.Pattern[str] | None = None
        self.folded: re.Pattern[str] | None = None
        if ignorecase:
            self.folded = combine([fold_pattern(s) for s in sources], 0, boundaries)
        else:
            self._full = combine(sources, 0, boundaries)

    @property
    def full(self) -> re.Pattern[str]:
        """The expression for text as written (case-insensitive when folding is used)."""
        if self._full is None:
            self._full = combine(self._sources, re.IGNORECASE, self._boundaries)
        return self._full


_CHUNK = 5  # alternatives that share one look-ahead for their letters together


def combine(sources: list[str], flags: int, boundaries: bool = True) -> re.Pattern[str]:
    """One regular expression for many: each source in its own named group, so one
    pass over the text finds them all and ``_which`` tells them apart. The word
    boundary is checked once, outside the alternatives, which keeps the scan fast.

    Each alternative is guarded by a look-ahead for the letters it can start with, and
    each run of ``_CHUNK`` alternatives by one for all their letters, so at a word the
    engine skips most alternatives after one character test instead of entering their
    groups. The alternatives keep their order, so the same one wins as without guards."""
    parts = []
    for start in range(0, len(sources), _CHUNK):
        chunk: list[str] = []
        letters: set[str] | None = set()
        for i in range(start, min(start + _CHUNK, len(sources))):
            first = _first_letters(sources[i], flags)
            letters = letters | first if letters is not None and first else None
            body = sources[i].replace("(?P<target>", f"(?P<t{i}>")
            chunk.append(f"{_guard(first)}(?P<a{i}>{body})")
        joined = "|".join(chunk)
        parts.append(f"{_guard(letters)}(?:{joined})" if len(chunk) > 1 else joined)
    pattern = "|".join(parts)
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)" if boundaries else pattern, flags)


def _guard(letters: set[str] | None) -> str:
    """A look-ahead for one of ``letters``; "" when they are not known."""
    if not letters:
        return ""
    return "(?=[" + "".join(re.escape(c) for c in sorted(letters)) + "])"


def _first_letters(source: str, flags: int) -> set[str] | None:
    """The characters a match of ``source`` can start with, or None when that cannot
    be told (a class such as ``\\w``, or a pattern that can match nothing)."""
    try:
        letters, nullable = _first(_parser.parse(source, flags))
    except (re.error, RecursionError):
        return None
    return None if letters is None or nullable or not letters else letters


_ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)


def _first(items: Iterable[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """(first characters, can be empty) of a parsed sequence; None when unknown."""
    found: set[str] = set()
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _constants.LITERAL:
            return found | {chr(arg)}, False
        if op is _constants.IN:
            letters = _class_letters(arg)
            return (None if letters is None else found | letters), False
        if op is _constants.SUBPATTERN:
            alternatives = [arg[-1]]
        elif op is _constants.BRANCH:
            alternatives = arg[1]
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            alternatives = [arg[2]]
        else:
            return None, False
        nullable = op is not _constants.SUBPATTERN and op is not _constants.BRANCH \
            and arg[0] == 0
        for alternative in alternatives:
            letters, empty = _first(alternative)
            if letters is None:
                return None, False
            found |= letters
            nullable = nullable or empty
        if not nullable:
            return found, False
    return found, True


def _class_letters(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters of a small class such as ``[a-f']``; None for categories."""
    letters: set[str] = set()
    for op, arg in items:
        if op is _constants.LITERAL:
            letters.add(chr(arg))
        elif op is _constants.RANGE and arg[1] - arg[0] <= 64:
            letters.update(chr(code) for code in range(arg[0], arg[1] + 1))
        else:
            return None
    return letters


def _which(match: re.Match[str]) -> tuple[int, int, int]:
    """The alternative that matched and the span to report (its ``target`` group
    when the source names one)."""
    name = match.lastgroup or "a0"
    alternative = int(name[1:])
    target = f"t{alternative}"
    if target in match.re.groupindex and match.group(target) is not None:
        return (alternative, *match.span(target))
    return (alternative, *match.span())


class Existence(_Matching):
    """Flag any of ``tokens`` (regular expressions; spaces match any white space)."""

    extends: Literal["existence"]
    tokens: list[str] = Field(min_length=1)

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        joined = "|".join(compile_pattern(t, boundaries=False) for t in self.tokens)
        self._pattern = self._combine([joined])
        self._exceptions = self._compile_exceptions()

    def check(self, context: Context) -> Iterator[Finding]:
        for index, _, _, start, end in self._scan(context, self._pattern, self._exceptions):
            yield self.finding(context.paragraphs[index], start, end)


class Substitution(_Matching):
    """Flag each key of ``swap`` and suggest its value."""

    extends: Literal["substitution"]
    swap: dict[str, str] = Field(min_length=1)
    swaps_words: ClassVar[bool] = True

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        pairs = sorted(self.swap.items(), key=lambda kv: -len(kv[0]))  # longest first
        self._replacements = [value for _, value in pairs]
        self._pattern = self._combine(
            [compile_pattern(key, boundaries=False) for key, _ in pairs])
        self._exceptions = self._compile_exceptions()

    def check(self, context: Context) -> Iterator[Finding]:
        found = self._scan(context, self._pattern, self._exceptions)
        for index, _, alternative, start, end in found:
            paragraph = context.paragraphs[index]
            suggestion = _keep_case(paragraph.text[start:end],
                                    self._replacements[alternative])
            yield self.finding(paragraph, start, end, suggestions=(suggestion,))


def _keep_case(original: str, replacement: str) -> str:
    """Capitalise the replacement when the original starts a sentence."""
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


class Pattern(_Matching):
    """Tone patterns built from word groups: ``{group}`` expands to the group's
    alternatives and `` ... `` to up to ``gap`` words, so one pattern covers many
    wordings (subjects x verbs x objects). ``mild`` patterns are reported as warnings
    whatever the rule's level: wordings that are usually harsh but sometimes innocent,
    so a reviewer decides."""

    extends: Literal["pattern"]
    groups: dict[str, list[str]] = Field(default_factory=dict)
    patterns: list[str] = Field(min_length=1)
    mild: list[str] = Field(default_factory=list)

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        self._pattern = self._combine(
            [compile_pattern(p, self.groups, self.gap, boundaries=False)
             for p in [*self.patterns, *self.mild]])
        self._exceptions = self._compile_exceptions()

    def check(self, context: Context) -> Iterator[Finding]:
        strict = len(self.patterns)
        for index, _, alternative, start, end in self._scan(
                context, self._pattern, self._exceptions):
            severity = Severity.WARNING if alternative >= strict else None
            yield self.finding(context.paragraphs[index], start, end, severity=severity)


_CAPS_RUN = re.compile(
    r"(?<![\w'-])[A-Z]{2,}(?:'[A-Z]+)?(?:[ ,]+[A-Z]{2,}(?:'[A-Z]+)?)*(?![\w'-])"
)


class Capitals(_Matching):
    """Flag block capitals used for shouting, not acronyms: a run of capitals is
    shouted when one of its words is, in lower case, an ordinary English word (in the
    dictionary) and is not in ``allow``. Without a dictionary, a word of ``min_length``
    letters or more that is not allowed counts."""

    extends: Literal["capitals"]
    allow: list[str] = Field(default_factory=list)
    min_length: int = Field(default=4, ge=2)
    ignorecase: bool = False

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        self._allow = frozenset(self.allow)
        self._exceptions = self._compile_exceptions()

    def _shouted(self, word: str, dictionary: frozenset[str]) -> bool:
        if word in self._allow:
            return False
        if dictionary:
            lower = word.lower()
            if len(lower) < 3:
                return False  # two letters are nearly always an acronym ("OI", "LA")
            # hunspell keeps stems, so try the word without a common ending too.
            if len(lower) >= 8:
                return True  # long enough to be a word, not an acronym ("IMMEDIATELY")
            return lower in dictionary or any(
                lower.endswith(end) and lower[: -len(end)] in dictionary
                for end in ("s", "es", "ly", "ed", "d", "ing"))
        return len(word) >= self.min_length

    def check(self, context: Context) -> Iterator[Finding]:
        dictionary = english_words()
        for index, match, _, _, _ in self._scan(context, _CAPS_RUN, self._exceptions):
            if not any(self._shouted(w, dictionary) for w in re.findall(r"[A-Z']+", match[0])):
                continue
            text = match.group()
            suggestion = text.lower()
            if context.sentence_at(index, match.start()).start == match.start():
                suggestion = suggestion[:1].upper() + suggestion[1:]
            yield self.finding(context.paragraphs[index], *match.span(),
                               suggestions=(suggestion,))
