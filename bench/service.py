"""Measure ``POST /v1/lint`` throughput and latency through a real ``docgen serve``.

Starts the service (uvicorn, 127.0.0.1, a free port) in a subprocess, sends a bounded
number of lint requests with a 700-word letter from concurrent clients, prints
requests/s and p50/p95/p99 latency, and stops the server. It does so three times, side
by side: the rules alone (the service started in a folder whose docgen.toml ignores
``Tone.Semantic``), the rules with the tone model on the same letter each time (its
sentences answered from the model's cache), and the rules with the model on a new
letter each time (every sentence changed, so every sentence is scored). Target on a
2-core machine for the rules: at least 200 requests/s with p95 under 100 ms.

    python bench/service.py [--requests 1000] [--clients 16] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx  # only to wait for the server to start

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.host import describe_host  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, workers: int, lint_processes: int,
                 cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    env = {**os.environ}
    env.pop("DOCGEN_LANGUAGETOOL_URL", None)  # grammar off: measure our own rules
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--lint-processes", str(lint_processes)],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
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


def renumbered(text: str, number: int) -> str:
    """The letter with every sentence changed (a reference number added), so none of
    its sentences has been seen before."""
    return re.sub(r"([.!?])(\s)", rf" (ref {number}).\2", text)


async def run(port: int, text: str, requests: int, clients: int,
              new_letters: bool = False) -> tuple[list[float], float]:
    """Send ``requests`` lint requests over ``clients`` keep-alive connections."""
    # A minimal HTTP/1.1 client on asyncio streams: httpx costs more CPU per request than
    # the lint itself, and on two cores the load generator competes with the server.
    def request_for(number: int) -> bytes:
        letter = renumbered(text, number) if new_letters else text
        body = json.dumps({"text": letter, "document_type": None}).encode("utf-8")
        return (
            f"POST /v1/lint HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode("ascii") + body

    prepared = [request_for(n) for n in range(requests + 3 * clients)]
    latencies: list[float] = []
    remaining = iter(range(requests))
    warmups = iter(range(requests, requests + 3 * clients))

    async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       number: int) -> None:
        writer.write(prepared[number])
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
            await exchange(reader, writer, next(warmups))
        writer.close()

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for number in remaining:
            start = time.perf_counter()
            await exchange(reader, writer, number)
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
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--lint-processes", type=int, default=os.cpu_count() or 1,
                        help="lint processes per worker (default: one per core)")
    args = parser.parse_args()

    text = args.letter.read_text(encoding="utf-8")
    results = {}
    with tempfile.TemporaryDirectory() as rules_only:
        Path(rules_only, "docgen.toml").write_text('[lint]\nignore = ["Tone.Semantic"]\n')
        modes = (("rules only", Path(rules_only), False), ("rules + model", ROOT, False),
                 ("rules + model, new letters", ROOT, True))
        for name, cwd, new_letters in modes:
            port = free_port()
            server = start_server(port, args.workers, args.lint_processes, cwd)
            try:
                results[name] = asyncio.run(
                    run(port, text, args.requests, args.clients, new_letters))
            finally:
                server.terminate()
                server.wait(timeout=30)

    print(describe_host())
    print(f"letter: {len(text.split())} words; {args.requests} requests from {args.clients} "
          f"clients; {args.workers} uvicorn worker(s), {args.lint_processes} lint "
          f"processes each; {os.cpu_count()} cores")
    print(f"{'':<28}{'requests/s':>12}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for name, (latencies, elapsed) in results.items():
        latencies.sort()

        def percentile(p: float, ordered: list[float] = latencies) -> float:
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

        print(f"{name:<28}{args.requests / elapsed:>12.0f}{percentile(50):>10.1f}"
              f"{percentile(95):>10.1f}{percentile(99):>10.1f}"
              f"{statistics.fmean(latencies) * 1000:>10.1f}")


if __name__ == "__main__":
    main()
