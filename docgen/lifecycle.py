"""What every long-lived part of docgen (a converter, a pool of them, the register, the
pipeline) does in a ``with`` block: ``start`` on the way in, ``close`` on the way out,
whatever happened inside."""

from __future__ import annotations

from typing import Self


class Closable:
    """A part that holds processes, connections or files until ``close``."""

    def start(self) -> None:
        """Make the part ready; most parts are ready once made, so by default nothing."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
