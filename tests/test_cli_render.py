from __future__ import annotations

import json
from pathlib import Path

import docx
from click.testing import CliRunner

from docgen.cli import main
from tests.conftest import SAMPLES


def test_render_writes_a_docx_python_docx_opens(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["render", str(SAMPLES / "pause_confirmation.yaml"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "pause_confirmation.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "We expect the inspection to resume on Tuesday 4 May 2027." in text
    assert "Dear Ms Ní Bhriain" in text


def test_templates_json_lists_ids() -> None:
    result = CliRunner().invoke(main, ["templates", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert {"id", "title", "kind"} <= set(rows[0])
    assert "pause_confirmation" in {row["id"] for row in rows}
