"""Kinds that match phrases: existence, substitution, pattern (tone) and capitals."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from re import _constants, _parser  # type: ignore[attr-defined]  # private: typeshed omits them
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from docgen.lint.dictionary import english_words
from docgen.lint.findings import Finding, Severity
from docgen.lint.kinds.base import Context, RuleBase, compile_pattern, fold_pattern
from docgen.lint.text import Span


class _Matching(RuleBase):
    """Shared by the phrase kinds: case, word boundaries and sentence exceptions.

    An exception is a regular expression searched for in the sentence around a match;
    when it is found, the match is allowed (for example a right, not a command). An
    exception that ends in ``{match}`` must lead up to the match instead, and allows that
    match only: ``"to appeal\\b[^.]*?, {match}"`` lets "To appeal, you must write to us"
    pass and still flags "..., and you must stop calling" in the same sentence.
    """

    ignorecase: bool = True
    boundaries: bool = True
    gap: int = Field(default=4, ge=0, le=20)
    exceptions: list[str] = Field(default_factory=list)

    @field_validator("exceptions")
    @classmethod
    def _match_ends(cls, value: list[str]) -> list[str]:
        for exception in value:
            if _MATCH in exception.removesuffix(_MATCH):
                raise ValueError(f"{_MATCH} can only end an exception (the match it leads "
                                 f"up to), as in 'to appeal, {_MATCH}': {exception!r}")
        return value

    def _flags(self) -> int:
        return re.IGNORECASE if self.ignorecase else 0

    def _combine(self, sources: list[str]) -> Compiled:
        """Compile the rule's sources for scanning (see ``Compiled``)."""
        return Compiled(sources, self.ignorecase, self.boundaries)

    def _compile_exceptions(self) -> Exceptions | None:
        if not self.exceptions:
            return None
        anywhere = [e for e in self.exceptions if not e.endswith(_MATCH)]
        leading = [e.removesuffix(_MATCH) for e in self.exceptions if e.endswith(_MATCH)]

        def joined(sources: list[str], end: str = "") -> re.Pattern[str] | None:
            if not sources:
                return None
            return re.compile("|".join(f"(?:{compile_pattern(e, boundaries=False)}{end})"
                                       for e in sources), self._flags())

        return Exceptions(joined(anywhere), joined(leading, r"\Z"))

    def _scan(
        self, context: Context, pattern: Compiled | re.Pattern[str],
        exceptions: Exceptions | None,
    ) -> Iterator[tuple[int, re.Match[str], int, int, int]]:
        """Yield (paragraph index, match, alternative, start, end) for every match that
        no exception excuses. ``alternative`` says which source pattern matched."""
        for index, paragraph in enumerate(context.paragraphs):
            if paragraph.kind not in self.scope:
                continue
            text = context.own_text(index)
            if isinstance(pattern, Compiled):
                folded = context.own_folded(index) if pattern.folded is not None else None
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
                        excused[sentence] = exceptions.found_in(text, sentence.start,
                                                                sentence.end)
                    if excused[sentence] or exceptions.lead_to(text, sentence.start, start):
                        continue
                yield index, match, alternative, start, end


#: How an exception says it must lead up to the match it allows (see ``_Matching``).
_MATCH = "{match}"


@dataclass(frozen=True)
class Exceptions:
    """A rule's exceptions compiled: those searched for anywhere in a match's sentence,
    and those that must end where the match begins (each ends in ``\\Z``, searched in
    the sentence up to the match)."""

    anywhere: re.Pattern[str] | None
    leading: re.Pattern[str] | None
    LEAD: ClassVar[int] = 400

    def found_in(self, text: str, start: int, end: int) -> bool:
        """Whether an exception of the first kind is in the sentence ``text[start:end]``."""
        return self.anywhere is not None and self.anywhere.search(text, start, end) is not None

    def lead_to(self, text: str, start: int, match: int) -> bool:
        """Whether an exception of the second kind runs up to the match that begins at
        ``match``, from within its sentence (which begins at ``start``) and at most
        ``LEAD`` characters before it: a sentence of many matches costs each one a
        look at its own lead, not at the whole sentence before it."""
        if self.leading is None:
            return False
        return self.leading.search(text, max(start, match - self.LEAD), match) is not None

    def excuse(self, text: str, start: int, end: int, match: int) -> bool:
        """Whether the match at ``match``, in the sentence ``text[start:end]``, is allowed."""
        return self.found_in(text, start, end) or self.lead_to(text, start, match)


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


def combine(sources: list[str], flags: int, boundaries: bool = True) -> re.Pattern[str]:
    """One regular expression for many, so one pass over the text finds them all and
    ``_which`` tells them apart: each source ends in an empty group of its own, the
    last group a match of it closes. The word boundary is checked once, outside the
    alternatives, which keeps the scan fast.

    At a word the engine tries the alternatives in order, and the cost is in entering
    them; it tests an alternative that starts with a character or a class without
    entering it. So sources are grouped by the character they start with: one branch a
    character (``a(?:ny x|nother x)|f(?:urther x)|...``), each holding what its sources
    must match once that character is taken, and the engine tests about twenty
    characters at a word instead of entering hundreds of alternatives. Within a branch
    the sources keep their order; a match can start with one character only, so the
    same source wins as in plain alternation. A source written out once for each of
    many characters would make the expression slow to compile (see ``_DISPATCH_BUDGET``);
    such a source, and one that cannot be rewritten (see ``_after``), is an alternative
    of its own, between the runs of grouped sources before and after it. It starts by
    taking one of its characters (``[afo]``) and says how it goes on after each
    (``[afo](?:(?<=a)(?:ny|nother)|(?<=f)(?:urther)|(?<=o)(?:ne)) x``), or, where even
    that cannot be written, a look-ahead for its characters guards it."""
    parts: list[str] = []
    grouped: dict[str, list[str]] = {}  # the run of sources grouped by first character
    for i, source in enumerate(sources):
        first = _first_letters(source, flags)
        # Letters are told apart exactly, so only a case-sensitive scan is rewritten; the
        # case-insensitive one is rare (text that cannot be lower-cased, see ``Compiled``).
        exact = bool(first) and not flags & re.IGNORECASE
        afters = _afters(source, first) if exact and first else None
        if afters is not None and (sum(len(a) for a in afters.values())
                                   <= len(source) + _DISPATCH_BUDGET):
            for letter, after in afters.items():
                grouped.setdefault(letter, []).append(_marked(after, i, letter))
            continue
        if grouped:
            parts.append(_grouped(grouped))
            grouped = {}
        body = source.replace("(?P<target>", f"(?P<t{i}>")
        taken = _taken(body, first) if exact and first else None
        if taken is not None:
            parts.append(f"{taken}(?P<a{i}>)")
        else:
            parts.append(f"{_guard(first)}(?:{body})(?P<a{i}>)")
    if grouped:
        parts.append(_grouped(grouped))
    _alternatives.cache_clear()
    _head.cache_clear()
    pattern = "|".join(parts)
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)" if boundaries else pattern, flags)


#: How many characters longer than itself a source may become when it is written out once
#: for each character it can start with. Most sources start with a few letters and gain
#: little; a pattern led by a group of twenty subjects would be copied twenty times, and
#: the shipped rules' expressions would take several times longer to compile.
_DISPATCH_BUDGET = 3000


def _afters(source: str, letters: set[str]) -> dict[str, str] | None:
    """What ``source`` must match after each of ``letters`` it can start with, or None
    when that cannot be written for one of them (see ``_after``)."""
    if _split_alternatives(source) != [source]:
        source = f"(?:{source})"  # a bare "|": the whole source is the first group
    afters = {}
    for letter in letters:
        after = _after(source, letter)
        if after is None:
            return None
        if after != _NO_MATCH:
            afters[letter] = after
    return afters


def _marked(after: str, alternative: int, letter: str) -> str:
    """A source's remainder after ``letter`` in that letter's branch, its groups named
    for the source and the letter (a name may not be repeated in one expression)."""
    suffix = f"_{ord(letter)}"
    after = after.replace("(?P<target>", f"(?P<t{alternative}>")
    return _GROUP_NAME.sub(rf"\1{suffix}\2", after) + f"(?P<a{alternative}{suffix}>)"


#: A group's name where it is defined or used: (?P<name>, (?P=name) and (?(name)...).
_GROUP_NAME = re.compile(r"(\(\?(?:P[<=]|\()[A-Za-z_]\w*)([>)])")


def _grouped(grouped: dict[str, list[str]]) -> str:
    """One branch for each first character, the common ones first, its sources in order."""
    return "|".join(re.escape(letter) + "(?:" + "|".join(grouped[letter]) + ")"
                    for letter in sorted(grouped, key=_by_frequency))


_QUANTIFIERS = frozenset("?*+{")
_SPECIAL = frozenset(".^$|()[]*+?{}\\")
_NO_MATCH = "\x00no match\x00"  # what a source becomes after a letter it cannot start with


def _taken(source: str, letters: set[str]) -> str | None:
    """``source`` written to start with a class of ``letters``, the characters it can
    start with (see ``combine``); None when that cannot be written (see ``_after``).

    Only the source's opening is rewritten for each letter: its atoms up to the first
    that must take a character (``(?:the |)`` and an anchor such as ``^`` come before
    it). The rest follows once, after the letters' branches."""
    if _split_alternatives(source) != [source]:
        source = f"(?:{source})"  # a bare "|": the whole source is the first group
    anchors, opening, rest = "", 0, source
    while True:
        split = _head(rest)
        if split is None:
            return None
        kind, head, optional, rest = split
        if kind == "anchor" and not opening:  # tested once, after the letter is taken
            anchors += _behind_one(head)
            source = rest
            continue
        opening += len(head) + len(optional)
        if kind != "anchor" and not optional and not _empty_last(kind, head):
            break
    if kind != "group" and opening == len(head):  # one character or class: the class is it
        return _letter_class(letters) + anchors + rest
    if _captures(source[:opening]):  # copied into each letter's branch, it would repeat
        return None
    branches = []
    for letter in sorted(letters, key=_by_frequency):
        after = _after(source[:opening], letter)
        if after is None:
            return None
        if after != _NO_MATCH:
            check = f"(?<={re.escape(letter)})" if len(letters) > 1 else ""
            branches.append(f"{check}{after}")
    return _letter_class(letters) + anchors + "(?:" + "|".join(branches) + ")" + rest


def _captures(source: str) -> bool:
    """Whether ``source`` (whole atoms) holds a capturing group; True when that cannot be
    told."""
    try:
        return re.compile(source).groups > 0
    except re.error:
        return True


# Letters in the order English words most often start with them: the engine tries the
# branches of an alternative in turn, so the common letters come first.
_FREQUENT = "tasoiwcbphfmdrelngu"


def _by_frequency(letter: str) -> tuple[int, str]:
    return (_FREQUENT.find(letter) % (len(_FREQUENT) + 1), letter)


def _after(source: str, letter: str) -> str | None:
    """What ``source`` must match once its first character, ``letter``, is taken:
    ``_NO_MATCH`` when it cannot start with ``letter``, None when that cannot be told
    (a capturing group, an escape class such as a space, a repeat other
    than ``?``, or a group that can match nothing except by its last alternative "")."""
    if not source:
        return _NO_MATCH
    split = _head(source)
    if split is None:
        return None
    kind, head, optional, rest = split
    if kind == "anchor":  # it tests the text before the letter: test it after instead
        after = _after(rest, letter)
        if after is None or after == _NO_MATCH:
            return after
        return _behind_one(head) + after
    nullable = bool(optional) or _empty_last(kind, head)
    if kind == "group":
        alternatives = _split_alternatives(head[3:-1])
        if alternatives[-1] == "":
            alternatives.pop()
        if any(_can_be_empty(a) for a in alternatives):
            return None
        afters = [_after(a, letter) for a in alternatives]
        if None in afters:
            return None
        kept = [a for a in afters if a != _NO_MATCH and a is not None]
        taken = "(?:" + "|".join(kept) + ")" + rest if kept else _NO_MATCH
    else:
        taken = rest if re.fullmatch(head, letter) is not None else _NO_MATCH
    if not nullable:
        return taken
    skipped = _after(rest, letter)  # greedy: the atom first, then without it
    if skipped is None:
        return None
    options = [o for o in (taken, skipped) if o != _NO_MATCH]
    return "(?:" + "|".join(options) + ")" if options else _NO_MATCH


def _empty_last(kind: str, head: str) -> bool:
    """Whether a group's last alternative is empty, as in ``(?:the |)``."""
    return kind == "group" and head.endswith("|)") and _split_alternatives(head[3:-1])[-1] == ""


def _can_be_empty(source: str) -> bool:
    """Whether ``source`` may match the empty text; True when that cannot be told."""
    if not source:
        return True
    split = _head(source)
    if split is None:
        return True
    kind, head, optional, rest = split
    if kind in ("char", "class") and not optional:
        return False
    if kind == "group" and not optional and not _empty_last(kind, head) and not any(
            _can_be_empty(a) for a in _split_alternatives(head[3:-1])):
        return False
    return _can_be_empty(rest)


def _behind_one(anchor: str) -> str:
    """An anchor tested one character later: ``^`` becomes "fewer than two characters
    behind", a look-behind looks one character further back, and a look-ahead is
    tested from a look-behind of one character."""
    if anchor == "^":
        return r"(?<![\s\S]{2})"
    if anchor.startswith(("(?=", "(?!")):  # "at the character before, ahead is (not) ..."
        return f"(?<{anchor[2]}(?={anchor[3:-1]})[\\s\\S])"
    if anchor.startswith("(?:"):
        return "(?:" + "|".join(_behind_one(a) for a in _split_alternatives(anchor[3:-1])) + ")"
    return anchor[:-1] + r"[\s\S])"


@lru_cache(maxsize=1024)  # asked again for each letter: only while compiling
def _head(source: str) -> tuple[str, str, str, str] | None:
    """(kind, first atom, "?" or "", the rest) of ``source``, or None when its first
    atom is not a character, class, non-capturing group or anchor, matched once or
    greedily at most once."""
    atom = _first_atom(source)
    if atom is None:
        return None
    kind, end = atom
    optional = ""
    if end < len(source) and source[end] in _QUANTIFIERS:
        if source[end] != "?" or kind == "anchor" or source[end + 1:end + 2] in ("?", "+"):
            return None
        optional = "?"
    return kind, source[:end], optional, source[end + len(optional):]


def _first_atom(source: str) -> tuple[str, int] | None:
    """(kind, end offset) of the first atom of ``source``: "char", "class", "group", or
    "anchor" (``^``, a look-behind, or a group of them)."""
    if not source:
        return None
    head = source[0]
    if head == "\\":
        if len(source) < 2 or source[1].isalnum():
            return None  # \s, \w, \b, \1: not one known character
        return "char", 2
    if head == "[":
        end = _class_end(source, 0)
        return None if end is None else ("class", end)
    if head == "^":
        return "anchor", 1
    if head == "(":
        end = _group_end(source, 0)
        if end is None:
            return None
        if source.startswith(("(?<=", "(?<!", "(?=", "(?!")):
            return "anchor", end
        if not source.startswith("(?:"):
            return None  # a capturing group or flags
        if all(_is_anchor(a) for a in _split_alternatives(source[3:end - 1])):
            return "anchor", end
        return "group", end
    if head in _SPECIAL:
        return None
    return "char", 1


def _is_anchor(source: str) -> bool:
    atom = _first_atom(source) if source else None
    return atom is not None and atom[0] == "anchor" and atom[1] == len(source)


def _class_end(source: str, start: int) -> int | None:
    """The offset just past the character class that opens at ``start``."""
    i = start + 1
    if i < len(source) and source[i] == "^":
        i += 1
    if i < len(source) and source[i] == "]":
        i += 1
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == "[":
            return None  # a nested set: leave it to the look-ahead guard
        if source[i] == "]":
            return i + 1
        i += 1
    return None


def _group_end(source: str, start: int) -> int | None:
    """The offset just past the group that opens at ``start``."""
    depth, i = 0, start
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = _class_end(source, i)
            if end is None:
                return None
            i = end
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _split_alternatives(body: str) -> list[str]:
    """The top-level alternatives of a group's body."""
    return list(_alternatives(body))


@lru_cache(maxsize=1024)  # a group is split again at each level: only while compiling
def _alternatives(body: str) -> tuple[str, ...]:
    pieces: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = _class_end(body, i)
            i = end if end is not None else i + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(body[start:i])
            start = i + 1
        i += 1
    pieces.append(body[start:])
    return tuple(pieces)


def _letter_class(letters: set[str]) -> str:
    """A class of ``letters`` that takes one of them."""
    return "[" + "".join(re.escape(c) for c in sorted(letters)) + "]"


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
    number, _, letter = name[1:].partition("_")  # "a12", or "a12_116" when grouped
    alternative = int(number)
    target = f"t{alternative}_{letter}" if letter else f"t{alternative}"
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
