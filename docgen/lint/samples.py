"""The shipped templates rendered with their samples: what ``docgen lint --templates`` reads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docgen.lint.document import TextDocument
    from docgen.templates import Catalogue


def sample_documents(catalogue: Catalogue, samples: Path,
                     document_type: str | None = None) -> list[TextDocument]:
    """Each template rendered with every sample that names it, as a document to lint, with
    the facts of its data for the consistency rules. A document is labelled by its template
    and sample, as paths relative to the working folder where they are under it."""
    from docgen.data import load_document, read_data_file
    from docgen.lint.facts import facts_for
    from docgen.lint.readers import read_docx
    from docgen.render import render

    documents: list[TextDocument] = []
    for template in catalogue:
        for sample in sorted(samples.glob("*.y*ml")):
            if read_data_file(sample).get("template") != template.id:
                continue
            loaded = load_document(sample, catalogue)
            rendered = render(loaded.template, loaded.document)
            label = f"{shown_path(template.docx_path)} (sample {shown_path(sample)})"
            document = read_docx(rendered.docx, label, document_type or template.id)
            document.data = facts_for(loaded)
            documents.append(document)
    return documents


def shown_path(path: Path) -> str:
    """``path`` relative to the working folder where it is under it, else as it is."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
