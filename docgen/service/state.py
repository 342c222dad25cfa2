"""What the endpoints share for the application's life: its settings, its pipeline (with
the one register and converter) and its lint processes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import anyio
import anyio.to_thread

from docgen.pipeline import Pipeline
from docgen.service.problems import ApiError
from docgen.settings import ServiceSettings, Settings

if TYPE_CHECKING:
    from docgen.service.pool import LintPool

_log = logging.getLogger("docgen.service")
P = ParamSpec("P")
T = TypeVar("T")


class ServiceState:
    """The settings, the pipeline and (when configured) the pool of lint processes."""

    def __init__(self, settings: Settings) -> None:
        self.all_settings = settings
        self.pipeline = Pipeline(settings)
        self.pool: LintPool | None = None
        # One CPU-bound job at a time in this process: threads only take turns holding
        # the GIL, so running several at once makes each slower and the tail worse; the
        # lint processes (one per core) supply the parallelism.
        self._cpu = anyio.CapacityLimiter(1)

    @property
    def settings(self) -> ServiceSettings:
        """The ``[service]`` settings."""
        return self.all_settings.service

    async def start(self) -> None:
        """Open the register when there is one (its migrations run now, once), and start
        the lint processes, waiting until each has its rules, so the first requests do
        not wait for them."""
        await anyio.to_thread.run_sync(self.pipeline.open_register)
        if self.settings.lint_processes and self.pool is None:
            from docgen.service.pool import LintPool

            pool = LintPool(self.settings.lint_processes, self.all_settings,
                            self.settings.lint_timeout)
            await pool.start()
            self.pool = pool

    def stop_linting(self) -> None:
        """Stop the lint processes now, busy or not: their requests answer 503."""
        if self.pool is not None:
            self.pool.close()

    def close(self) -> None:
        self.stop_linting()
        self.pool = None
        self.pipeline.close()

    async def cpu_bound(self, function: Callable[P, T], *args: P.args,
                        **kwargs: P.kwargs) -> T:
        """Run CPU-bound work off the event loop, one job at a time in this process."""
        return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs),
                                              limiter=self._cpu)

    async def lint_job(self, job: Callable[Concatenate[Pipeline, ...], bytes],
                       *args: Any) -> bytes:
        """Run a lint job in a lint process, within the time limit; in this process when
        the service has none (then no time limit applies: nothing could stop it)."""
        if self.pool is None:
            return await self.cpu_bound(job, self.pipeline, *args)
        from docgen.pipeline import in_worker
        from docgen.service.pool import JobTimedOut, PoolClosed, WorkerLost

        try:
            result: bytes = await self.pool.run(in_worker, job, *args)
            return result
        except JobTimedOut:
            raise ApiError(
                504, "lint_timeout",
                f"Checking this text took longer than this service allows "
                f"({self.settings.lint_timeout:g} seconds), so it was stopped. Check the "
                "letter or report in parts.",
            ) from None
        except PoolClosed:
            raise ApiError(
                503, "service_stopping",
                "The service stopped before the check finished. Please try again in a "
                "minute.", headers={"Retry-After": "60"},
            ) from None
        except WorkerLost:
            _log.error("a lint worker stopped during a job; another has started")
            raise ApiError(
                503, "lint_interrupted",
                "The check stopped before it finished. Please try again; if it happens "
                "again, tell the service's administrator.",
            ) from None

