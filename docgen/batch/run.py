"""Many documents from one template: worker processes, each with a warm PDF converter.

Rows come from CSV or JSON Lines (``docgen.batch.rows``). Each worker process renders,
lints and converts its rows with its own LibreOffice; a bad row is reported in the
summary and the batch goes on. With ``issue=True`` every row goes through the lint gate
and the register, so re-running a batch skips what was already issued (the register's
idempotency key is the template and the data's hash), and references are reserved in
row order, so row 1 has the first reference however long it takes. Files are written whole and
records in one transaction, so an interrupted batch leaves nothing half-done: run it
again to finish.
"""

from __future__ import annotations

import json
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from docgen.batch.rows import Row, read_rows
from docgen.errors import DocgenError
from docgen.fileio import atomic_write, check_writable
from docgen.issue.gate import Prepared
from docgen.issue.register import Record, Reservation
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
    """Process every row of ``rows_path``; write the summary to ``out_dir``; return it.

    Issuing runs in two steps so that references follow row order: workers check rows
    through the gate in parallel, and this process reserves references for the rows that
    passed strictly in row order, then hands each row back to a worker to publish.
    """
    from docgen.templates import Catalogue

    template = Catalogue().get(options.template_id)  # an unknown template stops at once
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
    # Keep a short queue so an interruption leaves few rows started.
    queue_length = max(1, options.workers) * 2
    checking: dict[Future[Checked], int] = {}
    publishing: dict[Future[RowResult], int] = {}
    in_order: deque[int] = deque()  # rows being checked, in row order
    passed: dict[int, tuple[dict[str, Any], Prepared] | None] = {}  # None: already recorded
    register = None
    if options.issue:
        from docgen.issue.register import Register

        register = Register(options.db)

    def record(result: RowResult) -> None:
        summary.results.append(result)
        if on_result:
            on_result(result)

    def submit_rows() -> None:
        while len(checking) + len(publishing) + len(passed) < queue_length:
            row = next(pending_rows, None)
            if row is None:
                return
            if row.data is None:
                record(RowResult(row.number, "invalid", message=f"row {row.number} {row.error}"))
                continue
            if register is None:
                publishing[executor.submit(_render_only, row.number, row.data)] = row.number
                continue
            checking[executor.submit(_check_row, row.number, row.data)] = row.number
            in_order.append(row.number)

    def reserve_in_row_order() -> None:
        from docgen.issue.gate import reserve_for

        assert register is not None
        while in_order and in_order[0] in passed:
            number = in_order.popleft()
            ready = passed.pop(number)
            if ready is None:
                continue
            data, prepared = ready
            try:
                reservation = reserve_for(register, options.out_dir, template, prepared)
            except DocgenError as exc:
                record(RowResult(number, "failed", message=f"row {number}: {exc.message}"))
                continue
            future = executor.submit(_publish_row, number, data, prepared, reservation)
            publishing[future] = number

    def collect(done: set[Future[Any]]) -> None:
        for future in done:
            if future in checking:
                number = checking.pop(future)
                try:
                    checked = future.result()
                except Exception as exc:  # a worker died: report the row, keep going
                    checked = Checked(RowResult(number, "failed",
                                                message=f"row {number}: {exc}"))
                if checked.result is not None:
                    record(checked.result)
                    passed[number] = None
                else:
                    assert checked.prepared is not None
                    passed[number] = (checked.data, checked.prepared)
            else:
                number = publishing.pop(future)
                try:
                    record(future.result())
                except Exception as exc:
                    record(RowResult(number, "failed", message=f"row {number}: {exc}"))

    try:
        submit_rows()
        while checking or publishing:
            started: list[Future[Any]] = [*checking, *publishing]
            done, _ = wait(started, return_when=FIRST_COMPLETED)
            collect(done)
            if register is not None:
                reserve_in_row_order()
            submit_rows()
    except KeyboardInterrupt:
        summary.interrupted = True
        # Rows not yet given a reference stop here; rows being published finish whole
        # (workers ignore Ctrl-C), so nothing is half-done and no reference is wasted.
        for check in checking:
            check.cancel()
        for publish, number in publishing.items():
            try:
                record(publish.result())
            except Exception as exc:
                record(RowResult(number, "failed", message=f"row {number}: {exc}"))
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        if register is not None:
            register.close()
        summary.finished_at = _now()
        atomic_write(options.out_dir / SUMMARY_NAME,
                     json.dumps(summary.to_dict(), indent=2, ensure_ascii=False).encode("utf-8"))
    return summary


@dataclass(frozen=True)
class Checked:
    """A row through the gate: its final ``result`` (invalid, refused, already issued),
    or its ``data`` and ``prepared`` state, waiting for a reference."""

    result: RowResult | None
    data: dict[str, Any] = field(default_factory=dict)
    prepared: Prepared | None = None


# --- In each worker process --------------------------------------------------------------

_worker: dict[str, Any] = {}


def _start_worker(options: BatchOptions) -> None:
    """Set up one worker: a pipeline with its own converter (and register), kept for
    every row."""
    from multiprocessing.util import Finalize

    from docgen.issue.convert import Converter
    from docgen.lint.config import LintConfig
    from docgen.pipeline import Pipeline
    from docgen.settings import Settings

    # A worker whose parent was killed must not go on issuing for nobody: it dies with
    # it, and its LibreOffice helper, reading a pipe from it, then stops LibreOffice.
    exit_with_parent()
    # Ctrl-C goes to the whole process group; the parent decides, the rows finish whole.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Drafts are not linted, so only issuing reads the lint settings.
    settings = Settings.for_command(options.config_path, register=options.db,
                                    lint=None if options.issue else LintConfig())
    converter = Converter(restart_after=options.restart_after, timeout=options.timeout)
    pipeline = Pipeline(settings, converter=converter)
    # Multiprocessing workers do not run atexit handlers; Finalize runs on their exit.
    Finalize(pipeline, pipeline.close, exitpriority=10)
    _worker["options"] = options
    _worker["pipeline"] = pipeline
    _worker["template"] = pipeline.catalogue.get(options.template_id)
    if options.issue:
        _worker["issuer"] = pipeline.issuer(options.out_dir)


def _row_document(number: int, data: dict[str, Any]) -> Any:
    """The row's validated document (``DataError`` names the row and the field)."""
    from docgen.data import validate

    return validate(_worker["template"], dict(data), f"row {number}")


def _render_only(number: int, data: dict[str, Any]) -> RowResult:
    try:
        document = _row_document(number, data)
    except DocgenError as exc:
        return RowResult(number, "invalid", message=exc.message)
    try:
        return _render_row(number, _worker["template"], document, _worker["options"])
    except DocgenError as exc:
        return RowResult(number, "failed", message=f"row {number}: {exc.message}")


def _check_row(number: int, data: dict[str, Any]) -> Checked:
    """Validate a row and take it through the gate (no reference yet)."""
    from docgen.issue.gate import Refused, Waiver

    options: BatchOptions = _worker["options"]
    try:
        document = _row_document(number, data)
    except DocgenError as exc:
        return Checked(RowResult(number, "invalid", message=exc.message))
    by = options.issued_by or ""
    waivers = [Waiver(rule, reason, by) for rule, reason in options.waivers]
    try:
        prepared = _worker["issuer"].prepare(_worker["template"], document, waivers=waivers,
                                             source=f"row {number}")
    except Refused as refused:
        return Checked(RowResult(number, "refused", message=refused.message))
    except DocgenError as exc:
        return Checked(RowResult(number, "failed", message=f"row {number}: {exc.message}"))
    if prepared.earlier is not None:
        return Checked(_issued(number, prepared.earlier, already=True, checkpoint=None))
    return Checked(None, data, prepared)


def _publish_row(number: int, data: dict[str, Any], prepared: Prepared,
                 reservation: Reservation) -> RowResult:
    """Publish a row that passed the gate under the reference reserved for it."""
    options: BatchOptions = _worker["options"]
    try:
        outcome = _worker["issuer"].publish(_worker["template"], _row_document(number, data),
                                            prepared, reservation, by=options.issued_by or "")
    except DocgenError as exc:
        return RowResult(number, "failed", message=f"row {number}: {exc.message}")
    checkpoint = outcome.checkpoint.to_line() if outcome.checkpoint is not None else None
    return _issued(number, outcome.record, already=outcome.already_issued,
                   checkpoint=checkpoint)


def _issued(number: int, record: Record, *, already: bool,
            checkpoint: str | None) -> RowResult:
    status: Status = "already issued" if already else "issued"
    files = tuple(p for p in (record.docx_path, record.pdf_path) if p)
    return RowResult(number, status, record.reference, files, checkpoint=checkpoint)


def _render_row(number: int, template: Any, document: Any, options: BatchOptions) -> RowResult:
    from docgen.render import render

    result = render(template, document)
    stem = options.out_dir / f"{template.id}-{number:05d}"
    files = [stem.with_suffix(".docx")]
    converter = _worker["pipeline"].converter()
    pdf = converter.convert(result.docx, name=files[0].name) if options.pdf else None
    atomic_write(files[0], result.docx)
    if pdf is not None:
        files.append(stem.with_suffix(".pdf"))
        atomic_write(files[1], pdf)
    return RowResult(number, "rendered", files=tuple(str(p) for p in files))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
