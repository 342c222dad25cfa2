"""How far a second reader of the guide agrees with the real dev set's labels, and how
the linter does on the sentences the second reader was sure of and those it was not.

    python training/agreement.py            agreement, and the second reader as a linter
    python training/agreement.py --linter   also the linter's figures on each part

``training/real_dev_second_reading.jsonl`` holds a second labelling of the real dev set
by a reader who saw only ``style_rules/GUIDE.md`` and the sentences (not their labels,
the corpus, the rules or the model), with whether it was sure. It measures the labels,
not a model: how much of the gap between the linter and the targets is the labels'
own doubt.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import ROOT, Sentence, real_dev  # noqa: E402

SECOND = ROOT / "training" / "real_dev_second_reading.jsonl"


def second_reading() -> dict[str, tuple[bool, bool]]:
    """Each sentence's second label: text -> (harsh, sure)."""
    rows = (json.loads(line) for line in SECOND.read_text(encoding="utf-8").splitlines()
            if line.strip())
    return {row["text"]: (row["label"] == "harsh", bool(row["sure"])) for row in rows}


def rates(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int]:
    """(recall, false alarms, harsh, acceptable) of ``(truth, flagged)`` pairs."""
    harsh = [flagged for truth, flagged in pairs if truth]
    acceptable = [flagged for truth, flagged in pairs if not truth]
    return (sum(harsh) / len(harsh) if harsh else 0.0,
            sum(acceptable) / len(acceptable) if acceptable else 0.0,
            len(harsh), len(acceptable))


def show(name: str, pairs: list[tuple[bool, bool]]) -> None:
    recall, false_alarms, harsh, acceptable = rates(pairs)
    print(f"  {name:<36} recall {recall:.3f}  false alarms {false_alarms:.3f}  "
          f"({harsh} harsh, {acceptable} acceptable)")


def kappa(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    """(observed agreement, Cohen's kappa) of two labellings."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first = sum(a for a, _ in pairs) / n
    second = sum(b for _, b in pairs) / n
    chance = first * second + (1 - first) * (1 - second)
    return observed, (observed - chance) / (1 - chance) if chance < 1 else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--linter", action="store_true",
                        help="also lint each sentence and show the linter's figures")
    args = parser.parse_args(argv)
    second = second_reading()
    sentences: list[Sentence] = [s for s in real_dev() if s.text in second]
    missing = len(real_dev()) - len(sentences)
    pairs = [(s.harsh, second[s.text][0]) for s in sentences]
    observed, k = kappa(pairs)
    sure = [second[s.text][1] for s in sentences]
    print(f"real dev: {len(sentences)} sentences read twice"
          + (f" ({missing} without a second reading)" if missing else ""))
    print(f"  agreement {observed:.3f}, Cohen's kappa {k:.3f}; the second reader was sure "
          f"of {sum(sure)}")
    print("the second reader, judged by the real dev labels:")
    show("every sentence", pairs)
    show("the sentences it was sure of", [p for p, s in zip(pairs, sure, strict=True) if s])
    if args.linter:
        from evaluate import tone_rules

        flagged = [bool(tone_rules(s.text)) for s in sentences]
        linted = [(s.harsh, f) for s, f in zip(sentences, flagged, strict=True)]
        print("the linter (rules + model, warning or error), judged by the same labels:")
        show("every sentence", linted)
        show("those the second reader was sure of",
             [p for p, s in zip(linted, sure, strict=True) if s])
        show("those it was not sure of", [p for p, s in zip(linted, sure, strict=True) if not s])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
