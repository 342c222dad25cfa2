"""Fine-tune a trained tone model a second time, on real wording, and export it.

    pip install -e '.[train]'
    python training/train_tone.py --checkpoint /tmp/first.pt --out /tmp/first
    python training/second_stage.py --start /tmp/first.pt [--seed 1] [--out /tmp/second]

The first stage (``train_tone.py``) reads about 12,000 sentences, nine in ten written for
the corpus; the real sentences quoted from public letters, notices and reports are a tenth
of it, and the written ones set what the model learns. This second stage starts from the
first stage's weights and reads, at a lower learning rate for two epochs, every real
sentence training may read (the corpus's own real sentences outside the dev split, and the
real candidate files in ``training/candidates``, refused against the held-out sets as the
corpus is) beside a sample of the written training sentences, so that the model keeps
what it learnt from them.

The dev split, the real dev set and the writer dev set are never read, so they judge the
result as they judge any candidate (``evaluate.py``). The model folder is written as
``train_tone.py`` writes it: ONNX, int8, thresholds chosen on the dev split, and the
compact graph. Seeds are fixed: ``--seed`` chooses the written sample and the order.
"""

from __future__ import annotations

import hashlib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import candidate_real, describe, training_sentences  # noqa: E402
from train_tone import fit, fix_seeds, new_net, ship, training_arguments  # noqa: E402

REPLAY = 2000  # written training sentences read beside the real ones


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments(
        __doc__, layers=6, rate=2e-5,
        layers_help="encoder layers of the first stage's model",
        checkpoint_help="save the second stage's weights here, or load them from here and "
                        "skip training when the file exists")
    parser.add_argument("--start", type=Path, required=True,
                        help="the first stage's weights (train_tone.py --checkpoint)")
    parser.add_argument("--replay", type=int, default=REPLAY,
                        help="written training sentences read beside the real ones")
    parser.set_defaults(epochs=2, seed=1)
    args = parser.parse_args(argv)
    if not args.start.is_file():
        print(f"{args.start}: no such file; train the first stage with "
              "'python training/train_tone.py --checkpoint FILE'", file=sys.stderr)
        return 2

    fix_seeds(args.seed)
    started = time.perf_counter()
    sentences = training_sentences()
    written = [s for s in sentences if not s.dev and not s.source]
    real = [s for s in sentences if not s.dev and s.source] + candidate_real()
    replay = random.Random(args.seed).sample(written, min(args.replay, len(written)))
    train_set = real + replay
    dev_set = [s for s in sentences if s.dev]
    print(describe(sentences), flush=True)
    print(f"second stage: {len(real)} real sentences ({sum(s.harsh for s in real)} harsh) "
          f"and {len(replay)} written ones; dev {len(dev_set)}", flush=True)

    net, tokenizer, base = new_net(args.layers)
    fit(net, tokenizer, train_set, args, start=args.start)

    # The first stage's record: train_tone.py's defaults, and the weights' SHA-256.
    training = {"layers": args.layers, "epochs": 3, "batch_size": args.batch_size,
                "learning_rate": 5e-5, "seed": 20261201,
                "first_stage_sha256": hashlib.sha256(args.start.read_bytes()).hexdigest(),
                "second_stage": {"epochs": args.epochs, "learning_rate": args.rate,
                                 "seed": args.seed, "real_sentences": len(real),
                                 "real_harsh": sum(s.harsh for s in real),
                                 "written_sentences": len(replay)}}
    # ship() counts the training sentences of both stages: the corpus's training split.
    first_stage = [s for s in sentences if not s.dev] + candidate_real()
    return ship(net, tokenizer, sentences, first_stage, dev_set, args.out, args.max_alarms,
                {**base, **training}, started)


if __name__ == "__main__":
    sys.exit(main())
