"""Write files whole or not at all."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader sees the old file or the new one, never half of it; an interruption
    leaves no partial file behind. ``durable=False`` skips the file's own sync, for a
    caller that writes many files and then calls ``sync_files`` once.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sync_files(paths: Iterable[Path]) -> None:
    """Make files written with ``durable=False`` durable: one sync of each filesystem
    they are on (Linux's ``syncfs``, which also writes their folders' entries), where a
    sync per file cost more than the rendering."""
    folders: dict[int, Path] = {}
    for path in paths:
        with contextlib.suppress(OSError):
            folders.setdefault(path.parent.stat().st_dev, path.parent)
    for folder in folders.values():
        _sync_filesystem(folder)


def _sync_filesystem(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        if _syncfs is None or _syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _load_syncfs():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_syncfs = _load_syncfs()
