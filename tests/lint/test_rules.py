"""Every rule file's examples: each ``flag`` item is flagged and each ``pass`` item is not."""

from __future__ import annotations

import pytest

from docgen.lint.config import LintConfig
from docgen.lint.document import TextDocument, paragraphs_from_text
from docgen.lint.engine import lint_document
from docgen.lint.kinds import RuleBase
from docgen.lint.rules import load_rules

RULES = load_rules()


def _flagged(rule: RuleBase, example: object) -> list[str]:
    text, data = example, None
    if hasattr(rule.examples, "case"):  # consistency rules lint each example with its data
        text, data = rule.examples.case(example)
    doc = TextDocument("<example>", paragraphs_from_text(text),
                       document_type=rule.examples.document_type, data=data)
    report = lint_document(doc, LintConfig(select=(rule.id,)), rules=(rule,))
    return [f.match for f in report.findings if f.rule == rule.id]


def test_rules_are_found() -> None:
    kinds = {type(rule).__name__ for rule in RULES}
    assert {"Existence", "Substitution", "Pattern", "Capitals", "Readability", "Required",
            "Spelling", "Consistency"} <= kinds


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule: RuleBase) -> None:
    assert rule.examples.flag and rule.examples.pass_, f"{rule.id} needs both kinds of example"
    missed = [text for text in rule.examples.flag if not _flagged(rule, text)]
    wrongly = {text: _flagged(rule, text) for text in rule.examples.pass_}
    wrongly = {text: found for text, found in wrongly.items() if found}
    assert not missed, f"{rule.id} should flag: {missed}"
    assert not wrongly, f"{rule.id} should pass: {wrongly}"
