"""Rows for batches: CSV (dotted column names) or JSON Lines, each row one document's data.

A CSV column ``school.address.town`` fills ``{"school": {"address": {"town": ...}}}``;
a cell that holds a JSON list or object (``["Main Road"]``) is read as JSON; an empty cell
is left out. A bad row is reported and the others carry on.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.data import MAX_DEPTH, nesting_depth, too_deep
from docgen.errors import DataError

MAX_ROWS_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Row:
    """One row: its 1-based number in the file, and its data or what is wrong with it."""

    number: int
    data: dict[str, Any] | None
    error: str | None = None


def read_rows(path: Path, defaults: dict[str, Any] | None = None) -> Iterator[Row]:
    """Yield the rows of a .csv or .jsonl file, merged over ``defaults``."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise DataError(f"expected a .csv or .jsonl file of rows, not '{suffix}'", path=path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror})", path=path) from None
    if size > MAX_ROWS_BYTES:
        raise DataError(f"is larger than {MAX_ROWS_BYTES // 1024 // 1024} MB; split it",
                        path=path)
    rows = _csv_rows(path) if suffix == ".csv" else _jsonl_rows(path)
    for row in rows:
        if row.data is not None and defaults:
            row = Row(row.number, merge(defaults, row.data))
        yield row


def _csv_rows(path: Path) -> Iterator[Row]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise DataError("has no header row of field names", path=path)
            for number, record in enumerate(reader, start=1):
                if None in record:
                    yield Row(number, None, f"has {len(record[None]) + len(reader.fieldnames)} "
                              f"cells but the header names {len(reader.fieldnames)}")
                    continue
                try:
                    yield Row(number, _nest(record))
                except ValueError as exc:
                    yield Row(number, None, str(exc))
    except UnicodeDecodeError:
        raise DataError("is not UTF-8 text; save it as UTF-8 CSV", path=path) from None


def _jsonl_rows(path: Path) -> Iterator[Row]:
    try:
        with path.open(encoding="utf-8") as handle:
            number = 0
            for line in handle:
                if not line.strip():
                    continue
                number += 1
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Row(number, None, f"is not valid JSON: {exc.msg} at column {exc.colno}")
                    continue
                except RecursionError:  # one level of recursion per level of nesting
                    yield Row(number, None, too_deep("JSON"))
                    continue
                if nesting_depth(data) > MAX_DEPTH:
                    yield Row(number, None, too_deep("JSON"))
                    continue
                if not isinstance(data, dict):
                    yield Row(number, None, "expected a JSON object of fields")
                    continue
                yield Row(number, data)
    except UnicodeDecodeError:
        raise DataError("is not UTF-8 text; save it as UTF-8", path=path) from None


def _nest(record: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, cell in record.items():
        value = (cell or "").strip()
        if not value:
            continue
        if value[0] in "[{":
            try:
                parsed: Any = json.loads(value)
            except (json.JSONDecodeError, RecursionError):
                raise ValueError(
                    f"column '{column}' looks like JSON but is not valid JSON"
                ) from None
            if nesting_depth(parsed) > MAX_DEPTH:
                raise ValueError(f"column '{column}' {too_deep('JSON')}")
        else:
            parsed = value
        *parents, last = column.strip().split(".")
        target = data
        for key in parents:
            child = target.setdefault(key, {})
            if not isinstance(child, dict):
                raise ValueError(f"column '{column}' clashes with column '{key}'")
            target = child
        target[last] = parsed
    return data


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge ``override`` over ``base``: mappings merge, anything else replaces."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
