"""Render a validated document through its template: DOCX, and the same document as text."""

from __future__ import annotations

from functools import cache
from typing import Any

from docgen.models import Model
from docgen.render.docx import CompiledDocx, RenderedDocx, compiled
from docgen.templates import Template

__all__ = ["DRAFT_REFERENCE", "CompiledDocx", "RenderedDocx", "context_for", "render"]


def context_for(document: Model, reference: str | None = None) -> dict[str, Any]:
    """The names a template can use: the model's fields, its computed properties, and
    ``issue_reference`` (``reference``, or ``DRAFT_REFERENCE`` for a draft) and ``is_draft``."""
    context = {name: getattr(document, name) for name in _context_names(type(document))}
    context["issue_reference"] = reference or DRAFT_REFERENCE
    context["is_draft"] = reference is None  # a draft carries the DRAFT watermark
    return context


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


#: What a draft's reference placeholder says until the document is issued.
DRAFT_REFERENCE = "DRAFT (not issued)"


def render(template: Template, document: Model, *, reference: str | None = None) -> RenderedDocx:
    """Render ``document`` with ``template``; returns the .docx bytes and the body text.

    ``reference`` is the issue reference (``PAU-2026-000123``) that templates print as
    ``{{ issue_reference }}``; drafts print ``DRAFT_REFERENCE`` instead.
    """
    compiled_template = compiled(template.docx_path, template.id, template.manifest.title)
    return compiled_template.render(context_for(document, reference), template.id)
