"""Where a finding in a rendered document came from: a data field, or the template's wording.

``docgen issue`` lints the rendered letter, so a finding's "line" is a paragraph of that
letter, which means nothing to the person who wrote the YAML. A finding's matched text is
looked for among the data's text values as they appear in its paragraph: if the match
overlaps a value printed there, the finding came from that field (and the data file's
line for it, when the data came from a file); otherwise it came from the template's
fixed text, which is the template author's to fix, not the data writer's.

This is a text match, not a trace through the template: a value that also happens to be
printed by the template's own wording in the same paragraph is credited to the data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from docgen import yamltext
from docgen.lint.findings import Finding
from docgen.models import Model

_SHORTEST = 3  # shorter values ("Mr", "5") match by chance too often to name a field


@dataclass(frozen=True)
class Origin:
    """The field that produced a finding (``field``), or the template's text (None)."""

    field: str | None
    paragraph: int
    data_line: int | None = None

    def describe(self, source: str, template_path: str) -> str:
        """For example "delay.yaml:4: field 'reason'" or "…docx: paragraph 20, the
        template's own wording"."""
        if self.field is None:
            return f"{template_path}: paragraph {self.paragraph}, the template's own wording"
        where = f"{source}:{self.data_line}" if self.data_line else source
        return f"{where}: field '{self.field}'"

    def to_dict(self) -> dict[str, Any]:
        if self.field is None:
            return {"template_text": True, "paragraph": self.paragraph}
        return {"field": self.field, "data_line": self.data_line, "paragraph": self.paragraph}


def text_fields(document: Model) -> dict[str, str]:
    """Every text value in the document's data, by dotted path (``concerns[2]``)."""
    return dict(_walk(document.model_dump(mode="json"), ""))


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if len(value.strip()) >= _SHORTEST:
            yield path, value.strip()
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def field_lines(path: Path) -> dict[str, int]:
    """The line of each field in a YAML or JSON data file, by the same dotted paths."""
    from docgen.data import MAX_DEPTH, _DataLoader

    try:
        node = yamltext.compose(path.read_text(encoding="utf-8"), _DataLoader, MAX_DEPTH)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, yamltext.TooDeep):
        return {}
    lines: dict[str, int] = {}
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        current, prefix = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, item in current.value:
                name = f"{prefix}.{key.value}" if prefix else str(key.value)
                lines[name] = key.start_mark.line + 1
                stack.append((item, name))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                name = f"{prefix}[{index}]"
                lines[name] = item.start_mark.line + 1
                stack.append((item, name))
    return lines


def origin_of(finding: Finding, paragraphs: Mapping[int, str], fields: Mapping[str, str],
              lines: Mapping[str, int] | None = None) -> Origin:
    """The field whose printed value the finding's match overlaps most, else the template."""
    text = paragraphs.get(finding.line, "")
    start = max(finding.column - 1, 0)
    end = finding.end_column - 1 if finding.end_line == finding.line else len(text)
    end = max(end, start + 1)
    best: tuple[int, int, str] | None = None  # (overlap, -length, field)
    for name, value in fields.items():
        at = text.find(value)
        while at >= 0:
            overlap = min(end, at + len(value)) - max(start, at)
            if overlap > 0:
                candidate = (overlap, -len(value), name)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
            at = text.find(value, at + 1)
    if best is None:
        return Origin(None, finding.line)
    name = best[2]
    return Origin(name, finding.line, (lines or {}).get(name))
