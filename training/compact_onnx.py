"""Rebuild the exported int8 tone model as a compact graph, in two parts, with an early exit.

    pip install -e '.[train]'
    python training/compact_onnx.py [--folder style_rules/models/tone] [--exit-after 3]

``torch.onnx.export`` writes about 860 nodes for the six-layer encoder, a third of them
shape arithmetic for the attention mask; ONNX Runtime runs each node separately, so a short
sentence paid more for that plumbing than for its arithmetic. This script reads the
quantised export's weights (the same int8 values and scales) and writes the encoder again
with ONNX Runtime's fused operators: one quantised matrix product for the query, key and
value (they already shared one quantisation of their input, so the integer sums are the
same), ``MultiHeadAttention`` and ``BiasGelu``: 217 nodes in all. Each residual sum is
normalised by the standard ``LayerNormalization``, as in the export: ONNX Runtime's fused
``SkipLayerNormalization`` computes the same, but on one CPU thread it took about 80
microseconds for a sentence of 25 word pieces where the two additions and the
normalisation take about 15, and it made a quarter of the encoder's time.

The graph is written in two parts, cut after ``--exit-after`` layers:

- ``lower.onnx``: the embeddings and the lower layers; it outputs the hidden states and
  their mean over the sentence;
- ``upper.onnx``: the upper layers and the heads, from those hidden states.

Run one after the other they compute exactly what the whole graph would. Between them sits
the early exit (``exit.npz``): a linear estimate of the encoder's final logit from the lower
layers' mean, fitted by least squares on the training split, with a cut-off chosen on the dev
split as the screen's is (the lowest estimate of any dev sentence the whole encoder scores at
or above the rule's warning threshold, less a margin). A sentence whose estimate falls below
it is cleared without the upper layers. ``ToneModel`` uses the exit only where the rule
turns the screen on, so ``screen: false`` still reads every sentence through every layer.

The script replaces ``model.onnx`` with the two parts, prints how far the new graph's scores
are from the export's on the training corpus, and records its figures in ``training.json``.
In a folder already rebuilt (no ``model.onnx``) it fits the exit again from the two parts:
run it so whenever the rule's warning threshold changes, as for the screen.
Needs ``onnx``, not torch; a few minutes on one core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpus import ROOT, training_sentences  # noqa: E402

MODEL = ROOT / "style_rules" / "models" / "tone"
RULE = ROOT / "style_rules" / "Tone" / "Semantic.yml"
HEADS = 12
EPSILON = 1e-12
MARGIN = 0.5  # in logits, below the lowest estimate of a dev sentence the encoder flags
RIDGE = 10.0  # the least-squares fit's penalty on the exit's weights
MAX_TOKENS = 96  # as the runtime cuts sentences (docgen.lint.tone_model)


class Graph:
    """Nodes and initialisers of one part, written in order."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initialisers: list[onnx.TensorProto] = []

    def constant(self, name: str, value: np.ndarray) -> str:
        self.initialisers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(self, op: str, inputs: Sequence[str], outputs: Sequence[str],
             domain: str = "", **attributes: object) -> str:
        self.nodes.append(helper.make_node(op, list(inputs), list(outputs), domain=domain,
                                           **attributes))
        return outputs[0]

    def quantised_matmul(self, x: str, weight: tuple[np.ndarray, np.ndarray, np.ndarray],
                         name: str) -> str:
        """``x`` times an int8 weight, quantising ``x`` as the export did (ONNX Runtime
        fuses these five nodes into one ``DynamicQuantizeMatMul``)."""
        values, zero_point, scale = weight
        q = self.node("DynamicQuantizeLinear", [x], [f"{name}.q", f"{name}.s", f"{name}.z"])
        integer = self.node("MatMulInteger", [q, self.constant(f"{name}.w", values),
                                              f"{name}.z", self.constant(f"{name}.wz", zero_point)],
                            [f"{name}.i"])
        wide = self.node("Cast", [integer], [f"{name}.f"], to=TensorProto.FLOAT)
        scales = self.node("Mul", [f"{name}.s", self.constant(f"{name}.ws", scale)],
                           [f"{name}.scales"])
        return self.node("Mul", [wide, scales], [f"{name}.y"])

    def layer(self, x: str, weights: dict[str, np.ndarray], matmuls: dict[str, tuple],
              n: int) -> str:
        """One encoder layer: attention, then the feed-forward block."""
        qkv = self.quantised_matmul(x, matmuls["qkv"], f"l{n}.qkv")
        qkv = self.node("Add", [qkv, self.constant(f"l{n}.qkv.b", weights["qkv.bias"])],
                        [f"l{n}.qkv.yb"])
        width = weights["qkv.bias"].shape[0] // 3
        self.node("Split", [qkv, self.constant(f"l{n}.split", np.array([width] * 3, np.int64))],
                  [f"l{n}.query", f"l{n}.key", f"l{n}.value"], axis=-1)
        attended = self.node("MultiHeadAttention", [f"l{n}.query", f"l{n}.key", f"l{n}.value",
                                                    "", "mask"],
                             [f"l{n}.attention"], domain="com.microsoft", num_heads=HEADS)
        out = self.quantised_matmul(attended, matmuls["attention.output"], f"l{n}.o")
        x = self.residual_norm(out, x, weights["attention.output.bias"],
                               weights["attention.ln.weight"], weights["attention.ln.bias"],
                               f"l{n}.ln1")
        inner = self.quantised_matmul(x, matmuls["intermediate"], f"l{n}.f1")
        inner = self.node("BiasGelu", [inner, self.constant(f"l{n}.f1.b",
                                                            weights["intermediate.bias"])],
                          [f"l{n}.gelu"], domain="com.microsoft")
        out = self.quantised_matmul(inner, matmuls["output"], f"l{n}.f2")
        return self.residual_norm(out, x, weights["output.bias"], weights["output.ln.weight"],
                                  weights["output.ln.bias"], f"l{n}.ln2")

    def residual_norm(self, out: str, x: str, bias: np.ndarray, gain: np.ndarray,
                      shift: np.ndarray, name: str) -> str:
        """LayerNorm(out + bias + x), in the export's order (see the module's notes on
        SkipLayerNormalization)."""
        biased = self.node("Add", [out, self.constant(f"{name}.bias", bias)], [f"{name}.ob"])
        summed = self.node("Add", [biased, x], [f"{name}.sum"])
        return self.node("LayerNormalization", [summed, self.constant(f"{name}.g", gain),
                                                self.constant(f"{name}.b", shift)],
                         [f"{name}.y"], axis=-1, epsilon=EPSILON)

    def model(self, inputs: list[onnx.ValueInfoProto],
              outputs: list[onnx.ValueInfoProto]) -> onnx.ModelProto:
        graph = helper.make_graph(self.nodes, "tone", inputs, outputs, self.initialisers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                        helper.make_opsetid("com.microsoft", 1)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


class Export:
    """The weights of the quantised export, found by the names torch gave its nodes."""

    def __init__(self, model: onnx.ModelProto) -> None:
        self.graph = model.graph
        self.values = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
        self.nodes = {n.name: n for n in model.graph.node}
        self.layers = sorted({int(m.group(1)) for n in model.graph.node
                              if (m := re.search(r"/layer\.(\d+)/", n.name))})

    def matmul(self, prefix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The int8 values, zero points and scales of the product named ``prefix``."""
        node = self.nodes[prefix + "/MatMul_quant"]
        return (self.values[node.input[1]], self.values[node.input[3]],
                self.values[node.input[1].replace("_quantized", "_scale")])

    def table(self, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A quantised embedding table with its scale and zero point."""
        dequantise = self.nodes[f"/net/encoder/embeddings/{kind}/Gather_output_0_DequantizeLinear"]
        gather = next(n for n in self.graph.node if n.output[0] == dequantise.input[0])
        return (self.values[gather.input[0]], self.values[dequantise.input[1]],
                self.values[dequantise.input[2]])

    def layer(self, n: int) -> tuple[dict[str, np.ndarray], dict[str, tuple]]:
        prefix, name = f"/net/encoder/encoder/layer.{n}", f"net.encoder.encoder.layer.{n}."
        parts = [self.matmul(f"{prefix}/attention/self/{k}") for k in ("query", "key", "value")]
        matmuls = {
            "qkv": tuple(np.concatenate([p[i] for p in parts], axis=-1) for i in range(3)),
            "attention.output": self.matmul(f"{prefix}/attention/output/dense"),
            "intermediate": self.matmul(f"{prefix}/intermediate/dense"),
            "output": self.matmul(f"{prefix}/output/dense"),
        }
        v = self.values
        weights = {
            "qkv.bias": np.concatenate([v[f"{name}attention.self.{k}.bias"]
                                        for k in ("query", "key", "value")]),
            "attention.output.bias": v[f"{name}attention.output.dense.bias"],
            "attention.ln.weight": v[f"{name}attention.output.LayerNorm.weight"],
            "attention.ln.bias": v[f"{name}attention.output.LayerNorm.bias"],
            "intermediate.bias": v[f"{name}intermediate.dense.bias"],
            "output.bias": v[f"{name}output.dense.bias"],
            "output.ln.weight": v[f"{name}output.LayerNorm.weight"],
            "output.ln.bias": v[f"{name}output.LayerNorm.bias"],
        }
        return weights, matmuls


def _tensor(name: str, kind: int, shape: list[str | int]) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, kind, shape)


def _mask(g: Graph) -> None:
    g.node("Cast", ["attention_mask"], ["mask"], to=TensorProto.INT32)


def _mean(g: Graph, hidden: str, out: str) -> str:
    """The mean of the hidden states over the sentence's tokens (the mask's ones)."""
    g.node("Cast", ["attention_mask"], ["weights"], to=TensorProto.FLOAT)
    g.node("Unsqueeze", ["weights", g.constant("last", np.array([2], np.int64))], ["weights3"])
    g.node("Mul", [hidden, "weights3"], ["weighted"])
    g.node("ReduceSum", ["weighted", g.constant("tokens", np.array([1], np.int64))], ["summed"],
           keepdims=0)
    g.node("ReduceSum", ["weights", g.constant("tokens1", np.array([1], np.int64))], ["count"],
           keepdims=1)
    g.node("Clip", ["count", g.constant("tiny", np.array(1e-9, np.float32))], ["counted"])
    return g.node("Div", ["summed", "counted"], [out])


def build(model: onnx.ModelProto, exit_after: int) -> tuple[onnx.ModelProto, onnx.ModelProto]:
    """The compact lower and upper parts of a quantised export."""
    export = Export(model)
    if not 0 < exit_after < len(export.layers):
        raise SystemExit(f"--exit-after must be between 1 and {len(export.layers) - 1}")
    width = export.values["net.encoder.embeddings.LayerNorm.weight"].shape[0]
    ids = _tensor("input_ids", TensorProto.INT64, ["batch", "tokens"])
    mask = _tensor("attention_mask", TensorProto.INT64, ["batch", "tokens"])
    hidden = _tensor("hidden", TensorProto.FLOAT, ["batch", "tokens", width])

    lower = Graph()
    words, word_scale, word_zero = export.table("word_embeddings")
    places, place_scale, place_zero = export.table("position_embeddings")
    types, type_scale, type_zero = export.table("token_type_embeddings")
    # Every token has type 0: the export's dequantised row, as a constant.
    type0 = (types[0].astype(np.int32) - np.int32(type_zero)).astype(np.float32) * type_scale
    lower.node("Gather", [lower.constant("words.q", words), "input_ids"], ["words.g"])
    lower.node("DequantizeLinear", ["words.g", lower.constant("words.s", word_scale),
                                    lower.constant("words.z", word_zero)], ["words"])
    lower.node("Shape", ["input_ids"], ["shape"])
    lower.node("Gather", ["shape", lower.constant("one", np.array(1, np.int64))], ["length"],
               axis=0)
    lower.node("Range", [lower.constant("start", np.array(0, np.int64)), "length",
                         lower.constant("step", np.array(1, np.int64))], ["positions"])
    lower.node("Gather", [lower.constant("places.q", places), "positions"], ["places.g"])
    lower.node("DequantizeLinear", ["places.g", lower.constant("places.s", place_scale),
                                    lower.constant("places.z", place_zero)], ["places"])
    lower.node("Add", ["words", lower.constant("type0", type0.astype(np.float32))], ["typed"])
    lower.node("Add", ["typed", "places"], ["embedded"])
    x = lower.node("LayerNormalization", [
        "embedded",
        lower.constant("embedded.g", export.values["net.encoder.embeddings.LayerNorm.weight"]),
        lower.constant("embedded.b", export.values["net.encoder.embeddings.LayerNorm.bias"])],
        ["h"], axis=-1, epsilon=EPSILON)
    _mask(lower)
    for n in export.layers[:exit_after]:
        x = lower.layer(x, *export.layer(n), n)
    lower.node("Identity", [x], ["hidden"])
    _mean(lower, x, "pooled")
    lower_model = lower.model([ids, mask], [
        hidden, _tensor("pooled", TensorProto.FLOAT, ["batch", width])])

    upper = Graph()
    _mask(upper)
    x = "hidden"
    for n in export.layers[exit_after:]:
        x = upper.layer(x, *export.layer(n), n)
    pooled = _mean(upper, x, "pooled")
    v = export.values
    harsh = [v[f"net.harsh.weight_Transposed_{k}"] for k in ("quantized", "zero_point", "scale")]
    category = [v[f"net.category.weight_Transposed_{k}"]
                for k in ("quantized", "zero_point", "scale")]
    heads = upper.quantised_matmul(
        pooled, tuple(np.concatenate([h, c], axis=-1) for h, c in zip(harsh, category,
                                                                        strict=True)), "heads")
    heads = upper.node("Add", [heads, upper.constant("heads.b", np.concatenate(
        [v["net.harsh.bias"], v["net.category.bias"]]))], ["heads.yb"])
    kinds = category[0].shape[-1]
    upper.node("Split", [heads, upper.constant("heads.split", np.array([1, kinds], np.int64))],
               ["harsh.logit", "category.logit"], axis=-1)
    upper.node("Squeeze", ["harsh.logit", upper.constant("head", np.array([-1], np.int64))],
               ["harsh.l"])
    upper.node("Sigmoid", ["harsh.l"], ["harsh"])
    upper.node("Softmax", ["category.logit"], ["category"], axis=-1)
    upper_model = upper.model([hidden, mask], [
        _tensor("harsh", TensorProto.FLOAT, ["batch"]),
        _tensor("category", TensorProto.FLOAT, ["batch", kinds])])
    return lower_model, upper_model


def _session(model: onnx.ModelProto):  # noqa: ANN202
    """The session docgen would open for ``model`` (docgen.lint.tone_model)."""
    from docgen.lint.tone_model import open_session

    return open_session(model.SerializeToString())


def read_export(texts: list[str], tokenizer, export: onnx.ModelProto  # noqa: ANN001
                ) -> np.ndarray:
    """The export's probability for each text, one at a time as docgen reads them."""
    whole = _session(export)
    return np.array([float(whole.run(["harsh"], _feed(tokenizer, text))[0][0])
                     for text in texts])


def read_parts(texts: list[str], tokenizer, lower: onnx.ModelProto,  # noqa: ANN001
               upper: onnx.ModelProto) -> tuple[np.ndarray, np.ndarray]:
    """For each text: the two parts' probability, and the lower part's mean."""
    first, second = _session(lower), _session(upper)
    after, pooled = [], []
    for text in texts:
        feed = _feed(tokenizer, text)
        hidden, mean = first.run(["hidden", "pooled"], feed)
        after.append(float(second.run(["harsh"], {"hidden": hidden,
                                                  "attention_mask": feed["attention_mask"]}
                                      )[0][0]))
        pooled.append(mean[0])
    return np.array(after), np.array(pooled)


def _feed(tokenizer, text: str) -> dict[str, np.ndarray]:  # noqa: ANN001
    ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
    return {"input_ids": ids, "attention_mask": np.ones_like(ids)}


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def fit_exit(pooled: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, float]:
    """Least squares with a ridge penalty (the bias unpenalised): weights and bias."""
    mean_x, mean_y = pooled.mean(axis=0), target.mean()
    x = pooled - mean_x
    weight = np.linalg.solve(x.T @ x + RIDGE * np.eye(x.shape[1]), x.T @ (target - mean_y))
    return weight.astype(np.float32), float(mean_y - mean_x @ weight)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=MODEL)
    parser.add_argument("--exit-after", type=int, default=3)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    import yaml
    from tokenizers import Tokenizer

    folder, source = args.folder, args.folder / "model.onnx"
    if not source.exists() and not (folder / "lower.onnx").exists():
        raise SystemExit(f"{source}: no exported model to rebuild (run train_tone.py first)")
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    thresholds = yaml.safe_load(RULE.read_text(encoding="utf-8"))["thresholds"]
    warning, error = float(thresholds["warning"]), float(thresholds["error"])
    sentences = training_sentences()
    texts = [s.text for s in sentences]
    dev = np.array([s.dev for s in sentences])
    record_path = folder / "training.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))

    rebuilt = source.exists()
    if rebuilt:  # a new export: rebuild it; otherwise only the exit is fitted again
        export = onnx.load(str(source))
        lower, upper = build(export, args.exit_after)
        exported = read_export(texts, tokenizer, export)
        compact, pooled = read_parts(texts, tokenizer, lower, upper)
        difference = np.abs(compact - exported)
        agrees, agrees_at_error = (float(((compact >= t) == (exported >= t))[dev].mean())
                                   for t in (warning, error))
        if agrees < 0.99:
            raise SystemExit(f"the compact graph disagrees with the export on "
                             f"{1 - agrees:.1%} of the dev split; not writing it")
        for path, part in (("lower.onnx", lower), ("upper.onnx", upper)):
            onnx.save(part, str(folder / path))
        source.unlink()
        record["compact"] = {
            "exported_sha256": record["training"]["model_sha256"],
            **{f"{name}_sha256": hashlib.sha256((folder / f"{name}.onnx").read_bytes()
                                                ).hexdigest() for name in ("lower", "upper")},
            "exit_after_layers": args.exit_after,
            "nodes": {"export": len(export.graph.node),
                      "compact": len(lower.graph.node) + len(upper.graph.node)},
            "corpus_sentences": len(sentences),
            "max_difference": round(float(difference.max()), 4),
            "mean_difference": round(float(difference.mean()), 6),
            "dev_decisions_agree": round(agrees, 4),
            "dev_decisions_agree_at_error": round(agrees_at_error, 4),
        }
    else:
        compact, pooled = read_parts(texts, tokenizer, onnx.load(str(folder / "lower.onnx")),
                                     onnx.load(str(folder / "upper.onnx")))

    # The exit, fitted on the training split; its cut-off set on dev against the rule's
    # warning threshold, so it is fitted again whenever that threshold changes.
    weight, bias = fit_exit(pooled[~dev], logit(compact[~dev]))
    estimate = pooled @ weight + bias
    flagged = dev & (compact >= warning)
    if not flagged.any():
        raise SystemExit(f"{folder}: the model flags no dev sentence at the warning threshold "
                         f"({warning}), so the early exit has no cut-off to keep below them; "
                         "train on more sentences (a --limit run stops here)")
    cutoff = float(estimate[flagged].min()) - MARGIN
    cleared = dev & (estimate < cutoff)
    after_layers = record["compact"]["exit_after_layers"]
    np.savez(folder / "exit.npz", weight=weight, bias=np.float32(bias),
             cutoff=np.float32(cutoff), after_layers=np.int64(after_layers))
    record["compact"]["exit"] = {
        "cutoff": round(cutoff, 3), "margin": MARGIN, "ridge": RIDGE,
        "warning_threshold": warning,
        "correlation_on_dev": round(float(np.corrcoef(estimate[dev], logit(compact[dev]))[0, 1]),
                                    3),
        "dev_cleared": round(float(cleared.sum() / dev.sum()), 3),
        "dev_flagged_cleared": int((cleared & flagged).sum())}
    if rebuilt:
        record["compact"]["minutes"] = round((time.perf_counter() - started) / 60, 1)
    record_path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record["compact"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
