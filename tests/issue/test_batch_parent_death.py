"""A batch whose parent is killed stops: its workers, their LibreOffice and helpers, and
multiprocessing's resource tracker all go, and nothing more is issued."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from docgen.issue.register import Register
from tests.conftest import ROOT
from tests.issue.issuing import pause_rows


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``, whatever session it started."""
    found: set[int] = set()
    waiting = [pid]
    while waiting:
        parent = waiting.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", encoding="ascii") as listing:
                    children = [int(child) for child in listing.read().split()]
            except FileNotFoundError:
                continue
            waiting += [c for c in children if c not in found]
            found.update(children)
    return found


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def records(db: str) -> int:
    try:
        with Register(db, create=False) as register:
            return len(register.all())
    except Exception:
        return 0


def test_sigkill_on_a_batch_parent_stops_everything_it_started(tmp_path: Path) -> None:
    rows, db, out = tmp_path / "rows.jsonl", str(tmp_path / "register.sqlite3"), tmp_path / "out"
    rows.write_text("".join(json.dumps(r) + "\n" for r in pause_rows(60)), encoding="utf-8")
    command = [sys.executable, "-m", "docgen", "batch", "pause_confirmation", str(rows),
               "--out", str(out), "--issue", "--by", "Duty desk", "--db", db, "--workers", "2"]
    log = tmp_path / "batch.log"
    with log.open("w") as stderr:
        parent = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 180
    while records(db) < 2 and parent.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert parent.poll() is None, f"the batch ended before it was killed: {log.read_text()}"
    started = descendants(parent.pid)
    names = {pid: Path(f"/proc/{pid}/comm").read_text().strip() for pid in started
             if running(pid)}
    assert "soffice.bin" in names.values(), names  # LibreOffice was running
    parent.kill()
    parent.wait()
    killed_at = records(db)
    for _ in range(600):
        if not any(running(pid) for pid in started):
            break
        time.sleep(0.1)
    left = {pid: names.get(pid, "?") for pid in started if running(pid)}
    for pid in left:  # do not leave them behind for the next test
        os.kill(pid, signal.SIGKILL)
    assert left == {}
    # At most the rows that were being recorded as the parent died were finished.
    assert records(db) <= killed_at + 2
