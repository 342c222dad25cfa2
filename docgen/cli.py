"""The ``docgen`` command: parse arguments, call the library, print, map errors to exit codes.

Heavy modules are imported inside each command so that ``docgen lint`` starts quickly.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from docgen.errors import DocgenError, ExitCode
from docgen.resources import shipped

if TYPE_CHECKING:  # imported inside the commands (see above)
    from docgen.batch import RowResult
    from docgen.issue.register import Register
    from docgen.lint.config import LintConfig
    from docgen.pipeline import Pipeline
    from docgen.templates import Catalogue

_Command = TypeVar("_Command", bound=Callable[..., Any])


class DocgenGroup(click.Group):
    """Turns every ``DocgenError`` into one line on stderr and its exit code.

    Anything else is a bug in docgen: it is reported in one line too, and exits 2, never
    1, which means findings. ``DOCGEN_DEBUG=1`` shows the traceback.
    """

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
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:
            import os

            if os.environ.get("DOCGEN_DEBUG"):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            click.echo(f"docgen: internal error ({type(exc).__name__}{': ' if first else ''}"
                       f"{first}); nothing more was done. Please report it with the command "
                       "you ran (DOCGEN_DEBUG=1 shows the details).", err=True)
            ctx.exit(int(ExitCode.BAD_INPUT))


@click.group(cls=DocgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docgen")
def main() -> None:
    """Courteous inspection letters and reports from structured data.

    \b
    Start with:
      docgen templates                     the documents docgen can make
      docgen schema pause_confirmation     the fields one of them needs
      docgen render samples/ --out out/    Word drafts from data files
      docgen lint out/                     check their tone
      docgen issue letter.yaml --by NAME   lint, make the PDF and record the issue
    """


def _pipeline(config: Path | None = None, *, register: str | None = None,
              lint: LintConfig | None = None) -> Pipeline:
    """The pipeline a command runs on: its lint settings and register, and the
    environment's templates and rules."""
    from docgen.pipeline import Pipeline
    from docgen.settings import Settings

    return Pipeline(Settings.for_command(config, register=register, lint=lint))


def _catalogue() -> Catalogue:
    from docgen.templates import Catalogue

    return Catalogue()


@main.group("templates", invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
@click.pass_context
def templates_command(ctx: click.Context, fmt: str) -> None:
    """List the templates: id, kind, title and the data model each takes.

    'docgen templates check' checks the Word files for template faults.

    Example: docgen templates --format json
    """
    if ctx.invoked_subcommand is not None:
        return
    rows = [t.summary() for t in _catalogue()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["id"]) for r in rows), default=2)
    model = max((len(r["model"]) for r in rows), default=5)
    click.echo(f"{'ID':<{width}}  {'KIND':<6}  {'MODEL':<{model}}  TITLE")
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['kind']:<6}  {r['model']:<{model}}  {r['title']}")


@templates_command.command("check")
@click.argument("target", required=False, metavar="[ID|PATH]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
def templates_check_command(target: str | None, fmt: str) -> None:
    """Check Word templates for split tags, unbalanced blocks, unknown or unused
    variables and harsh fixed text.

    TARGET is a template id or the path of a template's .docx (with its .yaml manifest
    beside it); without one, every template is checked. Exit codes: 0 no errors (warnings
    are shown), 1 a template has errors, 2 a template could not be read.

    Example: docgen templates check my_letter.docx
    """
    from docgen.authoring.check import check_targets

    reports = check_targets(target, _catalogue())
    errors = sum(len(r.errors) for r in reports)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        for report in reports:
            for finding in report.findings:
                click.echo(str(finding))
        count = sum(len(r.findings) for r in reports)
        checked = f"{len(reports)} template{'s' if len(reports) != 1 else ''}"
        if count:
            click.echo(f"{checked} checked: {errors} error{'s' if errors != 1 else ''}, "
                       f"{count - errors} other finding{'s' if count - errors != 1 else ''}.")
        else:
            click.echo(f"{checked} checked: no problems found.")
    sys.exit(int(ExitCode.FINDINGS) if errors else int(ExitCode.OK))


@main.command("schema")
@click.argument("template_id")
def schema_command(template_id: str) -> None:
    """Print the JSON Schema of the data a template takes.

    Example: docgen schema pause_confirmation > pause.schema.json
    """
    click.echo(json.dumps(_catalogue().get(template_id).json_schema(), indent=2))


@main.command("example")
@click.argument("template_id")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the example to this file instead of the screen.")
def example_command(template_id: str, output: Path | None) -> None:
    """Write a complete, valid example data file for a template, with a comment naming
    each field.

    Example: docgen example pause_confirmation --output my_letter.yaml
    """
    from docgen.authoring.example import example_yaml, sample_for

    template = _catalogue().get(template_id)
    text = example_yaml(template, sample_for(template, shipped("samples")))
    if output is None:
        click.echo(text, nl=False)
        return
    from docgen.fileio import atomic_write

    atomic_write(output, text.encode("utf-8"))
    click.echo(f"{output}  ({template.id})")


@main.group("register")
def register_group() -> None:
    """The issue register: every document issued, append-only and hash-chained.

    \b
    Example:
      docgen register list --type pause_confirmation --limit 20
      docgen register verify --db postgresql+psycopg://docgen@db/docgen
    """


def register_db_option(command: _Command) -> _Command:
    """Add ``--db``, the register file or database URL, to a register command."""
    return click.option(
        "--db", "db", envvar="DOCGEN_DB", default=None, metavar="PATH_OR_URL",
        help="Register file or database URL (default: $DOCGEN_DB, else "
             "docgen-register.sqlite3 here).",
    )(command)


def _open_register(db: str | None) -> Register:
    from docgen.issue.register import Register

    return Register(db, create=False)


@register_group.command("list")
@register_db_option
@click.option("--type", "document_type", metavar="ID", help="Only this template id.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="At most this many records, newest first.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="Output format.")
def register_list_command(db: str | None, document_type: str | None, limit: int,
                          fmt: str) -> None:
    """List issued documents, newest first.

    Example: docgen register list --type pause_confirmation --limit 10
    """
    if document_type is not None:
        _catalogue().get(document_type)  # a typo would list nothing and say nothing
    with _open_register(db) as register:
        found = register.list(limit, document_type=document_type)
    if fmt == "json":
        click.echo(json.dumps([r.as_dict() for r in found], indent=2, ensure_ascii=False))
        return
    click.echo(f"{'REFERENCE':<16}  {'ISSUED AT (UTC)':<20}  {'TYPE':<26}  RECIPIENT")
    for r in found:
        click.echo(f"{r.reference:<16}  {r.issued_at[:19]:<20}  {r.document_type:<26}  "
                   f"{r.recipient or ''}")


@register_group.command("show")
@register_db_option
@click.argument("reference")
def register_show_command(db: str | None, reference: str) -> None:
    """Show everything the register holds about one document.

    Example: docgen register show PAU-2026-000123
    """
    with _open_register(db) as register:
        found = register.get(reference)
    for name, value in found.as_dict().items():
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        click.echo(f"{name + ':':<18} {'' if value is None else value}")


@register_group.command("verify")
@register_db_option
@click.option("--files-root", type=click.Path(file_okay=False, path_type=Path),
              help="Folder that relative DOCX and PDF paths are under (default: the "
                   "register's folder).")
@click.option("--no-files", is_flag=True, help="Check the database only, not the files.")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A file of checkpoints kept elsewhere ('docgen issue' prints one; a copy "
                   "of the witness file works too): prove the register extends each.")
def register_verify_command(db: str | None, files_root: Path | None, no_files: bool,
                            checkpoint_file: Path | None) -> None:
    """Recheck every record's hash, the chain, the references, the signed checkpoints and
    the issued files.

    The register must extend every checkpoint in the witness file beside it
    (REGISTER.witness) and in --checkpoint FILE, and every record must have its own
    signed checkpoint. Exits 0 when the register is intact, 1 naming each problem.

    \b
    Example:
      docgen register verify --files-root /srv/issued
      docgen register verify --checkpoint ~/register-checkpoints.txt
    """
    with _open_register(db) as register:
        problems = register.verify(files_root, check_files=not no_files,
                                   checkpoint_file=checkpoint_file)
        count, head = register.head()
    errors = [p for p in problems if p.is_error]
    for problem in problems:
        click.echo(str(problem))
    if errors:
        click.echo(f"docgen: the register is not intact: {len(errors)} "
                   f"problem{'s' if len(errors) != 1 else ''} found.", err=True)
        sys.exit(int(ExitCode.FINDINGS))
    notices = len(problems)
    note = f"; {notices} notice{'s' if notices != 1 else ''}" if notices else ""
    click.echo(f"The register is intact: {count} record{'s' if count != 1 else ''}, "
               f"chain head {head[:16]}{note}.")


@register_group.command("export")
@register_db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), required=True,
              help="CSV with a header row, or a JSON array.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the screen.")
def register_export_command(db: str | None, fmt: Literal["csv", "json"],
                            output: Path | None) -> None:
    """Export every record, oldest first.

    Example: docgen register export --format csv --output register.csv
    """
    from docgen.fileio import atomic_write

    with _open_register(db) as register:
        exported = register.export(fmt)
    if output is None:
        click.echo(exported, nl=False)
        return
    atomic_write(output, exported.encode("utf-8"))
    click.echo(f"{output}  ({fmt})")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="TOML file with [service] settings (default: ./docgen.toml or "
                   "./pyproject.toml [tool.docgen.service]).")
@click.option("--lint-processes", type=click.IntRange(min=0), default=None,
              help="Processes that lint, so every core works [default: one per core; "
                   "0: lint in the server process].")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="uvicorn worker processes (each with its own lint processes).")
@click.option("--hash-token", is_flag=True,
              help="Read a token (prompted, or from standard input) and print the "
                   "sha256 line for the configuration; start nothing.")
def serve_command(host: str, port: int, config_path: Path | None,
                  lint_processes: int | None, workers: int, hash_token: bool) -> None:
    """Run the HTTP service and the tone-check page.

    Example: docgen serve --port 8000, then open http://127.0.0.1:8000/
    """
    from docgen.settings import hash_token as sha256_of
    from docgen.settings import load_settings

    if hash_token:
        token = (click.prompt("Token", hide_input=True) if sys.stdin.isatty()
                 else sys.stdin.readline()).strip()
        if not token:
            raise click.UsageError("the token is empty; give the token to hash")
        click.echo(f'sha256 = "{sha256_of(token)}"')
        return
    import os

    import uvicorn

    from docgen.service.app import CONFIG_ENV, HOST_ENV, LINT_PROCESSES_ENV

    # Report a bad configuration, the service's or the lint settings', before starting.
    settings = load_settings(config_path, host=host).service
    if config_path is not None:
        os.environ[CONFIG_ENV] = str(config_path.resolve())
    if lint_processes is None:
        lint_processes = settings.lint_processes or os.cpu_count() or 1
    os.environ[LINT_PROCESSES_ENV] = str(lint_processes)
    os.environ[HOST_ENV] = host
    if port == 0:
        port = _free_port(host)  # so the address printed is the one that answers
    click.echo(f"docgen: serving on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    click.echo(f"docgen: {settings.lint_access()}", err=True)
    # After SIGTERM, running requests get shutdown_timeout seconds; then they are
    # cancelled, which stops their lint workers, and the service exits.
    uvicorn.run("docgen.service.app:app_from_environment", factory=True, host=host,
                port=port, workers=workers, log_level="warning", access_log=False,
                timeout_graceful_shutdown=math.ceil(settings.shutdown_timeout))


def _free_port(host: str) -> int:
    """A port the system has free on ``host`` now (asked for by binding port 0)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((host, 0))
            return int(probe.getsockname()[1])
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host} ({exc.strerror})") from None


@main.command("issue")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", "issued_by", required=True, metavar="NAME",
              help="Who is issuing the document (recorded in the register).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("issued"), show_default=True, help="Folder for the DOCX and PDF.")
@click.option("--waive", multiple=True, metavar="RULE",
              help="Issue despite findings of RULE (an id or prefix); needs a --reason.")
@click.option("--reason", multiple=True, metavar="TEXT",
              help="Why the matching --waive is right; one per --waive, in order.")
@register_db_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Lint settings file (docgen.toml or pyproject.toml); by default the nearest.")
def issue_command(data: Path, issued_by: str, out_dir: Path, waive: tuple[str, ...],
                  reason: tuple[str, ...], db: str | None, config_path: Path | None) -> None:
    """Issue one document: lint it, refuse it while an error has no waiver, make the PDF,
    and record it in the register.

    The document is written to OUT/<reference>.docx and .pdf only when every step has
    passed. Issuing the same data again returns the first record. Exit codes: 0 issued
    (or issued before), 1 refused by the lint gate, 2 bad input or a failed conversion.

    \b
    Example:
      docgen issue samples/pause_confirmation.yaml --by "Daniel Okafor"
      docgen issue letter.yaml --by "A Reviewer" --waive Tone.Threat \\
          --reason "Statutory wording agreed with legal advisers"
    """
    from docgen.issue.gate import Refused

    if not issued_by.strip():
        raise click.UsageError("--by needs the name of the person issuing the document")
    # LibreOffice starts only when a PDF is needed, not for data issued before.
    with _pipeline(config_path, register=db) as pipeline:
        try:
            outcome = pipeline.issue(data, by=issued_by, waivers=_waivers(waive, reason),
                                     out_dir=out_dir)
        except Refused as refused:
            click.echo("\n".join(refused.lines()))
            raise
        checkpoint_error = pipeline.register.last_checkpoint_error
    record = outcome.record
    if outcome.already_issued:
        click.echo(f"{data}: already issued as {record.reference} on {record.issued_at} by "
                   f"{record.issued_by}; nothing new was written.")
        return
    for waiver in outcome.unused_waivers:
        click.echo(f"docgen: note: --waive {waiver.rule} matched no finding, so it was not "
                   "recorded.", err=True)
    docx_file, pdf_file = outcome.files
    click.echo(f"Issued {record.reference}: {pdf_file} and {docx_file}")
    if record.waivers:
        click.echo("Waivers recorded: " + "; ".join(
            f"{w['rule']} by {w['by']} ({w['reason']})" for w in record.waivers))
    if checkpoint_error:
        click.echo(f"docgen: warning: {checkpoint_error}", err=True)
    if outcome.checkpoint is not None:
        # Keep a copy somewhere else: 'docgen register verify --checkpoint FILE' proves
        # the register still extends it.
        click.echo(f"Checkpoint: {outcome.checkpoint.to_line()}")


@main.command("batch")
@click.argument("template_id")
@click.argument("rows", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder for the documents and batch-summary.json.")
@click.option("--defaults", "defaults_path", type=click.Path(dir_okay=False, path_type=Path),
              help="A YAML or JSON file of fields every row shares; a row's own values win.")
@click.option("--issue", "issue", is_flag=True,
              help="Issue each document through the lint gate and the register.")
@click.option("--by", "issued_by", metavar="NAME", help="Who is issuing (needed with --issue).")
@click.option("--waive", multiple=True, metavar="RULE",
              help="With --issue: issue despite findings of RULE (an id or prefix) in every "
                   "row; needs a --reason.")
@click.option("--reason", multiple=True, metavar="TEXT",
              help="Why the matching --waive is right; one per --waive, in order.")
@register_db_option
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Also make a PDF of each draft (always made with --issue).")
@click.option("--workers", type=click.IntRange(1, 32), default=2, show_default=True,
              help="Worker processes, each with its own warm LibreOffice.")
@click.option("--restart-after", type=click.IntRange(1), default=200, show_default=True,
              help="Restart a worker's LibreOffice after this many documents.")
@click.option("--timeout", type=click.FloatRange(1), default=60.0, show_default=True,
              help="Seconds one conversion may take before LibreOffice is restarted.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Lint settings file; by default the nearest docgen.toml or pyproject.toml.")
def batch_command(template_id: str, rows: Path, out_dir: Path, defaults_path: Path | None,
                  issue: bool, issued_by: str | None, waive: tuple[str, ...],
                  reason: tuple[str, ...], db: str | None, pdf: bool, workers: int,
                  restart_after: int, timeout: float, config_path: Path | None) -> None:
    """Make many documents from one template and a file of rows (.csv or .jsonl).

    CSV columns use dotted names for nested fields (school.address.town); a cell may hold
    JSON for a list. A bad row is reported in OUT/batch-summary.json and the batch goes
    on. With --issue, each row passes the lint gate and is recorded; running the batch
    again skips rows already issued. Exit codes: 0 every row done, 1 a row was refused by
    the lint gate, 2 a row or file was bad.

    \b
    Example:
      docgen batch notification_letter week48.csv --defaults region.yaml \\
          --out out/week48 --issue --by "Regional duty desk"
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from docgen.batch import BatchOptions, run_batch
    from docgen.data import read_data_file

    if issue and not (issued_by and issued_by.strip()):
        raise click.UsageError("--issue needs --by NAME: the register records who issued")
    if waive and not issue:
        raise click.UsageError("--waive applies to issuing; add --issue --by NAME")
    waivers = _waivers(waive, reason)
    defaults = read_data_file(defaults_path) if defaults_path else None
    options = BatchOptions(template_id, out_dir, issue=issue, issued_by=issued_by, db=db,
                           pdf=pdf or issue, workers=workers, restart_after=restart_after,
                           timeout=timeout, config_path=config_path, waivers=waivers)
    console = Console(stderr=True)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=console,
                  disable=not console.is_terminal, transient=True) as progress:
        task = progress.add_task(template_id, total=None)

        def on_result(result: RowResult) -> None:
            progress.advance(task)
            if result.status in ("invalid", "failed", "refused"):
                progress.console.print(f"docgen: {result.message}", markup=False,
                                       highlight=False, soft_wrap=True)

        summary = run_batch(rows, options, defaults=defaults, on_result=on_result,
                            on_total=lambda total: progress.update(task, total=total))
    counts = summary.counts()
    click.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no rows",
               nl=False)
    click.echo(f"; summary in {out_dir / 'batch-summary.json'}")
    if (checkpoint := summary.last_checkpoint()) is not None:
        click.echo(f"Checkpoint: {checkpoint}")
    if counts.get("invalid") or counts.get("failed"):
        sys.exit(int(ExitCode.BAD_INPUT))
    if counts.get("refused"):
        sys.exit(int(ExitCode.FINDINGS))


def _waivers(waive: tuple[str, ...], reason: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Pair each --waive with its --reason, stripped; refuse a missing or empty reason."""
    if len(waive) != len(reason):
        raise click.UsageError(
            f"give one --reason for each --waive ({len(waive)} --waive, {len(reason)} --reason)"
        )
    pairs = tuple((rule.strip(), text.strip()) for rule, text in zip(waive, reason, strict=True))
    for rule, text in pairs:
        if not text:
            raise click.UsageError(f"--reason for --waive {rule} is empty; say why")
    return pairs


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
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "html", "text", "eml"]),
              default="docx", show_default=True,
              help="Word document, PDF (through LibreOffice), an HTML preview, plain text, or "
                   "an email message (email templates).")
@click.option("--attach", "attachments", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file to attach to each email (--format eml; repeatable).")
def render_command(paths: tuple[Path, ...], out_dir: Path, fmt: str,
                   attachments: tuple[Path, ...]) -> None:
    """Render data files (YAML or JSON) into documents.

    Each data file names its template ('template: pause_confirmation'). PATH may be a
    file or a folder of them. Each document is written whole to OUT/<file name>.docx
    (or .pdf, .html, .txt, .eml); a file with a problem is reported and nothing is
    written for it. PDFs are drafts made by one LibreOffice that stays running.

    Example: docgen render samples/ --out out/ --format pdf
    """
    from docgen.fileio import sync_files

    if attachments and fmt != "eml":
        raise click.UsageError("--attach goes with --format eml")
    files = _data_files(paths)
    written: list[Path] = []
    try:
        failures = _render_files(files, out_dir, fmt, attachments, written)
    finally:
        sync_files(written)  # one sync for every draft, not one per file
    if failures:
        if len(files) > 1:
            click.echo(f"docgen: {failures} of {len(files)} files could not be rendered; "
                       "see the messages above.", err=True)
        sys.exit(int(ExitCode.BAD_INPUT))


def _render_files(files: list[Path], out_dir: Path, fmt: str,
                  attachments: tuple[Path, ...], written: list[Path]) -> int:
    """Render each file, writing each document whole (added to ``written`` for the sync
    that follows); return how many failed."""
    from docgen.fileio import atomic_write
    from docgen.lint.config import LintConfig

    stems: dict[str, Path] = {}
    failures = 0
    # Rendering reads no lint settings; a PDF starts one LibreOffice for every file.
    with _pipeline(lint=LintConfig()) as pipeline:
        for path in files:
            previous = stems.setdefault(path.stem, path)
            if previous != path:
                click.echo(f"docgen: {path}: has the same name as {previous}, so both would "
                           f"be written to {out_dir / path.stem}; rename one of them", err=True)
                failures += 1
                continue
            try:
                result = pipeline.render(path, fmt, attachments=attachments)
            except DocgenError as exc:
                click.echo(f"docgen: {exc.message}", err=True)
                failures += 1
                continue
            target = out_dir / f"{path.stem}{result.suffix}"
            atomic_write(target, result.content, durable=False)
            written.append(target)
            click.echo(f"{target}  ({result.template.id})")
    return failures


@main.command("lint")
@click.argument("paths", nargs=-1)
@click.option("--type", "document_type", metavar="ID",
              help="Lint every file as this template's kind of document; by default read "
                   "from the file, else none (every rule except required content).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "github"]),
              default="text", show_default=True, help="Output format.")
@click.option("--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE instead of standard output.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "suggestion"]),
              default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--min-severity", type=click.Choice(["error", "warning", "suggestion"]),
              default="suggestion", show_default=True,
              help="Leave findings below this severity out of the report, so they cannot "
                   "fail it either (for example '--format github --min-severity warning': "
                   "no notice for each suggestion).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Settings file (docgen.toml or pyproject.toml); by default the nearest one.")
@click.option("--select", multiple=True, metavar="PREFIX",
              help="Run only rules whose id starts with PREFIX (repeatable).")
@click.option("--ignore", multiple=True, metavar="PREFIX",
              help="Skip rules whose id starts with PREFIX (repeatable).")
@click.option("--fix", is_flag=True,
              help="Apply one-for-one word swaps (plain words, British spellings) to .txt "
                   "and .md files.")
@click.option("--diff", is_flag=True,
              help="Print the swaps --fix would make and change nothing; exit 1 when there "
                   "are any, or findings at or above --fail-on.")
@click.option("--templates", "lint_templates", is_flag=True,
              help="Render every template with each sample that names it, and lint the result.")
def lint_command(paths: tuple[str, ...], document_type: str | None, fmt: str,
                 output: Path | None, fail_on: str, min_severity: str,
                 config_path: Path | None,
                 select: tuple[str, ...], ignore: tuple[str, ...], fix: bool, diff: bool,
                 lint_templates: bool) -> None:
    """Check documents for harsh tone, readability, spelling and required content.

    PATH is a .docx, .pdf, .txt, .md or .html file, a folder of them, or '-' for
    standard input; a data file (.yaml, .json) is rendered and checked against its data
    as well (the consistency rules). Exit codes: 0 nothing at or above --fail-on, 1
    findings at or above it, 2 a file or option could not be used.

    Example: docgen lint letter.docx --format json --fail-on warning
    """
    from docgen.lint import expand_paths
    from docgen.lint.config import load_config, with_overrides
    from docgen.lint.findings import LintReport, Severity
    from docgen.lint.names import check_document_type, check_rule_prefixes
    from docgen.lint.readers import excerpts, read_document
    from docgen.lint.reporters import ReportContext, format_report

    if not paths and not lint_templates:
        raise click.UsageError("name at least one file, folder or '-', or use --templates")
    if (fix or diff) and lint_templates:
        raise click.UsageError("--fix and --diff change text files; they cannot be used "
                               "with --templates")
    check_document_type(document_type)
    check_rule_prefixes(select, "--select")
    check_rule_prefixes(ignore, "--ignore")
    config = with_overrides(load_config(config_path), select=select, ignore=ignore)
    report = LintReport()
    shown: dict[str, dict[int, str]] = {}
    files = expand_paths(paths)
    if fix or diff:
        from docgen.lint.fix import check_fixable

        for path in files:
            check_fixable(path)
    documents = [read_document(path, document_type) for path in files]
    if lint_templates:
        from docgen.lint.samples import sample_documents

        documents += sample_documents(_catalogue(), shipped("samples"), document_type)
    pipeline = _pipeline(lint=config)
    for document in documents:
        report.files.append(pipeline.check(document))
        shown[document.path] = excerpts(document)
    threshold = Severity.parse(fail_on)
    if fix or diff:
        from docgen.lint.fix import plan_fix, swap_rule_ids, write_fix

        swaps = swap_rule_ids()
        plans = [plan_fix(f.path, f, swaps) for f in report.files]
        if diff:
            # As 'ruff --diff': 1 when there is something to change, or findings at or
            # above --fail-on; the diff is the output either way.
            click.echo("".join(plan.diff() for plan in plans), nl=False)
            changes = any(plan.applied for plan in plans)
            sys.exit(int(ExitCode.FINDINGS) if changes or report.return_code(threshold)
                     else int(ExitCode.OK))
        for plan in plans:
            write_fix(plan)
            if plan.applied:
                click.echo(f"{plan.path}: made {plan.applied} change"
                           f"{'' if plan.applied == 1 else 's'}", err=True)
        # Report on the files as they now are: their findings and the lines shown.
        documents = [read_document(f.path, document_type) for f in report.files]
        report = LintReport([pipeline.check(d) for d in documents])
        shown = {d.path: excerpts(d) for d in documents}
    report = report.at_least(Severity.parse(min_severity))
    color = output is None and fmt == "text" and _colour_wanted()
    text = format_report(report, fmt, ReportContext(threshold, color, shown))
    if output is not None:
        from docgen.fileio import atomic_write

        atomic_write(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False, color=color)
    sys.exit(int(ExitCode.FINDINGS) if report.return_code(threshold) else int(ExitCode.OK))


def _colour_wanted() -> bool:
    """Colour on a terminal, unless NO_COLOR is set to anything (https://no-color.org)."""
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


