"""What every long-lived part of docgen (a converter, a pool of them, the register, the
pipeline) does in a ``with`` block: ``start`` on the way in, ``close`` on the way out,
whatever happened inside."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Self


class Closable(ABC):
    """A part that holds processes, connections or files until ``close``."""

    def start(self) -> None:  # noqa: B027  (a default, not a method to fill in)
        """Make the part ready; most parts are ready once made, so by default nothing."""

    @abstractmethod
    def close(self) -> None:
        """Let go of what the part holds; closing twice does nothing more."""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
