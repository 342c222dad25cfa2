"""Child processes that end with their parent.

A worker whose parent is killed (SIGKILL gives the parent no chance to clean up) would
otherwise go on working, and holding memory, LibreOffice and the register, for nobody.
On Linux the kernel can send a signal to a process when the thread that started it
ends (``PR_SET_PDEATHSIG``); elsewhere a worker notices when its pipe to the parent
closes, which each pool here also watches.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def exit_with_parent(signum: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send ``signum`` to this process when its parent dies; return
    whether it will (Linux only). Call it first thing in a worker."""
    if not sys.platform.startswith("linux"):
        return False
    started_by = multiprocessing.parent_process()
    parent = started_by.pid if started_by is not None else os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if os.getppid() != parent:  # the parent died before the request was made
        os.kill(os.getpid(), signum)
    return True
