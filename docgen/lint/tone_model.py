"""The learned tone model at run time: ONNX Runtime and a tokenizer, no torch.

The model is a fine-tuned all-MiniLM-L6-v2 sentence encoder with two heads, exported by
``training/train_tone.py``: the probability that a sentence reads as harsh, and which
kind of harshness it most resembles. A model folder holds ``model.onnx`` (int8),
``tokenizer.json``, ``labels.json`` and, optionally, ``screen.npz``: a screen distilled
from the encoder that can clear plainly kind sentences before the encoder is asked (see
``Screen``; a rule turns it on with ``screen: true``), since most sentences of a letter
are kind and the encoder costs milliseconds each. The encoder may be in two parts
(``lower.onnx`` and ``upper.onnx``) with an early exit between them (``exit.npz``), which
clears more kind sentences after the lower layers (see ``Exit``).

Scores are cached by sentence text, because letters made from one template share most
of their sentences: a second letter costs only its new sentences. ONNX Runtime gets one
intra-op thread, and numpy one BLAS thread, so several lint processes share a machine
without fighting over cores.
"""

from __future__ import annotations

import json
import math
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


class Screen:
    """A cheap first reading that clears plainly kind sentences (``screen.npz``).

    The sentence's word-piece vectors, a convolution over each three in a row, the
    maximum of each filter and the mean of the vectors, one hidden layer, and an estimate
    of the encoder's logit, distilled from the encoder by ``training/train_screen.py``.
    A sentence whose estimate falls below the cut-off is cleared without the encoder: on
    the dev split the cut-off clears no sentence the encoder flags. A letter's new sentences
    are read together, at about 0.05 ms a sentence; the encoder's lower layers take about a
    millisecond a sentence.
    """

    def __init__(self, path: Path) -> None:
        import numpy as np

        with np.load(path) as arrays:
            self._vectors = arrays["vectors"]  # half precision, widened as read
            self._filter_weight = arrays["filter_weight"]
            self._filter_bias = arrays["filter_bias"]
            self._hidden_weight = arrays["hidden_weight"]
            self._hidden_bias = arrays["hidden_bias"]
            self._out_weight = arrays["out_weight"]
            self._out_bias = float(arrays["out_bias"][0])
            self.cutoff = float(arrays["cutoff"])

    def estimates(self, sentences: Sequence[Sequence[int]]) -> Any:
        """The estimated encoder logit for each sentence's word pieces (marks removed).

        The sentences are read together: their vectors stand in one matrix, each with a
        zero row before and after it, so one product reads every window of three, and the
        windows that straddle two sentences are left out of both sentences' maxima.
        """
        import numpy as np

        pieces = [list(ids) or [0] for ids in sentences]
        lengths = np.array([len(ids) for ids in pieces])
        # Sentence i's own rows start at starts[i] in the padded matrix (after its zero row).
        starts = np.cumsum(np.concatenate(([0], lengths[:-1] + 2))) + 1
        rows = np.concatenate([np.arange(start, start + length)
                               for start, length in zip(starts, lengths, strict=True)])
        vectors = self._vectors[np.concatenate(pieces)].astype(np.float32)
        padded = np.zeros((int(lengths.sum()) + 2 * len(pieces), vectors.shape[1]),
                          dtype=np.float32)
        padded[rows] = vectors
        # Each row: a word piece's vector with its neighbours', as the convolution reads.
        windows = np.concatenate((padded[:-2], padded[1:-1], padded[2:]), axis=1)
        phrases = windows @ self._filter_weight
        phrases += self._filter_bias
        # The window centred on sentence i's first piece is row starts[i] - 1 of `windows`;
        # the last sentence's runs to the end.
        bounds = np.stack((starts - 1, starts - 1 + lengths), axis=1).ravel()[:-1]
        # The filters' maximum after the rectifier is the rectified maximum.
        maxima = np.maximum(np.maximum.reduceat(phrases, bounds)[::2], 0)
        means = (np.add.reduceat(vectors, np.concatenate(([0], np.cumsum(lengths)[:-1])))
                 / lengths[:, None]).astype(np.float32)
        features = np.concatenate((maxima, means), axis=1)
        hidden = np.maximum(features @ self._hidden_weight + self._hidden_bias, 0)
        return hidden @ self._out_weight + self._out_bias


class ModelUnavailable(DocgenError):
    """The tone model cannot be loaded; the rules still run."""


@dataclass(frozen=True)
class Score:
    """What the model makes of one sentence."""

    harsh: float  # probability that the sentence reads as harsh
    category: str  # the harsh category it most resembles
    category_score: float
    screened: bool = False  # cleared by the screen or the exit; ``harsh`` is their estimate


class Exit:
    """The early exit between the encoder's two parts (``exit.npz``).

    A linear estimate of the encoder's final logit from the mean of the lower layers'
    hidden states, fitted by ``training/compact_onnx.py``. A sentence whose estimate falls
    below the cut-off is cleared without the upper layers: on the dev split the cut-off
    clears no sentence the whole encoder flags.
    """

    def __init__(self, path: Path) -> None:
        import numpy as np

        with np.load(path) as arrays:
            self._weight = arrays["weight"].astype(np.float32)
            self._bias = float(arrays["bias"])
            self.cutoff = float(arrays["cutoff"])

    def estimate(self, pooled: Any) -> float:
        return float(pooled @ self._weight) + self._bias


class ToneModel:
    """One loaded model with its sentence cache; safe to share between threads.

    The encoder is either one graph (``model.onnx``) or two parts run one after the other
    (``lower.onnx``, then ``upper.onnx`` on its hidden states), as ``compact_onnx.py``
    writes it. With ``screened``, the screen reads each new sentence first and the exit
    sits between the two parts; a sentence either clears is not read further.
    """

    def __init__(self, folder: Path, *, screened: bool = False) -> None:
        try:
            import onnxruntime  # noqa: F401  (open_session's; asked here to say so early)
            from threadpoolctl import threadpool_limits
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelUnavailable(f"{error.name} is not installed") from None
        # One thread for numpy's products too, as for ONNX Runtime: the screen's are small,
        # so a second BLAS thread only waits and wakes, and where lint processes fill the
        # cores it fights them. This holds for the rest of the process.
        threadpool_limits(limits=1, user_api="blas")
        parts = ([folder / "lower.onnx", folder / "upper.onnx"]
                 if (folder / "lower.onnx").exists() else [folder / "model.onnx"])
        try:
            labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
            self.categories: list[str] = list(labels["categories"])
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            sessions = [open_session(str(part)) for part in parts]
        except Exception as error:  # noqa: BLE001  ONNX Runtime raises its own types
            raise ModelUnavailable(f"{folder}: {str(error).splitlines()[0]}") from None
        self._lower = sessions[0]
        self._upper = sessions[1] if len(sessions) > 1 else None
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer
        self.screen: Screen | None = None
        self.exit: Exit | None = None
        if screened:
            self.screen = self._optional(folder / "screen.npz", Screen)
            if self._upper is not None:
                self.exit = self._optional(folder / "exit.npz", Exit)
        self._inputs = {i.name for i in self._lower.get_inputs()}
        self._cache: OrderedDict[str, Score] = OrderedDict()
        self._lock = threading.Lock()
        # Sentences the whole encoder read, the screen cleared and the exit cleared,
        # since loading.
        self.encoded = 0
        self.cleared = 0
        self.exited = 0

    @staticmethod
    def _optional(path: Path, kind: Any) -> Any:
        """A screen or exit read from ``path``, None where the folder has none."""
        if not path.exists():
            return None
        try:
            return kind(path)
        except Exception as error:  # noqa: BLE001  numpy's errors for a bad file vary
            raise ModelUnavailable(f"{path}: {error}") from None

    def score(self, sentences: Sequence[str]) -> list[Score]:
        """Scores for ``sentences`` in order, from the cache where seen before."""
        with self._lock:
            known = {s: self._cache[s] for s in set(sentences) if s in self._cache}
            for s in known:
                self._cache.move_to_end(s)
        new = sorted(s for s in set(sentences) if s not in known)
        encodings = self._tokenizer.encode_batch(new) if new else []  # all in one call
        if self.screen is not None and new:
            new, encodings = self._screen(self.screen, new, encodings, known)
        for start in range(0, len(new), BATCH):
            batch = new[start:start + BATCH]
            scored = self._infer(batch, encodings[start:start + BATCH])
            known.update(scored)
            self._remember(scored)
        return [known[s] for s in sentences]

    def forget(self) -> None:
        """Empty the sentence cache (benchmarks measure a letter as if it were new)."""
        with self._lock:
            self._cache.clear()

    def _remember(self, scored: dict[str, Score]) -> None:
        with self._lock:
            self._cache.update(scored)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)

    def _screen(self, screen: Screen, new: list[str], encodings: list[Any],
                known: dict[str, Score]) -> tuple[list[str], list[Any]]:
        """The sentences and encodings the screen does not clear, read in one pass; the
        cleared ones' scores go into ``known`` and the cache."""
        estimates = screen.estimates([encoding.ids[1:-1] for encoding in encodings])
        cleared = {sentence: Score(_sigmoid(float(logit)), "", 0.0, screened=True)
                   for sentence, logit in zip(new, estimates, strict=True)
                   if logit < screen.cutoff}
        self.cleared += len(cleared)
        known.update(cleared)
        self._remember(cleared)
        kept = [(sentence, encoding) for sentence, encoding in zip(new, encodings, strict=True)
                if sentence not in cleared]
        return [sentence for sentence, _ in kept], [encoding for _, encoding in kept]

    def _infer(self, batch: list[str], encodings: list[Any]) -> dict[str, Score]:
        """Scores for a batch of new sentences the screen did not clear."""
        import numpy as np

        scores: dict[str, Score] = {}
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feed: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        if self._upper is None:
            harsh, categories = self._lower.run(["harsh", "category"], feed)
        else:
            hidden, pooled = self._lower.run(["hidden", "pooled"], feed)
            if self.exit is not None:
                rows = []
                for row, sentence in enumerate(batch):
                    estimate = self.exit.estimate(pooled[row])
                    if estimate < self.exit.cutoff:
                        scores[sentence] = Score(_sigmoid(estimate), "", 0.0, screened=True)
                    else:
                        rows.append(row)
                self.exited += len(batch) - len(rows)
                if not rows:
                    return scores
                batch = [batch[row] for row in rows]
                hidden, mask = hidden[rows], mask[rows]
            harsh, categories = self._upper.run(["harsh", "category"],
                                                {"hidden": hidden, "attention_mask": mask})
        self.encoded += len(batch)
        for row, sentence in enumerate(batch):
            best = int(categories[row].argmax())
            scores[sentence] = Score(float(harsh[row]), self.categories[best],
                                     float(categories[row][best]))
        return scores


# ONNX Runtime would fuse a residual sum and its LayerNormalization into one
# SkipLayerNormalization where it can infer the shapes, and on one CPU thread that kernel
# took five times as long (see training/compact_onnx.py).
DISABLED_OPTIMIZERS = ["SkipLayerNormFusion"]


def open_session(model: str | bytes, profile_prefix: str | None = None) -> Any:
    """An ONNX Runtime session for the encoder or one of its parts, as docgen runs them:
    one thread, on the CPU, without the fusion above. ``profile_prefix`` turns on ONNX
    Runtime's profiler (for measuring which operators run)."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    if profile_prefix is not None:
        options.enable_profiling = True
        options.profile_file_prefix = profile_prefix
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"],
                                        disabled_optimizers=DISABLED_OPTIMIZERS)


def _sigmoid(logit: float) -> float:
    return 1 / (1 + math.exp(-logit)) if logit > -700 else 0.0


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _load(folder: str, screened: bool) -> ToneModel | ModelUnavailable:
    try:
        return ToneModel(Path(folder), screened=screened)
    except ModelUnavailable as error:
        return error


@lru_cache(maxsize=64)
def _resolved(folder: str) -> str:
    """The folder's real path, asked of the file system once (each lint asks)."""
    return str(Path(folder).resolve())


def load_model(folder: Path, *, screened: bool = False) -> ToneModel:
    """The model in ``folder``, loaded once per process (with its screen in front when
    ``screened`` and the folder has one); ``ModelUnavailable`` otherwise."""
    with _LOCK:
        model = _load(_resolved(str(folder)), screened)
    if isinstance(model, ModelUnavailable):
        raise model
    return model
