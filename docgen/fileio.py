"""Write files whole or not at all, with the permissions the user's umask asks for."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docgen.errors import WriteError


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader sees the old file or the new one, never half of it; an interruption
    leaves no partial file behind. The file is created with mode 0666 less the umask,
    like any other file the user makes (``mkstemp`` would make it 0600). A folder that
    cannot be made or written, or a full disk, raises ``WriteError`` naming the path.
    ``durable=False`` skips the file's own sync, for a caller that writes many files and
    then calls ``sync_files`` once.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(_cannot("create this folder", path.parent, exc)) from None
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise WriteError(_cannot("write this file", path, exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WriteError(_cannot("write this file", path, exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def check_writable(folder: Path, *, needed: int = 0) -> None:
    """Raise ``WriteError`` unless ``folder`` can be made, written and has ``needed`` bytes free.

    For work that must not start unless its output can be saved (issuing uses up a
    reference): a probe file is made and closed, and the free space is read. Where the
    system can (Linux), the probe never has a name, so a process killed mid-check leaves
    nothing in the folder; elsewhere it is named, written and removed at once.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(_cannot("create this folder", folder, exc)) from None
    try:
        _probe(folder)
    except OSError as exc:
        raise WriteError(_cannot("write to this folder", folder, exc)) from None
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if free < needed:
        raise WriteError(_cannot("write to this folder", folder, OSError(errno.ENOSPC,
                                                             os.strerror(errno.ENOSPC))))


def _probe(folder: Path) -> None:
    """Make a file in ``folder`` and let it go: unnamed where the file system allows."""
    if hasattr(os, "O_TMPFILE"):
        try:
            os.close(os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600))
            return
        except OSError as exc:
            # A file system without unnamed files says so in one of these ways.
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise
    probe = folder / f".docgen-write-check.{secrets.token_hex(4)}.tmp"
    os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    probe.unlink()


def _cannot(action: str, path: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        advice = "free some space, or choose another folder"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = "choose a folder you can write to"
    else:
        advice = "check the path, or choose another folder"
    return f"{path}: cannot {action} ({reason}); {advice}"


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


def _load_syncfs() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


_syncfs = _load_syncfs()
