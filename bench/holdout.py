"""Print the tone linter's accuracy on held-out sentences written without sight of the rules.

    python bench/holdout.py [--list]

Each sentence is linted on its own, with no document type and the default configuration; it
counts as flagged when any finding is a warning or an error. For each set the script prints
recall on the harsh file and the false-alarm rate on the acceptable one, by category, and with
--list every miss and false alarm with the rules that fired. It measures; it asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import by_category  # noqa: E402
from tests.lint.test_corpus import describe, judge, load_corpus  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "tone_corpus"

#: Sets written blind (their writers never saw the rules); once measured they are seen,
#: so tuning rules against their misses turns them into training data.
SETS = {
    "holdout": (CORPUS / "holdout_harsh.txt", CORPUS / "holdout_acceptable.txt"),
    "blind2": (CORPUS / "blind2_harsh.txt", CORPUS / "blind2_acceptable.txt"),
    "blind3": (CORPUS / "blind3_harsh.txt", CORPUS / "blind3_acceptable.txt"),
}


def report(name: str, harsh_path: Path, acceptable_path: Path, *, full: bool) -> None:
    """Lint one labelled pair and print its figures (and, with ``full``, every miss)."""
    start = time.perf_counter()
    harsh = list(judge(load_corpus(harsh_path)))
    acceptable = list(judge(load_corpus(acceptable_path)))
    elapsed = time.perf_counter() - start

    missed = [v for v in harsh if not v.flagged]
    alarms = [v for v in acceptable if v.flagged]
    print(f"== {name}: {len(harsh)} harsh, {len(acceptable)} acceptable sentences")
    print(f"recall:            {1 - len(missed) / len(harsh):.3f} "
          f"({len(harsh) - len(missed)} flagged, {len(missed)} missed)")
    print(f"false-alarm rate:  {len(alarms) / len(acceptable):.3f} ({len(alarms)} flagged)")
    print(f"time:              {elapsed:.2f} s")
    print("recall by harsh category:")
    for category, (flagged, total) in by_category(harsh).items():
        print(f"  {category:<20} {flagged / total:6.3f}  ({flagged}/{total})")
    if alarms:
        print("false alarms by acceptable category:")
        for category, (flagged, total) in by_category(acceptable).items():
            if flagged:
                print(f"  {category:<20} {flagged / total:6.3f}  ({flagged}/{total})")
    if full:
        print(f"\nmissed harsh sentences ({len(missed)}):\n{describe(missed)}")
        print(f"\nfalse alarms ({len(alarms)}):\n{describe(alarms)}")
    print()


def main() -> int:
    """Measure every held-out set; ``--list`` also prints each miss and false alarm."""
    full = "--list" in sys.argv[1:]
    for name, (harsh_path, acceptable_path) in SETS.items():
        report(name, harsh_path, acceptable_path, full=full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
