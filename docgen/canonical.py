"""Canonical JSON and SHA-256: one way to turn values into bytes that hash the same.

Canonical JSON is JSON with sorted keys, no spaces, UTF-8 text (not ``\\u`` escapes) and
no NaN or infinity, so equal values give equal bytes whatever their key order. The
register's record hashes, the data hash that makes issuing idempotent and the signed
checkpoints all use it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON; ``ValueError`` or ``TypeError`` if it is not JSON."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def sha256_text(text: str) -> str:
    """The SHA-256 of ``text`` in UTF-8, as 64 lower-case hex digits."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_of(value: Any) -> str:
    """The SHA-256 of ``value``'s canonical JSON."""
    return sha256_text(canonical_json(value))


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
