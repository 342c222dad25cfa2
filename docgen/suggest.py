"""Nearest valid names for a mistyped one, so "unknown" comes with "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(value: str, choices: Iterable[str], count: int = 3) -> list[str]:
    """The valid names closest to ``value``, best first (case is ignored)."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.lower(), choice)
    close = difflib.get_close_matches(value.lower(), list(by_folded), n=count, cutoff=0.75)
    return [by_folded[c] for c in close]


def did_you_mean(value: str, choices: Iterable[str], *, listing: str = "") -> str:
    """", did you mean 'x'?" (or 'x' or 'y'), else ``listing`` ("; expected one of ...")."""
    found = nearest(value, choices)
    if not found:
        return listing
    return "; did you mean " + " or ".join(f"'{name}'" for name in found) + "?"
