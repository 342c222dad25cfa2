"""A small on-disk cache for data that is slow to build and never changes between runs.

Word lists and syllable tables take a large part of a second to parse from their
packages; a command-line run cannot afford that every time. Values are stored with
``marshal`` (plain dicts, sets, tuples, strings and numbers) under a name that carries
the source's version, so a new release of the source builds a new entry.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

# What the cache stores: containers that marshal can write (see the module docstring).
T = TypeVar("T", bound=dict[Any, Any] | set[Any] | frozenset[Any] | tuple[Any, ...] | list[Any])


def cache_dir() -> Path:
    """``$DOCGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``."""
    from docgen.settings import environment

    configured = environment().cache_dir
    if configured is not None:
        return configured
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "docgen"


def cached(name: str, build: Callable[[], T], kind: type[T]) -> T:
    """Return the cached value called ``name``, building and storing it on a miss.

    A damaged or unreadable entry is rebuilt; a read-only cache folder only costs speed.
    """
    path = cache_dir() / f"{name}.marshal"
    try:
        value = marshal.loads(path.read_bytes())
        if isinstance(value, kind):
            return value
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(marshal.dumps(value))
        partial.replace(path)
    except (OSError, ValueError):
        pass
    return value
