"""Lint in worker processes that can be stopped, so one request cannot hold the service.

One uvicorn process answers HTTP; linting, which is CPU-bound and holds the GIL, runs in
worker processes that each load the rules once. Each worker takes one job at a time
over a pipe of its own. That, rather than ``ProcessPoolExecutor``, is what lets a job
have a time limit: a job that runs over is ended by killing its worker, and a fresh
worker takes its place, where an executor would call the whole pool broken. The same
goes for a job nobody waits for any more (the client went away, or the server is
stopping), so shutting down never waits for a long lint to finish.

A worker also stops when the server does: it dies with its parent (Linux's
parent-death signal) and leaves its loop when its pipe closes.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from docgen.processes import exit_with_parent

if TYPE_CHECKING:
    from docgen.settings import Settings

_log = logging.getLogger("docgen.service")
_READY = "ready"


class JobTimedOut(Exception):
    """A job ran past the pool's time limit; its worker was replaced."""


class PoolClosed(Exception):
    """The pool is shutting down (or its worker died), so the job did not finish."""


class WorkerLost(Exception):
    """The worker died during the job (killed from outside, or out of memory); another
    has taken its place."""


class JobFailed(Exception):
    """A job raised something that could not be sent back as it was."""


def _start(settings: Settings | None) -> None:
    """Build this worker's pipeline from the server's settings (see
    ``docgen.pipeline.start_worker``)."""
    from docgen.pipeline import start_worker

    start_worker(settings)


def _serve(connection: Connection, settings: Settings | None) -> None:
    """A worker's life: start, say so, then run jobs until the pipe closes."""
    exit_with_parent()
    # Ctrl-C and a service manager's SIGTERM reach the whole process group; the server
    # decides when its workers stop, after answering what it can.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        _start(settings)
    except Exception as exc:  # a bad settings or rule file: the server reports it
        connection.send(("error", exc))
        return
    connection.send((_READY, None))
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return  # the server has gone
        try:
            outcome: tuple[str, Any] = ("ok", function(*args))
        except Exception as exc:  # sent back and raised again in the server
            outcome = ("error", exc)
        try:
            connection.send(outcome)
        except (EOFError, OSError):
            return
        except Exception as exc:  # an exception that does not pickle
            connection.send(("error", JobFailed(f"{type(exc).__name__}: {exc}")))


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, context: Any, settings: Settings | None) -> None:
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, settings),
                                       daemon=True, name="docgen-lint")
        self.process.start()
        child_end.close()

    async def send(self, message: Any) -> None:
        # A large text may not fit the pipe at once: write it off the event loop.
        await asyncio.to_thread(self.connection.send, message)

    async def receive(self, timeout: float | None = None) -> tuple[str, Any]:
        """The worker's next message, waiting at most ``timeout`` seconds for it.

        The wait is a blocking ``poll`` in a thread, not the event loop's reader: uvloop
        makes a watched descriptor non-blocking, and a large message then fails to send.
        A cancelled wait ends when the caller kills the worker, which closes the pipe.
        """
        if not await asyncio.to_thread(self.connection.poll, timeout):
            raise TimeoutError
        return await asyncio.to_thread(self.connection.recv)

    def kill(self) -> None:
        """Stop the process. The pipe stays open for a job still waiting on it, which
        then reads the end of the pipe; whoever holds the worker closes it."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class LintPool:
    """``processes`` workers; ``run`` gives a job to the next idle one, with a time limit.

    Each worker builds its pipeline from ``settings`` (None: read them afresh), so a job
    is usually ``docgen.pipeline.in_worker`` with a pipeline job as its first argument.
    """

    def __init__(self, processes: int, settings: Settings | None,
                 timeout: float | None) -> None:
        self.processes = processes
        self.timeout = timeout
        self._settings = settings
        # Spawned, not forked: the server has threads running.
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker | None] = asyncio.Queue()
        self._workers: set[_Worker] = set()
        self._admitting: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers (for tests and the operator)."""
        return sorted(w.process.pid for w in self._workers if w.process.pid)

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the rules."""
        workers = [self._spawn() for _ in range(self.processes)]
        for worker in workers:
            await self._admit(worker, raise_errors=True)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._context, self._settings)
        self._workers.add(worker)
        return worker

    async def _admit(self, worker: _Worker, *, raise_errors: bool = False) -> None:
        try:
            status, value = await worker.receive()
        except (EOFError, OSError):
            status, value = "error", PoolClosed("a lint worker stopped while starting")
        if status == _READY:
            self._idle.put_nowait(worker)
            return
        self._retire(worker)
        worker.connection.close()
        if raise_errors:
            raise value
        _log.error("a replacement lint worker could not start: %s", value)

    def _retire(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker whose job is no longer wanted, and start another in its place."""
        self._retire(worker)
        if not self._closed:
            replacement = self._spawn()
            task = asyncio.get_running_loop().create_task(self._admit(replacement))
            self._admitting.add(task)
            task.add_done_callback(self._admitting.discard)

    @property
    def closed(self) -> bool:
        """Whether ``close`` has been called."""
        return self._closed

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run ``function(*args)`` in a worker; raise what it raises, or ``JobTimedOut``
        when it runs past the time limit, ``PoolClosed`` when the pool is closing, or
        ``WorkerLost`` when the worker died."""
        if self._closed:
            raise PoolClosed("the service is stopping")
        worker = await self._idle.get()
        if worker is None:  # closed while waiting: pass the news to the next waiter
            self._idle.put_nowait(None)
            raise PoolClosed("the service is stopping")
        try:
            await worker.send((function, args))
            status, value = await worker.receive(self.timeout)
        except BaseException as exc:
            # Timed out, abandoned (cancelled) or dead: the worker is not reused.
            closing = self._closed
            self._replace(worker)
            if not isinstance(exc, asyncio.CancelledError):
                # A cancelled wait may still be polling the pipe in its thread until the
                # killed worker's end closes; the pipe is then left to be collected.
                worker.connection.close()
            if isinstance(exc, TimeoutError):
                raise JobTimedOut(self.timeout) from None
            if isinstance(exc, EOFError | OSError):
                if closing:
                    raise PoolClosed("the service is stopping") from None
                raise WorkerLost("the lint worker stopped unexpectedly") from None
            raise
        if self.closed:  # read again: the pool may have closed while the job ran
            worker.connection.close()
        else:
            self._idle.put_nowait(worker)
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        """Stop every worker now, busy or not; jobs waiting on them raise ``PoolClosed``."""
        self._closed = True
        for worker in list(self._workers):
            self._retire(worker)
        while not self._idle.empty():  # idle workers' pipes; busy ones close their own
            idle = self._idle.get_nowait()
            if idle is not None:
                idle.connection.close()
        for task in list(self._admitting):
            task.cancel()
        self._idle.put_nowait(None)
