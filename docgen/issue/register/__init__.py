"""The issue register: an append-only, hash-chained record of every document issued.

Modules: ``records`` (what a record holds, references, hashes), ``store`` (the tables and
``Register``), ``verification`` (``verify``) and ``export``.

Storage
    SQLAlchemy Core over an SQLite file (the default: ``DOCGEN_DB``, else
    ``docgen-register.sqlite3`` in the current folder) or PostgreSQL through a URL
    (``postgresql+psycopg://user@host/db``). Schema changes are numbered steps in
    ``docgen.issue.migrations``, applied when a register is opened.

Append-only
    The API has no update or delete, and the database refuses them too: triggers raise
    on UPDATE or DELETE of ``records`` and ``reservations`` (and on TRUNCATE in
    PostgreSQL), on an INSERT that would replace a stored row (SQLite's ``INSERT OR
    REPLACE`` deletes without firing DELETE triggers), and on any write to the chain head
    or a counter but the step an issue makes. Changing history by hand means dropping the
    triggers first, and the checkpoints below make that evident.

Checkpoints
    After each record, a signed checkpoint (count and head hash) is appended to a witness
    file outside the database (``docgen.issue.checkpoint``); ``verify`` proves the register
    extends each one and that every record has its own, so a rewrite of the end of the
    chain, which the chain alone cannot see, is named too.

Hash chain
    Each record's hash is the SHA-256 of a canonical JSON object (sorted keys, no spaces,
    UTF-8) of all its fields, including the hash of the record inserted before it. A
    one-row ``chain_head`` holds the last hash and the record count, so deleting the
    newest record is caught too. Inserts lock the head row, which makes insertion order
    one total order even when several processes write at once. The canonical JSON is
    stored beside the columns, so when a column is edited ``verify`` can name the field.
    JSON fields are stored as canonical text, not JSONB, so they hash the same after a
    round trip through either database.

References
    ``PREFIX-YEAR-NNNNNN``, numbered from 1 per prefix and year by a counter row that is
    read and bumped in the same transaction as the insert that uses it (``BEGIN
    IMMEDIATE`` on SQLite, ``SELECT … FOR UPDATE`` on PostgreSQL), so numbers are unique
    and gap-free however many processes issue at once.

Two phases
    The reference must be printed inside the PDF, so the issue command needs it before
    the record can exist. ``reserve`` allocates the next number and writes a row in a
    separate, append-only ``reservations`` table, outside the hash chain; ``complete``
    later inserts the record itself, with every hash, in one transaction. A crash in
    between leaves a reservation and no record: never a half-recorded document. Such a
    reservation is an *explained* gap: ``verify`` lists it as a notice ("reserved, never
    issued") rather than an error, whereas a number with neither a record nor a
    reservation is an error (a record was deleted). ``record`` does both phases at once
    when the reference is not needed in advance.

Idempotency
    The key is the template id and the data's SHA-256. Recording the same pair again
    returns the record already made; ``complete`` then leaves its reservation unused.
"""

from __future__ import annotations

from docgen.identifiers import format_reference
from docgen.issue.register.records import (
    GENESIS_HASH,
    HASHED_FIELDS,
    IssueDetails,
    Problem,
    Record,
    Reservation,
    idempotency_key,
    record_hash,
)
from docgen.issue.register.store import (
    DEFAULT_FILE,
    Register,
    Snapshot,
    database_url,
)
from docgen.issue.register.verification import STAGED_SUFFIX, staged_name

__all__ = [
    "DEFAULT_FILE", "GENESIS_HASH", "HASHED_FIELDS", "STAGED_SUFFIX", "IssueDetails",
    "Problem", "Record", "Register", "Reservation", "Snapshot", "database_url",
    "format_reference", "idempotency_key", "record_hash", "staged_name",
]
