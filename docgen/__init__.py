"""docgen: courteous inspection letters and reports from structured data."""

from __future__ import annotations

__version__ = "0.1.0"
