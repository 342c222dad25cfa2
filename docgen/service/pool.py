"""Lint in worker processes, so the event loop stays free and every core lints.

One uvicorn process answers HTTP; linting, which is CPU-bound and holds the GIL, runs in
a pool of processes that each load the rules once. Unlike several uvicorn workers
sharing a socket, where one worker may accept every connection of a burst, the pool
shares the work out job by job.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

_config: Any = None


def _start(config_file: str | None) -> None:
    """Load the lint settings and the rules once in each pool process."""
    global _config
    from docgen.lint.config import load_config
    from docgen.lint.rules import load_rules

    os.environ.pop("DOCGEN_SERVICE_CONFIG", None)
    _config = load_config(Path(config_file) if config_file else None)
    load_rules()


def lint_text_job(text: str, document_type: str | None) -> bytes:
    """Lint text as 'docgen lint -' does; return the CLI's JSON, encoded here so the
    server process only passes bytes on."""
    from docgen.service.app import json_bytes, lint_text_report

    return json_bytes(lint_text_report(text, document_type, _config))


def start_pool(processes: int, config_file: str | None) -> ProcessPoolExecutor:
    """Start ``processes`` lint processes (spawned: the server has threads running)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=processes, mp_context=context,
                               initializer=_start, initargs=(config_file,))
