"""Render a validated document through its template: DOCX, and the same document as text."""

from __future__ import annotations

from functools import cache
from typing import Any

from docgen.models import Model
from docgen.render.docx import CompiledDocx, RenderedDocx, compiled
from docgen.templates import Template

__all__ = ["CompiledDocx", "RenderedDocx", "context_for", "render"]


def context_for(document: Model) -> dict[str, Any]:
    """The names a template can use: the model's fields and its computed properties."""
    return {name: getattr(document, name) for name in _context_names(type(document))}


@cache
def _context_names(model: type[Model]) -> tuple[str, ...]:
    names = list(model.model_fields)
    for klass in model.__mro__:
        if not issubclass(klass, Model) or klass is Model:
            continue
        names += [
            name
            for name, value in vars(klass).items()
            if isinstance(value, property) and not name.startswith("_") and name not in names
        ]
    return tuple(names)


def render(template: Template, document: Model) -> RenderedDocx:
    """Render ``document`` with ``template``; returns the .docx bytes and the body text."""
    compiled_template = compiled(template.docx_path, template.id, template.manifest.title)
    return compiled_template.render(context_for(document), template.id)
