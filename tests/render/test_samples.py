"""Every sample renders; its text matches the golden file and what python-docx reads back."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph

from docgen.data import load_document
from docgen.render import render
from docgen.render.text import CELL_SEPARATOR
from tests.conftest import DATA, SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))
GOLDEN = DATA / "golden"


@pytest.fixture(scope="module")
def rendered(catalogue):
    out = {}
    for path in SAMPLE_FILES:
        loaded = load_document(path, catalogue)
        out[path.stem] = render(loaded.template, loaded.document)
    return out


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_golden_text(sample: Path, rendered) -> None:
    text = rendered[sample.stem].text
    golden = GOLDEN / f"{sample.stem}.txt"
    if os.environ.get("DOCGEN_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file; run with DOCGEN_UPDATE_GOLDEN=1 to write {golden}"
    assert text == golden.read_text(encoding="utf-8")


def _python_docx_text(data: bytes) -> str:
    """The document's text as python-docx reads it, in docgen's text layout."""
    document = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = item.text.strip()
            if not text:
                continue
            style = item.style.name if item.style is not None else ""
            is_list = style.startswith("List") or item._p.pPr is not None and (
                item._p.pPr.numPr is not None
            )
            blocks.append(f"- {text}" if is_list else text)
        elif isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells = [
                    " ".join(p.text.strip() for p in _cell_paragraphs(tc) if p.text.strip())
                    for tc in row._tr.tc_lst
                ]
                line = CELL_SEPARATOR.join(cells)
                if line.strip(" |"):
                    rows.append(line)
            if rows:
                blocks.append("\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def _cell_paragraphs(tc) -> list[Paragraph]:
    return [Paragraph(p, None) for p in tc.iter(tc.p_lst[0].tag)] if tc.p_lst else []


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_docx_text_equals_text_format(sample: Path, rendered) -> None:
    result = rendered[sample.stem]
    assert _python_docx_text(result.docx) == result.text


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_no_placeholder_survives(sample: Path, rendered) -> None:
    text = rendered[sample.stem].text
    for mark in ("{{", "}}", "{%", "%}", "None"):
        assert mark not in text


# Issue 10 point 9: one reference, the register's, wherever a document prints one.
_OUR_REFERENCE = re.compile(r"\b(?:our reference|quoting reference|quote our reference)\b", re.I)


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_every_reference_the_document_prints_is_the_registers(sample: Path, catalogue) -> None:
    loaded = load_document(sample, catalogue)
    assert "reference" not in type(loaded.document).model_fields, (
        f"{loaded.template.id}: the model has its own 'reference' field; the register's "
        "reference is the only one a document prints (issue_reference)")
    issued = f"{loaded.template.manifest.reference_prefix}-2027-000042"
    text = render(loaded.template, loaded.document, reference=issued).text
    for line in text.splitlines():
        if _OUR_REFERENCE.search(line):
            assert issued in line, line
