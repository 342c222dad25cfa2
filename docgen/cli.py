"""The ``docgen`` command: parse arguments, call the library, print, map errors to exit codes.

Heavy modules are imported inside each command so that ``docgen lint`` starts quickly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from docgen.errors import DocgenError, ExitCode


class DocgenGroup(click.Group):
    """Turns every ``DocgenError`` into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DocgenError as exc:
            click.echo(f"docgen: {exc.message}", err=True)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo("docgen: stopped; files already written are complete, "
                       "and none is half-written.", err=True)
            ctx.exit(130)


@click.group(cls=DocgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docgen")
def main() -> None:
    """Courteous inspection letters and reports from structured data.

    \b
    Start with:
      docgen templates               the documents docgen can make
      docgen schema pause_confirmation   the fields one of them needs
      docgen render samples/ --out out/  Word drafts from data files
    """


def _catalogue():
    from docgen.templates import Catalogue

    return Catalogue()


@main.command("templates")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def templates_command(fmt: str) -> None:
    """List the templates: id, kind, title and the data model each takes.

    Example: docgen templates --format json
    """
    rows = [t.summary() for t in _catalogue()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    click.echo(f"{'ID':<{width}}  {'KIND':<6}  TITLE")
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['kind']:<6}  {r['title']}")


@main.command("schema")
@click.argument("template_id")
def schema_command(template_id: str) -> None:
    """Print the JSON Schema of the data a template takes.

    Example: docgen schema pause_confirmation > pause.schema.json
    """
    template = _catalogue().get(template_id)
    schema = template.model.model_json_schema()
    schema["properties"] = {
        "template": {"const": template.id, "description": "The template this data is for."},
        **schema.get("properties", {}),
    }
    schema["required"] = ["template", *schema.get("required", [])]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = template.manifest.title
    click.echo(json.dumps(schema, indent=2))


def _data_files(paths: tuple[Path, ...]) -> list[Path]:
    from docgen.data import DATA_SUFFIXES
    from docgen.errors import DataError

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in DATA_SUFFIXES)
            if not found:
                raise DataError("has no .yaml, .yml or .json data files", path=path)
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise DataError("does not exist", path=path)
    return files


@main.command("render")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the documents.")
@click.option("--format", "fmt", type=click.Choice(["docx", "text"]), default="docx",
              show_default=True, help="Word document, or the same document as plain text.")
def render_command(paths: tuple[Path, ...], out_dir: Path, fmt: str) -> None:
    """Render data files (YAML or JSON) into documents.

    Each data file names its template ('template: pause_confirmation'). PATH may be a
    file or a folder of them. Each document is written whole to OUT/<file name>.docx
    (or .txt); a file with a problem is reported and nothing is written for it.

    Example: docgen render samples/ --out out/
    """
    from docgen.data import load_document
    from docgen.fileio import atomic_write
    from docgen.render import render

    catalogue = _catalogue()
    files = _data_files(paths)
    stems: dict[str, Path] = {}
    failures = 0
    for path in files:
        previous = stems.setdefault(path.stem, path)
        if previous != path:
            click.echo(f"docgen: {path}: has the same name as {previous}, so both would be "
                       f"written to {out_dir / path.stem}; rename one of them", err=True)
            failures += 1
            continue
        try:
            loaded = load_document(path, catalogue)
            result = render(loaded.template, loaded.document)
        except DocgenError as exc:
            click.echo(f"docgen: {exc.message}", err=True)
            failures += 1
            continue
        if fmt == "docx":
            target = out_dir / f"{path.stem}.docx"
            atomic_write(target, result.docx)
        else:
            target = out_dir / f"{path.stem}.txt"
            atomic_write(target, result.text.encode("utf-8"))
        click.echo(f"{target}  ({loaded.template.id})")
    if failures:
        if len(files) > 1:
            click.echo(f"docgen: {failures} of {len(files)} files could not be rendered; "
                       "see the messages above.", err=True)
        sys.exit(int(ExitCode.BAD_INPUT))
