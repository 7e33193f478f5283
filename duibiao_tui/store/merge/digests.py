"""Whole-table digests: a package merged again does not read or merge what has not changed.

A package carries, in its ``setting`` (``DIGESTS_KEY``), one digest per synced table (and
its recognitions' scores, and its audit log) of its content as packed. After a merge, the
city remembers (``merge_digest``) each table's digest per source when the table merged
*clean* — every row of it added, updated or left as the three-way rule says, none held as a
duplicate or left as a conflict — so every one of its rows has a base equal to the row
itself. The same table offered again by that source is then a no-op row by row (each row is
its base: it is left, whatever this side did since), so it is neither read nor compared;
the report counts its rows as unchanged, per district as they were counted then.

A remembered digest holds only in the *context* it was taken in (``merge_context``): the
schema this file has, how incoming ids are mapped here (``merge_alias``, which a confirmed
duplicate changes, and with it how the incoming rows are rewritten) and this module's
version. Anything else a later merge would do differently to unchanged rows is written
somewhere those cover. A plain district file carries no digests: it is merged in full.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from duibiao_tui.domain.merge import SPECS
from duibiao_tui.store.versioning import applied_names

if TYPE_CHECKING:
    from duibiao_tui.store.merge.source import Incoming

__all__ = [
    "AUDIT",
    "DIGESTS_KEY",
    "SCORES",
    "Reuse",
    "merge_context",
    "package_digests",
    "remember",
    "remembered",
    "reuse_for",
    "reuse_from",
    "reusable",
    "still_reusable",
]

DIGESTS_KEY = "package_digests"
VERSION = 1
"""Changes whenever what a digest covers changes: older digests then never match."""
SCORES = "recognition_score"
AUDIT = "audit_log"
DIGESTED = (*(spec.name for spec in SPECS), SCORES, AUDIT)

Reuse = Callable[[str, Mapping[str, str]], frozenset[str]]
"""(a file's database_id, its digests) → its tables that need not be read."""


def package_digests(conn: sqlite3.Connection) -> dict[str, str]:
    """The digest of each synced table of the database ``conn`` (a package being made):
    its column names and every row, in id order."""
    out = {}
    for table in DIGESTED:
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
        digest = hashlib.blake2b(digest_size=16)
        digest.update(repr([VERSION, *(d[0] for d in cursor.description)]).encode())
        for row in cursor:
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
        out[table] = digest.hexdigest()
    return out


def incoming_digests(conn: sqlite3.Connection) -> dict[str, str]:
    """The digests a file being merged carries (none for a plain district file, or one
    from before digests)."""
    row = conn.execute("SELECT value FROM setting WHERE key = ?", [DIGESTS_KEY]).fetchone()
    if row is None:
        return {}
    try:
        digests = json.loads(row[0])
    except ValueError:
        return {}
    if not isinstance(digests, dict):
        return {}
    return {str(k): str(v) for k, v in digests.items() if k in DIGESTED}


def merge_context(conn: sqlite3.Connection) -> str:
    """What a remembered digest holds in: this file's schema, its id mappings, this
    module's version."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr([VERSION, sorted(applied_names(conn))]).encode())
    for row in conn.execute(
        "SELECT table_name, incoming_id, local_id FROM merge_alias ORDER BY 1, 2"
    ):
        digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def remembered(conn: sqlite3.Connection, database_id: str, context: str) -> dict[str, str]:
    """Table → digest remembered for the source ``database_id`` in ``context``."""
    return dict(
        conn.execute(
            "SELECT d.table_name, d.digest FROM merge_digest d "
            "JOIN merge_source s ON s.n = d.source WHERE s.database_id = ? AND d.context = ?",
            [database_id, context],
        ).fetchall()
    )


def reusable(incoming: Mapping[str, str], known: Mapping[str, str]) -> frozenset[str]:
    """The tables of a file that need not be read: their digest is the one remembered
    (recognitions only together with their scores, which travel with them)."""
    same = {t for t, digest in incoming.items() if known.get(t) == digest}
    if SCORES not in same:
        same.discard("recognition")
    same.discard(SCORES)
    return frozenset(same)


def reuse_for(conn: sqlite3.Connection) -> Reuse:
    """What to skip reading of each file merged into the database ``conn``, as it is now
    (a file of an earlier release, without ``merge_digest``, skips nothing)."""
    try:
        context = merge_context(conn)
    except sqlite3.OperationalError:
        return lambda database_id, digests: frozenset()

    def reuse(database_id: str, digests: Mapping[str, str]) -> frozenset[str]:
        try:
            known = remembered(conn, database_id, context)
        except sqlite3.OperationalError:  # no merge_digest here yet
            return frozenset()
        return reusable(digests, known)

    return reuse


@contextlib.contextmanager
def reuse_from(path: Path) -> Iterator[Reuse | None]:
    """``reuse_for`` the database file at ``path`` before it is opened (the command line
    checks every file first), from a read-only connection of its own; None when there is
    no such file or it cannot be read (then everything is read, and the merge opening it
    says what is wrong with it)."""
    from duibiao_tui.errors import DuibiaoError
    from duibiao_tui.store.sqlite_files import open_read_only

    if not path.is_file():
        yield None
        return
    try:
        conn = open_read_only(path)
    except DuibiaoError:
        yield None
        return
    try:
        yield reuse_for(conn)
    finally:
        conn.close()


def still_reusable(conn: sqlite3.Connection, incoming: Incoming) -> bool:
    """Whether what ``incoming`` left unread still holds in the merge's transaction."""
    known = remembered(conn, incoming.database_id, merge_context(conn))
    return incoming.reused <= reusable(incoming.digests, known)


def counts_of(conn: sqlite3.Connection, source: int) -> dict[str, dict[str, int]]:
    """Table → district label → rows, as the source's last clean merge of it counted them."""
    return {
        table: json.loads(counts)
        for table, counts in conn.execute(
            "SELECT table_name, counts FROM merge_digest WHERE source = ?", [source]
        )
    }


def remember(
    conn: sqlite3.Connection,
    source: int,
    context: str,
    clean: Mapping[str, tuple[str, Mapping[str, int]]],
) -> bool:
    """Keep, for ``source``, exactly the digests of ``clean`` (table → its digest and its
    rows per district) in ``context``; the rest are forgotten. Writes only what differs;
    returns whether it wrote."""
    stored = {
        table: (digest, ctx, counts)
        for table, digest, ctx, counts in conn.execute(
            "SELECT table_name, digest, context, counts FROM merge_digest WHERE source = ?",
            [source],
        )
    }
    wanted = {
        table: (digest, context, json.dumps(dict(sorted(counts.items())), ensure_ascii=False))
        for table, (digest, counts) in clean.items()
    }
    gone = [t for t in stored if t not in wanted]
    new = [(source, t, *v) for t, v in wanted.items() if stored.get(t) != v]
    conn.executemany(
        "DELETE FROM merge_digest WHERE source = ? AND table_name = ?", [(source, t) for t in gone]
    )
    conn.executemany(
        "INSERT OR REPLACE INTO merge_digest (source, table_name, digest, context, counts) "
        "VALUES (?, ?, ?, ?, ?)",
        new,
    )
    return bool(gone or new)
