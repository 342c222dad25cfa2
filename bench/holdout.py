"""Print the tone linter's accuracy on the held-out corpus, which no rule was tuned against.

    python bench/holdout.py

Each sentence is linted on its own, with no document type and the default configuration; it
counts as flagged when any finding is a warning or an error. The script prints recall on
holdout_harsh.txt, the false-alarm rate on holdout_acceptable.txt, both by category, and every
miss and false alarm with the rules that fired. It measures; it asserts nothing.
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
HARSH = CORPUS / "holdout_harsh.txt"
ACCEPTABLE = CORPUS / "holdout_acceptable.txt"
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


def main() -> int:
    """Measure; ``--harsh FILE --acceptable FILE`` measure another labelled pair."""
    global HARSH, ACCEPTABLE
    args = sys.argv[1:]
    if "--harsh" in args:
        HARSH = Path(args[args.index("--harsh") + 1])
    if "--acceptable" in args:
        ACCEPTABLE = Path(args[args.index("--acceptable") + 1])
    """Lint the held-out corpus and print the figures and every error of judgement."""
    start = time.perf_counter()
    harsh = judge(HARSH)
    acceptable = judge(ACCEPTABLE)
    elapsed = time.perf_counter() - start

    missed = [r for r in harsh if not r.flagged]
    alarms = [r for r in acceptable if r.flagged]
    print(f"held-out harsh sentences:       {len(harsh)}")
    print(f"held-out acceptable sentences:  {len(acceptable)}")
    print(f"recall:            {1 - len(missed) / len(harsh):.3f} "
          f"({len(harsh) - len(missed)} flagged, {len(missed)} missed)")
    print(f"false-alarm rate:  {len(alarms) / len(acceptable):.3f} ({len(alarms)} flagged)")
    print(f"time:              {elapsed:.2f} s")

    print("\nrecall by harsh category:")
    for name, (flagged, total) in by_category(harsh).items():
        print(f"  {name:<20} {flagged / total:6.3f}  ({flagged}/{total})")
    print("\nfalse alarms by acceptable category:")
    for name, (flagged, total) in by_category(acceptable).items():
        print(f"  {name:<20} {flagged / total:6.3f}  ({flagged}/{total})")

    print(f"\nmissed harsh sentences ({len(missed)}):\n{listing(HARSH, missed)}")
    print(f"\nfalse alarms ({len(alarms)}):\n{listing(ACCEPTABLE, alarms)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
