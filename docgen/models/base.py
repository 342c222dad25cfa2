"""The base every input model shares: unknown fields are errors, text is trimmed."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """An input model: strict about unknown fields, forgiving about surrounding spaces.

    Each field's docstring is its description in the JSON Schema ('docgen schema'), so
    an editor can tell a writer what every field is for.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True,
                              use_attribute_docstrings=True)
