"""Measure the tone linter's speed and memory on a 700-word letter (grammar off).

Prints, side by side for the rules alone, the rules with the tone model as shipped (behind
its screen), and the rules with the model reading every sentence (``screen: false``): the
median
milliseconds to lint the letter in-process on one core, for a new letter (no sentence
seen before) and for a letter whose sentences were seen before (letters from one template
share most sentences); documents per second; the cold wall time of ``docgen lint
letter.txt`` as a new process; and the peak resident memory of that process.
Targets: rules only 10 ms; rules and model 50 ms new, 10 ms seen; 300 MB resident. The
screen's line says how many of a new letter's sentences it cleared.

    python bench/lint.py [--letter bench/data/letter.txt] [--runs 200] [--cold-runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.host import describe_host  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letter", type=Path, default=ROOT / "bench/data/letter.txt")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--cold-runs", type=int, default=7)
    args = parser.parse_args()

    os.environ.pop("DOCGEN_LANGUAGETOOL_URL", None)  # grammar off: measure our own rules
    if hasattr(os, "sched_setaffinity"):  # one core, for this process and the cold runs
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from docgen.lint import check_document
    from docgen.lint.config import LintConfig
    from docgen.lint.readers import read_document
    from docgen.lint.rules import load_rules
    from docgen.lint.tone_model import load_model

    document = read_document(str(args.letter))
    words = len(document.text.split())
    shipped = load_rules()
    learned = [r for r in shipped if r.id == "Tone.Semantic"]
    unscreened_rules = tuple(r.model_copy(update={"screen": False})
                             if r.id == "Tone.Semantic" else r for r in shipped)
    screened = (load_model(learned[0].model_folder(), screened=learned[0].screen)
                if learned else None)
    model = load_model(learned[0].model_folder()) if learned else None
    # name: (configuration, rules, the model whose cache a new letter empties)
    modes = {"rules only": (LintConfig(ignore=("Tone.Semantic",)), shipped, None),
             "rules + model": (LintConfig(), shipped, screened),
             "no screen": (LintConfig(), unscreened_rules, model)}
    # The same rules for 'docgen lint' as a new process, with the screen turned off.
    unscreened_folder = Path(tempfile.mkdtemp()) / "style_rules"
    shutil.copytree(ROOT / "style_rules", unscreened_folder)
    rule_file = unscreened_folder / "Tone" / "Semantic.yml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8")
                         .replace("\nscreen: true\n", "\nscreen: false\n"), encoding="utf-8")

    def median_ms(config: LintConfig, rules: tuple, cached: Any, forget: bool) -> float:
        check_document(document, config, rules)  # load everything once, as a service would
        times = []
        for _ in range(args.runs):
            if forget and cached is not None:
                cached.forget()
            start = time.perf_counter()
            check_document(document, config, rules)
            times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    def throughput(config: LintConfig, rules: tuple) -> float:
        start = time.perf_counter()
        for _ in range(args.documents):
            check_document(read_document(str(args.letter)), config, rules)
        return args.documents / (time.perf_counter() - start)

    def cold(ignore: list[str], rules_folder: Path | None = None) -> tuple[float, float]:
        env = {k: v for k, v in os.environ.items() if k != "DOCGEN_LANGUAGETOOL_URL"}
        if rules_folder is not None:
            env["DOCGEN_STYLE_RULES"] = str(rules_folder)
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
    for name, (config, rules, cached) in modes.items():
        seen = median_ms(config, rules, cached, forget=False)
        new = median_ms(config, rules, cached, forget=True) if cached is not None else seen
        cold_s, rss = cold(["--ignore", "Tone.Semantic"] if name == "rules only" else [],
                           unscreened_folder if name == "no screen" else None)
        rows[name] = (new, seen, throughput(config, rules), cold_s, rss)
    shutil.rmtree(unscreened_folder.parent)

    print(describe_host())
    print(f"letter: {args.letter} ({words} words, {len(document.paragraphs)} paragraphs); "
          f"in-process figures are medians of {args.runs} runs on one core")
    print(f"{'':<44}{'rules only':>14}{'rules + model':>16}{'no screen':>16}")
    labels = ("new letter (ms)", "letter whose sentences were seen (ms)",
              f"throughput over {args.documents} letters (docs/s)",
              f"cold 'docgen lint letter.txt', median of {args.cold_runs} (s)",
              "peak resident memory of that process (MB)")
    formats = ("{:.2f}", "{:.2f}", "{:.0f}", "{:.3f}", "{:.0f}")
    for i, (label, form) in enumerate(zip(labels, formats, strict=True)):
        a, b, c = (rows[name][i] for name in modes)
        print(f"{label:<44}{form.format(a):>14}{form.format(b):>16}{form.format(c):>16}")
    if screened is not None:
        screened.forget()
        before = (screened.encoded, screened.cleared, screened.exited)
        check_document(document, LintConfig(), shipped)
        encoded, cleared, exited = (after - first for after, first in zip(
            (screened.encoded, screened.cleared, screened.exited), before, strict=True))
        print(f"a new letter's {encoded + cleared + exited} sentences: the screen cleared "
              f"{cleared}, the early exit {exited} after the encoder's lower layers, and "
              f"{encoded} went through every layer")
    if model is None:
        print("note: no Tone.Semantic rule was found, so both columns ran the rules only")


if __name__ == "__main__":
    main()
