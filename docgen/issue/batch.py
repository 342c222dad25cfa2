"""Many documents from one template: worker processes, each with a warm PDF converter.

Rows come from CSV or JSON Lines (``docgen.issue.rows``). Each worker process renders,
lints and converts its rows with its own LibreOffice; a bad row is reported in the
summary and the batch goes on. With ``issue=True`` every row goes through the lint gate
and the register, so re-running a batch skips what was already issued (the register's
idempotency key is the template and the data's hash). Files are written whole and
records in one transaction, so an interrupted batch leaves nothing half-done: run it
again to finish.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from docgen.errors import DocgenError
from docgen.fileio import atomic_write, check_writable
from docgen.issue.rows import Row, read_rows
from docgen.processes import exit_with_parent

Status = Literal["issued", "already issued", "rendered", "refused", "invalid", "failed"]
SUMMARY_NAME = "batch-summary.json"


@dataclass(frozen=True)
class BatchOptions:
    """How a batch runs; passed whole to every worker process."""

    template_id: str
    out_dir: Path
    issue: bool = False
    issued_by: str | None = None
    db: str | None = None
    pdf: bool = True
    workers: int = 2
    restart_after: int = 200
    timeout: float = 60.0
    config_path: Path | None = None
    #: (rule, reason) pairs waived for every row, recorded with ``issued_by``.
    waivers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RowResult:
    """What happened to one row."""

    row: int
    status: Status
    reference: str | None = None
    files: tuple[str, ...] = ()
    message: str | None = None
    checkpoint: str | None = None  # the register's signed checkpoint after this row


@dataclass
class BatchSummary:
    """Every row's result, and whether the batch ran to the end."""

    template_id: str
    rows_path: str
    started_at: str
    finished_at: str | None = None
    interrupted: bool = False
    results: list[RowResult] = field(default_factory=list)

    def last_checkpoint(self) -> str | None:
        """The checkpoint that covers the most records, of those the rows signed."""
        from docgen.issue.checkpoint import Checkpoint

        lines = [r.checkpoint for r in self.results if r.checkpoint]
        return max(lines, key=lambda line: Checkpoint.from_line(line).count, default=None)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for result in self.results:
            out[result.status] = out.get(result.status, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "template": self.template_id,
            "rows": self.rows_path,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "interrupted": self.interrupted,
            "counts": self.counts(),
            "results": [asdict(r) for r in sorted(self.results, key=lambda r: r.row)],
        }


def run_batch(
    rows_path: Path,
    options: BatchOptions,
    *,
    defaults: dict[str, Any] | None = None,
    on_result: Callable[[RowResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Process every row of ``rows_path``; write the summary to ``out_dir``; return it."""
    from docgen.templates import Catalogue

    Catalogue().get(options.template_id)  # an unknown template stops before any work
    check_writable(options.out_dir, needed=1 << 20)  # so does a folder that cannot take files
    rows = list(read_rows(rows_path, defaults))
    if on_total:
        on_total(len(rows))
    summary = BatchSummary(options.template_id, str(rows_path), _now())
    pending_rows: Iterator[Row] = iter(rows)
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=max(1, options.workers), mp_context=context,
        initializer=_start_worker, initargs=(options,),
    )
    running: dict[Future[RowResult], int] = {}

    def record(result: RowResult) -> None:
        summary.results.append(result)
        if on_result:
            on_result(result)

    def submit_next() -> bool:
        for row in pending_rows:
            if row.data is None:
                record(RowResult(row.number, "invalid", message=f"row {row.number} {row.error}"))
                continue
            running[executor.submit(_process_row, row.number, row.data)] = row.number
            return True
        return False

    try:
        # Keep a short queue so an interruption leaves few rows started.
        for _ in range(max(1, options.workers) * 2):
            if not submit_next():
                break
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                number = running.pop(future)
                try:
                    record(future.result())
                except Exception as exc:  # a worker died: report the row, keep going
                    record(RowResult(number, "failed", message=f"row {number}: {exc}"))
                submit_next()
    except KeyboardInterrupt:
        summary.interrupted = True
        for future in running:
            future.cancel()
        # Rows already running finish whole (workers ignore Ctrl-C); nothing is half-done.
        for future, number in running.items():
            if not future.cancelled():
                try:
                    record(future.result())
                except Exception as exc:
                    record(RowResult(number, "failed", message=f"row {number}: {exc}"))
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        summary.finished_at = _now()
        atomic_write(options.out_dir / SUMMARY_NAME,
                     json.dumps(summary.to_dict(), indent=2, ensure_ascii=False).encode("utf-8"))
    return summary


# --- In each worker process --------------------------------------------------------------

_worker: dict[str, Any] = {}


def _start_worker(options: BatchOptions) -> None:
    """Set up one worker: its converter, register and lint settings, kept for every row."""
    from multiprocessing.util import Finalize

    from docgen.issue.convert import Converter
    from docgen.lint.config import load_config
    from docgen.templates import Catalogue

    # A worker whose parent was killed must not go on issuing for nobody: it dies with
    # it, and its LibreOffice helper, reading a pipe from it, then stops LibreOffice.
    exit_with_parent()
    # Ctrl-C goes to the whole process group; the parent decides, the rows finish whole.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    catalogue = Catalogue()
    _worker["options"] = options
    _worker["template"] = catalogue.get(options.template_id)
    converter = Converter(restart_after=options.restart_after, timeout=options.timeout)
    _worker["converter"] = converter
    # Multiprocessing workers do not run atexit handlers; Finalize runs on their exit.
    Finalize(converter, converter.close, exitpriority=10)
    if options.issue:
        from docgen.issue.gate import Issuer
        from docgen.issue.register import Register

        register = Register(options.db)
        Finalize(register, register.close, exitpriority=5)
        _worker["issuer"] = Issuer(register, options.out_dir, converter,
                                   load_config(options.config_path))


def _process_row(number: int, data: dict[str, Any]) -> RowResult:
    from docgen.data import validate

    options: BatchOptions = _worker["options"]
    template = _worker["template"]
    label = f"row {number}"
    try:
        document = validate(template, dict(data), label)
    except DocgenError as exc:
        return RowResult(number, "invalid", message=exc.message)
    try:
        if options.issue:
            return _issue_row(number, template, document, label)
        return _render_row(number, template, document, options)
    except DocgenError as exc:
        return RowResult(number, "failed", message=f"{label}: {exc.message}")


def _issue_row(number: int, template: Any, document: Any, label: str) -> RowResult:
    from docgen.issue.gate import Refused, Waiver

    options: BatchOptions = _worker["options"]
    by = options.issued_by or ""
    waivers = [Waiver(rule, reason, by) for rule, reason in options.waivers]
    try:
        outcome = _worker["issuer"].issue(template, document, by=by, waivers=waivers,
                                          source=label)
    except Refused as refused:
        return RowResult(number, "refused", message=refused.message)
    record = outcome.record
    status: Status = "already issued" if outcome.already_issued else "issued"
    files = tuple(p for p in (record.docx_path, record.pdf_path) if p)
    checkpoint = outcome.checkpoint.to_line() if outcome.checkpoint is not None else None
    return RowResult(number, status, record.reference, files, checkpoint=checkpoint)


def _render_row(number: int, template: Any, document: Any, options: BatchOptions) -> RowResult:
    from docgen.render import render

    result = render(template, document)
    stem = options.out_dir / f"{template.id}-{number:05d}"
    files = [stem.with_suffix(".docx")]
    pdf = _worker["converter"].convert(result.docx, name=files[0].name) if options.pdf else None
    atomic_write(files[0], result.docx)
    if pdf is not None:
        files.append(stem.with_suffix(".pdf"))
        atomic_write(files[1], pdf)
    return RowResult(number, "rendered", files=tuple(str(p) for p in files))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
