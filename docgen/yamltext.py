"""YAML parsing that refuses deep nesting before anything recurses over it.

PyYAML builds nodes recursively, one call per level, and where it uses libyaml that
recursion is in C: data nested 100,000 deep overflows the C stack and kills the process
(libyaml 0.2.5 and earlier set no limit of their own). The parser itself is a state
machine, so walking its event stream first measures the depth in linear time and
constant stack, and the composer only ever sees data no deeper than the caller allows.
"""

from __future__ import annotations

from typing import Any

import yaml

_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class TooDeep(ValueError):
    """The text nests lists and mappings deeper than allowed."""

    def __init__(self, line: int) -> None:
        super().__init__(f"nesting passes the limit at line {line}")
        self.line = line


def check_depth(text: str, loader: type[Any], limit: int) -> None:
    """Raise ``TooDeep`` if ``text`` nests more than ``limit`` levels; parse errors pass
    through as ``yaml.YAMLError`` (found no later than the composer would find them).

    libyaml 0.2.6 stops deep nesting itself, at 1,000 levels and while scanning ahead of
    the events, with an error of its own; PyYAML's parser then says whether depth was
    the problem, so the message is docgen's whichever libyaml is installed.
    """
    try:
        _walk(text, loader, limit)
    except yaml.YAMLError:
        if not _uses_libyaml(loader):
            raise
        _walk(text, yaml.SafeLoader, limit)  # TooDeep when depth was the problem
        raise


def _uses_libyaml(loader: type[Any]) -> bool:
    c_loader = getattr(yaml, "CSafeLoader", None)
    return c_loader is not None and issubclass(loader, c_loader)


def _walk(text: str, loader: type[Any], limit: int) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > limit:
                mark = event.start_mark
                raise TooDeep(mark.line + 1 if mark is not None else 1)
        elif isinstance(event, _CLOSE):
            depth -= 1


def load(text: str, loader: type[Any], limit: int) -> Any:
    """``yaml.load`` after ``check_depth``."""
    check_depth(text, loader, limit)
    return yaml.load(text, Loader=loader)  # noqa: S506 - callers pass SafeLoader subclasses


def compose(text: str, loader: type[Any], limit: int) -> Any:
    """``yaml.compose`` after ``check_depth``."""
    check_depth(text, loader, limit)
    return yaml.compose(text, Loader=loader)
