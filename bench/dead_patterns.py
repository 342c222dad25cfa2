"""List every alternative of the phrase rules and say what harsh wording it matches.

An alternative is one entry of a rule's ``patterns``, ``mild``, ``tokens`` or ``swap``
keys, or one alternative of one of its ``groups``. It is *matched* when the rule would
flag at least one sentence through it (its own exceptions applied) in one of:

    examples   the rule file's own ``examples.flag``
    training   training/corpus/*.jsonl, lines labelled "harsh" (field "text")
    corpus     tests/data/tone_corpus/harsh.txt, holdout_harsh.txt and blind2_harsh.txt

and *dead* otherwise. The frozen blind sets (tests/data/tone_corpus/blind3_*, blind4.jsonl,
real_blind.jsonl) are never read: they must not shape the rules.

A group alternative is matched when some pattern that uses the group (directly or through
another group) matches a sentence with the match passing through that alternative: the
alternative is wrapped in a capturing group and the pattern must end with it set.

    python bench/dead_patterns.py                   every dead one, then counts per file
    python bench/dead_patterns.py --all             every alternative with its counts
    python bench/dead_patterns.py --quiet           counts only
    python bench/dead_patterns.py style_rules/Tone/Threat.yml
    python bench/dead_patterns.py --json dead.json /tmp/old/style_rules/Tone   a copy of the rules
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.lint.kinds.base import (  # noqa: E402
    _GROUP,
    RuleBase,
    compile_pattern,
    fold_pattern,
    plain,
)
from docgen.lint.kinds.patterns import (  # noqa: E402
    Exceptions,
    Existence,
    Pattern,
    Substitution,
    combine,
)
from docgen.lint.rules import load_rule_file, rule_id  # noqa: E402
from docgen.lint.text import sentence_spans  # noqa: E402

DEFAULT_RULES = (ROOT / "style_rules/Tone", ROOT / "style_rules/Law")
TRAINING = ROOT / "training/corpus"
OLD_CORPUS = tuple(ROOT / "tests/data/tone_corpus" / name
                   for name in ("harsh.txt", "holdout_harsh.txt", "blind2_harsh.txt"))
FROZEN = re.compile(r"blind3_|blind4|real_blind")  # never read these
SOURCES = ("examples", "training", "corpus")
Phrase = Existence | Substitution | Pattern
_OPEN, _CLOSE = "\x02", "\x03"  # mark the probed alternative inside a compiled pattern


@dataclass
class Texts:
    """Sentences as the linter scans them, joined into one blob for a quick first pass."""

    plain: list[str]
    folded: list[str | None]
    blob: str = ""
    starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, sentences: list[str]) -> Texts:
        plains = [plain(s) for s in sentences]
        folded = [p.lower() if len(p.lower()) == len(p) else None for p in plains]
        texts = cls(plains, folded)
        # Sentences are separated by "\n.\n": with re.MULTILINE, "^" and "$" still find
        # each sentence's ends, and the full stop stops gaps, white space and "[^.!?]*"
        # running on into the next sentence.
        parts, offset = [], 0
        for p, f in zip(plains, folded, strict=True):
            texts.starts.append(offset)
            parts.append(f if f is not None else p.lower())
            offset += len(parts[-1]) + 3
        texts.blob = "\n.\n".join(parts)
        return texts


@dataclass
class Alternative:
    """One alternative of one rule, with where it is and how many sentences it flags."""

    path: Path
    rule: str
    key: str  # patterns, mild, tokens, swap or group:<name>
    index: int
    text: str
    line: int
    sources: list[str] = field(default_factory=list)  # compiled, un-bounded regexes
    within: list[str] = field(default_factory=list)  # for a group: each source's pattern
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def dead(self) -> bool:
        return not any(self.counts.values())


def _harsh_sentences() -> tuple[list[str], list[str]]:
    training = []
    for path in sorted(TRAINING.glob("*.jsonl")):
        assert not FROZEN.search(path.name), path
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if item.get("label") == "harsh":
                    training.append(item["text"])
    corpus = []
    for path in OLD_CORPUS:
        assert not FROZEN.search(path.name), path
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if line and not line.startswith("#"):
                corpus.append(line)
    return training, corpus


def _lines(path: Path) -> dict[tuple[str, ...], int]:
    """1-based line of each list item and mapping key, by (key, group, index) path."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    found: dict[tuple[str, ...], int] = {}
    for key, value in node.value:
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                found[(key.value, str(i))] = item.start_mark.line + 1
        elif isinstance(value, yaml.MappingNode):
            for i, (k, v) in enumerate(value.value):
                found[(key.value, str(i))] = k.start_mark.line + 1
                if isinstance(v, yaml.SequenceNode):
                    for j, item in enumerate(v.value):
                        found[(key.value, k.value, str(j))] = item.start_mark.line + 1
    return found


def _uses(groups: dict[str, list[str]]) -> dict[str, set[str]]:
    """The groups each group refers to, directly or through others."""
    direct = {g: {n for a in alts for n in _GROUP.findall(a)} for g, alts in groups.items()}
    closure = {}
    for g in groups:
        seen, todo = set(), list(direct[g])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo.extend(direct.get(n, ()))
        closure[g] = seen
    return closure


def _probe(pattern: str, groups: dict[str, list[str]], name: str, index: int, gap: int) -> str:
    """``pattern`` compiled with alternative ``index`` of group ``name`` captured, and a
    final condition that fails unless at least one of those captures took part."""
    probed = dict(groups)
    probed[name] = [f"{_OPEN}{a}{_CLOSE}" if i == index else a
                    for i, a in enumerate(groups[name])]
    text = compile_pattern(pattern, probed, gap, boundaries=False)
    count = text.count(_OPEN)
    for k in range(count):
        text = text.replace(_OPEN, f"(?P<probe{k}>", 1)
    text = text.replace(_CLOSE, ")")
    condition = "(?!)"
    for k in reversed(range(count)):
        condition = f"(?(probe{k})|{condition})"
    return f"(?:{text}){condition}"


def alternatives(path: Path) -> tuple[RuleBase, list[Alternative]]:
    """The rule in ``path`` and its alternatives, each with the regexes that test it."""
    rule = load_rule_file(path, rule_id(path, path.parent.parent))  # Tone/Threat.yml: Tone.Threat
    lines = _lines(path)
    found: list[Alternative] = []

    def add(key: str, index: int, text: str, line_key: tuple[str, ...],
            sources: list[str], within: list[str] | None = None) -> None:
        found.append(Alternative(path, rule.id, key, index, text,
                                 lines.get(line_key, 0), sources, within or []))

    if isinstance(rule, Pattern):
        entries = [("patterns", i, p) for i, p in enumerate(rule.patterns)]
        entries += [("mild", i, p) for i, p in enumerate(rule.mild)]
        for key, i, p in entries:
            add(key, i, p, (key, str(i)), [compile_pattern(p, rule.groups, rule.gap, False)])
        uses = _uses(rule.groups)
        for name, alts in rule.groups.items():
            users = [p for _, _, p in entries
                     if any(n == name or name in uses.get(n, ()) for n in _GROUP.findall(p))]
            for i, a in enumerate(alts):
                add(f"group:{name}", i, a, ("groups", name, str(i)),
                    [_probe(p, rule.groups, name, i, rule.gap) for p in users],
                    [compile_pattern(p, rule.groups, rule.gap, False) for p in users])
    elif isinstance(rule, Existence):
        for i, t in enumerate(rule.tokens):
            add("tokens", i, t, ("tokens", str(i)), [compile_pattern(t, boundaries=False)])
    elif isinstance(rule, Substitution):
        for i, k in enumerate(rule.swap):
            add("swap", i, k, ("swap", str(i)), [compile_pattern(k, boundaries=False)])
    return rule, found


def count(alternative: Alternative, rule: Phrase, texts: dict[str, Texts],
          seen: dict[str, dict[str, set[int]]]) -> None:
    """Fill ``alternative.counts``: sentences of each source it flags. ``seen`` keeps,
    for each pattern already scanned, the sentences it may match, so that a group
    alternative is tried only on sentences its patterns match at all."""
    exceptions = rule._compile_exceptions()
    fold, boundaries = rule.ignorecase, rule.boundaries
    hits: dict[str, set[int]] = {name: set() for name in texts}
    for n, source in enumerate(alternative.sources):
        folded = fold_pattern(source) if fold else source
        # As the linter scans: lower-cased text against a folded twin where it can.
        on_folded = combine([folded], 0, boundaries) if fold else None
        on_plain = combine([source], re.IGNORECASE if fold else 0, boundaries)
        for name, t in texts.items():
            if alternative.within:
                candidates = seen[alternative.within[n]][name]
            else:
                # The blob is in lower case; MULTILINE lets "^" find every sentence.
                quick = combine([folded], re.MULTILINE | (0 if fold else re.IGNORECASE),
                                boundaries)
                candidates = {bisect.bisect_right(t.starts, m.start()) - 1
                              for m in quick.finditer(t.blob)}
                seen.setdefault(source, {})[name] = candidates
            hits[name] |= {i for i in candidates - hits[name]
                           if _flags(i, t, on_folded, on_plain, exceptions)}
    alternative.counts = {name: len(found) for name, found in hits.items()}


def _flags(i: int, t: Texts, on_folded: re.Pattern[str] | None, on_plain: re.Pattern[str],
           exceptions: Exceptions | None) -> bool:
    """Whether sentence ``i`` is flagged, scanned as the linter scans it."""
    text, folded = t.plain[i], t.folded[i]
    scanner, scanned = (on_plain, text)
    if on_folded is not None and folded is not None:
        scanner, scanned = on_folded, folded
    for m in scanner.finditer(scanned):
        if exceptions is None:
            return True
        span = next((s for s in sentence_spans(text) if s.start <= m.start() < s.end), None)
        start, end = (span.start, span.end) if span else (0, len(text))
        if not exceptions.excuse(text, start, end, m.start()):
            return True
    return False


def compiled_size(rule: RuleBase) -> int:
    """Characters of the regular expressions the rule compiles when it is loaded."""
    pattern = getattr(rule, "_pattern", None)
    if pattern is None:
        return 0
    if isinstance(pattern, re.Pattern):
        return len(pattern.pattern)
    return len((pattern.folded or pattern.full).pattern)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="rule files or folders (default: style_rules/Tone and Law)")
    parser.add_argument("--all", action="store_true", help="list every alternative")
    parser.add_argument("--quiet", action="store_true", help="print the counts only")
    parser.add_argument("--json", type=Path, help="also write every alternative as JSON")
    args = parser.parse_args()

    files = []
    for p in [q.resolve() for q in args.paths] or list(DEFAULT_RULES):
        files += sorted(p.glob("*.yml")) if p.is_dir() else [p]
    training, corpus = _harsh_sentences()
    shared = {"training": Texts.of(training), "corpus": Texts.of(corpus)}

    results: list[Alternative] = []
    totals: dict[Path, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for path in files:
        rule, alts = alternatives(path)
        if not alts or not isinstance(rule, Phrase):
            continue
        texts = {"examples": Texts.of(list(rule.examples.flag)), **shared}
        seen: dict[str, dict[str, set[int]]] = {}
        for a in alts:
            count(a, rule, texts, seen)
            row = totals[path]
            group = a.key.startswith("group:")
            row[0 + 2 * group] += 1
            row[1 + 2 * group] += a.dead
        totals[path][4] = compiled_size(rule)
        results.extend(alts)

    if not args.quiet:
        for a in results:
            if args.all or a.dead:
                where = f"{_shown(a.path)}:{a.line}"
                found = " ".join(f"{s}={a.counts[s]}" for s in SOURCES)
                status = "DEAD" if a.dead else "ok  "
                print(f"{status} {where} {a.key}[{a.index}] {found}  {a.text}")
        print()

    head = (f"{'file':34} {'entries':>7} {'dead':>5} {'group alts':>10} {'dead':>5} "
            f"{'all':>5} {'matched':>7} {'dead':>5} {'regex chars':>11}")
    print(head)
    grand = [0, 0, 0, 0, 0]
    for path, row in totals.items():
        grand = [g + r for g, r in zip(grand, row, strict=True)]
        print(_row(_shown(path), row))
    print(_row("overall", grand))
    entries = [a for a in results if not a.key.startswith("group:")]
    print(f"matched by no flag example of their own file: "
          f"{sum(not a.counts['examples'] for a in results)} of {len(results)} alternatives, "
          f"{sum(not a.counts['examples'] for a in entries)} of {len(entries)} entries")

    if args.json:
        args.json.write_text(json.dumps(
            [{"file": _shown(a.path), "line": a.line, "rule": a.rule,
              "key": a.key, "index": a.index, "text": a.text, "counts": a.counts,
              "dead": a.dead} for a in results], indent=1), encoding="utf-8")


def _shown(path: Path) -> str:
    """``path`` relative to the project when it is inside it (rules may be a copy)."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _row(name: str, row: list[int]) -> str:
    entries, dead_entries, group_alts, dead_groups, size = row
    total, dead = entries + group_alts, dead_entries + dead_groups
    return (f"{name:34} {entries:>7} {dead_entries:>5} {group_alts:>10} {dead_groups:>5} "
            f"{total:>5} {total - dead:>7} {dead:>5} {size:>11}")


if __name__ == "__main__":
    main()
