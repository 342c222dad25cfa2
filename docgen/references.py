"""The shape of an issue reference, ``PREFIX-YEAR-NNNNNN``, checked in one place.

A template's manifest declares the prefix and the register allocates references with it;
both use these patterns, so a prefix a manifest accepts is one the register accepts.
"""

from __future__ import annotations

import re

#: A reference prefix: a capital letter, then 1 to 4 capitals or digits ('PAU', 'R19').
PREFIX_PATTERN = r"[A-Z][A-Z0-9]{1,4}"
PREFIX = re.compile(rf"^{PREFIX_PATTERN}$")
REFERENCE = re.compile(rf"^({PREFIX_PATTERN})-(\d{{4}})-(\d{{6,}})$")
