"""docgen's names as value types: each is checked in one place, and every user agrees."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from docgen.errors import RegisterError
from docgen.identifiers import RuleSelector, selects
from docgen.issue.gate import Waiver
from docgen.issue.register.records import check_prefix
from docgen.lint.config import LintConfig
from docgen.lint.findings import Finding, Severity
from docgen.templates import Catalogue, Manifest


@pytest.mark.parametrize(("typed", "rule", "expected"), [
    ("Tone", "Tone", True),
    ("Tone", "Tone.Blame", True),
    ("Tone.", "Tone.Blame", True),
    (" Tone.Blame ", "Tone.Blame", True),
    ("Tone", "ToneDeaf.Rule", False),
    ("Tone.Blame", "Tone", False),
])
def test_a_selector_names_a_rule_or_every_rule_under_a_prefix(typed: str, rule: str,
                                                              expected: bool) -> None:
    assert RuleSelector.of(typed).matches(rule) is expected
    assert selects([typed], rule) is expected


def test_config_and_waivers_read_selectors_alike() -> None:
    finding = Finding(rule="Tone.Blame", message="m", severity=Severity.ERROR, line=1,
                      column=1, end_line=1, end_column=2, match="x")
    for typed in ("Tone", "Tone.", "Tone.Blame", "ToneDeaf", "Tone.Blam"):
        config = LintConfig(ignore=(typed,))
        waiver = Waiver(typed, "Quoted from the trust's own minutes", "A Reviewer")
        assert waiver.covers(finding) is (not config.enabled(finding.rule)), typed


@pytest.mark.parametrize("prefix", ["PAU", "R19", "TWN", "A1", "ABCDE", "pau", "P", "ABCDEF",
                                    "1AB", "PA-U", ""])
def test_manifest_and_register_accept_the_same_reference_prefixes(prefix: str) -> None:
    shipped = next(iter(Catalogue())).manifest.model_dump(by_alias=True)
    try:
        Manifest.model_validate({**shipped, "reference_prefix": prefix})
        manifest_accepts = True
    except ValidationError:
        manifest_accepts = False
    try:
        check_prefix(prefix)
        register_accepts = True
    except RegisterError:
        register_accepts = False
    assert manifest_accepts == register_accepts, prefix


def test_the_document_type_is_the_template_id_unless_the_manifest_names_another() -> None:
    for template in Catalogue():
        assert template.document_type == template.id
        assert template.manifest.document_type is None
    shipped = next(iter(Catalogue())).manifest.model_dump(exclude={"document_type"})
    for key in ("document_type", "lint_profile"):  # its older name still reads
        manifest = Manifest.model_validate({**shipped, key: "pause_confirmation"})
        assert manifest.document_type == "pause_confirmation"
    with pytest.raises(ValidationError):
        Manifest.model_validate({**shipped, "document_type": "Pause Confirmation"})
