"""Signed checkpoints of the register, kept in an append-only witness file outside it.

The hash chain makes an edit in the middle of the register evident, but not a rewrite of
its end: whoever can write the database can delete the newest records, recompute the
tail, or append a record of their own, and then set the chain head to match. Transparency
logs (Certificate Transparency, Sigstore's Rekor) answer this with signed checkpoints:
a signature over the size of the log and the hash at its end, published where the log's
operator cannot take it back. docgen does the same on a small scale.

After each record is committed, docgen signs ``(count, head hash)`` with an Ed25519 key
that is not in the database (by default a file beside the register, mode 0600) and
appends the checkpoint as one JSON line to the witness file beside the register. The
first line of a witness is its *opening* checkpoint, signed when the key is made, over
the register as it then stood. ``verify`` then proves:

* every checkpoint's signature holds, under the register's key;
* the register extends every checkpoint: record number ``count`` still has the signed
  hash (and, through the chain, so does every record before it), so deleting, replacing
  or rewriting any signed record, or wiping the register, is evident;
* every record after the opening checkpoint has a checkpoint of its own, so a record
  appended outside docgen (with a correctly computed hash and head) is evident, and so is
  a line cut out of the witness.

Anyone who holds the key can still forge; keep a copy of a recent checkpoint (``docgen
issue`` prints it) somewhere else and pass it to ``docgen register verify --checkpoint``
to prove the register extends it even if the witness and key are replaced.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import RowMapping
from typing import Any

from docgen.canonical import canonical_json
from docgen.errors import RegisterError

FORMAT = "docgen-register-checkpoint/v1"
KEY_ENV = "DOCGEN_REGISTER_KEY"
WITNESS_ENV = "DOCGEN_REGISTER_WITNESS"
GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class Checkpoint:
    """The signed size and end hash of the register at one moment."""

    count: int
    head: str
    signed_at: str
    key: str
    signature: str
    opening: bool = False

    def signed_bytes(self) -> bytes:
        """The bytes the signature covers: every field but the signature, canonically."""
        body = {k: v for k, v in asdict(self).items() if k != "signature"}
        body["format"] = FORMAT
        return canonical_json(body).encode("utf-8")

    def to_line(self) -> str:
        fields = {"format": FORMAT, **asdict(self)}
        return canonical_json(fields)

    @classmethod
    def from_line(cls, line: str) -> Checkpoint:
        """Parse a witness line, or a printed ``Checkpoint: {...}`` line."""
        start = line.find("{")
        try:
            fields = json.loads(line[start:]) if start >= 0 else None
        except ValueError:
            fields = None
        if not isinstance(fields, dict) or fields.pop("format", None) != FORMAT:
            raise ValueError(f"is not a {FORMAT} line")
        try:
            checkpoint = cls(**fields)
        except TypeError:
            raise ValueError("does not have the fields of a checkpoint") from None
        if not (isinstance(checkpoint.count, int) and checkpoint.count >= 0
                and isinstance(checkpoint.head, str) and isinstance(checkpoint.key, str)
                and isinstance(checkpoint.signature, str)):
            raise ValueError("has a count, head, key or signature of the wrong kind")
        return checkpoint


@dataclass(frozen=True)
class CheckpointProblem:
    """One problem ``check`` found: which record (if any) and what."""

    reference: str | None
    message: str


class SigningKey:
    """The register's Ed25519 key, kept in a file of its own (mode 0600)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._loaded: Any = None

    def exists(self) -> bool:
        return self.path.is_file()

    def create(self) -> None:
        """Make a new key; refuse to replace one that exists."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Written whole under a temporary name, then linked into place: a process that
        # finds the key file always finds a whole key, and two first issuers keep one.
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, pem)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.link(temporary, self.path)
        except FileExistsError:
            pass  # another process made it first; use that one
        except OSError as exc:
            raise RegisterError(
                f"cannot create the register's signing key {self.path} ({exc.strerror}); "
                f"set {KEY_ENV} to a writable path"
            ) from None
        finally:
            temporary.unlink(missing_ok=True)

    def _private(self) -> Any:
        if self._loaded is None:
            self._loaded = self._load()
        return self._loaded

    def _load(self) -> Any:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            key = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
        except FileNotFoundError:
            raise RegisterError(
                f"the register's signing key {self.path} is missing; restore it from a "
                f"backup (or set {KEY_ENV} to it): without it no checkpoint can be signed"
            ) from None
        except OSError as exc:
            raise RegisterError(
                f"cannot read the register's signing key {self.path} ({exc.strerror})"
            ) from None
        except ValueError:
            raise RegisterError(
                f"{self.path} is not an Ed25519 signing key; restore the register's key file"
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise RegisterError(f"{self.path} is not an Ed25519 signing key")
        return key

    def key_id(self) -> str:
        """The first 16 hex digits of the public key's SHA-256; raises if the key is gone."""
        from cryptography.hazmat.primitives import serialization

        raw = self._private().public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:16]

    def sign(self, count: int, head: str, *, opening: bool = False) -> Checkpoint:
        unsigned = Checkpoint(count, head, _now(), self.key_id(), "", opening)
        signature = self._private().sign(unsigned.signed_bytes())
        return Checkpoint(count, head, unsigned.signed_at, unsigned.key,
                          base64.b64encode(signature).decode("ascii"), opening)

    def verifies(self, checkpoint: Checkpoint) -> bool:
        from cryptography.exceptions import InvalidSignature

        try:
            signature = base64.b64decode(checkpoint.signature, validate=True)
            self._private().public_key().verify(signature, checkpoint.signed_bytes())
        except (InvalidSignature, ValueError):
            return False
        return True


class Witness:
    """The append-only file of checkpoints beside the register, and the key that signs them."""

    def __init__(self, path: Path, key: SigningKey) -> None:
        self.path = path
        self.key = key

    @classmethod
    def beside(cls, register_file: Path | None) -> Witness | None:
        """The witness for a register: from the environment, else beside its file."""
        from docgen.settings import environment

        configured = environment()
        key_path = str(configured.register_key or "")
        witness_path = str(configured.register_witness or "")
        if register_file is not None:
            key_path = key_path or f"{register_file}.key"
            witness_path = witness_path or f"{register_file}.witness"
        if not (key_path and witness_path):
            return None
        return cls(Path(witness_path).expanduser(), SigningKey(Path(key_path).expanduser()))

    def open(self, count: int, head: str) -> None:
        """Make the key and write the opening checkpoint, if this register has neither."""
        if self.key.exists() or self.path.exists():
            return
        self.key.create()
        self.append(self.key.sign(count, head, opening=True))

    def sign(self, count: int, head: str) -> Checkpoint:
        checkpoint = self.key.sign(count, head)
        self.append(checkpoint)
        return checkpoint

    def append(self, checkpoint: Checkpoint) -> None:
        line = (checkpoint.to_line() + "\n").encode("utf-8")
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as exc:
            raise RegisterError(_write_failure(self.path, exc)) from None
        try:
            # One write of a short line with O_APPEND: concurrent issuers never interleave.
            if os.write(fd, line) != len(line):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            os.fsync(fd)
        except OSError as exc:
            raise RegisterError(_write_failure(self.path, exc)) from None
        finally:
            os.close(fd)

    def read(self) -> list[tuple[int, Checkpoint | None]]:
        """Every line as (line number, checkpoint), None for a line that does not parse."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise RegisterError(f"cannot read the witness file {self.path} ({exc})") from None
        return read_lines(text)


def read_lines(text: str) -> list[tuple[int, Checkpoint | None]]:
    found: list[tuple[int, Checkpoint | None]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append((number, Checkpoint.from_line(line)))
        except ValueError:
            found.append((number, None))
    return found


def check(
    rows: Sequence[Mapping[str, Any]] | Sequence[RowMapping],
    checkpoints: Sequence[tuple[int, Checkpoint | None]],
    key: SigningKey,
    *,
    source: str,
    every_record: bool,
) -> list[CheckpointProblem]:
    """Prove ``rows`` extend each checkpoint; with ``every_record``, that each is signed."""
    findings: list[CheckpointProblem] = []
    if not key.exists():
        return [CheckpointProblem(None, (
            f"the signing key {key.path} is missing, so the checkpoints in {source} cannot be "
            f"checked; restore the key file (or set {KEY_ENV} to it)"
        ))]
    key_id = key.key_id()
    signed: set[int] = set()
    opening: int | None = None
    for number, checkpoint in checkpoints:
        where = f"{source} line {number}"
        if checkpoint is None:
            findings.append(CheckpointProblem(
                None, f"{where} is not a checkpoint: the witness was edited"))
            continue
        if checkpoint.key != key_id or not key.verifies(checkpoint):
            findings.append(CheckpointProblem(None, (
                f"{where}: the signature does not verify under the register's key "
                f"({key_id}): the checkpoint was forged or altered"
            )))
            continue
        signed.add(checkpoint.count)  # it has its checkpoint, whether or not it still holds
        if checkpoint.opening:
            opening = checkpoint.count if opening is None else min(opening, checkpoint.count)
        if checkpoint.count > len(rows):
            findings.append(CheckpointProblem(None, (
                f"{where} signed {checkpoint.count} records, but the register holds "
                f"{len(rows)}: records were deleted or the register was wiped or replaced"
            )))
            continue
        actual = rows[checkpoint.count - 1]["record_hash"] if checkpoint.count else GENESIS_HASH
        if actual != checkpoint.head:
            reference = rows[checkpoint.count - 1]["reference"] if checkpoint.count else None
            findings.append(CheckpointProblem(reference, (
                f"the register does not extend {where}: record {checkpoint.count} no longer "
                f"has the signed hash {checkpoint.head[:16]}: it, or a record before it, was "
                "rewritten"
            )))
    if not every_record:
        return findings
    if not checkpoints:
        if rows or key.exists():
            findings.append(CheckpointProblem(None, (
                f"the witness file {source} is missing or empty, but the register "
                f"{'holds records' if rows else 'has a signing key'}: its checkpoints were "
                "deleted"
            )))
        return findings
    if opening is None:
        findings.append(CheckpointProblem(None, (
            f"{source} has lost its opening checkpoint: lines were cut from its start"
        )))
        opening = min(signed, default=0)
    for position in range(opening + 1, len(rows) + 1):
        if position not in signed:
            findings.append(CheckpointProblem(rows[position - 1]["reference"], (
                f"record {position} has no signed checkpoint in {source}: it was appended "
                "outside docgen, or the witness lost its line"
            )))
    return findings


def _write_failure(path: Path, exc: OSError) -> str:
    return (f"cannot append the checkpoint to the witness file {path} ({exc.strerror}); "
            "the record is saved: free some space and run 'docgen register verify'")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


__all__ = ["Checkpoint", "SigningKey", "Witness", "check"]
