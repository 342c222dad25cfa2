"""What every rule kind shares: the rule file's common keys, the per-document context
and the helpers that turn offsets and patterns into findings."""

from __future__ import annotations

import re
from abc import abstractmethod
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

from docgen.lint.document import BlockKind, Paragraph, TextDocument, without_quotations
from docgen.lint.findings import Finding, Severity
from docgen.lint.text import Span, sentence_spans

Level = Literal["error", "warning", "suggestion"]
EVERY_BLOCK: tuple[BlockKind, ...] = ("paragraph", "heading", "list_item", "table_row")

# Curly quotes and odd spaces become their plain forms one character for one, so
# patterns need only straight apostrophes and offsets still point into the source.
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u202f": " "})
_GAP = re.compile(r" \.\.\. ")
_ADVERBS = re.compile(r" ~ ")
# `` ~ `` allows up to two adverbs ("have repeatedly failed", "still lack").
_ADVERB_GAP = (r"\s+(?:(?:\w+ly|also|still|again|now|even|just|already|then|all|both|not only"
               r"|so far|yet|ever|never)\s+){0,2}")
_GROUP = re.compile(r"\{([a-z_]+)\}")
_SECTION = re.compile(r"^[1-9][0-9]?\. \S")


def _cites_guide(value: str) -> str:
    if not _SECTION.match(value):
        raise ValueError("expected a GUIDE.md section such as '3. Never threaten'")
    return value


#: A section of style_rules/GUIDE.md that a finding cites, such as '3. Never threaten'.
GuideSection = Annotated[str, AfterValidator(_cites_guide)]


def plain(text: str) -> str:
    """Straighten quotes and spaces without changing the text's length."""
    return text.translate(_PLAIN)


class Examples(BaseModel):
    """Sentences a rule must flag and sentences it must let pass."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    flag: list[str] = Field(min_length=1)
    pass_: list[str] = Field(alias="pass", min_length=1)
    document_type: str | None = None  # the type examples are linted as


class RuleBase(BaseModel):
    """Keys every rule file has, whatever its kind."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    message: str
    level: Level
    section: GuideSection
    description: str = ""
    scope: list[BlockKind] = Field(default_factory=lambda: list(EVERY_BLOCK))
    examples: Examples

    # Whether each finding's one suggestion replaces its match word for word, so
    # 'docgen lint --fix' (and the page's "Use this wording") may apply it unreviewed.
    swaps_words: ClassVar[bool] = False

    _id: str = PrivateAttr(default="")
    _source: Path | None = PrivateAttr(default=None)

    @property
    def id(self) -> str:
        return self._id

    @property
    def source(self) -> Path | None:
        """The rule file this rule was read from, when it came from one."""
        return self._source

    def locate(self, path: Path) -> None:
        """Remember the rule file, so a rule can name files beside it."""
        self._source = path

    @property
    def severity(self) -> Severity:
        return Severity.parse(self.level)

    def bind(self, rule_id: str) -> None:
        """Give the rule its id (from its path) and compile what it needs."""
        self._id = rule_id

    @abstractmethod
    def check(self, context: Context) -> Iterator[Finding]:
        """Yield this rule's findings in ``context``'s document; each kind defines it."""

    def finding(
        self,
        paragraph: Paragraph,
        start: int,
        end: int,
        message: str | None = None,
        suggestions: tuple[str, ...] = (),
        rule_id: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding for ``paragraph.text[start:end]``, placed in the source."""
        line, column = paragraph.position(start)
        end_line, end_column = paragraph.position(end)
        matched = paragraph.text[start:end]
        text = (message or self.message).replace("{match}", matched)
        if suggestions:
            text = text.replace("{suggestion}", suggestions[0])
        return Finding(
            rule=rule_id or self.id,
            severity=severity or self.severity,
            message=text,
            match=matched,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            suggestions=suggestions,
        )


@dataclass
class Context:
    """One document as the rules see it, with sentences split once and shared."""

    document: TextDocument
    document_type: str | None
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    _plain: list[str] = field(default_factory=list)
    _sentences: dict[int, list[Span]] = field(default_factory=dict)
    _starts: dict[int, list[int]] = field(default_factory=dict)
    cache: dict[str, object] = field(default_factory=dict)  # shared per-document results
    _folded: dict[int, str | None] = field(default_factory=dict)
    _own: dict[tuple[int, bool], str | None] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # said once in the file's report

    def notice(self, text: str) -> None:
        """Add a notice to the document's report, once however often it is given."""
        if text not in self.notices:
            self.notices.append(text)

    def __post_init__(self) -> None:
        self._plain = [plain(p.text) for p in self.document.paragraphs]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return self.document.paragraphs

    def plain_text(self, index: int) -> str:
        return self._plain[index]

    def folded_text(self, index: int) -> str | None:
        """The paragraph in lower case, or None when lower-casing changes its length
        (a rare letter such as "İ"), in which case callers match without folding."""
        if index not in self._folded:
            folded = self._plain[index].lower()
            self._folded[index] = folded if len(folded) == len(self._plain[index]) else None
        return self._folded[index]

    def own_text(self, index: int) -> str:
        """The paragraph as the rules that judge our own wording read it (tone,
        spelling, sentence length): any quotation, someone else's words marked as such in
        the source, blanked to spaces, the length kept so offsets still point into it."""
        text = self._own_version(index, folded=False)
        assert text is not None
        return text

    def own_folded(self, index: int) -> str | None:
        """``own_text`` in lower case, or None where ``folded_text`` is None."""
        return self._own_version(index, folded=True)

    def _own_version(self, index: int, folded: bool) -> str | None:
        text = self.folded_text(index) if folded else self._plain[index]
        quoted = self.document.paragraphs[index].quoted
        if text is None or not quoted:
            return text
        key = (index, folded)
        if key not in self._own:
            self._own[key] = without_quotations(text, quoted)
        return self._own[key]

    def sentences(self, index: int) -> list[Span]:
        if index not in self._sentences:
            self._sentences[index] = sentence_spans(self._plain[index])
        return self._sentences[index]

    def sentence_at(self, index: int, offset: int) -> Span:
        """The sentence holding ``offset``, found by bisection (a long paragraph may
        have thousands of sentences and as many matches)."""
        spans = self.sentences(index)
        if index not in self._starts:
            self._starts[index] = [span.start for span in spans]
        found = bisect_right(self._starts[index], offset) - 1
        if found >= 0 and offset < spans[found].end:
            return spans[found]
        return Span(0, len(self._plain[index]))


def compile_pattern(
    source: str,
    groups: dict[str, list[str]] | None = None,
    gap: int = 4,
    boundaries: bool = True,
) -> str:
    """Expand a rule's pattern: ``{group}`` becomes its alternatives, `` ... `` up to
    ``gap`` words, `` ~ `` up to two adverbs, and each space any run of white space (so
    phrases match across line breaks)."""

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if groups is None or name not in groups:
            raise KeyError(name)
        alternatives = sorted(groups[name], key=len, reverse=True)
        # Groups may use other groups; the caller's KeyError stops a cycle's growth.
        expanded = (_GROUP.sub(expand, _ADVERBS.sub("\x01", a)) for a in alternatives)
        return "(?:" + "|".join(_spaces(a) for a in expanded) + ")"

    text = _GROUP.sub(expand, _ADVERBS.sub("\x01", _GAP.sub("\x00", source)))
    text = _spaces(text).replace("\x00", r"\s+(?:[^\s.!?;]+\s+){0," + str(gap) + "}?")
    text = text.replace("\x01", _ADVERB_GAP)
    if boundaries:
        text = r"(?<![\w])(?:" + text + r")(?![\w])"
    return text


_REGEX_TOKEN = re.compile(r"\\.|\(\?P<[^>]*>|\(\?P=[^)]*\)|[^\\(]+|\(")


def fold_pattern(source: str) -> str:
    """Lower-case a regular expression's literals, leaving escapes (``\\S``) and group
    names alone, so it can match lower-cased text without ``re.IGNORECASE``, which
    roughly halves the time a scan takes."""
    return "".join(
        token if token.startswith(("\\", "(?P")) else token.lower()
        for token in _REGEX_TOKEN.findall(source)
    )


def _spaces(text: str) -> str:
    # " ?" stays optional white space; any other run of spaces is one or more.
    text = re.sub(r" (?=[?*])", r"\\s", text)
    return re.sub(r" +", r"\\s+", text)
