"""The base every input model shares: unknown fields are errors, text is trimmed and has no
control characters."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

# C0 controls but tab, line feed and carriage return; DEL and C1 controls; Unicode
# noncharacters; lone surrogates. None can be printed in a letter, and Word refuses most.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)


def unprintable_character(text: str) -> str | None:
    """Describe the first character ``text`` must not contain, or return None."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} at character {found.start() + 1}"


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        if (where := unprintable_character(value)) is not None:
            raise ValueError(f"contains the control character {where}; remove it (it "
                             "cannot be printed in a document)")
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)


class Model(BaseModel):
    """An input model: strict about unknown fields, forgiving about surrounding spaces.

    Each field's docstring is its description in the JSON Schema ('docgen schema'), so
    an editor can tell a writer what every field is for.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True,
                              use_attribute_docstrings=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        # Nested models check their own fields; this sees text, lists and mappings of it.
        _check_text(value)
        return value
