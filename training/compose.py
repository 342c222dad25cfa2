"""Write ``training/corpus/composed.jsonl``: long sentences built from corpus clauses.

    python training/compose.py [--pairs 1200]

Real letters hide harm in one clause of a long, courteous sentence. This joins a short
acceptable sentence to a harsh one ("Thank you for meeting us on Tuesday, but ...") and,
in equal number, two acceptable ones with the same joining words, so the model learns
that the harsh clause decides and the joining words do not. The output is deterministic
(fixed seed) and reads only the hand-written corpus, never a blind set.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import CORPUS, Sentence, read_jsonl  # noqa: E402

OUT = CORPUS / "composed.jsonl"
SEED = 20261201
JOINS = ("; ", ", and ", ", but ", ", although ", ", while ", " - ")


def clause(sentence: Sentence, first: bool) -> str | None:
    """The sentence shaped to stand in a longer one, or None when it does not fit."""
    text = sentence.text.strip()
    if not text or text[-1] not in ".!" or "?" in text or text.count(".") > 1:
        return None
    body = text[:-1]
    if not first and body[:1].isupper() and not body.startswith(("I ", "I'", "Ofsted",
                                                                 "DfE", "The Secretary")):
        second = body.split(" ", 1)[0]
        if not (second.isupper() or second[1:] != second[1:].lower()):  # not a name or acronym
            body = body[0].lower() + body[1:]
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1200,
                        help="harsh composed sentences to write (as many acceptable ones)")
    args = parser.parse_args(argv)

    rng = random.Random(SEED)
    written = [s for p in sorted(CORPUS.glob("*.jsonl")) if p != OUT for s in read_jsonl(p)]
    short_ok = [s for s in written if not s.harsh and s.words <= 14 and not s.dev]
    harsh = [s for s in written if s.harsh and s.words <= 20 and not s.dev]
    acceptable = [s for s in written if not s.harsh and s.words <= 20 and not s.dev]
    rows = []
    for _ in range(args.pairs):
        for target in (rng.choice(harsh), rng.choice(acceptable)):
            opener = rng.choice([s for s in rng.sample(short_ok, 20)
                                 if s.register == target.register] or short_ok)
            first, second = clause(opener, True), clause(target, False)
            if first is None or second is None or opener.text == target.text:
                continue
            text = first + rng.choice(JOINS) + second + "."
            rows.append({"text": text, "label": "harsh" if target.harsh else "acceptable",
                         "category": target.category, "register": target.register,
                         "composed_from": [opener.text, target.text]})
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} composed sentences to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
