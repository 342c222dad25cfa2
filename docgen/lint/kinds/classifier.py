"""The classifier kind: a learned sentence model beside the pattern rules.

Pattern rules catch wording someone has written down; the model catches harsh wording
nobody listed (blame aimed at staff, a threat phrased as procedure, politeness used as a
weapon). Each sentence is scored once, whole: the model was trained on long sentences
where one clause carries the harm. When a long sentence is flagged, its clauses are
scored too, and the finding points at the clause that reads harshest. (Deciding on
clauses alone was measured on the dev split: it raised false alarms far more than recall,
because a clause read out of its sentence loses the courtesy around it.)
The rule file names the model folder, the thresholds and the advice for each category,
so a reviewer can read and change them like any rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from docgen.lint.findings import Finding, Severity
from docgen.lint.kinds.base import Context, GuideSection, RuleBase, compile_pattern
from docgen.lint.kinds.patterns import Compiled
from docgen.lint.text import Span
from docgen.lint.tone_model import ModelUnavailable, ToneModel, load_model

# Where a long sentence divides into clauses: semicolons, colons, dashes, and a comma
# before a conjunction that starts a new clause.
_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s+|\s+[-–—]\s+|,\s+(?=(?:but|and|although|though|while|whereas|yet|so|"
    r"because|since|unless|which|otherwise|or|if|as|however|frankly|given)\b)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"\S+")
# A line that ends as a sentence or a clause does; a block of several lines with none
# (an address, a signature) is not a sentence the model can judge.
_LINE_END = re.compile(r"[.!?:;,]['’\")]*[ \t]*$", re.MULTILINE)


class Advice(BaseModel):
    """What to tell the writer when a sentence reads like one category."""

    model_config = ConfigDict(extra="forbid")

    message: str
    section: GuideSection


class Thresholds(BaseModel):
    """Scores at which a sentence becomes a warning and an error."""

    model_config = ConfigDict(extra="forbid")

    warning: float = Field(gt=0, lt=1)
    error: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.error < self.warning:
            raise ValueError("the error threshold must be at or above the warning one")
        return self


class Classifier(RuleBase):
    """Flag sentences the tone model scores as harsh."""

    extends: Literal["classifier"]
    model: str  # the model folder, relative to the rule file
    thresholds: Thresholds
    categories: dict[str, Advice] = Field(min_length=1)
    clause_words: int = Field(default=25, ge=5)  # a flagged longer one points at a clause
    min_words: int = Field(default=1, ge=1)  # shorter fragments are not scored
    skip_types: list[str] = Field(default_factory=list)  # document types it does not read
    # Sentences the policy says are acceptable whatever the score, such as a statement of
    # the reader's right ("you must be given the chance to comment"); patterns as in the
    # phrase kinds, searched case-insensitively in the sentence.
    exceptions: list[str] = Field(default_factory=list)
    # Clear plainly kind sentences with the model folder's screen before the encoder
    # reads them (see ``ToneModel``); the model card gives what it costs and saves.
    screen: bool = False
    _folder: Path | None = PrivateAttr(default=None)

    def bind(self, rule_id: str) -> None:
        super().bind(rule_id)
        self._folder = None
        # Searched in every sentence, so in lower case like the phrase rules' patterns.
        self._exceptions = (Compiled([compile_pattern(e, boundaries=False)
                                      for e in self.exceptions], True, boundaries=False)
                            if self.exceptions else None)

    def model_folder(self) -> Path:
        """The model folder, found once: resolving a path asks the file system."""
        if self._folder is None:
            base = self.source.parent if self.source is not None else Path.cwd()
            self._folder = (base / self.model).resolve()
        return self._folder

    def check(self, context: Context) -> Iterator[Finding]:
        if context.document_type in self.skip_types:
            return
        try:
            model = load_model(self.model_folder(), screened=self.screen)
        except ModelUnavailable as error:
            context.notice(f"the tone model could not be loaded ({error}); "
                           "the pattern rules still ran")
            return
        units = list(self._sentences(context))
        scores = model.score([text for *_, text in units])
        for (index, sentence, text), score in zip(units, scores, strict=True):
            if score.harsh < self.thresholds.warning:
                continue
            span = (sentence.start, sentence.end)
            if len(_WORDS.findall(text)) > self.clause_words:
                span = self._harshest_clause(model, text, sentence) or span
            yield self._finding(context, index, sentence, span, score.harsh, score.category)

    def _sentences(self, context: Context) -> Iterator[tuple[int, Span, str]]:
        """Each sentence in scope, with its paragraph and text."""
        for index, paragraph in enumerate(context.paragraphs):
            if paragraph.kind not in self.scope:
                continue
            text = context.own_text(index)
            folded = context.own_folded(index)
            for sentence in context.sentences(index):
                body = text[sentence.start:sentence.end]
                if len(body.split()) < self.min_words:  # as many as _WORDS finds
                    continue
                if "\n" in body and _LINE_END.search(body) is None:
                    continue  # an address or signature block
                if self._excused(body, folded, sentence):
                    continue
                yield index, sentence, body

    def _excused(self, body: str, folded: str | None, sentence: Span) -> bool:
        """Whether one of the rule's exceptions is found in the sentence."""
        exceptions = self._exceptions
        if exceptions is None:
            return False
        if folded is not None and exceptions.folded is not None:
            return exceptions.folded.search(folded[sentence.start:sentence.end]) is not None
        return exceptions.full.search(body) is not None

    @staticmethod
    def _harshest_clause(model: ToneModel, text: str, sentence: Span
                         ) -> tuple[int, int] | None:
        """The offsets of the clause of a flagged sentence that reads harshest."""
        parts = clauses(text)
        if not parts:
            return None
        scores = model.score([text[start:end] for start, end in parts])
        best = max(range(len(parts)), key=lambda i: scores[i].harsh)
        start, end = parts[best]
        return sentence.start + start, sentence.start + end

    def _finding(self, context: Context, index: int, sentence: Span,
                 span: tuple[int, int], harsh: float, category: str) -> Finding:
        severity = Severity.ERROR if harsh >= self.thresholds.error else Severity.WARNING
        advice = self.categories.get(category)
        paragraph = context.paragraphs[index]
        finding = self.finding(paragraph, *span, message=advice.message if advice else None,
                               severity=severity)
        extent = (*paragraph.position(sentence.start), *paragraph.position(sentence.end))
        return finding.classified(category, round(harsh, 3), extent)

    @property
    def loaded(self) -> ToneModel | None:
        """The model, or None when it cannot be loaded (for tools that report on it)."""
        try:
            return load_model(self.model_folder(), screened=self.screen)
        except ModelUnavailable:
            return None


def clauses(sentence: str, min_words: int = 4) -> list[tuple[int, int]]:
    """Offsets of the clauses of ``sentence`` with at least ``min_words`` words; short
    pieces join the clause before them, so "Frankly," is never scored alone."""
    pieces: list[list[int]] = []
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        pieces.append([start, match.start()])
        start = match.end()
    pieces.append([start, len(sentence)])
    merged: list[list[int]] = []
    for piece in pieces:
        words = len(_WORDS.findall(sentence[piece[0]:piece[1]]))
        if merged and words < min_words:
            merged[-1][1] = piece[1]
        elif not merged or len(_WORDS.findall(sentence[merged[-1][0]:merged[-1][1]])) \
                >= min_words:
            merged.append(piece)
        else:
            merged[-1][1] = piece[1]
    if len(merged) < 2:
        return []
    return [(s, e) for s, e in merged if e > s]
