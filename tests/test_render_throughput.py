"""What 'docgen render' spends per letter: the YAML parser and the syncs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import docgen.fileio
from docgen.cli import main
from docgen.data import _DataLoader, parse_mapping
from docgen.errors import DataError
from tests.conftest import SAMPLES


def test_data_files_are_parsed_by_libyaml_where_pyyaml_has_it() -> None:
    assert hasattr(yaml, "CSafeLoader"), "this PyYAML was built without libyaml"
    assert issubclass(_DataLoader, yaml.CSafeLoader)


def test_libyaml_errors_still_name_the_line_and_column() -> None:
    with pytest.raises(DataError) as caught:
        parse_mapping("school:\n  name: [Brookfield\nurn: 1\n", "letter.yaml", ".yaml")
    assert caught.value.message.startswith("letter.yaml: is not valid YAML: ")
    assert caught.value.message.endswith("at line 3, column 4")


def test_dates_and_times_stay_text_with_the_c_parser() -> None:
    parsed = parse_mapping("letter_date: 2027-04-29\ntime: 10:30\ncount: 3\n", "x", ".yaml")
    assert parsed == {"letter_date": "2027-04-29", "time": "10:30", "count": 3}


def test_render_syncs_once_for_all_its_files(tmp_path: Path, monkeypatch) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for number in range(5):
        shutil.copyfile(SAMPLES / "pause_confirmation.yaml", data / f"letter-{number}.yaml")
    fsyncs: list[int] = []
    syncs: list[Path] = []
    monkeypatch.setattr(os, "fsync", lambda fd: fsyncs.append(fd))
    monkeypatch.setattr(docgen.fileio, "_sync_filesystem", syncs.append)
    result = CliRunner().invoke(main, ["render", str(data), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.docx"))) == 5
    assert fsyncs == []
    assert syncs == [tmp_path / "out"]


def test_sync_files_reaches_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    docgen.fileio.atomic_write(path, b"whole", durable=False)
    docgen.fileio.sync_files([path])  # syncfs on Linux, else os.sync: must not raise
    assert path.read_bytes() == b"whole"
