"""Any name survives into the Word document exactly: XML specials, quotes, non-ASCII."""

from __future__ import annotations

import io

import docx
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.data import validate
from tests.conftest import SAMPLES

_SAMPLE = yaml.safe_load((SAMPLES / "pause_confirmation.yaml").read_text(encoding="utf-8"))
_SAMPLE.pop("template")

# Printable text of any script; control, surrogate and unassigned characters cannot be in XML.
names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")),
    min_size=1,
    max_size=60,
).map(str.strip).filter(bool)


def _document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


@settings(
    max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(school=names, first=names, last=names)
def test_any_name_appears_exactly(catalogue, school: str, first: str, last: str) -> None:
    from docgen.render import render

    template = catalogue.get("pause_confirmation")
    raw = {**_SAMPLE, "school": {**_SAMPLE["school"], "name": school},
           "headteacher": {"title": "Mx", "first_name": first, "last_name": last}}
    document = validate(template, raw, "<test>")
    text = _document_text(render(template, document).docx)
    assert f"We have paused the inspection of {school}" in text
    assert f"Mx {first} {last}" in text
    assert f"Dear Mx {last}" in text


def test_ampersand_apostrophe_and_angle_brackets(catalogue) -> None:
    from docgen.render import render

    template = catalogue.get("pause_confirmation")
    school = "St Mary & St John's <VA> \"Church\" School"
    raw = {**_SAMPLE, "school": {**_SAMPLE["school"], "name": school}}
    result = render(template, validate(template, raw, "<test>"))
    assert f"inspection of {school}" in _document_text(result.docx)
    assert f"inspection of {school}" in result.text
