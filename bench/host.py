"""One line that says what machine a benchmark ran on, so figures from two machines can be
told apart: the processor, its cores, whether it has AVX-512 VNNI (ONNX Runtime's int8
kernels use it), and the time of a fixed pure-Python loop, a yardstick for the
interpreter-bound part of linting (the pattern scans)."""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

LOOP = 1_000_000


def reference_loop_ms() -> float:
    """The best of three runs of a fixed loop of additions, in milliseconds."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(LOOP):
            total += number
        best = min(best, time.perf_counter() - started)
    return best * 1000


def processor() -> tuple[str, bool]:
    """The processor's name and whether it has AVX-512 VNNI (Linux; elsewhere unknown)."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown processor", False
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                 if line.startswith("model name")), "unknown processor")
    return name, "avx512_vnni" in info.split()


def describe_host() -> str:
    name, vnni = processor()
    return (f"host: {name}, {os.cpu_count()} cores, AVX-512 VNNI {'yes' if vnni else 'no'}; "
            f"reference loop of {LOOP:,} additions {reference_loop_ms():.0f} ms "
            "(compare figures from machines whose loops agree)")
