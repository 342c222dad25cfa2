"""Readability: long sentences and paragraphs where they are, scores by document type."""

from __future__ import annotations

from docgen.lint.config import LintConfig
from docgen.lint.engine import lint_text

ONLY = ("Readability",)
LONG = ("We are writing to let you know that the inspection of your school, which began\n"
        "on Tuesday morning, has been paused at your request and will resume once you and\n"
        "the lead inspector agree a date.")


def _found(text: str, config: LintConfig | None = None, **kwargs: object):
    report = lint_text(text, config=config or LintConfig(select=ONLY), **kwargs)
    return [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in report.findings]


def test_long_sentence_flagged_where_it_is() -> None:
    text = f"Dear Ms Patel\n\nThank you. {LONG} Please call us."
    assert _found(text) == [("Readability.SentenceLength", 3, 12, 5, 33)]


def test_sentence_limit_from_configuration() -> None:
    config = LintConfig(select=ONLY, thresholds={"default": {"sentence_words": 40}})
    assert _found(LONG, config) == []
    config = LintConfig(select=ONLY, thresholds={"pause_confirmation": {"sentence_words": 40}})
    assert _found(LONG, config, document_type="pause_confirmation") == []
    assert _found(LONG, config, document_type="publication_delay") != []


def test_long_paragraph_flagged_but_bullets_stand_alone() -> None:
    six = "We called. We agreed. We waited. We wrote. We met. We left."
    assert [r for r, *_ in _found(six)] == ["Readability.ParagraphLength"]
    bullets = "\n".join(f"- Item {n} is here." for n in range(8))
    assert _found(bullets) == []


def test_table_rows_headings_and_address_lines_not_flagged() -> None:
    row = " | ".join(["cell"] * 30)
    address = "Ofsted Piccadilly Gate Store Street Manchester M1 2WD"
    assert _found(f"{row}\n\n{address}") == []


def test_document_scores_use_type_thresholds() -> None:
    hard = ("Notwithstanding organisational considerations, institutional accountability "
            "necessitates comprehensive reconsideration. ") * 12
    rules = [r for r, *_ in _found(hard)]
    assert rules.count("Readability.ReadingEase") == 1
    assert rules.count("Readability.Grade") == 1
    lenient = LintConfig(select=ONLY, thresholds={
        "inspection_report_2019": {"flesch_reading_ease": -1000, "flesch_kincaid_grade": 100}})
    assert not [r for r, *_ in _found(hard, lenient, document_type="inspection_report_2019")
                if r not in ("Readability.SentenceLength", "Readability.ParagraphLength")]


def test_short_documents_get_no_score_finding() -> None:
    assert _found("Notwithstanding institutional considerations.") == []


def test_syllables_match_textstat_and_table_is_cached(tmp_path, monkeypatch) -> None:
    import textstat

    from docgen.lint.kinds import readability
    from docgen.lint.text import words

    text = ("Thank you for welcoming Ofsted's inspectors. The headteacher explained the "
            "school's curriculum, and pupils described how they stay safe online.")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path))
    readability._pyphen.cache_clear()
    readability.syllable_table.cache_clear()
    try:
        assert readability.count_syllables(words(text)) == textstat.syllable_count(text)
        assert any(p.name.startswith("syllables-cmudict-") for p in tmp_path.iterdir())
        readability.syllable_table.cache_clear()
        assert readability.syllable_table()["school"] == 1  # read back from the cache
    finally:
        readability.syllable_table.cache_clear()
