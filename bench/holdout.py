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
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from docgen.lint.engine import lint_text
from docgen.lint.findings import Finding, Severity

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "tone_corpus"
CATEGORY_MARK = "# category:"


@dataclass(frozen=True)
class Result:
    """One sentence, its label group and what the linter said about it."""

    category: str
    line: int
    text: str
    findings: tuple[Finding, ...]

    @property
    def flagged(self) -> bool:
        return any(f.severity >= Severity.WARNING for f in self.findings)

    def fired(self) -> str:
        """The rules that fired, worst first, as 'rule (severity)'."""
        ordered = sorted(self.findings, key=lambda f: (-f.severity, f.rule))
        return ", ".join(f"{f.rule} ({f.severity})" for f in ordered) or "none"


def load(path: Path) -> list[tuple[str, int, str]]:
    """Read (category, line number, sentence) from a corpus file."""
    category = "uncategorised"
    rows = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith(CATEGORY_MARK):
            category = line[len(CATEGORY_MARK):].strip()
        elif line and not line.startswith("#"):
            rows.append((category, number, line))
    return rows


def judge(path: Path) -> list[Result]:
    """Lint every sentence in a corpus file on its own."""
    return [
        Result(category, line, text, tuple(lint_text(text).findings))
        for category, line, text in load(path)
    ]


def by_category(results: list[Result]) -> dict[str, tuple[int, int]]:
    """Count (flagged, total) for each category, in file order."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        counts[r.category][0] += r.flagged
        counts[r.category][1] += 1
    return {name: (flagged, total) for name, (flagged, total) in counts.items()}


def listing(path: Path, results: list[Result]) -> str:
    """One entry per result: where it is, its category, the sentence and the rules."""
    return "\n".join(
        f"  {path.name}:{r.line} [{r.category}] {r.text}\n      rules: {r.fired()}"
        for r in results
    ) or "  (none)"


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
    harsh = judge(harsh_path)
    acceptable = judge(acceptable_path)
    elapsed = time.perf_counter() - start

    missed = [r for r in harsh if not r.flagged]
    alarms = [r for r in acceptable if r.flagged]
    print(f"== {name}: {len(harsh)} harsh, {len(acceptable)} acceptable sentences")
    print(f"recall:            {1 - len(missed) / len(harsh):.3f} "
          f"({len(harsh) - len(missed)} flagged, {len(missed)} missed)")
    print(f"false-alarm rate:  {len(alarms) / len(acceptable):.3f} ({len(alarms)} flagged)")
    print(f"time:              {elapsed:.2f} s")
    print("recall by harsh category:")
    for category, (flagged, total) in by_category(harsh).items():
        print(f"  {category:<20} {flagged / total:6.3f}  ({flagged}/{total})")
    print("false alarms by acceptable category:")
    for category, (flagged, total) in by_category(acceptable).items():
        if flagged:
            print(f"  {category:<20} {flagged / total:6.3f}  ({flagged}/{total})")
    if full:
        print(f"\nmissed harsh sentences ({len(missed)}):\n{listing(harsh_path, missed)}")
        print(f"\nfalse alarms ({len(alarms)}):\n{listing(acceptable_path, alarms)}")
    print()


def main() -> int:
    """Measure every held-out set; ``--list`` also prints each miss and false alarm."""
    full = "--list" in sys.argv[1:]
    for name, (harsh_path, acceptable_path) in SETS.items():
        report(name, harsh_path, acceptable_path, full=full)
    return 0


if __name__ == "__main__":
    sys.exit(main())
