"""The tone corpus: labelled sentences for training, a dev split, and the blind sets.

    python training/corpus.py            counts, shares and the corpus hash

Every sentence is a JSON line with ``text``, ``label`` (harsh or acceptable),
``category``, ``register`` (letter or report) and, for a real sentence, its ``source``.
The older plain-text files in ``tests/data/tone_corpus`` (one sentence a line under
``# category:`` headers) are read too, with their category names mapped to these.

The blind sets and the dev sets are never read by training: ``training_sentences``
refuses any sentence that is also in one of them, a near copy of one, and any sentence
from a document they quote; and it refuses the shipped templates' own sentences.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "training" / "corpus"
#: Labelled files collected for the corpus and not yet in it (see its README).
CANDIDATES = ROOT / "training" / "candidates"
OLD = ROOT / "tests" / "data" / "tone_corpus"

HARSH = ("blame", "threat", "command", "sarcasm", "dismissive", "patronising", "cold",
         "legalistic", "heat")
ACCEPTABLE = ("judgement", "deadline", "right", "support", "firm_request",
              "bad_news_kindly", "neutral")

#: Sets written or collected blind, measured once per model version (see MODEL_CARD.md).
BLIND = {
    "blind3": (OLD / "blind3_harsh.txt", OLD / "blind3_acceptable.txt"),
    "blind4": OLD / "blind4.jsonl",
    "real_blind": OLD / "real_blind.jsonl",
}
#: Real sentences held back to choose between models and thresholds on real wording: never
#: trained on, like a blind set, but measured as often as needed. Split by document from
#: real sentences collected for the corpus (the rest went into ``training/corpus/``).
REAL_DEV = ROOT / "training" / "real_dev.jsonl"
#: Whole files by writers the model never trains on, to choose between models on wording
#: from a new hand: the hash-based dev split is written by the training files' own writers,
#: so it overstates how well a model reads anyone else. Held out like the real dev set.
WRITER_DEV = ROOT / "training" / "writer_dev"
#: Older labelled files that training may use (they were measured before, so are seen).
SEEN = (OLD / "harsh.txt", OLD / "acceptable.txt", OLD / "holdout_harsh.txt",
        OLD / "holdout_acceptable.txt", OLD / "blind2_harsh.txt",
        OLD / "blind2_acceptable.txt")

# Category names in the older files, as the corpus names them (None: no category).
_OLD_NAMES = {
    "legal_distancing": "legalistic", "shouting": "heat", "dismissal": "dismissive",
    "stock_phrase": None, "acronym": None, "request": "firm_request",
    "procedure": "neutral", "next_steps": "neutral", "neutral_trigger": "neutral",
    "narrative": "neutral", "finding": "judgement", "courtesy": "support",
}
_WORD = re.compile(r"[a-z0-9']+")
DEV_SHARE = 10  # per cent of the corpus held back for choosing thresholds


@dataclass(frozen=True)
class Sentence:
    """One labelled sentence."""

    text: str
    harsh: bool
    category: str | None
    register: str = "letter"
    source: str | None = None
    origin: str = ""  # the file it came from

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def dev(self) -> bool:
        """In the dev split: decided by the text's hash, so stable across runs. Composed
        sentences never are: their parts come from the training split."""
        if self.origin == "composed.jsonl":
            return False
        digest = hashlib.sha256(self.text.lower().encode()).digest()
        return digest[0] * 100 // 256 < DEV_SHARE


def read_jsonl(path: Path) -> Iterator[Sentence]:
    """Sentences from one JSON-lines file; a bad line stops with its number."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            label = row["label"]
            category = row.get("category")
            if label not in ("harsh", "acceptable"):
                raise ValueError(f"label {label!r}")
            if category not in (HARSH if label == "harsh" else ACCEPTABLE):
                raise ValueError(f"category {category!r} for a {label} sentence")
            yield Sentence(row["text"].strip(), label == "harsh", category,
                           row.get("register", "letter"), row.get("source"), path.name)
        except (ValueError, KeyError, TypeError) as error:
            raise SystemExit(f"{path}:{number}: {error}") from None


def read_text_file(path: Path, harsh: bool) -> Iterator[Sentence]:
    """Sentences from an older plain-text corpus file."""
    category: str | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# category:"):
            name = line.removeprefix("# category:").strip()
            category = _OLD_NAMES.get(name, name)
        elif line and not line.startswith("#"):
            yield Sentence(line, harsh, category, origin=path.name)


def read_any(path: Path) -> Iterator[Sentence]:
    if path.suffix == ".jsonl":
        yield from read_jsonl(path)
    else:
        yield from read_text_file(path, harsh="harsh" in path.name)


def blind_set(name: str) -> list[Sentence]:
    """One blind set's sentences."""
    entry = BLIND[name]
    paths = entry if isinstance(entry, tuple) else (entry,)
    return [s for p in paths for s in read_any(p)]


def real_dev() -> list[Sentence]:
    """The real dev set's sentences (none where the file is absent)."""
    return list(read_jsonl(REAL_DEV)) if REAL_DEV.exists() else []


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _address(url: str) -> str:
    """A page's address without what varies between links to it: the scheme, ``www.``,
    a trailing slash and the letter case."""
    return re.sub(r"^https?://(?:www\.)?", "", url.strip().lower()).rstrip("/")


def _triples(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return frozenset(tuple(words[i:i + 3]) for i in range(len(words) - 2))


class _NearCopies:
    """Held-out sentences by their runs of three words. A sentence is near one when most
    of the shorter one's runs are in the other: the same sentence with a name changed, a
    word added or dropped, or quoted inside a longer one. Sentences too short to tell a
    copy from shared wording ("Pupils get the help they need.") are not compared."""

    SHARE = 0.8  # of the shorter sentence's runs of three words
    SHORTEST = 6  # runs of three words (eight words)

    def __init__(self, texts: Iterable[str]) -> None:
        self.triples = [t for t in map(_triples, texts) if len(t) >= self.SHORTEST]
        self.index: dict[tuple[str, ...], list[int]] = {}
        for number, triples in enumerate(self.triples):
            for triple in triples:
                self.index.setdefault(triple, []).append(number)

    def __contains__(self, text: str) -> bool:
        triples = _triples(text)
        if len(triples) < self.SHORTEST:
            return False
        shared = Counter(n for t in triples for n in self.index.get(t, ()))
        return any(count >= self.SHARE * min(len(triples), len(self.triples[n]))
                   for n, count in shared.items())


def writer_dev() -> list[Sentence]:
    """The writer dev set's sentences: every file in ``training/writer_dev``."""
    return [s for path in sorted(WRITER_DEV.glob("*.jsonl")) for s in read_jsonl(path)]


def held_out() -> list[Sentence]:
    """Every sentence training must not see: the blind sets and both dev sets."""
    blind = [s for name in BLIND if _exists(name) for s in blind_set(name)]
    return blind + real_dev() + writer_dev()


@lru_cache(maxsize=1)
def _rendered_template_sentences() -> tuple[str, ...]:
    sys.path.insert(0, str(ROOT))
    from docgen.lint.samples import sample_documents
    from docgen.lint.text import sentence_spans
    from docgen.resources import shipped
    from docgen.templates import Catalogue

    found: dict[str, None] = {}
    for document in sample_documents(Catalogue(), shipped("samples")):
        for paragraph in document.paragraphs:
            for span in sentence_spans(paragraph.text):
                found.setdefault(paragraph.text[span.start:span.end].strip(), None)
    return tuple(text for text in found if text)


def template_sentences() -> list[str]:
    """The sentences of the shipped templates as ``docgen lint --templates`` reads them
    (each template rendered with its samples). Training refuses them and near copies of
    them: a model that had learnt them would pass that check without earning it."""
    return list(_rendered_template_sentences())


def training_sentences() -> list[Sentence]:
    """The corpus (new files and the seen older ones), deduplicated by text, without any
    held-out sentence (``held_out``), a near copy of one (``_NearCopies``) or a sentence
    from a document they quote."""
    files = sorted(CORPUS.glob("*.jsonl")) + [p for p in SEEN if p.exists()]
    return trainable(s for p in files for s in read_any(p))


def candidate_real() -> list[Sentence]:
    """The real sentences of ``training/candidates`` (the ``real_public_*`` files, not the
    ones their collectors were unsure of) that training may read: refused as the corpus's
    own are, and not already in the corpus."""
    corpus = {_key(s.text) for s in training_sentences()}
    files = sorted(p for p in CANDIDATES.glob("real_public_*.jsonl")
                   if not p.stem.endswith("_unsure"))
    return [s for s in trainable(s for p in files for s in read_jsonl(p))
            if _key(s.text) not in corpus]


def trainable(sentences: Iterable[Sentence]) -> list[Sentence]:
    """``sentences`` deduplicated by text, without any held-out sentence, a near copy of
    one, a sentence from a document they quote, or a shipped template's sentence."""
    held = held_out()
    templates = template_sentences()
    held_text = {_key(s.text) for s in held} | {_key(text) for text in templates}
    near_held = _NearCopies([s.text for s in held] + templates)
    held_sources = {_address(s.source) for s in held if s.source}
    seen: set[str] = set()
    out: list[Sentence] = []
    for sentence in sentences:
        key = _key(sentence.text)
        if (key in seen or key in held_text or sentence.text in near_held
                or (sentence.source and _address(sentence.source) in held_sources)):
            continue
        seen.add(key)
        out.append(sentence)
    return out


def _exists(name: str) -> bool:
    entry = BLIND[name]
    return all(p.exists() for p in (entry if isinstance(entry, tuple) else (entry,)))


def corpus_hash(sentences: Iterable[Sentence]) -> str:
    """SHA-256 of the training sentences and labels, in a fixed order."""
    digest = hashlib.sha256()
    for s in sorted(sentences, key=lambda s: s.text):
        digest.update(f"{s.text}\t{int(s.harsh)}\t{s.category}\n".encode())
    return digest.hexdigest()


def describe(sentences: list[Sentence]) -> str:
    """Counts a reviewer checks against the corpus targets."""
    harsh = [s for s in sentences if s.harsh]
    acceptable = [s for s in sentences if not s.harsh]
    hard = [s for s in acceptable if s.category != "neutral"]
    long = [s for s in sentences if s.words > 25]
    real = [s for s in sentences if s.source]
    lines = [
        f"sentences: {len(sentences)} (harsh {len(harsh)}, acceptable {len(acceptable)}, "
        f"hard acceptable {len(hard)})",
        f"over 25 words: {len(long)} ({len(long) / len(sentences):.0%})",
        f"registers: {dict(Counter(s.register for s in sentences))}",
        f"real sentences: {len(real)} from {len({s.source for s in real})} documents",
        f"dev split: {sum(s.dev for s in sentences)}",
        "categories: " + ", ".join(f"{c} {n}" for c, n in
                                   Counter(s.category for s in sentences).most_common()),
        f"hash: {corpus_hash(sentences)}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(describe(training_sentences()))
    sys.exit(0)
