"""docgen: courteous inspection letters and reports from structured data."""

from __future__ import annotations

__version__ = "0.1.0"

import logging

# pypdf reports problems it recovers from (a bad cross-reference table) through logging.
# With no handler configured Python prints them on stderr, beside docgen's own one-line
# message; a null handler keeps them off the terminal and still lets a service log them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
