"""Many documents from one template and a table of rows: ``rows`` reads CSV or JSON Lines,
``run`` renders (or issues, through the gate and the register) each row in worker
processes."""

from __future__ import annotations

from docgen.batch.rows import Row, read_rows
from docgen.batch.run import BatchOptions, BatchSummary, RowResult, run_batch

__all__ = ["BatchOptions", "BatchSummary", "Row", "RowResult", "read_rows", "run_batch"]
