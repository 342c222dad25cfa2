"""``verify``: recheck every hash, the chain, the references, the checkpoints and the
files, and say in one line per problem what was changed.

The register must extend every checkpoint in its witness file, and every record after
the witness's opening checkpoint must have one of its own; with a checkpoint file
(checkpoints kept elsewhere) it must extend those too. A relative file path is looked up
under the files root (default: the register's folder, or the current folder for a
database URL); any DOCX or PDF in an issued folder that no record names is reported.
Notices (unused reservations, and the staged files of one) are returned too; only errors
mean the register is not intact.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import RowMapping

from docgen.canonical import sha256_file
from docgen.errors import RegisterError
from docgen.identifiers import REFERENCE, format_reference
from docgen.issue import checkpoint as checkpoints
from docgen.issue.register.records import (
    GENESIS_HASH,
    HASHED_FIELDS,
    Problem,
    record_hash,
    row_fields,
)

if TYPE_CHECKING:
    from docgen.issue.register.store import Register, Snapshot


def verify(register: Register, snapshot: Snapshot, files_root: str | Path | None = None, *,
           check_files: bool = True,
           checkpoint_file: str | Path | None = None) -> list[Problem]:
    """Every problem in ``snapshot`` (what ``register`` holds), errors and notices."""
    rows, head = snapshot.rows, snapshot.head
    problems = _check_chain(rows)
    if head.record_count != len(rows) or head.record_hash != (
        rows[-1]["record_hash"] if rows else GENESIS_HASH
    ):
        last = rows[-1]["reference"] if rows else "none"
        problems.append(Problem(None, (
            f"the chain head records {head.record_count} records, but {len(rows)} remain "
            f"and the last is {last}: the newest records were deleted or replaced"
        )))
    problems += _check_references(rows, snapshot.reserved, snapshot.numbered)
    witness = register.witness
    if witness is not None:
        problems += [Problem(f.reference, f.message) for f in checkpoints.check(
            rows, witness.read(), witness.key, source=str(witness.path), every_record=True)]
    else:
        problems.append(Problem(None, (
            f"no witness file is configured for this register, so a rewrite of its end "
            f"cannot be detected; set {checkpoints.WITNESS_ENV} and {checkpoints.KEY_ENV}"
        ), severity="notice"))
    if checkpoint_file is not None:
        problems += _check_checkpoint_file(register, rows, Path(checkpoint_file))
    if check_files:
        problems += _check_issued_files(rows, register.files_root(files_root),
                                        hint=files_root is None, reserved=snapshot.reserved)
    return problems


def _check_checkpoint_file(register: Register, rows: Sequence[RowMapping],
                           path: Path) -> list[Problem]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(f"cannot read the checkpoint file ({exc})", path=path) from None
    lines = checkpoints.read_lines(text)
    if not lines:
        raise RegisterError("holds no checkpoint; give a line that 'docgen issue' printed "
                            "or a copy of the witness file", path=path)
    from docgen.settings import environment

    key = (register.witness.key if register.witness is not None
           else checkpoints.SigningKey(environment().register_key or Path("")))
    return [Problem(f.reference, f.message) for f in checkpoints.check(
        rows, lines, key, source=str(path), every_record=False)]


def _check_chain(rows: Iterable[RowMapping]) -> list[Problem]:
    problems: list[Problem] = []
    expected_previous, previous_reference = GENESIS_HASH, None
    for row in rows:
        reference = row["reference"]
        values = row_fields(row)
        if record_hash(values) != row["record_hash"]:
            changed = _changed_fields(values, row["record_json"])
            if changed:
                names = ", ".join(f"'{name}'" for name in changed)
                problems.append(Problem(reference, (
                    f"field{'s' if len(changed) > 1 else ''} {names} changed after issue: "
                    "the record no longer matches its hash"
                )))
            else:
                problems.append(Problem(reference, (
                    "the stored record hash was changed: it no longer matches the record's "
                    "fields"
                )))
        elif _changed_fields(values, row["record_json"]):
            problems.append(Problem(reference, (
                "the stored copy of the record (record_json) was changed after issue"
            )))
        if row["previous_hash"] != expected_previous:
            if previous_reference is None:
                problems.append(Problem(reference, (
                    "the first record should start the chain but follows a record that is "
                    "no longer in the register: earlier records were deleted"
                )))
            else:
                problems.append(Problem(reference, (
                    f"does not follow on from {previous_reference}: a record between them "
                    f"was deleted, or {previous_reference} was altered"
                )))
        expected_previous, previous_reference = row["record_hash"], reference
    return problems


def _changed_fields(values: Mapping[str, Any], stored_json: str | None) -> list[str]:
    try:
        original = json.loads(stored_json or "")
    except ValueError:
        return []
    if not isinstance(original, dict):
        return []
    return [name for name in HASHED_FIELDS if original.get(name) != values[name]]


def _check_references(
    rows: Sequence[RowMapping], reserved: Mapping[str, RowMapping],
    numbered: Mapping[tuple[str, int], int],
) -> list[Problem]:
    problems: list[Problem] = []
    used: dict[tuple[str, int], set[int]] = {}
    for row in rows:
        match = REFERENCE.match(row["reference"] or "")
        if not match:
            problems.append(Problem(row["reference"], (
                "is not a reference of the form PREFIX-YEAR-NNNNNN"
            )))
            continue
        prefix, year, number = match[1], int(match[2]), int(match[3])
        used.setdefault((prefix, year), set()).add(number)
        last = numbered.get((prefix, year))
        if last is None or number > last:
            problems.append(Problem(row["reference"], (
                f"is beyond the reference counter for {prefix} {year} "
                f"(last allocated: {last or 0}): the counter was changed"
            )))
    for (prefix, year), last in sorted(numbered.items()):
        issued = used.get((prefix, year), set())
        for number in range(1, last + 1):
            if number in issued:
                continue
            reference = format_reference(prefix, year, number)
            if reference in reserved:
                problems.append(Problem(reference, (
                    f"reserved at {reserved[reference].reserved_at} but never issued "
                    "(abandoned, or still being issued)"
                ), severity="notice"))
            else:
                problems.append(Problem(reference, (
                    "is missing: the reference was allocated but has no record or "
                    "reservation, so a record was deleted"
                )))
    return problems


STAGED_SUFFIX = ".staged"


def staged_name(path: Path) -> Path:
    """Where an issued file is written before its record exists: a hidden name beside it."""
    return path.with_name(f".{path.name}{STAGED_SUFFIX}")


def staged_reference(path: Path) -> str | None:
    """The reference a staged file (or the temporary file it is written through) was
    staged for, or None for any other name."""
    name = path.name
    if not name.startswith(".") or STAGED_SUFFIX not in name:
        return None
    match = REFERENCE.match(name.lstrip(".").partition(".")[0])
    return match[0] if match else None


def _check_issued_files(rows: Sequence[RowMapping], root: Path, *, hint: bool,
                        reserved: Mapping[str, RowMapping]) -> list[Problem]:
    """Check each record's files, then report files in those folders that no record names.

    A hidden staged file whose reference was reserved but never recorded is what an issue
    stopped between staging and recording leaves: never published, so a notice."""
    problems: list[Problem] = []
    named: set[Path] = set()
    folders: set[Path] = set()
    recorded = {row["reference"] for row in rows}
    for row in rows:
        problems += _check_files(row, root, hint=hint)
        for path_field in ("docx_path", "pdf_path"):
            if row[path_field]:
                path = resolve(row[path_field], root)
                named.update((path, staged_name(path)))  # a staged one is reported above
                folders.add(path.parent)
    for folder in sorted(folders):
        with contextlib.suppress(OSError):
            for path in sorted(folder.iterdir()):
                if path in named or not path.is_file():
                    continue
                if not any(part in path.name for part in (".docx", ".pdf")):
                    continue
                stopped = staged_reference(path)
                if stopped in reserved and stopped not in recorded:
                    problems.append(Problem(stopped, (
                        f"{path} was staged but never recorded: the issue stopped before "
                        "its record was made, so it was not issued; remove it"
                    ), severity="notice"))
                    continue
                problems.append(Problem(None, (
                    f"{path} has no record in the register: an issue stopped before "
                    "recording it, or it was put there by hand; it must not be sent. Remove "
                    "it, or issue the data again"
                )))
    return problems


def resolve(stored: str, root: Path) -> Path:
    path = Path(stored)
    return (path if path.is_absolute() else root / path).resolve()


def _check_files(row: RowMapping, root: Path, *, hint: bool = False) -> list[Problem]:
    problems: list[Problem] = []
    for kind, path_field, hash_field in (("Word", "docx_path", "docx_sha256"),
                                         ("PDF", "pdf_path", "pdf_sha256")):
        stored = row[path_field]
        if not stored:
            continue
        path = Path(stored)
        path = path if path.is_absolute() else root / path
        if not path.is_file():
            staged = staged_name(path)
            if staged.is_file():
                problems.append(Problem(row["reference"], (
                    f"the {kind} file {path} was recorded but never published; it is still "
                    f"at {staged}: move it to {path.name}"
                )))
                continue
            where = (f" (relative paths are looked up under {root}; pass --files-root if "
                     "the files are elsewhere)" if hint and not Path(stored).is_absolute()
                     else "")
            problems.append(Problem(row["reference"],
                                    f"the {kind} file {path} is missing{where}"))
        elif sha256_file(path) != row[hash_field]:
            problems.append(Problem(row["reference"], (
                f"the {kind} file {path} was changed after issue: its SHA-256 no longer "
                "matches the register"
            )))
    return problems
