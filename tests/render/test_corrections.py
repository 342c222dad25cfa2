"""Issue 11's corrections, each pinned in the rendered sample that shows it
(tests/data/golden/corrections.yaml), and checks across every sample."""

from __future__ import annotations

import re

import pytest
import yaml

from docgen.data import load_document
from docgen.lint.document import TextDocument, paragraphs_from_text
from docgen.lint.engine import lint_document
from docgen.render import render
from tests.conftest import DATA, SAMPLES

CORRECTIONS = yaml.safe_load((DATA / "golden" / "corrections.yaml").read_text("utf-8"))
CASES = [(name, number, case) for name, cases in CORRECTIONS.items()
         for number, case in enumerate(cases)]


@pytest.fixture(scope="module")
def texts(catalogue) -> dict[str, str]:
    out = {}
    for path in sorted(SAMPLES.glob("*.yaml")):
        loaded = load_document(path, catalogue)
        out[path.stem] = render(loaded.template, loaded.document).text
    return out


@pytest.mark.parametrize(("name", "number", "case"), CASES,
                         ids=[f"{name} ({case['sample']})" for name, _, case in CASES])
def test_correction(name: str, number: int, case: dict, texts: dict[str, str]) -> None:
    text = texts[case["sample"]]
    missing = [want for want in case.get("says", []) if want not in text]
    present = [gone for gone in case.get("not", []) if gone in text]
    assert not missing, f"{name}: {case['sample']} should say {missing}"
    assert not present, f"{name}: {case['sample']} should no longer say {present}"


HELPLINES = {"08000 562 561", "0300 123 1231"}
DRAMA = re.compile(r"^(?:01632 ?960 ?\d{3}|020 ?7946 ?0\d{3})$")


def test_sample_numbers_are_fictional() -> None:
    for path in SAMPLES.glob("*.yaml"):
        text = path.read_text("utf-8")
        for phone in re.findall(r"phone: ([0-9 ]+[0-9])", text):
            assert phone in HELPLINES or DRAMA.match(phone), f"{path.name}: {phone}"
        for urn in re.findall(r'urn: "(\d+)"', text):
            assert urn.startswith("9"), f"{path.name}: URN {urn}"
        for number in re.findall(r'companies_house_number: "(\w+)"', text):
            assert number.startswith("ZZ"), f"{path.name}: {number}"
        assert "Caversham" not in text, path.name


def test_wellbeing_support_is_required_in_a_concern_acknowledgement() -> None:
    text = "Thank you for your letter. Please call Tom Hale on 01632 960 120."
    doc = TextDocument("<letter>", paragraphs_from_text(text),
                       document_type="concern_acknowledgement")
    assert "Required.Wellbeing" in {f.rule for f in lint_document(doc).findings}
