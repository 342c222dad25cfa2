"""Measure ``POST /v1/lint`` throughput and latency through a real ``docgen serve``.

Starts the service (uvicorn, 127.0.0.1, a free port) in a subprocess, sends a bounded
number of lint requests with a 700-word letter from concurrent clients, prints
requests/s and p50/p95/p99 latency, and stops the server. Target on a 2-core machine:
at least 200 requests/s with p95 under 100 ms.

    python bench/service.py [--requests 2000] [--clients 16] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx  # only to wait for the server to start

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int, lint_processes: int) -> subprocess.Popen[bytes]:
    env = {**os.environ}
    env.pop("DOCGEN_LANGUAGETOOL_URL", None)  # grammar off: measure our own rules
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--lint-processes", str(lint_processes)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"docgen serve stopped: {process.stderr.read().decode()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("docgen serve did not answer /healthz within 60 s")


async def run(port: int, text: str, requests: int, clients: int) -> tuple[list[float], float]:
    """Send ``requests`` lint requests over ``clients`` keep-alive connections."""
    # A minimal HTTP/1.1 client on asyncio streams: httpx costs more CPU per request than
    # the lint itself, and on two cores the load generator competes with the server.
    body = json.dumps({"text": text, "document_type": None}).encode("utf-8")
    request = (
        f"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode("ascii") + body
    latencies: list[float] = []
    remaining = iter(range(requests))

    async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        payload = await reader.readexactly(length)
        if status != 200:
            raise SystemExit(f"POST /v1/lint answered {status}: {payload[:200]!r}")

    async def warm() -> None:
        # The first lint in each worker loads the rules. Fresh connections follow, since
        # the server closes connections left idle while the slowest warm-up finishes.
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(3):
            await exchange(reader, writer)
        writer.close()

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in remaining:
            start = time.perf_counter()
            await exchange(reader, writer)
            latencies.append(time.perf_counter() - start)
        writer.close()

    await asyncio.gather(*(warm() for _ in range(clients)))
    connections = await asyncio.gather(
        *(asyncio.open_connection("127.0.0.1", port) for _ in range(clients)))
    started = time.perf_counter()
    await asyncio.gather(*(client(*c) for c in connections))
    return latencies, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letter", type=Path, default=ROOT / "bench/data/letter.txt")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--lint-processes", type=int, default=os.cpu_count() or 1,
                        help="lint processes per worker (default: one per core)")
    args = parser.parse_args()

    text = args.letter.read_text(encoding="utf-8")
    port = free_port()
    server = start_server(port, args.workers, args.lint_processes)
    try:
        latencies, elapsed = asyncio.run(run(port, text, args.requests, args.clients))
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, round(p / 100 * (len(latencies) - 1)))] * 1000

    print(f"letter: {len(text.split())} words; {args.requests} requests from {args.clients} "
          f"clients; {args.workers} uvicorn worker(s), {args.lint_processes} lint "
          f"processes each; {os.cpu_count()} cores")
    print(f"throughput: {args.requests / elapsed:.0f} requests/s (target >= 200)")
    print(f"latency: p50 {percentile(50):.1f} ms, p95 {percentile(95):.1f} ms "
          f"(target < 100), p99 {percentile(99):.1f} ms, mean "
          f"{statistics.fmean(latencies) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
