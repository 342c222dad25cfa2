"""Bounded work: a time limit per lint that replaces its worker, a text-length limit, and a
shutdown that does not wait for a long lint."""

from __future__ import annotations

import asyncio
import operator
import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from docgen.service.pool import JobTimedOut, LintPool
from tests.service.conftest import ROOT
from tests.service.test_api import error_of
from tests.service.test_browser import free_port


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
            found += [int(child) for child in listing.read().split()]
    return found


def test_a_job_past_the_time_limit_kills_its_worker_and_a_new_one_takes_over():
    async def scenario() -> None:
        pool = LintPool(1, None, timeout=1.0)
        await pool.start()
        try:
            [first] = pool.pids
            with pytest.raises(JobTimedOut):
                await pool.run(time.sleep, 600)
            assert not alive(first)
            assert await pool.run(operator.add, 2, 3) == 5
            [second] = pool.pids
            assert second != first
        finally:
            pool.close()

    asyncio.run(scenario())


def test_a_lint_past_the_time_limit_is_504_and_the_next_is_answered(settings, make_client):
    client = make_client(settings, lint_processes=1, lint_timeout=0.2)
    pool = client.app.state.docgen.pool
    [worker] = pool.pids
    slow = "a. " * 66_000  # about 200,000 characters: over a second of linting
    response = client.post("/v1/lint", json={"text": slow})
    assert response.status_code == 504
    error = error_of(response)
    assert error["code"] == "lint_timeout"
    assert "0.2 seconds" in error["message"]
    assert not alive(worker)
    pool.timeout = 60  # so a busy machine cannot fail the next, small request
    response = client.post("/v1/lint", json={"text": "Thank you for your letter."})
    assert response.status_code == 200
    [replacement] = pool.pids
    assert replacement != worker


def test_text_longer_than_the_limit_is_413(settings, make_client):
    client = make_client(settings, max_text_chars=1_000)
    assert client.post("/v1/lint", json={"text": "a" * 1_000}).status_code == 200
    response = client.post("/v1/lint", json={"text": "a" * 1_001})
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "text_too_long"
    assert "1,001 characters" in error["message"]
    assert "up to 1,000" in error["message"]


def test_an_upload_whose_text_is_longer_than_the_limit_is_413(settings, make_client):
    client = make_client(settings, max_text_chars=1_000, lint_processes=1)
    response = client.post("/v1/lint", files={"file": ("long.txt", b"Thank you. " * 100)})
    assert response.status_code == 413
    assert error_of(response)["code"] == "text_too_long"


def test_the_default_text_limit_refuses_a_megabyte(client):
    response = client.post("/v1/lint", json={"text": "a. " * 350_000})
    assert response.status_code == 413


@pytest.fixture
def busy_server(tmp_path):
    """A 'docgen serve' whose one lint worker is busy with a lint of a minute or more;
    yield (server, worker pid, helper pids, the client's outcome list, log path)."""
    config = tmp_path / "docgen.toml"
    # A time limit that lets such a lint run, and two seconds' grace after SIGTERM.
    config.write_text("[service]\nlint_processes = 1\nlint_timeout = 600\n"
                      "max_text_chars = 10_000_000\nshutdown_timeout = 2\n", encoding="utf-8")
    port = free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--port", str(port), "--config", str(config)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    client = None
    try:
        for _ in range(300):
            assert server.poll() is None, log_path.read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        helpers = children(server.pid)  # the lint worker and multiprocessing's tracker
        [worker] = [pid for pid in helpers if b"spawn_main" in _command_line(pid)]
        outcome: list[object] = []

        def post() -> None:
            try:
                outcome.append(httpx.post(f"{base}/v1/lint", json={"text": "a. " * 2_000_000},
                                          timeout=600).status_code)
            except httpx.TransportError as exc:
                outcome.append(exc)

        client = threading.Thread(target=post)
        client.start()
        busy = _cpu_ticks(worker)
        while _cpu_ticks(worker) - busy < 100:  # a second of the worker's CPU: it is linting
            time.sleep(0.1)
        yield server, worker, helpers, outcome, log_path
    finally:
        if server.poll() is None:
            server.kill()
        for pid in children_left(helpers):
            os.kill(pid, signal.SIGKILL)
        if client is not None:
            client.join(timeout=120)
        log.close()


def children_left(pids: list[int]) -> list[int]:
    """Those of ``pids`` still running, after giving them a moment to go (multiprocessing's
    resource tracker leaves when the last process holding its pipe has gone)."""
    for _ in range(300):
        if not any(alive(pid) for pid in pids):
            break
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


def test_sigterm_while_a_worker_is_busy_stops_the_server_and_its_workers(busy_server):
    server, worker, helpers, outcome, log_path = busy_server
    server.send_signal(signal.SIGTERM)
    returncode = server.wait(timeout=120)
    shown = log_path.read_text()
    # uvicorn ends by raising the signal again once it has shut down, as is usual.
    assert returncode in (0, -signal.SIGTERM), shown
    assert not alive(worker)
    assert children_left(helpers) == []
    for _ in range(1200):
        if outcome:
            break
        time.sleep(0.1)
    # The request was stopped and told so, not answered with a finished report.
    assert outcome == [503]
    assert "Traceback" not in shown


def test_a_busy_worker_dies_with_a_killed_server(busy_server):
    server, worker, helpers, _, _ = busy_server
    server.kill()
    server.wait()
    assert children_left(helpers) == []


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _command_line(pid: int) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return cmdline.read()
