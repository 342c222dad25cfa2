"""The template catalogue: each Word template, its manifest and the model it takes.

A template is a pair of files side by side: ``ID.docx``, the Word document writers edit,
and ``ID.yaml``, its manifest. The folder comes from ``DOCGEN_TEMPLATES`` or defaults to
the ``templates/`` folder docgen ships (see ``docgen.resources``).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import AliasChoices, ConfigDict, Field, ValidationError

from docgen.errors import TemplateError, TemplateNotFoundError
from docgen.identifiers import DocumentType, ReferencePrefix, TemplateId
from docgen.models import DOCUMENT_MODELS, Model
from docgen.resources import shipped

DEFAULT_ROOT = shipped("templates")



class SourceNote(Model):
    """Where a template's content comes from, so a policy owner can review it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    follows: list[str] = Field(min_length=1, description="The policy documents it follows.")
    assumptions: list[str] = Field(
        default_factory=list,
        description="What is assumed, not checked against a source: to be verified.",
    )


class Manifest(Model):
    """What a template's YAML manifest says about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: TemplateId
    title: str = Field(min_length=1)
    kind: Literal["letter", "script", "report", "email"]
    audience: str = Field(min_length=1)
    model: str
    #: The document type whose rules apply, when not the template's own id (a workspace
    #: template may take a shipped type's rules); ``lint_profile`` is its older name.
    document_type: DocumentType | None = Field(
        default=None, validation_alias=AliasChoices("document_type", "lint_profile"))
    description: str = ""
    reference_prefix: ReferencePrefix
    sources: SourceNote


@dataclass(frozen=True)
class Template:
    """One template: its manifest, its Word file and the model its data must match."""

    manifest: Manifest
    docx_path: Path
    manifest_path: Path
    model: type[Model] = field(repr=False)

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def document_type(self) -> str:
        """The document type the linter and the register use: the template's id, unless
        its manifest names another."""
        return self.manifest.document_type or self.manifest.id

    @cached_property
    def version(self) -> str:
        """SHA-256 of the Word file: changes whenever a writer edits the template."""
        return hashlib.sha256(self.docx_path.read_bytes()).hexdigest()

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of a data file for this template, ``template`` key included."""
        schema = self.model.model_json_schema()
        schema["properties"] = {
            "template": {"const": self.id, "description": "The template this data is for."},
            **schema.get("properties", {}),
        }
        schema["required"] = ["template", *schema.get("required", [])]
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = self.manifest.title
        return schema

    def summary(self) -> dict[str, str]:
        m = self.manifest
        return {
            "id": m.id,
            "title": m.title,
            "kind": m.kind,
            "audience": m.audience,
            "model": m.model,
            "document_type": self.document_type,
            "path": str(self.docx_path),
        }


def templates_root() -> Path:
    """The templates folder: ``DOCGEN_TEMPLATES`` or the shipped one."""
    from docgen.settings import environment

    return environment().templates or DEFAULT_ROOT


class Catalogue:
    """Every template under a folder, found by id."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or templates_root()
        self._templates = {t.id: t for t in _discover(self.root)}

    def __iter__(self) -> Iterator[Template]:
        return iter(sorted(self._templates.values(), key=lambda t: (t.manifest.kind, t.id)))

    def __len__(self) -> int:
        return len(self._templates)

    def get(self, template_id: str) -> Template:
        """Return the template with this id, or explain which ids exist."""
        try:
            return self._templates[template_id]
        except (KeyError, TypeError):
            close = difflib.get_close_matches(str(template_id), self._templates, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise TemplateNotFoundError(
                f"There is no template '{template_id}'.{hint} "
                "Run 'docgen templates' to see the ids you can use."
            ) from None


def load_template(path: Path) -> Template:
    """Load one template from its manifest (``ID.yaml``) or its Word file (``ID.docx``)."""
    manifest_path = path.with_suffix(".yaml")
    if not manifest_path.is_file():
        raise TemplateError(
            f"has no manifest beside it (expected {manifest_path.name}, naming the model the "
            "template takes; see the README's Templates section)",
            path=path,
        )
    return _load(manifest_path)


def _discover(root: Path) -> list[Template]:
    if not root.is_dir():
        raise TemplateError(f"the templates folder {root} does not exist; set DOCGEN_TEMPLATES")
    found: dict[str, Template] = {}
    for manifest_path in sorted(root.rglob("*.yaml")):
        template = _load(manifest_path)
        if template.id in found:
            raise TemplateError(
                f"declares id '{template.id}', already declared by "
                f"{found[template.id].manifest_path}",
                path=manifest_path,
            )
        found[template.id] = template
    return list(found.values())


def _load(manifest_path: Path) -> Template:
    try:
        raw = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
        manifest = Manifest.model_validate(raw)
    except yaml.YAMLError as exc:
        # Only marked errors carry ``problem``; a ReaderError (a control character) does not.
        problem = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else exc
        raise TemplateError(f"is not valid YAML ({problem})", path=manifest_path) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "manifest"
        raise TemplateError(f"field '{where}': {first['msg']}", path=manifest_path) from None
    model = DOCUMENT_MODELS.get(manifest.model)
    if model is None:
        raise TemplateError(
            f"field 'model': no model named '{manifest.model}'; expected one of "
            f"{', '.join(sorted(DOCUMENT_MODELS))}",
            path=manifest_path,
        )
    docx_path = manifest_path.with_suffix(".docx")
    if manifest.id != manifest_path.stem:
        raise TemplateError(
            f"field 'id': '{manifest.id}' must match the file name '{manifest_path.stem}'",
            path=manifest_path,
        )
    if not docx_path.is_file():
        raise TemplateError(f"has no Word file beside it (expected {docx_path.name})",
                            path=manifest_path)
    return Template(manifest, docx_path, manifest_path, model)
