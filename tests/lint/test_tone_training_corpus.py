"""What training may read of the tone corpus: never a blind sentence, even lightly edited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training import corpus

BLIND_SENTENCE = ("Leaders at Hollins Park Primary have not ensured that pupils who fall "
                  "behind in reading get the help they need to catch up.")


REAL_DEV_SENTENCE = ("It is a poor reflection on some families that so many children arrive "
                     "at school without the right shoes.")


WRITER_DEV_SENTENCE = ("As we have explained several times now, the inspection handbook is "
                       "quite clear on this point if you take the time to read it.")


TEMPLATE_SENTENCE = ("We will write to you again within ten working days to tell you what "
                     "the Secretary of State has decided.")


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def corpus_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A corpus folder and one blind set of a single quoted sentence, in place of the real ones."""
    blind = _write(tmp_path / "blind.jsonl", [
        {"text": BLIND_SENTENCE, "label": "acceptable", "category": "judgement",
         "register": "report", "source": "https://www.example.org/reports/hollins-park/"}])
    folder = tmp_path / "corpus"
    folder.mkdir()
    monkeypatch.setattr(corpus, "BLIND", {"blind": blind})
    monkeypatch.setattr(corpus, "CORPUS", folder)
    monkeypatch.setattr(corpus, "SEEN", ())
    monkeypatch.setattr(corpus, "REAL_DEV", _write(tmp_path / "real_dev.jsonl", [
        {"text": REAL_DEV_SENTENCE, "label": "harsh", "category": "blame",
         "register": "letter", "source": "https://example.org/letters/uniform"}]))
    writers = tmp_path / "writer_dev"
    writers.mkdir()
    _write(writers / "new_writer.jsonl", [
        {"text": WRITER_DEV_SENTENCE, "label": "harsh", "category": "patronising",
         "register": "letter"}])
    monkeypatch.setattr(corpus, "WRITER_DEV", writers)
    monkeypatch.setattr(corpus, "template_sentences", lambda: [TEMPLATE_SENTENCE])

    def make(*rows: dict[str, str]) -> list[str]:
        _write(folder / "candidates.jsonl", list(rows))
        return [s.text for s in corpus.training_sentences()]

    return make


def row(text: str, source: str | None = None) -> dict[str, str]:
    out = {"text": text, "label": "acceptable", "category": "judgement", "register": "report"}
    return out | ({"source": source} if source else {})


def test_a_lightly_edited_copy_of_a_blind_sentence_is_refused(corpus_with) -> None:  # noqa: ANN001
    edited = BLIND_SENTENCE.replace("Hollins Park Primary", "Ashdown Juniors")
    assert corpus_with(row(edited)) == []


def test_a_sentence_quoted_in_a_longer_one_is_refused(corpus_with) -> None:  # noqa: ANN001
    longer = f"The report said: {BLIND_SENTENCE[:-1]}, and governors agreed."
    assert corpus_with(row(longer)) == []


def test_the_same_document_at_another_form_of_its_address_is_refused(corpus_with) -> None:  # noqa: ANN001
    other = "Governors now visit the school each half term to check on reading."
    assert corpus_with(row(other, "http://example.org/reports/hollins-park")) == []


def test_sentences_that_only_share_common_wording_are_kept(corpus_with) -> None:  # noqa: ANN001
    kept = ["Leaders have not ensured that the curriculum in science is well planned.",
            "Pupils get the help they need.",
            "Governors now visit the school each half term to check on reading."]
    assert corpus_with(*(row(text, "https://example.org/other") for text in kept)) == kept


def test_the_real_dev_set_is_held_out_like_a_blind_set(corpus_with) -> None:  # noqa: ANN001
    same_letter = "Starting next week, pupils without the right uniform will be sent home."
    assert corpus_with(row(REAL_DEV_SENTENCE), row(same_letter,
                                                   "https://example.org/letters/uniform/")) == []
    assert [s.text for s in corpus.real_dev()] == [REAL_DEV_SENTENCE]


def test_a_writer_dev_file_is_held_out_whole(corpus_with) -> None:  # noqa: ANN001
    reworded = WRITER_DEV_SENTENCE.replace("quite clear", "very clear")
    kept = "We will send you the draft report within five working days."
    assert corpus_with(row(reworded), row(kept)) == [kept]
    assert [s.text for s in corpus.writer_dev()] == [WRITER_DEV_SENTENCE]


def test_a_shipped_template_sentence_is_refused_so_lint_templates_stays_a_check(
        corpus_with) -> None:  # noqa: ANN001
    renamed = TEMPLATE_SENTENCE.replace("ten working days", "five working days")
    assert corpus_with(row(renamed)) == []


def test_the_second_stage_reads_real_candidates_refused_as_the_corpus_is(
        corpus_with, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    in_corpus = "Governors now visit the school each half term to check on reading."
    new = "Leaders have not ensured that the curriculum in science is well planned."
    unsure = "Pupils get the help they need."
    corpus_with(row(in_corpus, "https://example.org/other"))
    candidates = tmp_path / "candidates"
    candidates.mkdir()
    _write(candidates / "real_public_1.jsonl", [
        row(in_corpus, "https://example.org/other"), row(new, "https://example.org/b"),
        row(BLIND_SENTENCE.replace("Hollins Park Primary", "Ashdown Juniors"),
            "https://example.org/c"),
        row("A sentence from the same report.", "https://www.example.org/reports/hollins-park")])
    _write(candidates / "real_public_1_unsure.jsonl", [row(unsure, "https://example.org/d")])
    _write(candidates / "written_kinds.jsonl", [row("A written sentence.")])
    monkeypatch.setattr(corpus, "CANDIDATES", candidates)
    assert [s.text for s in corpus.candidate_real()] == [new]


def test_the_template_sentences_are_those_lint_templates_reads() -> None:
    sentences = corpus.template_sentences()
    assert "We will send the trust a termination notice." in sentences
    assert len(sentences) == len(set(sentences)) > 300


def test_evaluate_measures_any_labelled_file_and_names_what_it_expects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from training import evaluate

    labelled = _write(tmp_path / "new_writer.jsonl", [row(BLIND_SENTENCE)])
    assert [s.text for s in evaluate.labelled(str(labelled))] == [BLIND_SENTENCE]
    with pytest.raises(SystemExit) as stopped:
        evaluate.labelled(str(tmp_path / "absent.txt"))
    assert stopped.value.code == 2
    assert "expected dev, real_dev, writer_dev, blind3" in capsys.readouterr().err
    assert [s.text for s in evaluate.labelled("writer_dev")] == [
        s.text for s in corpus.writer_dev()]


def test_the_second_reading_covers_the_real_dev_set_and_kappa_is_cohens() -> None:
    from training import agreement

    second = agreement.second_reading()
    assert {s.text for s in corpus.real_dev()} == set(second)
    # Agreement 3 of 4; chance agreement 1/2 * 1/4 + 1/2 * 3/4 = 1/2; kappa 1/2.
    pairs = [(True, True), (True, False), (False, False), (False, False)]
    assert agreement.kappa(pairs) == (0.75, 0.5)
