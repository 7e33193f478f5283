"""Reading a district file to merge: checked, its identity, and all its rows in one snapshot.

A district database or a package of one (``store.package``: compressed, or a plain database
from an earlier release; told apart by content, never by name) is opened read-only and
refused (``MergeRefused``) unless it is an undamaged duibiao file of a schema this release
knows (a plain file passes ``quick_check``; a compressed one unpacks whole, its CRC-32
matching). A compressed package is unpacked into a private temporary file, kept until the
merge ends (``Incoming.close``): its audit log and new form rows are copied from it inside
SQLite (``Merger.attach``) rather than through Python. Its ``database_id`` (derived, for a file from before per-copy ids,
from when it was made) and ``database_parent_id`` say which source it is and which it was
(``store.identity``). Search keys are not read: the city builds its own for what it takes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from duibiao_tui.domain.merge import NO_DISTRICT, SCORES_KEY, SPECS
from duibiao_tui.errors import DuibiaoError, SchemaTooNewError
from duibiao_tui.store.merge.digests import AUDIT, Reuse, incoming_digests
from duibiao_tui.store.versioning import MIGRATION_SET, applied_names, pending_migrations

__all__ = [
    "AUDIT_COLUMNS",
    "Incoming",
    "MergeRefused",
    "read_source",
    "scores_by_recognition",
    "select_rows",
]

AUDIT_COLUMNS = (
    "id",
    "at",
    "officer",
    "table_name",
    "row_id",
    "action",
    "field",
    "old_value",
    "new_value",
)
SCORE_COLUMNS = ("clause", "category", "points", "max_points", "edition")


class MergeRefused(DuibiaoError):
    """A file given to merge is not one: nothing was written."""

    title = "无法合并"


@dataclass
class Incoming:
    """Everything a merge needs from one district file, read in one read transaction."""

    path: Path
    database_id: str
    label: str
    tables: dict[str, list[dict[str, Any]]]
    """Synced table → rows; recognitions carry their scores under SCORES_KEY."""
    audit: list[tuple[Any, ...]] | None
    """Its audit entries, in id order; None while they wait in ``plain`` (``audit_rows``)."""
    parent_id: str | None = None
    """The id the file had before it took its own (``store.identity``), if it did."""
    plain: Path | None = None
    """A package's unpacked database, ours until ``close``; its audit log is read there."""
    digests: dict[str, str] = field(default_factory=dict)
    """Table → digest of its content, as a package carries them (``merge.digests``)."""
    reused: frozenset[str] = frozenset()
    """Tables not read: this database merged the very same content from this source."""

    def audit_rows(self) -> list[tuple[Any, ...]]:
        """Its audit entries, in id order (read from ``plain`` if they wait there)."""
        if self.audit is None:
            assert self.plain is not None
            conn = _open_read_only(self.plain)
            try:
                self.audit = _read_audit(conn)
            finally:
                conn.close()
        return self.audit

    def close(self) -> None:
        """Remove the unpacked package, if any; harmless twice."""
        from duibiao_tui.store.package import discard

        if self.plain is not None:
            discard(self.plain)
            self.plain = None
            if self.audit is None:
                self.audit = []


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Read-only, whatever the folder's name (``sqlite_files``); a WAL file on read-only
    media (a USB stick) is read as it is."""
    from duibiao_tui.store.sqlite_files import open_read_only

    try:
        return open_read_only(path)
    except DuibiaoError as error:
        raise MergeRefused(f"{path.name}：{error.message}，未合并") from error


def select_rows(
    conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]  # noqa: B905 - a row is as long as its names


def _score_value(row: Mapping[str, Any]) -> list[Any]:
    return [row[c] for c in SCORE_COLUMNS]


def scores_by_recognition(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = defaultdict(list)
    for row in rows:
        out[row["recognition_id"]].append(_score_value(row))
    for scores in out.values():
        scores.sort(key=lambda s: str(s[0]))
    return out


def _read_audit(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return conn.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log ORDER BY id").fetchall()


def _file_label(conn: sqlite3.Connection, path: Path) -> str:
    row = conn.execute("SELECT value FROM setting WHERE key = 'package_district'").fetchone()
    if row and row[0]:
        return str(row[0])
    names = [
        r[0]
        for r in conn.execute(
            "SELECT ifnull(d.name, ?) FROM enterprise e LEFT JOIN district d "
            "ON d.id = e.district_id WHERE e.deleted_at IS NULL GROUP BY 1 ORDER BY count(*) DESC",
            [NO_DISTRICT],
        )
    ]
    if not names:
        return path.stem
    if len(names) <= 2:
        return "、".join(names)
    return f"{names[0]}等{len(names)}个辖市区"


def _unreadable(path: Path, error: sqlite3.DatabaseError) -> MergeRefused:
    if "not a database" in str(error) or "encrypted" in str(error):
        return MergeRefused(f"{path.name} 不是 duibiao 数据库或数据包（不是 SQLite 文件）")
    return MergeRefused(f"{path.name} 无法读取或已损坏（{error}），未合并")


def read_source(path: Path | str, reuse: Reuse | None = None) -> Incoming:
    """Check and read one district database or package (but not the tables ``reuse``
    names for it); raises MergeRefused. A package stays unpacked, its audit log unread,
    until ``Incoming.close``: the merge copies that log inside SQLite (``Incoming.plain``)."""
    from duibiao_tui.store.package import discard, package_form, unpack

    path = Path(path)
    if not path.is_file():
        raise MergeRefused(f"找不到文件 {path}")
    plain: Path | None = None
    try:
        if package_form(path) == "gzip":
            plain = unpack(path)
        incoming = _read(path, plain or path, reuse)
    except MergeRefused:
        if plain is not None:
            discard(plain)
        raise
    except DuibiaoError as error:  # damaged, cut off, too large, no room to unpack
        if plain is not None:
            discard(plain)
        raise MergeRefused(f"{error.message}", error.title) from error
    incoming.plain = plain
    return incoming


def _read(path: Path, plain: Path, reuse: Reuse | None) -> Incoming:
    """Read the database file ``plain`` (``path`` itself, or what it unpacked to); errors
    name ``path``."""
    try:
        conn = _open_read_only(plain)
    except MergeRefused as error:
        if plain == path:
            raise
        raise MergeRefused(f"{path.name} 解压后不是可用的 duibiao 数据库，未合并") from error
    try:
        # A compressed package was integrity-checked when it was made, and gzip's CRC-32
        # and length, checked as it unpacked, say these are those very bytes; every table
        # is read whole below (an unreadable page still refuses it). A plain file is checked.
        try:
            check = "ok" if plain != path else conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise _unreadable(path, error) from error
        if check != "ok":
            raise MergeRefused(f"{path.name} 已损坏（{check}），未合并")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied = applied_names(conn)
        needed = {spec.name for spec in SPECS} | {"audit_log", "recognition_score", "setting"}
        if not applied or not needed <= tables:
            raise MergeRefused(f"{path.name} 是 SQLite 文件，但不是 duibiao 数据库或数据包")
        try:
            pending_migrations(conn)
        except SchemaTooNewError as error:
            raise MergeRefused(
                f"{path.name} 来自更新版本的 duibiao-tui，请先升级本程序", error.title
            ) from error
        conn.execute("BEGIN")  # one snapshot, even while its own app writes
        row = conn.execute("SELECT value FROM setting WHERE key = 'database_id'").fetchone()
        if row:
            database_id = str(row[0])
        else:
            from duibiao_tui.store.migrations import derived_database_id

            first = conn.execute(
                "SELECT applied_at FROM _sqlite_migrations WHERE migration_set = ? "
                "AND name = '0001_initial'",
                [MIGRATION_SET],
            ).fetchone()
            database_id = derived_database_id(first[0] if first else str(path.resolve()))
        row = conn.execute("SELECT value FROM setting WHERE key = 'database_parent_id'").fetchone()
        parent_id = str(row[0]) if row else None
        digests = incoming_digests(conn)
        reused = reuse(database_id, digests) if reuse is not None and digests else frozenset()
        data = {
            spec.name: select_rows(conn, f"SELECT * FROM {spec.name}")
            for spec in SPECS
            if spec.name not in reused
        }
        if "recognition" in data:
            scores = scores_by_recognition(select_rows(conn, "SELECT * FROM recognition_score"))
            for recognition in data["recognition"]:
                recognition[SCORES_KEY] = scores.get(recognition["id"], [])
        # a package's log is copied inside SQLite from its unpacked file; a file's, read
        audit = [] if AUDIT in reused else None if plain != path else _read_audit(conn)
        label = _file_label(conn, path)
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        raise MergeRefused(f"{path.name} 读取失败（{error}），未合并") from error
    finally:
        conn.close()
    return Incoming(
        path, database_id, label, data, audit, parent_id, digests=digests, reused=reused
    )
