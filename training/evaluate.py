"""Measure the tone linter on labelled sentences: the dev split and the blind sets.

    python training/evaluate.py              rules + model, and rules only, on every set
    python training/evaluate.py --sets dev real_dev writer_dev     the sets for choosing
    python training/evaluate.py --sets training/candidates/targeted_notices.jsonl   a file
    python training/evaluate.py --record     also record the blind figures for this model
    python training/evaluate.py --screened --record    the same with the screen in front
    python training/evaluate.py --sets dev writer_dev --sweep 0.7 0.8 0.85 0.9
                                              recall and false alarms at each threshold
    python training/evaluate.py --sets --templates 10   the template sentences scored highest

A sentence counts as flagged when a tone finding (a ``Tone.`` or ``Law.`` rule) is a
warning or an error; readability and spelling are measured elsewhere. Each sentence is
linted on its own as plain text with the default configuration, as a writer would lint it.

A blind set is measured once per model version: ``--record`` writes the figures to a new
file in ``style_rules/models/tone/blind/`` named by the version, refuses when that file
exists, and never touches another version's file, so the figures of every version stay
as they were measured and nobody measures, tunes and measures again.
The test suite recomputes the recorded figures and fails if the shipped model falls below
them (``tests/lint/test_tone_model.py``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import (  # noqa: E402
    BLIND,
    ROOT,
    Sentence,
    blind_set,
    read_jsonl,
    real_dev,
    training_sentences,
    writer_dev,
)

MODEL = ROOT / "style_rules" / "models" / "tone"
# One file per measured version, written once and never changed: the encoder alone is
# ``<version>.json``, the encoder behind its screen (as shipped) ``screened-<version>.json``.
# The two versions measured before this folder keep their files beside it, as measured:
# ``blind.json`` (encoder e56f6106) and ``blind_screened.json`` (screened 5afb9075).
RECORDS = MODEL / "blind"
RULE = ROOT / "style_rules" / "Tone" / "Semantic.yml"
TONE_FAMILIES = ("Tone.", "Law.")
LEARNED = "Tone.Semantic"


def record_path(screened: bool = False) -> Path:
    """Where the blind figures of the shipped version (encoder, or encoder and screen) live."""
    return RECORDS / f"{'screened-' if screened else ''}{model_version(screened)[:16]}.json"


def recorded(screened: bool = False) -> dict[str, Any]:
    """The blind figures recorded for the shipped version."""
    path = record_path(screened)
    if not path.exists():
        raise SystemExit(f"{path}: no blind figures for this model version; measure it once "
                         f"with 'python training/evaluate.py --record"
                         f"{' --screened' if screened else ''}'")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


ENCODER_FILES = ("model.onnx", "lower.onnx", "upper.onnx")  # one graph, or two parts


def model_version(screened: bool = False) -> str:
    """A SHA-256 naming a version of the learned layer: the encoder's own SHA-256 (one
    over its two parts where it has two); with the screen in front, one over the encoder,
    the screen, the exit between the parts and the rule's thresholds, since a change to
    any of them changes what is flagged."""
    files = [MODEL / name for name in ENCODER_FILES if (MODEL / name).exists()]
    hashes = [hashlib.sha256(path.read_bytes()).hexdigest() for path in files]
    encoder = (hashes[0] if len(hashes) == 1
               else hashlib.sha256("\n".join(hashes).encode()).hexdigest())
    if not screened:
        return encoder
    import yaml

    thresholds = yaml.safe_load(RULE.read_text(encoding="utf-8"))["thresholds"]
    parts = [encoder, hashlib.sha256((MODEL / "screen.npz").read_bytes()).hexdigest()]
    if (MODEL / "exit.npz").exists():
        parts.append(hashlib.sha256((MODEL / "exit.npz").read_bytes()).hexdigest())
    parts.append(json.dumps(thresholds, sort_keys=True))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@lru_cache(maxsize=2)
def _rules(screened: bool) -> tuple[Any, ...]:
    """The shipped rules, the learned rule's screen on when ``screened`` and off when not."""
    from docgen.lint.rules import load_rules

    return tuple(r.model_copy(update={"screen": screened}) if r.id == LEARNED else r
                 for r in load_rules())


def tone_rules(text: str, with_model: bool = True, screened: bool = False) -> set[str]:
    """The tone rules that flag ``text`` at warning or above."""
    from docgen.lint.config import LintConfig
    from docgen.lint.engine import lint_text
    from docgen.lint.findings import Severity

    config = LintConfig() if with_model else LintConfig(ignore=(LEARNED,))
    report = lint_text(text, config=config, rules=_rules(screened))
    return {f.rule for f in report.findings
            if f.severity >= Severity.WARNING and f.rule.startswith(TONE_FAMILIES)}


def low_rules(warning: float, screened: bool = False) -> tuple[Any, ...]:
    """The shipped rules with the learned rule warning from ``warning`` up (and never an
    error), so every score worth a sweep or a look comes back as a finding."""
    def lowered(rule: Any) -> Any:
        thresholds = rule.thresholds.model_copy(update={"warning": warning, "error": 1.0})
        return rule.model_copy(update={"thresholds": thresholds})

    return tuple(lowered(r) if r.id == LEARNED else r for r in _rules(screened))


def scored(sentences: list[Sentence], floor: float, screened: bool = False
           ) -> list[tuple[bool, bool, float]]:
    """(harsh, flagged by a pattern rule, the learned rule's score or 0) for each sentence,
    the learned rule reporting scores from ``floor`` up."""
    from docgen.lint.config import LintConfig
    from docgen.lint.engine import lint_text
    from docgen.lint.findings import Severity

    rules = low_rules(floor, screened)
    out = []
    for sentence in sentences:
        findings = lint_text(sentence.text, config=LintConfig(), rules=rules).findings
        pattern = any(f.severity >= Severity.WARNING and f.rule.startswith(TONE_FAMILIES)
                      and f.rule != LEARNED for f in findings)
        score = max((f.score for f in findings if f.rule == LEARNED and f.score is not None),
                    default=0.0)
        out.append((sentence.harsh, pattern, score))
    return out


def sweep(sentences: list[Sentence], thresholds: list[float], screened: bool = False
          ) -> list[tuple[float, float, float]]:
    """(threshold, recall, false-alarm rate) of the rules and model at each warning
    threshold: one lint of each sentence serves every threshold."""
    rows = scored(sentences, min(thresholds), screened)
    harsh = [r for r in rows if r[0]]
    acceptable = [r for r in rows if not r[0]]

    def rate(group: list[tuple[bool, bool, float]], threshold: float) -> float:
        return sum(p or s >= threshold for _, p, s in group) / len(group) if group else 0.0

    return [(t, rate(harsh, t), rate(acceptable, t)) for t in sorted(thresholds)]


def template_scores(screened: bool = False, floor: float = 0.3
                    ) -> list[tuple[float, str, str, str]]:
    """(score, category, sentence, document) for every template sentence the learned
    rule scores from ``floor`` up, as ``docgen lint --templates`` renders them, highest
    first: the sentences a new model version must leave below the warning threshold."""
    from docgen.lint.config import LintConfig
    from docgen.lint.engine import lint_document
    from docgen.lint.samples import sample_documents
    from docgen.resources import shipped
    from docgen.templates import Catalogue

    rules = low_rules(floor, screened)
    found = []
    for document in sample_documents(Catalogue(), shipped("samples")):
        for finding in lint_document(document, config=LintConfig(), rules=rules).findings:
            if finding.rule == LEARNED and finding.score is not None:
                found.append((finding.score, finding.category or "", finding.match,
                              document.path))
    return sorted(found, key=lambda row: -row[0])


def measure(sentences: list[Sentence], with_model: bool = True, screened: bool = False
            ) -> dict[str, Any]:
    """Recall on the harsh sentences, false alarms on the acceptable ones, by category."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    harsh = [0, 0]
    acceptable = [0, 0]
    for sentence in sentences:
        flagged = bool(tone_rules(sentence.text, with_model, screened))
        tally = harsh if sentence.harsh else acceptable
        tally[0] += flagged
        tally[1] += 1
        counts[sentence.category or "none"][0] += flagged
        counts[sentence.category or "none"][1] += 1
    return {
        "harsh": harsh[1],
        "acceptable": acceptable[1],
        "recall": round(harsh[0] / harsh[1], 3) if harsh[1] else None,
        "false_alarms": round(acceptable[0] / acceptable[1], 3) if acceptable[1] else None,
        "per_category": {c: {"flagged": f, "n": n, "rate": round(f / n, 3)}
                         for c, (f, n) in sorted(counts.items())},
    }


def labelled(name: str) -> list[Sentence]:
    """The sentences of a set: ``dev``, ``real_dev``, a blind set, or any labelled JSON-lines
    file, such as a candidate file written by a new writer and not yet trained on."""
    if name == "dev":
        return dev_split()
    if name == "real_dev":
        return real_dev()
    if name == "writer_dev":
        return writer_dev()
    if name in BLIND:
        return blind_set(name)
    path = Path(name)
    if path.suffix != ".jsonl" or not path.is_file():
        print(f"{name}: not a set; expected dev, real_dev, writer_dev, {', '.join(BLIND)} or a "
              "labelled .jsonl file", file=sys.stderr)
        raise SystemExit(2)
    return list(read_jsonl(path))


def dev_split() -> list[Sentence]:
    return [s for s in training_sentences() if s.dev]


def show(name: str, both: dict[str, dict[str, Any]]) -> None:
    model, rules = both["rules+model"], both["rules only"]
    print(f"== {name}: {model['harsh']} harsh, {model['acceptable']} acceptable")
    print(f"  {'':<18} {'rules+model':>12} {'rules only':>12}")
    print(f"  {'recall':<18} {model['recall']:>12} {rules['recall']:>12}")
    print(f"  {'false alarms':<18} {model['false_alarms']:>12} {rules['false_alarms']:>12}")
    for category, row in model["per_category"].items():
        other = rules["per_category"][category]
        print(f"  {category:<18} {row['rate']:>7.3f} ({row['flagged']}/{row['n']})"
              f" {other['rate']:>7.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true",
                        help="record the blind figures for this model version (once)")
    parser.add_argument("--screened", action="store_true",
                        help="measure (and record) the model with its screen in front, as "
                             "a rule with 'screen: true' runs it")
    parser.add_argument("--sets", nargs="*", default=["dev", "real_dev", "writer_dev", *BLIND],
                        help="dev (the corpus's dev split), real_dev (real sentences held "
                             "back, training/real_dev.jsonl), writer_dev (whole files by "
                             "writers never trained on, training/writer_dev), a blind "
                             "set's name, or a "
                             "labelled .jsonl file")
    parser.add_argument("--sweep", nargs="+", type=float, metavar="THRESHOLD",
                        help="instead of the rule's own thresholds, recall and false alarms "
                             "of the rules and model at each of these warning thresholds")
    parser.add_argument("--templates", type=int, default=0, metavar="N",
                        help="also list the N template sentences the model scores highest")
    args = parser.parse_args(argv)
    if args.record and (args.sweep or args.templates):
        print("--record measures at the rule's own thresholds; leave out --sweep and "
              "--templates", file=sys.stderr)
        return 2

    path = record_path(args.screened)
    if args.record and path.exists():
        print(f"{path} already holds this version's figures; a blind set is measured "
              "once per version", file=sys.stderr)
        return 2
    results: dict[str, dict[str, dict[str, Any]]] = {}
    if args.sweep:
        for name in args.sets:
            sentences = labelled(name)
            print(f"== {name}: {sum(s.harsh for s in sentences)} harsh, "
                  f"{sum(not s.harsh for s in sentences)} acceptable (rules + model)")
            print(f"  {'warning at':<12} {'recall':>8} {'false alarms':>13}")
            for threshold, recall, alarms in sweep(sentences, args.sweep, args.screened):
                print(f"  {threshold:<12.2f} {recall:>8.3f} {alarms:>13.3f}")
        args.sets = []
    for name in args.sets:
        sentences = labelled(name)
        results[name] = {"rules+model": measure(sentences, screened=args.screened),
                         "rules only": measure(sentences, with_model=False)}
        show(name, results[name])
    if args.templates:
        print(f"== the {args.templates} template sentences the model scores highest")
        for score, category, sentence, document in template_scores(args.screened)[
                :args.templates]:
            print(f"{score:.3f} {category:<12} {sentence}  [{document}]")
    if args.record:
        version = model_version(args.screened)
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({"model_sha256": version, "sets": results}, indent=2)
                        + "\n", encoding="utf-8")
        print(f"recorded in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
