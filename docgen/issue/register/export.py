"""Export the register's records as CSV (one row each, with a header) or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import fields
from typing import Literal

from docgen.canonical import canonical_json
from docgen.errors import RegisterError
from docgen.issue.register.records import JSON_FIELDS, Record


def export(records: Sequence[Record], format: Literal["csv", "json"] = "csv") -> str:
    """Every record, in the order given, as CSV (with a header row) or JSON."""
    rows = [r.as_dict() for r in records]
    if format == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if format != "csv":
        raise RegisterError(f"cannot export as '{format}'; expected csv or json")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields(Record)],
                            lineterminator="\n")
    writer.writeheader()
    for row in rows:
        for name in JSON_FIELDS:
            row[name] = canonical_json(row[name])
        writer.writerow(row)
    return out.getvalue()
