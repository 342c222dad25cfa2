"""Train the tone model's screen: a cheap first reading that clears plainly kind sentences.

    pip install -e '.[train]'
    python training/train_screen.py [--scores /tmp/teacher.json] [--out style_rules/models/tone]

The fine-tuned encoder costs about 4 ms a sentence on one core, so a new 700-word letter
took about 175 ms to read. Most sentences in a letter are plainly kind or neutral, and
the encoder scores them far below its warning threshold. The screen learns to tell those
apart at a hundredth of the cost: the mean and the maximum of the sentence's word-piece
vectors, then one hidden layer, estimating the encoder's logit. Only sentences whose
estimate reaches the screen's cut-off go on to the encoder; the rest are cleared.

The screen is distilled from the shipped encoder, not from the labels: it is trained to
say what the encoder would say (soft targets, the encoder's probability) on the training
split, its clauses and word windows of it, and the sentences of the shipped templates.
The cut-off is chosen on the dev split: the lowest estimate of any dev sentence the
encoder scores at or above the rule's warning threshold, less a margin, so that on dev
the screen clears nothing the encoder would flag. Seeds are fixed; on two cores it takes
about 15 minutes: 3 asking the encoder, the rest fitting.

Writes ``screen.npz`` into the model folder and its figures into ``training.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import ROOT, Sentence, template_sentences, training_sentences  # noqa: E402
from train_tone import MAX_TOKENS, SEED, base_model_zip, fix_seeds  # noqa: E402

MODEL = ROOT / "style_rules" / "models" / "tone"
RULE = ROOT / "style_rules" / "Tone" / "Semantic.yml"
DIMENSIONS = 128  # of each word-piece vector (the base model's 384, reduced by PCA)
FILTERS = 256
HIDDEN = 256
MARGIN = 0.5  # in logits, below the lowest estimate of a dev sentence the encoder flags
WINDOWS = 4  # word windows taken from each sentence
_WORDS = re.compile(r"\S+")


def variants(text: str, rng: random.Random) -> list[str]:
    """The sentence, its clauses and windows of its words: what the classifier may
    ask about (it scores clauses of flagged long sentences) and more to learn from."""
    from docgen.lint.kinds.classifier import clauses

    out = [text]
    out += [text[start:end] for start, end in clauses(text)]
    words = text.split()
    if len(words) >= 8:
        for _ in range(WINDOWS):
            size = rng.randint(4, len(words) - 1)
            start = rng.randint(0, len(words) - size)
            out.append(" ".join(words[start:start + size]))
    return out


def long_template_sentences() -> list[str]:
    """The template sentences of four words or more, as ``docgen lint --templates`` reads
    them: the model's rule reads no shorter sentence."""
    return [s for s in template_sentences() if len(_WORDS.findall(s)) >= 4]


def teacher_logits(texts: list[str], cache: Path | None) -> dict[str, float]:
    """The shipped encoder's logit for each text, one sentence a call as docgen runs it."""
    known: dict[str, float] = {}
    if cache is not None and cache.exists():
        known = json.loads(cache.read_text(encoding="utf-8"))
    todo = sorted(set(texts) - known.keys())
    if todo:
        from docgen.lint.tone_model import ToneModel

        model = ToneModel(MODEL)  # the encoder's own reading: no screen
        started = time.perf_counter()
        for number, text in enumerate(todo, 1):
            probability = min(max(model.score([text])[0].harsh, 1e-6), 1 - 1e-6)
            known[text] = float(np.log(probability / (1 - probability)))
            if number % 5000 == 0:
                print(f"  encoder: {number}/{len(todo)} ({time.perf_counter() - started:.0f} s)",
                      flush=True)
        if cache is not None:
            cache.write_text(json.dumps(known), encoding="utf-8")
    return known


def base_vectors() -> np.ndarray:
    """The base model's word-piece embeddings reduced to DIMENSIONS by PCA."""
    from safetensors.numpy import load

    with zipfile.ZipFile(base_model_zip()) as archive:
        weights = load(archive.read("model.safetensors"))
    table = next(v for k, v in weights.items() if k.endswith("word_embeddings.weight"))
    centred = table - table.mean(0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    return (centred @ components[:DIMENSIONS].T).astype(np.float32)


class Screen(nn.Module):
    """Word-piece vectors, a convolution over each three in a row (so "failed to" and
    "you must" read as phrases, not as loose words), the maximum of each filter and the
    mean of the vectors, one hidden layer, an estimated logit."""

    def __init__(self, vectors: np.ndarray) -> None:
        super().__init__()
        # Sparse: a step updates only the rows of the word pieces in its batch.
        self.vectors = nn.Embedding.from_pretrained(torch.from_numpy(vectors), freeze=False,
                                                    sparse=True)
        width = vectors.shape[1]
        self.filters = nn.Conv1d(width, FILTERS, kernel_size=3, padding=1)
        self.hidden = nn.Linear(FILTERS + width, HIDDEN)
        self.out = nn.Linear(HIDDEN, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        weights = mask.unsqueeze(-1).float()
        vectors = self.vectors(ids) * weights
        mean = vectors.sum(1) / weights.sum(1).clamp(min=1)
        phrases = torch.relu(self.filters(vectors.transpose(1, 2))).transpose(1, 2)
        top = (phrases * weights).max(1).values  # after a ReLU, padding's zeros never win
        return self.out(torch.relu(self.hidden(torch.cat([top, mean], 1)))).squeeze(-1)


def word_pieces(tokenizer, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:  # noqa: ANN001
    """Word-piece ids without the [CLS] and [SEP] marks, padded, with their mask."""
    encodings = [e.ids[1:-1] or [0] for e in tokenizer.encode_batch(texts)]
    width = max(len(e) for e in encodings)
    ids = torch.zeros((len(texts), width), dtype=torch.long)
    mask = torch.zeros((len(texts), width), dtype=torch.long)
    for row, e in enumerate(encodings):
        ids[row, :len(e)] = torch.tensor(e)
        mask[row, :len(e)] = 1
    return ids, mask


def fit(screen: Screen, tokenizer, texts: list[str], logits: np.ndarray,  # noqa: ANN001
        epochs: int) -> None:
    rng = random.Random(SEED)
    dense = [p for name, p in screen.named_parameters() if not name.startswith("vectors")]
    optimisers = [torch.optim.SparseAdam(list(screen.vectors.parameters()), lr=2e-3),
                  torch.optim.AdamW(dense, lr=2e-3, weight_decay=1e-4)]
    order = list(range(len(texts)))
    # Distillation with soft targets: the encoder's probability, so the screen spends
    # its effort where the encoder hesitates, not on telling a kind sentence from a
    # kinder one. Sentences the encoder leans towards harsh weigh more: one the screen
    # underestimates is one the encoder never sees.
    weights = torch.from_numpy(np.select([logits >= 0.0, logits >= -2.0], [5.0, 2.0], 1.0)
                               .astype(np.float32))
    goal = torch.sigmoid(torch.from_numpy(logits.astype(np.float32)))
    loss_of = nn.BCEWithLogitsLoss(reduction="none")
    for epoch in range(epochs):
        rng.shuffle(order)
        screen.train()
        total = 0.0
        for start in range(0, len(order), 64):
            rows = order[start:start + 64]
            ids, mask = word_pieces(tokenizer, [texts[i] for i in rows])
            loss = (weights[rows] * loss_of(screen(ids, mask), goal[rows])).mean()
            for optimiser in optimisers:
                optimiser.zero_grad()
            loss.backward()
            for optimiser in optimisers:
                optimiser.step()
            total += loss.item() * len(rows)
        print(f"  epoch {epoch + 1}: loss {total / len(order):.3f}", flush=True)


def estimates(screen: Screen, tokenizer, texts: list[str]) -> np.ndarray:  # noqa: ANN001
    screen.eval()
    out = np.zeros(len(texts), dtype=np.float32)
    with torch.no_grad():
        for start in range(0, len(texts), 256):
            ids, mask = word_pieces(tokenizer, texts[start:start + 256])
            out[start:start + 256] = screen(ids, mask).numpy()
    return out


def warning_threshold() -> float:
    import yaml

    return float(yaml.safe_load(RULE.read_text(encoding="utf-8"))["thresholds"]["warning"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--scores", type=Path, default=None,
                        help="keep the encoder's scores in this file between runs")
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args(argv)

    from tokenizers import Tokenizer

    fix_seeds()
    started = time.perf_counter()

    rng = random.Random(SEED)
    sentences = training_sentences()
    train_set: list[Sentence] = [s for s in sentences if not s.dev]
    dev_set = [s for s in sentences if s.dev]
    train_texts = sorted({v for s in train_set for v in variants(s.text, rng)}
                         | set(long_template_sentences()))
    dev_texts = sorted({v for s in dev_set for v in variants(s.text, rng)} - set(train_texts))
    print(f"screen: {len(train_texts)} texts to learn from, {len(dev_texts)} dev texts",
          flush=True)
    logits = teacher_logits(train_texts + dev_texts, args.scores)

    tokenizer = Tokenizer.from_file(str(MODEL / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)  # as docgen reads a sentence
    screen = Screen(base_vectors())
    fit(screen, tokenizer, train_texts, np.array([logits[t] for t in train_texts]),
        args.epochs)

    # It ships in half precision: measure it as it ships.
    with torch.no_grad():
        screen.vectors.weight.copy_(screen.vectors.weight.half().float())
    warning = warning_threshold()
    warning_logit = float(np.log(warning / (1 - warning)))
    dev_estimates = estimates(screen, tokenizer, dev_texts)
    dev_logits = np.array([logits[t] for t in dev_texts])
    flagged = dev_logits >= warning_logit
    dev_sentences = {s.text for s in dev_set}
    whole = np.array([t in dev_sentences for t in dev_texts])
    # Whole sentences decide: a clause is asked about only inside a flagged sentence, to
    # point at the harshest part.
    cutoff = round(float(dev_estimates[flagged & whole].min()) - MARGIN, 3)
    cleared = dev_estimates < cutoff
    figures = {
        "dev_sentences": int(whole.sum()),
        "cutoff_logit": cutoff,
        "encoder_flags": int((flagged & whole).sum()),
        "flags_cleared": int((cleared & flagged & whole).sum()),
        "cleared_share_of_whole_sentences": round(float(cleared[whole].mean()), 3),
        "clauses_and_windows": int((~whole).sum()),
        "clause_and_window_flags_cleared": int((cleared & flagged & ~whole).sum()),
        "correlation_with_encoder": round(float(np.corrcoef(dev_estimates, dev_logits)[0, 1]),
                                          3),
    }
    print(json.dumps(figures, indent=2), flush=True)

    vectors = screen.vectors.weight.detach().numpy()
    arrays = {
        "vectors": vectors.astype(np.float16),
        # (3 x dimensions, filters): the three vectors of a window side by side.
        "filter_weight": screen.filters.weight.detach().numpy().transpose(2, 1, 0)
        .reshape(-1, FILTERS).copy(),
        "filter_bias": screen.filters.bias.detach().numpy(),
        "hidden_weight": screen.hidden.weight.detach().numpy().T.copy(),
        "hidden_bias": screen.hidden.bias.detach().numpy(),
        "out_weight": screen.out.weight.detach().numpy()[0],
        "out_bias": screen.out.bias.detach().numpy(),
        "cutoff": np.array(cutoff, dtype=np.float32),
    }
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # not compressed: it loads in milliseconds
    path = args.out / "screen.npz"
    path.write_bytes(buffer.getvalue())
    record_path = args.out / "training.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["screen"] = {
        "sha256": hashlib.sha256(buffer.getvalue()).hexdigest(),
        "texts": len(train_texts), "dimensions": DIMENSIONS, "filters": FILTERS,
        "hidden": HIDDEN,
        "epochs": args.epochs, "seed": SEED, "margin_logit": MARGIN,
        "dev": figures, "minutes": round((time.perf_counter() - started) / 60, 1),
    }
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
