"""Distil the trained tone model into a shallower one that docgen can run faster.

    pip install -e '.[train]'
    python training/train_tone.py --checkpoint /tmp/tone.pt --out /tmp/teacher
    python training/distil_tone.py --teacher /tmp/tone.pt [--layers 3] \
        [--out /tmp/student]

The six-layer model ``train_tone.py`` fine-tunes (the teacher, loaded from its checkpoint)
costs about 5 ms a 32-word-piece sentence on one core; a three-layer one about 2 ms.
Fine-tuned from the base model's lower three layers alone, a student lost a fifth of its
dev recall (0.67 against 0.84 int8). The student here starts from the teacher's
embeddings, heads and evenly spaced layers (the second, fourth and sixth of six), and
learns from each training sentence, each clause of a long one (the classifier scores those
too), a window of its words, the sentences of the shipped samples, and the real sentences
of ``training/candidates/real_public_*.jsonl`` that training may read (their wording
only, ``corpus.candidate_real``): the teacher's
probability that each reads as harsh and its category scores, and the label where the
text is a labelled sentence. The dev split is never trained on; the thresholds are chosen
on it, as ``train_tone.py`` does, and the model folder is written the same way. Seeds are
fixed; on two CPU cores it takes about 17 minutes.

With ``--teacher-base FOLDER`` the teacher is a larger encoder fine-tuned by
``train_tone.py --base FOLDER --layers N --checkpoint ...`` (give ``--teacher-layers N``),
with its own tokenizer, and the student is all-MiniLM-L6-v2's lower ``--layers`` layers,
as ``train_tone.py`` starts them: the teacher's layers do not fit the student's width.

Measured on the dev split (int8, recall / false alarms at the chosen warning threshold):
taught on sentences and clauses only, a student of the first teacher kept its recall
(0.851 / 0.019 against 0.841 / 0.019); taught as above, a student of the current teacher
gave 0.822 / 0.018 at 0.89 against the teacher's 0.832 / 0.020 at 0.79. Neither ships yet:
both read a few kind sentences of the shipped samples as harsher than their teacher does
("We have reminded inspectors to agree a new time ..." scores 0.95 against the teacher's
0.72), so ``docgen lint --templates`` would warn.
"""

from __future__ import annotations

import copy
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import HARSH, Sentence, candidate_real, describe, training_sentences  # noqa: E402
from train_tone import (  # noqa: E402
    SEED,
    Stepper,
    ToneNet,
    batches,
    encode,
    fix_seeds,
    new_net,
    ship,
    training_arguments,
)

DISTIL_WEIGHT = 1.0  # the teacher's probability, on every text
LABEL_WEIGHT = 0.5  # the label, on labelled sentences
CATEGORY_WEIGHT = 0.5  # the teacher's category scores, on every text


def layers_kept(teacher: int, student: int) -> list[int]:
    """Evenly spaced teacher layers, ending with the last (3 of 6: 1, 3, 5)."""
    return [round((i + 1) * teacher / student) - 1 for i in range(student)]


def student_of(teacher: ToneNet, layers: int) -> ToneNet:
    """A copy of ``teacher`` keeping ``layers`` of its encoder layers."""
    student = copy.deepcopy(teacher)
    kept = layers_kept(len(teacher.encoder.encoder.layer), layers)
    student.encoder.encoder.layer = nn.ModuleList(
        student.encoder.encoder.layer[i] for i in kept)
    student.encoder.config.num_hidden_layers = layers
    return student


def texts_to_learn(train_set: list[Sentence]) -> tuple[list[str], dict[str, Sentence]]:
    """What the student learns the teacher's reading of: each training sentence, each
    clause of a long one, a window of the words of each sentence of eight words or more,
    and the shipped samples' sentences (unlabelled: the teacher's reading only); and the
    labelled sentences among them."""
    from train_screen import template_sentences

    from docgen.lint.kinds.classifier import clauses

    rng = random.Random(SEED)
    labelled = {s.text: s for s in train_set}
    texts = set(labelled) | set(template_sentences())
    for sentence in train_set:
        texts.update(sentence.text[start:end].strip()
                     for start, end in clauses(sentence.text))
        words = sentence.text.split()
        if len(words) >= 8:
            size = rng.randint(4, len(words) - 1)
            begin = rng.randint(0, len(words) - size)
            texts.add(" ".join(words[begin:begin + size]))
    texts.update(s.text for s in candidate_real())  # refused as the corpus's own are
    return sorted(t for t in texts if t), labelled


def teacher_outputs(teacher: ToneNet, tokenizer, texts: list[str]  # noqa: ANN001
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The teacher's harsh logit and category logits for each text, in float."""
    teacher.eval()
    harsh = np.zeros(len(texts), dtype=np.float32)
    categories = np.zeros((len(texts), len(HARSH)), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            rows = order[start:start + 64]
            ids, mask = encode(tokenizer, [texts[i] for i in rows])
            logit, category = teacher(ids, mask)
            harsh[rows] = logit.numpy()
            categories[rows] = category.numpy()
    return harsh, categories


def distil(student: ToneNet, tokenizer: Any, texts: list[str],  # noqa: PLR0913
           labelled: dict[str, Sentence], harsh: np.ndarray, categories: np.ndarray,
           epochs: int, batch_size: int, rate: float) -> None:
    rng = random.Random(SEED)
    index = {t: i for i, t in enumerate(texts)}
    steps = epochs * ((len(texts) + batch_size - 1) // batch_size)
    stepper = Stepper(student, steps, rate, every=100)
    student.train()
    for epoch in range(epochs):
        for batch in batches(texts, batch_size, rng, text=lambda t: t):
            rows = [index[t] for t in batch]
            ids, mask = encode(tokenizer, batch)
            logit, category = student(ids, mask)
            soft = torch.sigmoid(torch.from_numpy(harsh[rows]))
            loss = DISTIL_WEIGHT * functional.binary_cross_entropy_with_logits(logit, soft)
            known = [i for i, t in enumerate(batch) if t in labelled]
            if known:
                target = torch.tensor([float(labelled[batch[i]].harsh) for i in known])
                loss = loss + LABEL_WEIGHT * functional.binary_cross_entropy_with_logits(
                    logit[known], target)
            teacher_category = torch.softmax(torch.from_numpy(categories[rows]), dim=-1)
            loss = loss + CATEGORY_WEIGHT * -(teacher_category * torch.log_softmax(
                category, dim=-1)).sum(-1).mean()
            stepper.step(loss, epoch)


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments(__doc__, layers=3, rate=8e-5,
                                layers_help="encoder layers the student keeps",
                                checkpoint_help="save the student's weights here")
    parser.add_argument("--teacher", type=Path, required=True,
                        help="the six-layer model's weights (train_tone.py --checkpoint)")
    parser.add_argument("--teacher-base", type=Path, default=None, metavar="FOLDER",
                        help="the teacher is this sentence-transformers model fine-tuned "
                             "(train_tone.py --base FOLDER); the student is MiniLM-L6")
    parser.add_argument("--teacher-layers", type=int, default=6,
                        help="the teacher's encoder layers (train_tone.py --layers)")
    args = parser.parse_args(argv)

    fix_seeds(args.seed)
    started = time.perf_counter()
    sentences = training_sentences()
    print(describe(sentences), flush=True)
    train_set = [s for s in sentences if not s.dev]
    dev_set = [s for s in sentences if s.dev]

    teacher, teacher_tokenizer, teacher_base = new_net(args.teacher_layers, args.teacher_base)
    teacher.load_state_dict(torch.load(args.teacher))
    texts, labelled = texts_to_learn(train_set)
    print(f"the teacher reads {len(texts)} texts ({len(labelled)} labelled sentences)",
          flush=True)
    harsh, categories = teacher_outputs(teacher, teacher_tokenizer, texts)

    if args.teacher_base is None:  # the student keeps some of the teacher's own layers
        student, tokenizer, base = student_of(teacher, args.layers), teacher_tokenizer, teacher_base
        kept = layers_kept(args.teacher_layers, args.layers)
    else:
        student, tokenizer, base = new_net(args.layers)
        kept = []
    del teacher
    print(f"distilling into {args.layers} layers for {args.epochs} epochs", flush=True)
    distil(student, tokenizer, texts, labelled, harsh, categories, args.epochs,
           args.batch_size, args.rate)
    if args.checkpoint is not None:
        torch.save(student.state_dict(), args.checkpoint)
    training = {"layers": args.layers,
                "distilled_from": {"layers": args.teacher_layers, "kept": kept,
                                   "texts": len(texts),
                                   **({} if args.teacher_base is None else
                                      {"base_model": teacher_base["base_model"],
                                       "base_weights_sha256":
                                           teacher_base["base_weights_sha256"]})},
                "epochs": args.epochs, "batch_size": args.batch_size,
                "learning_rate": args.rate}
    return ship(student, tokenizer, sentences, train_set, dev_set, args.out, args.max_alarms,
                {**base, **training}, started)


if __name__ == "__main__":
    sys.exit(main())
