"""Many documents to PDF at once: one warm converter per worker thread.

Threads suffice: the work happens in each worker's own LibreOffice process, and a
thread waiting on a pipe holds no lock, so two workers keep two cores busy.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable, Iterator

from docgen.errors import DocgenError
from docgen.issue.convert.soffice import Converter
from docgen.lifecycle import Closable


class ConverterPool(Closable):
    """``workers`` warm converters converting (name, docx) pairs side by side."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        restart_after: int = 200,
        timeout: float = 60.0,
        startup_timeout: float = 60.0,
    ) -> None:
        self.workers = workers or min(4, os.cpu_count() or 1)
        self.converters = [
            Converter(restart_after=restart_after, timeout=timeout, startup_timeout=startup_timeout)
            for _ in range(self.workers)
        ]
        self._free: queue.Queue[Converter] = queue.Queue()
        for converter in self.converters:
            self._free.put(converter)

    def start(self) -> None:
        """Start every converter at once and wait until all are ready."""
        errors: list[BaseException] = []

        def start(converter: Converter) -> None:
            try:
                converter.start()
            except BaseException as exc:  # re-raised below in the calling thread
                errors.append(exc)

        threads = [threading.Thread(target=start, args=(c,)) for c in self.converters]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            self.close()
            raise errors[0]

    def convert(self, docx: bytes, *, name: str | None = None) -> bytes:
        """Convert one document on whichever converter is free."""
        converter = self._free.get()
        try:
            return converter.convert(docx, name=name)
        finally:
            self._free.put(converter)

    def convert_many(
        self, documents: Iterable[tuple[str, bytes]]
    ) -> Iterator[tuple[str, bytes | DocgenError]]:
        """Yield ``(name, pdf)`` or ``(name, error)`` for each document, as each finishes.

        Results come in the order they finish, not the order given. A document that
        fails yields its ``ConversionError`` and the batch goes on. Documents are read
        from ``documents`` only as workers become free.
        """
        jobs: queue.Queue[tuple[str, bytes]] = queue.Queue(maxsize=self.workers * 2)
        # (name, PDF or the exception it raised), or None when a worker stops.
        results: queue.Queue[tuple[str, bytes | BaseException] | None] = queue.Queue()
        stop = threading.Event()
        fed = threading.Event()

        def work(converter: Converter) -> None:
            try:
                while not stop.is_set():
                    try:
                        name, docx = jobs.get(timeout=0.1)
                    except queue.Empty:
                        if fed.is_set() and jobs.empty():
                            return
                        continue
                    try:
                        results.put((name, converter.convert(docx, name=name)))
                    except BaseException as exc:  # DocgenError is a result; others re-raised
                        results.put((name, exc))
            finally:
                results.put(None)

        def feed() -> None:
            try:
                for item in documents:
                    while not stop.is_set():
                        try:
                            jobs.put(item, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
            except BaseException as exc:  # the caller's iterable failed
                results.put(("", exc))
            finally:
                fed.set()

        workers = [threading.Thread(target=work, args=(c,), daemon=True) for c in self.converters]
        feeder = threading.Thread(target=feed, daemon=True)
        for thread in (*workers, feeder):
            thread.start()
        finished = 0
        try:
            while finished < len(workers):
                item = results.get()
                if item is None:
                    finished += 1
                    continue
                name, outcome = item
                if isinstance(outcome, BaseException) and not isinstance(outcome, DocgenError):
                    raise outcome
                yield name, outcome
        finally:
            # Workers finish the document in hand, then stop; converters stay usable.
            stop.set()
            for thread in (*workers, feeder):
                thread.join()

    def close(self) -> None:
        """Stop every converter and reap its processes."""
        for converter in self.converters:
            converter.close()
