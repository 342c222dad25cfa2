"""What consistency rules read beside a document's text: its data, and linked texts.

A termination warning notice quotes an Ofsted report; when its data names the report's
data file (``ofsted_report``), the report is rendered and its text is offered to the
rules as ``ofsted_report_text``, so quotations can be checked word for word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.data import DataDocument


class DataView:
    """A validated document with linked texts beside its fields and properties."""

    def __init__(self, document: Any, texts: dict[str, str] | None = None) -> None:
        self._document = document
        self._texts = dict(texts or {})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._texts:
            return self._texts[name]
        return getattr(self._document, name)


def facts_for(loaded: DataDocument) -> DataView:
    """The data view of a loaded data file: its document and each linked document's text."""
    from docgen.render import render

    texts = {f"{name}_text": render(linked.template, linked.document).text
             for name, linked in loaded.linked.items()}
    return DataView(loaded.document, texts)
