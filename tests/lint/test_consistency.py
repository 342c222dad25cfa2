"""The consistency kind with real documents: data and text read together."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from docgen.data import load_document
from docgen.errors import DataError
from docgen.lint import check_document
from docgen.lint.facts import facts_for
from docgen.lint.readers import read_data_document, read_docx
from docgen.render import render
from tests.conftest import DATA, SAMPLES


def _rules(report) -> set[str]:
    return {f.rule for f in report.findings if f.rule.startswith("Consistency.")}


def test_a_report_card_that_leaves_out_its_category_is_flagged(catalogue) -> None:
    loaded = load_document(SAMPLES / "inspection_report_card_special_measures.yaml", catalogue)
    document = read_docx(render(loaded.template, loaded.document).docx, "card.docx",
                         "inspection_report_card")
    document.data = facts_for(loaded)
    assert _rules(check_document(document)) == set()

    # The same report without its category sentence, as an older template printed it.
    kept = [p for p in document.paragraphs if "requires special measures" not in p.text]
    assert len(kept) == len(document.paragraphs) - 1
    report = check_document(replace(document, paragraphs=kept))
    [finding] = [f for f in report.findings if f.rule == "Consistency.CategoryStated"]
    assert "special measures (judgements.category_of_concern)" in finding.message


def test_without_data_the_consistency_rules_do_nothing(catalogue) -> None:
    path = DATA / "contradictions" / "report_card_safeguarding_not_met.yaml"
    document = read_data_document(path)
    assert "Consistency.SafeguardingClaims" in _rules(check_document(document))
    assert _rules(check_document(replace(document, data=None))) == set()


def test_a_suppression_covers_a_consistency_finding() -> None:
    path = DATA / "contradictions" / "return_visit_too_late.yaml"
    document = read_data_document(path)
    at = next(i for i, p in enumerate(document.paragraphs) if "We will visit" in p.text)
    from docgen.lint.document import Paragraph

    paragraphs = list(document.paragraphs)
    paragraphs.insert(at, Paragraph(
        "docgen-ignore Consistency.ReturnVisitWindow: the school asked for this date",
        paragraphs[at].line))
    report = check_document(replace(document, paragraphs=paragraphs))
    assert "Consistency.ReturnVisitWindow" not in _rules(report)
    assert [s.rule for s in report.suppressed] == ["Consistency.ReturnVisitWindow"]


def test_the_linked_report_is_read_relative_to_the_notice(catalogue, tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "termination_warning_notice.yaml").read_text("utf-8"))
    data["ofsted_report"] = "missing.yaml"
    path = tmp_path / "notice.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_document(path, catalogue)
    assert "names 'missing.yaml', which is not a file beside notice.yaml" in str(raised.value)

    data["ofsted_report"] = str(SAMPLES / "pause_confirmation.yaml")
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        load_document(path, catalogue)
    assert "expected a report" in str(raised.value)


def test_the_shipped_notice_quotes_its_linked_report_word_for_word(catalogue) -> None:
    loaded = load_document(SAMPLES / "termination_warning_notice.yaml", catalogue)
    text = facts_for(loaded).ofsted_report_text
    for concern in loaded.document.concerns:
        assert concern in text


def test_lint_on_a_bad_data_file_is_exit_2_naming_the_field(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from docgen.cli import main

    path = tmp_path / "letter.yaml"
    path.write_text("template: pause_confirmaton\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 2
    assert "letter.yaml: field 'template': There is no template 'pause_confirmaton'." in (
        result.stderr)


def test_lint_on_a_shipped_sample_is_clean() -> None:
    from click.testing import CliRunner

    from docgen.cli import main

    result = CliRunner().invoke(main, ["lint", str(SAMPLES / "termination_warning_notice.yaml")])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.stdout


def test_a_rule_with_two_checks_is_refused_with_a_plain_message(tmp_path: Path) -> None:
    from docgen.errors import RuleFileError
    from docgen.lint.rules import load_rule_file

    path = tmp_path / "Bad.yml"
    path.write_text(
        'extends: consistency\nmessage: "x"\nlevel: error\nsection: "10. Say what the data '
        'says"\nforbid: ["a"]\nrequire: ["b"]\nexamples: {flag: ["a"], pass: ["b"]}\n',
        encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        load_rule_file(path, "Consistency.Bad")
    assert str(raised.value).endswith(
        "Bad.yml: line 1: a consistency rule needs exactly one of forbid, require, "
        "field_mentions, quoted_from and expect; got ['forbid', 'require']")
