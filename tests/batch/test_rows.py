from __future__ import annotations

from pathlib import Path

import pytest

from docgen.batch.rows import Row, merge, read_rows
from docgen.errors import DataError


def test_csv_dotted_columns_nest_and_json_cells_parse(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        'school.name,school.urn,school.address.lines,note\n'
        '"St Mary & St John\'s",138245,"[""1 Main Road""]",\n'
        'Brookfield,100001,"[""Oak Lane""]",hello\n',
        encoding="utf-8",
    )
    rows = list(read_rows(path, defaults={"school": {"phase": "primary"}, "note": "base"}))
    assert rows[0] == Row(1, {"school": {"phase": "primary", "name": "St Mary & St John's",
                                         "urn": "138245", "address": {"lines": ["1 Main Road"]}},
                              "note": "base"})
    assert rows[1].data is not None and rows[1].data["note"] == "hello"


def test_bad_rows_are_reported_and_do_not_stop_the_others(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"a": 1}\n{"a": \n\n[1, 2]\n{"a": 3}\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[1].error is not None and rows[1].error.startswith("is not valid JSON")
    assert rows[2].error == "expected a JSON object of fields"
    assert rows[3].data == {"a": 3}


def test_csv_row_with_too_many_cells(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("a,b\n1,2,3\n4,5\n", encoding="utf-8")
    rows = list(read_rows(path))
    assert rows[0].error == "has 3 cells but the header names 2"
    assert rows[1].data == {"a": "4", "b": "5"}


def test_unknown_row_format(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    path.write_bytes(b"")
    with pytest.raises(DataError) as caught:
        list(read_rows(path))
    assert str(caught.value) == f"{path}: expected a .csv or .jsonl file of rows, not '.xlsx'"


def test_merge_is_deep_and_does_not_change_its_inputs() -> None:
    base = {"a": {"b": 1, "c": 2}}
    assert merge(base, {"a": {"c": 3}}) == {"a": {"b": 1, "c": 3}}
    assert base == {"a": {"b": 1, "c": 2}}
