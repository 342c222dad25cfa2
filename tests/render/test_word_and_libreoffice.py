"""README command (1) end to end: every sample becomes a .docx that python-docx opens and
LibreOffice converts to PDF without error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import docx
import jsonschema
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from docgen.cli import main
from tests.conftest import SAMPLES

SAMPLE_FILES = sorted(SAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def rendered_samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["render", str(SAMPLES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_sample_renders_and_opens_with_python_docx(rendered_samples: Path) -> None:
    made = sorted(p.stem for p in rendered_samples.glob("*.docx"))
    assert made == [p.stem for p in SAMPLE_FILES]
    for path in rendered_samples.glob("*.docx"):
        document = docx.Document(str(path))
        assert len(document.paragraphs) > 10, path.name
        assert document.core_properties.language == "en-GB"


def test_every_sample_converts_with_libreoffice(rendered_samples: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: apt-get install libreoffice-writer-nogui"
    files = sorted(str(p) for p in rendered_samples.glob("*.docx"))
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *files],
        check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)},
    )
    for name in files:
        pdf = tmp_path / f"{Path(name).stem}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {name}"
        reader = PdfReader(str(pdf))
        assert len(reader.pages) >= 1
        assert reader.pages[0].extract_text().strip()


def test_templates_json_lists_every_document() -> None:
    result = CliRunner().invoke(main, ["templates", "--format", "json"])
    assert result.exit_code == 0
    ids = {row["id"] for row in json.loads(result.output)}
    assert {
        "notification_call_script", "notification_letter", "pause_confirmation",
        "termination_warning_notice", "safeguarding_return_visit", "publication_delay",
        "concern_acknowledgement", "inspection_report_card", "inspection_report_2019",
    } <= ids


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.stem)
def test_sample_matches_its_json_schema(sample: Path) -> None:
    from docgen.data import read_data_file

    raw = read_data_file(sample)
    result = CliRunner().invoke(main, ["schema", raw["template"]])
    assert result.exit_code == 0, result.output
    jsonschema.validate(raw, json.loads(result.output))


def test_schema_of_unknown_template_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["schema", "../../etc/passwd"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "docgen: There is no template '../../etc/passwd'. "
        "Run 'docgen templates' to see the ids you can use."
    )
