"""Accuracy of the tone linter on the labelled corpus in tests/data/tone_corpus/.

Each line of harsh.txt must draw a warning or an error; each line of acceptable.txt must
draw neither (suggestions are allowed). Targets from the tone-linter issue: recall on the
harsh sentences of at least 0.95 and a false-alarm rate on the acceptable ones of at most
0.05. ``python bench/corpus.py`` prints the same figures broken down by category.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "tone_corpus"
HARSH = CORPUS / "harsh.txt"
ACCEPTABLE = CORPUS / "acceptable.txt"
CATEGORY_MARK = "# category:"

MIN_RECALL = 0.95
MAX_FALSE_ALARM_RATE = 0.05
MIN_SENTENCES = 300


@dataclass(frozen=True)
class Sentence:
    """One labelled line of the corpus."""

    text: str
    category: str
    path: Path
    line: int


@dataclass(frozen=True)
class Verdict:
    """What the linter made of one sentence: the rules that fired at warning or above."""

    sentence: Sentence
    rules: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.rules)


def load_corpus(path: Path) -> list[Sentence]:
    """Read one corpus file: a sentence a line, ``# category: NAME`` headers, ``#`` comments."""
    sentences: list[Sentence] = []
    category = "uncategorised"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith(CATEGORY_MARK):
            category = line.removeprefix(CATEGORY_MARK).strip()
        elif line and not line.startswith("#"):
            sentences.append(Sentence(line, category, path, number))
    return sentences


def judge(sentences: list[Sentence]) -> Iterator[Verdict]:
    """Lint each sentence on its own, with no document type and the default configuration."""
    from docgen.lint.engine import lint_text
    from docgen.lint.findings import Severity

    for sentence in sentences:
        report = lint_text(sentence.text, path=f"{sentence.path.name}:{sentence.line}")
        rules = sorted({f.rule for f in report.findings if f.severity >= Severity.WARNING})
        yield Verdict(sentence, tuple(rules))


def describe(verdicts: list[Verdict]) -> str:
    """List sentences with their category, line and the rules that fired, for tuning."""
    lines = []
    for v in sorted(verdicts, key=lambda v: (v.sentence.category, v.sentence.line)):
        where = f"{v.sentence.path.name}:{v.sentence.line}"
        fired = f"  [{', '.join(v.rules)}]" if v.rules else ""
        lines.append(f"  {where} ({v.sentence.category}) {v.sentence.text}{fired}")
    return "\n".join(lines)


def test_corpus_is_large_distinct_and_labelled_once() -> None:
    harsh = load_corpus(HARSH)
    acceptable = load_corpus(ACCEPTABLE)
    assert len(harsh) >= MIN_SENTENCES
    assert len(acceptable) >= MIN_SENTENCES
    seen: dict[str, Sentence] = {}
    for sentence in harsh + acceptable:
        key = " ".join(sentence.text.lower().split())
        earlier = seen.setdefault(key, sentence)
        assert earlier is sentence, (
            f"{sentence.path.name}:{sentence.line} repeats "
            f"{earlier.path.name}:{earlier.line}: {sentence.text!r}"
        )
    assert all(s.category != "uncategorised" for s in harsh + acceptable)


def test_recall_on_harsh_sentences() -> None:
    verdicts = list(judge(load_corpus(HARSH)))
    missed = [v for v in verdicts if not v.flagged]
    recall = 1 - len(missed) / len(verdicts)
    assert recall >= MIN_RECALL, (
        f"recall {recall:.3f} is below {MIN_RECALL}; {len(missed)} of {len(verdicts)} "
        f"harsh sentences drew no warning or error:\n{describe(missed)}"
    )


def test_false_alarm_rate_on_acceptable_sentences() -> None:
    verdicts = list(judge(load_corpus(ACCEPTABLE)))
    alarms = [v for v in verdicts if v.flagged]
    rate = len(alarms) / len(verdicts)
    assert rate <= MAX_FALSE_ALARM_RATE, (
        f"false-alarm rate {rate:.3f} is above {MAX_FALSE_ALARM_RATE}; {len(alarms)} of "
        f"{len(verdicts)} acceptable sentences drew a warning or error:\n{describe(alarms)}"
    )
