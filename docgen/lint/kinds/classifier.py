"""The classifier kind: a learned sentence model beside the pattern rules.

Pattern rules catch wording someone has written down; the model catches harsh wording
nobody listed (blame aimed at staff, a threat phrased as procedure, politeness used as a
weapon). Each sentence is scored once; a long sentence is also scored clause by clause,
because one clause can carry the harm, and the finding then points at that clause.
The rule file names the model folder, the thresholds and the advice for each category,
so a reviewer can read and change them like any rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from docgen.lint.findings import Finding, Severity
from docgen.lint.kinds.base import _SECTION, Context, RuleBase
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


class Advice(BaseModel):
    """What to tell the writer when a sentence reads like one category."""

    model_config = ConfigDict(extra="forbid")

    message: str
    section: str

    @field_validator("section")
    @classmethod
    def _cites_guide(cls, value: str) -> str:
        if not _SECTION.match(value):
            raise ValueError("expected a GUIDE.md section such as '3. Never threaten'")
        return value


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
    clause_words: int = Field(default=25, ge=5)  # longer sentences are scored by clause

    def model_folder(self) -> Path:
        base = self.source.parent if self.source is not None else Path.cwd()
        return (base / self.model).resolve()

    def check(self, context: Context) -> Iterator[Finding]:
        try:
            model = load_model(self.model_folder())
        except ModelUnavailable as error:
            context.notice(f"the tone model could not be loaded ({error}); "
                           "the pattern rules still ran")
            return
        units = list(self._units(context))
        scores = model.score([text for *_, text in units])
        best: dict[tuple[int, Span], tuple[float, int, int, str]] = {}
        for (index, sentence, start, end, _), score in zip(units, scores, strict=True):
            key = (index, sentence)
            if key not in best or score.harsh > best[key][0]:
                best[key] = (score.harsh, start, end, score.category)
        for (index, sentence), (harsh, start, end, category) in best.items():
            if harsh < self.thresholds.warning:
                continue
            yield self._finding(context, index, sentence, (start, end), harsh, category)

    def _units(self, context: Context) -> Iterator[tuple[int, Span, int, int, str]]:
        """Each sentence in scope, and each clause of a long one, with its offsets."""
        for index, paragraph in enumerate(context.paragraphs):
            if paragraph.kind not in self.scope:
                continue
            text = context.plain_text(index)
            for sentence in context.sentences(index):
                body = text[sentence.start:sentence.end]
                yield index, sentence, sentence.start, sentence.end, body
                if len(_WORDS.findall(body)) > self.clause_words:
                    for start, end in clauses(body):
                        yield (index, sentence, sentence.start + start,
                               sentence.start + end, body[start:end])

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
            return load_model(self.model_folder())
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
