"""Measure the tone linter's speed on a 700-word letter (grammar off).

Prints the median milliseconds to lint the letter in-process, documents per second over
1,000 letters, and the cold wall time of ``docgen lint letter.txt`` as a new process
(median of several runs). Targets: 10 ms or less in-process, 0.5 s or less cold.

    python bench/lint.py [--letter bench/data/letter.txt] [--runs 200] [--cold-runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letter", type=Path, default=ROOT / "bench/data/letter.txt")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--cold-runs", type=int, default=7)
    args = parser.parse_args()

    os.environ.pop("DOCGEN_LANGUAGETOOL_URL", None)  # grammar off: measure our own rules
    from docgen.lint import check_document
    from docgen.lint.config import LintConfig
    from docgen.lint.readers import read_document

    config = LintConfig()
    document = read_document(str(args.letter))
    words = len(document.text.split())
    check_document(document, config)  # load the rules once, as a long-running service would

    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        check_document(document, config)
        times.append(time.perf_counter() - start)
    median_ms = statistics.median(times) * 1000

    start = time.perf_counter()
    for _ in range(args.documents):
        check_document(read_document(str(args.letter)), config)
    per_second = args.documents / (time.perf_counter() - start)

    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_LANGUAGETOOL_URL"}
    command = [sys.executable, "-m", "docgen", "lint", str(args.letter)]
    cold = []
    for _ in range(args.cold_runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        cold.append(time.perf_counter() - start)

    print(f"letter: {args.letter} ({words} words, {len(document.paragraphs)} paragraphs)")
    print(f"in-process lint, median of {args.runs}: {median_ms:.2f} ms per letter")
    print(f"throughput over {args.documents} letters (read and lint): "
          f"{per_second:.0f} documents/s")
    print(f"cold 'docgen lint letter.txt', median of {args.cold_runs}: "
          f"{statistics.median(cold):.3f} s")


if __name__ == "__main__":
    main()
