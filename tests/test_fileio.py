"""Writing whole files, and checking a folder can take them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docgen.errors import WriteError
from docgen.fileio import check_writable

PROBE_FOREVER = """
import sys
from pathlib import Path
from docgen.fileio import check_writable
folder = Path(sys.argv[1])
print("probing", flush=True)
while True:
    check_writable(folder)
"""


def test_a_process_killed_while_checking_a_folder_leaves_nothing_in_it(tmp_path: Path) -> None:
    # The issue gate checks its output folder before each document; a batch killed part
    # way must not leave a probe file behind for the reader to find.
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen([sys.executable, "-c", PROBE_FOREVER, str(out)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline() == "probing\n"
    time.sleep(0.5)  # thousands of checks
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert sorted(p.name for p in out.iterdir()) == []


def test_a_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(WriteError, match="reports"):
        check_writable(blocker / "issued")


def test_a_missing_folder_is_made(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "deeper"
    check_writable(folder)
    assert folder.is_dir()
    assert list(folder.iterdir()) == []


def test_without_unnamed_files_the_probe_is_removed(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)  # as on macOS or Windows
    check_writable(tmp_path)
    assert list(tmp_path.iterdir()) == []
