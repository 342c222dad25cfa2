"""Load style rules from YAML files: ``style_rules/Tone/Threat.yml`` is ``Tone.Threat``.

Each file names its kind with ``extends:``; pydantic checks it against that kind's
model with unknown keys forbidden, and an error names the file and the line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from docgen import yamltext
from docgen.errors import RuleFileError
from docgen.lint.kinds import KINDS, AnyRule, RuleBase
from docgen.resources import shipped

RULES_DIR = shipped("style_rules")
_SUFFIXES = (".yml", ".yaml")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Rule files nest a few levels; far deeper text would overflow the parser's stack.
_MAX_DEPTH = 64


@lru_cache(maxsize=1)
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(AnyRule)


def rules_dir() -> Path:
    """The style rules folder: ``DOCGEN_STYLE_RULES`` or the one beside the package."""
    from docgen.settings import environment

    return environment().style_rules or Path(RULES_DIR)


def rule_id(path: Path, root: Path) -> str:
    """The id of a rule file: its path under the rules folder, dotted, no suffix."""
    return ".".join(path.relative_to(root).with_suffix("").parts)


def load_rules(directory: str | Path | None = None) -> tuple[RuleBase, ...]:
    """Every rule under ``directory`` (default: the style rules folder), cached."""
    return _load_rules(str(Path(directory or rules_dir()).resolve()))


@lru_cache(maxsize=8)
def _load_rules(directory: str) -> tuple[RuleBase, ...]:
    root = Path(directory)
    if not root.is_dir():
        raise RuleFileError("style rules folder not found; expected a folder of .yml files",
                            path=root)
    files = sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES and p.is_file())
    return tuple(load_rule_file(path, rule_id(path, root)) for path in files)


def load_rule_file(path: Path, rule_id: str) -> RuleBase:
    """Read, validate and compile one rule file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError(f"cannot read the rule file ({error})", path=path) from None
    try:
        node = yamltext.compose(text, _Loader, _MAX_DEPTH)
        data = yaml.load(text, Loader=_Loader)
    except yamltext.TooDeep as error:
        raise RuleFileError(f"line {error.line}: lists and mappings nest more than "
                            f"{_MAX_DEPTH} levels deep; no rule needs that many",
                            path=path) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RuleFileError(f"{where}not valid YAML ({problem})", path=path) from None
    if not isinstance(data, dict):
        raise RuleFileError("line 1: expected a mapping of rule keys such as 'extends:'",
                            path=path)
    try:
        rule: RuleBase = _adapter().validate_python(data)
    except ValidationError as error:
        raise _explain(error, node, data, path) from None
    rule.locate(path)
    try:
        rule.bind(rule_id)
    except (KeyError, ValueError, re.error) as error:  # an unknown {group} or a bad pattern
        raise RuleFileError(f"pattern cannot be compiled ({error})", path=path) from None
    return rule


def _explain(error: ValidationError, node: Any, data: dict[str, Any], path: Path) -> RuleFileError:
    """Turn pydantic's first complaint into one line naming the key and its line."""
    errors = error.errors()
    # An unknown key explains a "missing" one (a typo), so report it first.
    first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    location = list(first["loc"])
    kind = data.get("extends")
    if location and location[0] == kind:
        location = location[1:]  # pydantic puts the union tag first
    line = _line_of(node, location)
    dotted = ".".join(str(part) for part in location)
    if first["type"] == "extra_forbidden":
        problem = f"unknown key '{dotted}'; check its spelling against the kind '{kind}'"
    elif first["type"] in ("union_tag_not_found", "union_tag_invalid"):
        kinds = ", ".join(KINDS)
        problem = f"'extends' must be one of {kinds}"
        line = _line_of(node, ["extends"])
    elif first["type"] == "missing":
        problem = f"missing key '{dotted}'"
    elif not dotted:  # a check across keys, such as a kind's "exactly one of"
        problem = first["msg"].removeprefix("Value error, ")
    else:
        problem = f"key '{dotted}': {first['msg']}"
    error_out = RuleFileError(f"line {line}: {problem}", path=path)
    error_out.line = line
    return error_out


def _line_of(node: Any, location: list[Any]) -> int:
    """The 1-based line of the key at ``location`` in the composed YAML tree."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in location:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == (part if part != "pass_" else "pass"):
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
