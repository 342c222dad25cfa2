"""Print the tone linter's accuracy on the labelled corpus, overall and by category.

    python bench/corpus.py            figures only
    python bench/corpus.py --list     also every missed harsh sentence and false alarm

A sentence counts as flagged when any finding is a warning or an error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.lint.test_corpus import (  # noqa: E402
    ACCEPTABLE,
    HARSH,
    Verdict,
    describe,
    judge,
    load_corpus,
)


def by_category(verdicts: list[Verdict]) -> dict[str, tuple[int, int]]:
    """Count (flagged, total) for each category, in the order categories first appear."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for v in verdicts:
        counts[v.sentence.category][0] += v.flagged
        counts[v.sentence.category][1] += 1
    return {name: (flagged, total) for name, (flagged, total) in counts.items()}


def rule_counts(verdicts: list[Verdict]) -> Counter[str]:
    """How many of the given sentences each rule fired on."""
    return Counter(rule for v in verdicts for rule in v.rules)


def main(argv: list[str] | None = None) -> int:
    """Lint the corpus and print recall, false-alarm rate and their breakdowns."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    harsh = list(judge(load_corpus(HARSH)))
    acceptable = list(judge(load_corpus(ACCEPTABLE)))
    elapsed = time.perf_counter() - start

    missed = [v for v in harsh if not v.flagged]
    alarms = [v for v in acceptable if v.flagged]
    recall = 1 - len(missed) / len(harsh)
    false_alarm_rate = len(alarms) / len(acceptable)

    print(f"harsh sentences:       {len(harsh)}")
    print(f"acceptable sentences:  {len(acceptable)}")
    print(f"recall:                {recall:.3f} ({len(harsh) - len(missed)} flagged, "
          f"{len(missed)} missed; target >= 0.95)")
    print(f"false-alarm rate:      {false_alarm_rate:.3f} ({len(alarms)} flagged; "
          f"target <= 0.05)")
    print(f"time:                  {elapsed:.2f} s for {len(harsh) + len(acceptable)} sentences")

    print("\nrecall by harsh category:")
    for name, (flagged, total) in by_category(harsh).items():
        print(f"  {name:<20} {flagged / total:6.3f}  ({flagged}/{total})")
    print("\nfalse alarms by acceptable category:")
    for name, (flagged, total) in by_category(acceptable).items():
        print(f"  {name:<20} {flagged / total:6.3f}  ({flagged}/{total})")
    if alarms:
        print("\nrules behind the false alarms:")
        for rule, count in rule_counts(alarms).most_common():
            print(f"  {rule:<40} {count}")

    if args.list:
        print(f"\nmissed harsh sentences ({len(missed)}):\n{describe(missed)}")
        print(f"\nfalse alarms ({len(alarms)}):\n{describe(alarms)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
