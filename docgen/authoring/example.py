"""Write a complete, valid example data file for a template, from its JSON Schema.

The file's shape, its order and the comment above each field come from the schema
(``Template.json_schema``): every field is there, required or optional, with its type and
description. Values come from the template's shipped sample where it has one, since the
checks across fields (a call before the inspection, a pause within five working days)
are not in the schema; the rest are generated from the schema (its examples, defaults,
enums and formats). An optional field the sample leaves out is written as a comment with a
generated value, so the file names every field and stays valid.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from docgen.errors import TemplateError
from docgen.templates import Template

_BASE_DATE = dt.date(2027, 3, 1)  # a Monday
_PLAIN = re.compile(r"^(?:\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2})$")


def example_yaml(template: Template, sample: dict[str, Any] | None = None) -> str:
    """A YAML data file for ``template`` that validates, with a comment naming each field."""
    from docgen.data import LINK_FIELDS

    schema = template.json_schema()
    defs = schema.get("$defs", {})
    # A field naming another data file (ofsted_report) names one beside the sample, not
    # beside the example: it is written as a comment, with the sample's value.
    linked = {}
    if sample is not None:
        sample = dict(sample)
        linked = {name: sample.pop(name) for name in LINK_FIELDS if name in sample}
    data = _value(schema, sample, defs, "")
    data["template"] = template.id
    fields = dict(data)
    fields.pop("template", None)
    try:
        template.model.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TemplateError(
            f"docgen cannot write valid example data for '{template.id}' from its schema "
            f"alone (field '{where}': {first['msg']}); add a sample that names this "
            "template to samples/",
        ) from None
    lines = [f"# Example data for {template.manifest.title} ({template.id}).",
             f"# Render it with: docgen render {template.id}.yaml --out out/",
             f"# The full schema: docgen schema {template.id}", ""]
    defaults = {}
    for name, info in template.model.model_fields.items():
        if name not in data and not info.is_required():
            value = info.get_default(call_default_factory=True)
            if value is not None:
                defaults[name] = _plain(value)
    defaults.update(linked)
    _emit(data, schema, defs, 0, lines, defaults)
    return "\n".join(lines) + "\n"


def sample_for(template: Template, samples: Path) -> dict[str, Any] | None:
    """The first shipped sample that names ``template``, as raw data."""
    from docgen.data import read_data_file

    for path in sorted(samples.glob("*.y*ml")):
        raw = read_data_file(path)
        if raw.get("template") == template.id:
            return raw
    return None


# --- Values -------------------------------------------------------------------------------

def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = {**defs[schema["$ref"].rsplit("/", 1)[-1]],
                  **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _choices(schema: dict[str, Any], defs: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of an anyOf or oneOf, else the schema itself."""
    schema = _resolve(schema, defs)
    options = schema.get("anyOf") or schema.get("oneOf")
    if not options:
        return [schema]
    return [_resolve(o, defs) for o in options if o.get("type") != "null"]


def _pick(schema: dict[str, Any], sample: Any, defs: dict[str, Any]) -> dict[str, Any]:
    choices = _choices(schema, defs)
    if isinstance(sample, dict) and len(choices) > 1:
        for choice in choices:
            props = choice.get("properties", {})
            if all(props.get(k, {}).get("const", sample.get(k)) == sample.get(k)
                   for k in props if "const" in props.get(k, {})):
                return choice
    return choices[0]


def _value(schema: dict[str, Any], sample: Any, defs: dict[str, Any], name: str) -> Any:
    chosen = _pick(schema, sample, defs)
    if chosen.get("type") == "object" or "properties" in chosen:
        given = sample if isinstance(sample, dict) else {}
        required = set(chosen.get("required", []))
        out: dict[str, Any] = {}
        for key, sub in chosen.get("properties", {}).items():
            # An optional field the sample leaves out is written as a comment instead.
            if key in required or key in given:
                out[key] = _value(sub, given.get(key), defs, key)
        return out
    if sample is not None:
        return copy.deepcopy(sample)
    if chosen.get("type") == "array":
        items = chosen.get("items", {})
        return [_value(items, None, defs, name.rstrip("s"))]
    return _scalar(schema, chosen, name)


def _scalar(outer: dict[str, Any], schema: dict[str, Any], name: str) -> Any:
    for source in (outer, schema):
        if "const" in source:
            return source["const"]
        if source.get("enum"):
            return source["enum"][0]
        if source.get("default") is not None:
            return source["default"]
        if source.get("examples"):
            return source["examples"][0]
    kind = schema.get("type")
    fmt = schema.get("format")
    if fmt == "date":
        return _BASE_DATE.isoformat()
    if fmt == "date-time":
        return f"{_BASE_DATE.isoformat()}T10:00"
    if fmt == "time":
        return "10:00"
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    lowered = name.lower()
    if "phone" in lowered:
        return "01632 960123"  # an Ofcom drama number
    if "email" in lowered:
        return "name@example.org"
    if "postcode" in lowered:
        return "ZZ99 9ZZ"
    if lowered == "urn":
        return "999901"
    if "url" in lowered:
        return "https://www.example.org"
    return f"Example {name.replace('_', ' ')}".strip()


# --- Writing YAML with comments -------------------------------------------------------------

def _describe(schema: dict[str, Any], defs: dict[str, Any], required: bool) -> str:
    chosen = _choices(schema, defs)
    kinds = []
    for option in chosen:
        fmt = option.get("format")
        if "enum" in option:
            kinds.append("one of " + ", ".join(json.dumps(v) for v in option["enum"]))
        elif "const" in option:
            kinds.append(json.dumps(option["const"]))
        elif fmt in ("date", "date-time", "time"):
            kinds.append({"date": "date YYYY-MM-DD", "date-time": "date and time "
                          "YYYY-MM-DDTHH:MM", "time": "time HH:MM"}[fmt])
        elif option.get("type") == "array":
            kinds.append("list")
        elif option.get("title") and "properties" in option:
            kinds.append(option["title"])
        else:
            kinds.append(option.get("type", "value"))
    text = " or ".join(dict.fromkeys(kinds))
    text += ", required" if required else ", optional"
    description = _resolve(schema, defs).get("description")
    if description:
        text += f": {' '.join(description.split())}"
    return text


def _scalar_text(value: Any) -> str:
    if isinstance(value, str) and _PLAIN.match(value):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) and (
        value != value.strip() or not value
    ) else yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                          width=10_000).removesuffix("\n...\n").strip()


def _plain(value: Any) -> Any:
    """A default value as data: models dumped, dates as text."""
    from pydantic import TypeAdapter

    return json.loads(TypeAdapter(type(value)).dump_json(value)) if not isinstance(
        value, str | int | float | bool) else value


def _emit(value: dict[str, Any], schema: dict[str, Any], defs: dict[str, Any], indent: int,
          lines: list[str], defaults: dict[str, Any] | None = None) -> None:
    chosen = _pick(schema, value, defs)
    required = set(chosen.get("required", []))
    properties = chosen.get("properties", {})
    pad = "  " * indent
    for key, sub in properties.items():
        lines.append(f"{pad}# {key}: {_describe(sub, defs, key in required)}")
        if key not in value:
            default = (defaults or {}).get(key, _resolve(sub, defs).get("default"))
            generated = default if default is not None else _value(sub, None, defs, key)
            dumped = yaml.safe_dump({key: generated}, allow_unicode=True, sort_keys=False,
                                    default_flow_style=False).splitlines()
            lines += [f"{pad}# {line}" for line in dumped]
            continue
        _emit_field(key, value[key], sub, defs, indent, lines)


def _emit_field(key: str, item: Any, schema: dict[str, Any], defs: dict[str, Any],
                indent: int, lines: list[str]) -> None:
    pad = "  " * indent
    chosen = _pick(schema, item, defs)
    if isinstance(item, dict) and item:
        lines.append(f"{pad}{key}:")
        _emit(item, chosen, defs, indent + 1, lines)
        for other in _choices(schema, defs):
            if other is chosen or other == chosen:
                continue
            lines.append(f"{pad}# or, as {other.get('title', 'the other form')}:")
            dumped = yaml.safe_dump({key: _value(other, None, defs, key)}, allow_unicode=True,
                                    sort_keys=False, default_flow_style=False).splitlines()
            lines += [f"{pad}# {line}" for line in dumped]
    elif isinstance(item, list) and item and any(isinstance(i, dict) for i in item):
        lines.append(f"{pad}{key}:")
        items = chosen.get("items", {})
        for element in item:
            nested: list[str] = []
            _emit(element, items, defs, indent + 2, nested)
            first = next(i for i, line in enumerate(nested) if not line.strip().startswith("#"))
            entry = nested[first].strip()
            lines += nested[:first]
            lines.append(f"{pad}  - {entry}")
            lines += nested[first + 1:]
    elif isinstance(item, list):
        lines.append(f"{pad}{key}: [{', '.join(_scalar_text(i) for i in item)}]")
    else:
        lines.append(f"{pad}{key}: {_scalar_text(item)}")
