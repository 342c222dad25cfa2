"""Measure the tone linter's speed and memory on a 700-word letter (grammar off).

Prints, side by side for the rules alone and the rules with the tone model: the median
milliseconds to lint the letter in-process on one core, for a new letter (no sentence
seen before) and for a letter whose sentences were seen before (letters from one template
share most sentences); documents per second; the cold wall time of ``docgen lint
letter.txt`` as a new process; and the peak resident memory of that process.
Targets: rules only 10 ms; rules and model 50 ms new, 10 ms seen; 300 MB resident.

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
    from docgen.lint.rules import load_rules
    from docgen.lint.tone_model import load_model

    document = read_document(str(args.letter))
    words = len(document.text.split())
    learned = [r for r in load_rules() if r.id == "Tone.Semantic"]
    model = load_model(learned[0].model_folder()) if learned else None
    modes = {"rules only": LintConfig(ignore=("Tone.Semantic",)), "rules + model": LintConfig()}

    def median_ms(config: LintConfig, forget: bool) -> float:
        check_document(document, config)  # load everything once, as a service would
        times = []
        for _ in range(args.runs):
            if forget and model is not None:
                model.forget()
            start = time.perf_counter()
            check_document(document, config)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    def throughput(config: LintConfig) -> float:
        start = time.perf_counter()
        for _ in range(args.documents):
            check_document(read_document(str(args.letter)), config)
        return args.documents / (time.perf_counter() - start)

    def cold(ignore: list[str]) -> tuple[float, float]:
        env = {k: v for k, v in os.environ.items() if k != "DOCGEN_LANGUAGETOOL_URL"}
        command = [sys.executable, "-m", "docgen", "lint", str(args.letter), *ignore]
        times, peak = [], 0.0
        for _ in range(args.cold_runs):
            start = time.perf_counter()
            child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(child.pid, 0)
            times.append(time.perf_counter() - start)
            peak = max(peak, usage.ru_maxrss / 1024)
        return statistics.median(times), peak

    rows = {}
    for name, config in modes.items():
        seen = median_ms(config, forget=False)
        new = median_ms(config, forget=True) if name == "rules + model" else seen
        cold_s, rss = cold(["--ignore", "Tone.Semantic"] if name == "rules only" else [])
        rows[name] = (new, seen, throughput(config), cold_s, rss)

    print(f"letter: {args.letter} ({words} words, {len(document.paragraphs)} paragraphs); "
          f"in-process figures are medians of {args.runs} runs on one core")
    print(f"{'':<44}{'rules only':>14}{'rules + model':>16}")
    labels = ("new letter (ms)", "letter whose sentences were seen (ms)",
              f"throughput over {args.documents} letters (docs/s)",
              f"cold 'docgen lint letter.txt', median of {args.cold_runs} (s)",
              "peak resident memory of that process (MB)")
    formats = ("{:.2f}", "{:.2f}", "{:.0f}", "{:.3f}", "{:.0f}")
    for i, (label, form) in enumerate(zip(labels, formats, strict=True)):
        a, b = rows["rules only"][i], rows["rules + model"][i]
        print(f"{label:<44}{form.format(a):>14}{form.format(b):>16}")
    if model is None:
        print("note: no Tone.Semantic rule was found, so both columns ran the rules only")


if __name__ == "__main__":
    main()
