"""Read a data file (YAML or JSON), find its template and validate it against the model."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from docgen import yamltext
from docgen.errors import DataError, DocgenError
from docgen.models import Model
from docgen.templates import Catalogue, Template

MAX_DATA_BYTES = 5 * 1024 * 1024
#: No document nests deeper than a dozen levels; far deeper data is a mistake or an attack.
MAX_DEPTH = 64
DATA_SUFFIXES = (".yaml", ".yml", ".json")


class _DataLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML without implicit dates and base-60 numbers.

    Dates are left as text so the model reports an impossible date against its field,
    and ``time: 10:30`` stays a time instead of becoming the number 630. libyaml's
    parser is used where PyYAML has it (about ten times faster than the pure-Python
    one, which was most of 'docgen render's time); it reports the same line and column.
    """


_DataLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int",
                       "tag:yaml.org,2002:float")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_DataLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+"
               r"(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)


@dataclass(frozen=True)
class DataDocument:
    """A validated data file: where it came from, its template and its model instance."""

    path: Path
    template: Template
    document: Model
    raw: dict[str, Any]
    linked: dict[str, DataDocument] = field(default_factory=dict)  # e.g. ofsted_report


#: Fields that name another data file, relative to the one that names them, and the
#: template kind that file must be for.
LINK_FIELDS = {"ofsted_report": "report"}


class _PythonDataLoader(yaml.SafeLoader):
    """The same YAML rules on PyYAML's own parser (see ``_parse_slowly``)."""

    yaml_implicit_resolvers = _DataLoader.yaml_implicit_resolvers


def nesting_depth(value: Any) -> int:
    """How deeply lists and mappings nest in ``value`` (0 for a scalar), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(
            item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def too_deep(kind: str) -> str:
    return (f"is not valid {kind}: lists and mappings nest more than {MAX_DEPTH} levels "
            "deep; no document needs that many")


def parse_mapping(text: str, path: str | Path, suffix: str) -> dict[str, Any]:
    """Parse YAML or JSON text that must hold a mapping, at most ``MAX_DEPTH`` deep."""
    kind = "JSON" if suffix == ".json" else "YAML"
    try:
        raw = _parse(text, path, suffix)
    except (RecursionError, yamltext.TooDeep):  # json recurses once per level of nesting
        raise DataError(too_deep(kind), path=path) from None
    if nesting_depth(raw) > MAX_DEPTH:
        raise DataError(too_deep(kind), path=path)
    if not isinstance(raw, dict):
        raise DataError(
            f"expected a mapping of fields (such as 'template: pause_confirmation'), "
            f"got {type(raw).__name__}",
            path=path,
        )
    return raw


def _parse(text: str, path: str | Path, suffix: str) -> Any:
    if suffix == ".json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataError(
                f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
                path=path,
            ) from None
    else:
        try:
            raw = yamltext.load(text, _DataLoader, MAX_DEPTH)
        except yaml.YAMLError:
            raw = _parse_slowly(text, path)
    return raw


def _parse_slowly(text: str, path: str | Path) -> Any:
    """Parse YAML that libyaml refused with PyYAML's own parser, whose errors are the
    ones docgen explains (libyaml 0.2.6 stops deep nesting with a parse error of its own,
    where the depth check names the real problem)."""
    try:
        raw = yamltext.load(text, _PythonDataLoader, MAX_DEPTH)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        raise DataError(f"is not valid YAML: {problem}{where}", path=path) from None
    return raw


def read_data_file(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON data file into a mapping."""
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        raise DataError(f"expected a .yaml, .yml or .json data file, not '{suffix}'", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise DataError(
                f"is {size // 1024 // 1024} MB; a data file may be at most "
                f"{MAX_DATA_BYTES // 1024 // 1024} MB",
                path=path,
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError("is not UTF-8 text; save it as UTF-8", path=path) from None
    except OSError as exc:
        raise DataError(f"cannot be read ({exc.strerror})", path=path) from None
    return parse_mapping(text, path, suffix)


def validate(template: Template, raw: dict[str, Any], path: str | Path) -> Model:
    """Validate fields against the template's model; the first problem becomes a DataError."""
    try:
        return template.model.model_validate(raw)
    except ValidationError as exc:
        raise _data_error(exc, path) from None


def load_document(path: Path, catalogue: Catalogue) -> DataDocument:
    """Read, find the template named by the file's ``template`` field, and validate."""
    raw = read_data_file(path)
    template, document = document_from_mapping(raw, catalogue, path)
    return DataDocument(path, template, document, raw, _linked(path, document, catalogue))


def document_from_mapping(raw: Mapping[str, Any], catalogue: Catalogue, source: str | Path,
                          *, template_id: str | None = None) -> tuple[Template, Model]:
    """Find the template and validate the other fields: the one path from data to a model.

    ``template_id`` names the template apart from the data (an API request's
    ``template``); an unknown one is ``TemplateNotFoundError``. Without it the data's
    own ``template`` field names it, and a problem with that field is a ``DataError``.
    """
    fields = dict(raw)
    named = fields.pop("template", None)
    if template_id is not None:
        template = catalogue.get(template_id)
        return template, validate(template, fields, source)
    if named is None:
        raise DataError(
            "is missing; name the template this data is for, e.g. 'template: "
            "pause_confirmation' (see 'docgen templates')",
            path=source,
            field="template",
        )
    if not isinstance(named, str):
        raise DataError("expected a template id as text", path=source, field="template")
    try:
        template = catalogue.get(named)
    except DocgenError as exc:
        raise DataError(exc.message, path=source, field="template") from None
    return template, validate(template, fields, source)


def _linked(path: Path, document: Model, catalogue: Catalogue) -> dict[str, DataDocument]:
    """Load the data files that ``document``'s link fields name."""
    linked: dict[str, DataDocument] = {}
    for name, kind in LINK_FIELDS.items():
        target = getattr(document, name, None)
        if not target:
            continue
        target_path = path.parent / target
        if not target_path.is_file():
            raise DataError(f"names '{target}', which is not a file beside {path.name}",
                            path=path, field=name)
        other = load_document(target_path, catalogue)
        if other.template.manifest.kind != kind:
            raise DataError(f"names '{target}', which is for the {other.template.manifest.kind} "
                            f"'{other.template.id}'; expected a {kind}", path=path, field=name)
        linked[name] = other
    return linked


_LEADING_FIELD = re.compile(r"^([a-z]+(?:_[a-z]+)+|[a-z_]+(?:\.[a-z_]+|\[\d+\])+):? (.*)$", re.S)

_FRIENDLY = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a field of this document; check its spelling against "
    "'docgen schema'",
}


def _data_error(exc: ValidationError, path: str | Path) -> DataError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = _location(first["loc"])
    kind = first["type"]
    message = first["msg"]
    if kind in _FRIENDLY:
        detail = _FRIENDLY[kind]
    elif kind == "value_error":
        detail = message.removeprefix("Value error, ")
        # Checks across fields start their message with the field they are about.
        if m := _LEADING_FIELD.match(detail):
            loc = ".".join(filter(None, (loc, m.group(1))))
            detail = m.group(2)
    elif kind.startswith(("date", "datetime", "time")):
        detail = (
            f"expected a real {'date as YYYY-MM-DD' if kind.startswith('date') else 'value'}"
            f", got {first.get('input')!r} ({message.split(', ', 1)[-1].lower()})"
        )
        if kind.startswith("datetime"):
            detail = f"expected a date and time as YYYY-MM-DDTHH:MM, got {first.get('input')!r}"
        elif kind.startswith("time"):
            detail = f"expected a time as HH:MM, got {first.get('input')!r}"
    else:
        got = first.get("input")
        detail = message[0].lower() + message[1:]
        detail = detail.replace("input should be", "expected")
        if not isinstance(got, dict | list):
            detail += f", got {got!r}"
    more = len(errors) - 1
    if more:
        detail += f" (and {more} more problem{'s' if more > 1 else ''})"
    return DataError(detail, path=path, field=loc or None)


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        # Discriminated unions add the tag ('academy trust') to the path; readers do not see it.
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]" if parts else f"[{item}]"]
        elif " " in item:
            continue
        else:
            parts.append(item)
    return ".".join(parts)
