"""Every template says where its content comes from and what it assumes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.errors import TemplateError
from docgen.templates import DEFAULT_ROOT, Catalogue


def test_every_manifest_has_an_honest_source_note() -> None:
    for template in Catalogue():
        sources = template.manifest.sources
        assert sources.follows, template.id
        assert any("not by reading" in a for a in sources.assumptions), template.id


def test_the_report_notes_name_the_framework_date() -> None:
    catalogue = Catalogue()
    for template_id in ("inspection_report_2019", "inspection_report_card"):
        follows = " ".join(catalogue.get(template_id).manifest.sources.follows)
        assert "10 November 2025" in follows


def test_a_manifest_without_a_source_note_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    shutil.copytree(DEFAULT_ROOT / "letters", root)
    manifest = root / "pause_confirmation.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index("sources:")], encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        Catalogue(root)
    assert "field 'sources'" in str(raised.value)
