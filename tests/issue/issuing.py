"""Helpers for the issue tests that run in separate processes (they must be importable)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import SAMPLES


def pause_rows(count: int, start: int = 0) -> list[dict[str, Any]]:
    """``count`` distinct pause letters (each school differs), as plain JSON data."""
    base = yaml.safe_load((SAMPLES / "pause_confirmation.yaml").read_text(encoding="utf-8"))
    base.pop("template")
    base = json.loads(json.dumps(base, default=str))
    rows = []
    for number in range(start, start + count):
        row = json.loads(json.dumps(base))
        row["school"]["name"] = f"Brookfield Primary School No. {number}"
        row["school"]["urn"] = str(150000 + number)
        rows.append(row)
    return rows


def issue_rows(db: str, out_dir: str, start: int, count: int) -> list[str]:
    """Issue ``count`` pause letters into one register; return their references."""
    from docgen.data import validate
    from docgen.issue.convert import Converter
    from docgen.issue.gate import Issuer
    from docgen.issue.register import Register
    from docgen.templates import Catalogue

    template = Catalogue().get("pause_confirmation")
    references = []
    with Register(db) as register, Converter() as converter:
        issuer = Issuer(register, Path(out_dir), converter)
        for row in pause_rows(count, start):
            document = validate(template, row, "<row>")
            references.append(issuer.issue(template, document, by=f"worker {start}").reference)
    return references
