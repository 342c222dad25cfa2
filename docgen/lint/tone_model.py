"""The learned tone model at run time: ONNX Runtime and a tokenizer, no torch.

The model is a fine-tuned all-MiniLM-L6-v2 sentence encoder with two heads, exported by
``training/train_tone.py``: the probability that a sentence reads as harsh, and which
kind of harshness it most resembles. A model folder holds ``model.onnx`` (int8),
``tokenizer.json`` and ``labels.json``.

Scores are cached by sentence text, because letters made from one template share most
of their sentences: a second letter costs only its new sentences. ONNX Runtime gets one
intra-op thread, so several lint processes share a machine without fighting over cores.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docgen.errors import DocgenError

MAX_TOKENS = 96  # sentences are short; the rare longer one is cut at 96 word pieces
# One sentence per inference call. Dynamic int8 quantisation scales each activation
# tensor by its own range, padding included, so in a batch a sentence's score would
# depend on the sentences beside it; alone, a sentence always gets the same score.
# (Measured on the dev split: batches of 8 move a score by up to 0.39. The exports that
# batch without moving scores were slower or worse: float runs at half the int8 speed;
# static int8, calibrated on the training split, agreed with float on 95.7% of dev
# decisions (train_tone.py requires 97%), and with attention and the feed-forward output
# left in float it agreed but batches of 8 were no faster than this.)
BATCH = 1
CACHE_SIZE = 50_000


class ModelUnavailable(DocgenError):
    """The tone model cannot be loaded; the rules still run."""


@dataclass(frozen=True)
class Score:
    """What the model makes of one sentence."""

    harsh: float  # probability that the sentence reads as harsh
    category: str  # the harsh category it most resembles
    category_score: float


class ToneModel:
    """One loaded model with its sentence cache; safe to share between threads."""

    def __init__(self, folder: Path) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelUnavailable(f"{error.name} is not installed") from None
        try:
            labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
            self.categories: list[str] = list(labels["categories"])
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(
                str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # noqa: BLE001  ONNX Runtime raises its own types
            raise ModelUnavailable(f"{folder}: {str(error).splitlines()[0]}") from None
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._cache: OrderedDict[str, Score] = OrderedDict()
        self._lock = threading.Lock()

    def score(self, sentences: Sequence[str]) -> list[Score]:
        """Scores for ``sentences`` in order, from the cache where seen before."""
        with self._lock:
            known = {s: self._cache[s] for s in set(sentences) if s in self._cache}
            for s in known:
                self._cache.move_to_end(s)
        new = sorted(s for s in set(sentences) if s not in known)
        for start in range(0, len(new), BATCH):
            batch = new[start:start + BATCH]
            scored = self._infer(batch)
            known.update(scored)
            with self._lock:
                self._cache.update(scored)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return [known[s] for s in sentences]

    def forget(self) -> None:
        """Empty the sentence cache (benchmarks measure a letter as if it were new)."""
        with self._lock:
            self._cache.clear()

    def _infer(self, batch: list[str]) -> dict[str, Score]:
        import numpy as np

        encodings = self._tokenizer.encode_batch(batch)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feed: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        harsh, categories = self._session.run(["harsh", "category"], feed)
        scores = {}
        for row, sentence in enumerate(batch):
            best = int(categories[row].argmax())
            scores[sentence] = Score(float(harsh[row]), self.categories[best],
                                     float(categories[row][best]))
        return scores


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _load(folder: str) -> ToneModel | ModelUnavailable:
    try:
        return ToneModel(Path(folder))
    except ModelUnavailable as error:
        return error


@lru_cache(maxsize=64)
def _resolved(folder: str) -> str:
    """The folder's real path, asked of the file system once (each lint asks)."""
    return str(Path(folder).resolve())


def load_model(folder: Path) -> ToneModel:
    """The model in ``folder``, loaded once per process; ``ModelUnavailable`` otherwise."""
    with _LOCK:
        model = _load(_resolved(str(folder)))
    if isinstance(model, ModelUnavailable):
        raise model
    return model
