"""Which database a file is: one ``database_id`` per file copy, for merging.

The city keeps merge bases per source (``merge_source``, keyed by ``database_id``). Copies
of one file used to share their id (it was derived from when the schema was first made),
so two districts whose files began as copies of one database were one source to the city:
one district's edit reverted the other's, and a file copied from the city's own could not
be merged at all ("就是本数据库").

Now every file records where it lives (``database_home``: host and absolute path). A file
found under another home is a copy when the home it names is another machine, or when the
file there still exists with the same id; a copy takes an id of its own (derived from the
old id and the new home, so a package taken from a copy that cannot be written gets the
same id as the copy will have once it is opened). A file merely moved on its machine (the
old path is gone) keeps its id.

A file that records no home at all was made before this scheme, and its copies made then
are indistinguishable from it: each takes an id of its own on its first open (derived from
the old id, its home and its inode, so again a package says what the file will be), unless
this very open created it. Whenever the id changes, the former one is kept as
``database_parent_id`` and travels in packages: the city recognises the source it merged
under that id and takes over its merge bases where they are this file's own history
(``store.merge``).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from duibiao_tui.domain.reference import seed_id

__all__ = [
    "HOME_KEY",
    "ID_KEY",
    "PARENT_KEY",
    "Identity",
    "claim_identity",
    "home_of",
    "identity_for",
]

ID_KEY = "database_id"
HOME_KEY = "database_home"
PARENT_KEY = "database_parent_id"


@dataclass(frozen=True)
class Identity:
    id: str | None
    parent: str | None
    """The id this file had before it took its own (a source the city may know)."""
    changed: bool
    """The file is to take ``id`` now (a copy, or a file from before per-copy ids)."""


def home_of(path: Path | str) -> str:
    """The home a file at ``path`` records: this machine and the absolute path."""
    return json.dumps(
        {"host": socket.gethostname(), "path": str(Path(path).resolve())}, ensure_ascii=False
    )


def _setting(conn: sqlite3.Connection, key: str) -> str | None:
    try:
        row = conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def _id_of_file(path: Path) -> str | None:
    from duibiao_tui.errors import DuibiaoError
    from duibiao_tui.store.sqlite_files import open_read_only

    try:
        conn = open_read_only(path, timeout=1.0)
    except DuibiaoError:
        return None
    try:
        return _setting(conn, ID_KEY)
    finally:
        conn.close()


def _is_copy(recorded: str, path: Path, own_id: str) -> bool:
    try:
        home = json.loads(recorded)
        host, old_path = str(home["host"]), Path(home["path"])
    except (ValueError, KeyError, TypeError):
        return False
    if host != socket.gethostname():
        return True
    try:
        if old_path.exists() and os.path.samefile(old_path, path):
            return False  # the same file under another name (a link)
    except OSError:
        pass
    return old_path.is_file() and _id_of_file(old_path) == own_id


def _legacy_id(own_id: str, path: Path) -> str:
    """The id of its own for a file from before per-copy ids: copies of one such file on
    machines of the same name at the same path still differ by their inode."""
    try:
        inode = os.stat(path).st_ino
    except OSError:
        inode = 0
    return seed_id("database-legacy", f"{own_id}|{home_of(path)}|{inode}")


def identity_for(conn: sqlite3.Connection, path: Path | str, *, new: bool = False) -> Identity:
    """The id the file at ``path`` has or should have, read only (``new``: this open just
    created it, so it has no copies)."""
    own_id = _setting(conn, ID_KEY)
    recorded = _setting(conn, HOME_KEY)
    parent = _setting(conn, PARENT_KEY)
    if own_id is None or recorded == home_of(path) or (recorded is None and new):
        return Identity(own_id, parent, False)
    if recorded is None:
        return Identity(_legacy_id(own_id, Path(path)), own_id, True)
    if _is_copy(recorded, Path(path), own_id):
        return Identity(seed_id("database-copy", f"{own_id}|{home_of(path)}"), own_id, True)
    return Identity(own_id, parent, False)


def claim_identity(conn: sqlite3.Connection, path: Path | str, *, new: bool = False) -> str | None:
    """Record the file's home and, if it is a copy or from before per-copy ids, give it its
    own id (one transaction, decided under the write lock: two processes opening one file
    at once agree)."""
    own_id = _setting(conn, ID_KEY)
    if own_id is None or _setting(conn, HOME_KEY) == home_of(path):
        return own_id
    conn.execute("BEGIN IMMEDIATE")
    try:
        identity = identity_for(conn, path, new=new)
        if _setting(conn, HOME_KEY) != home_of(path):
            rows = [(HOME_KEY, home_of(path))]
            if identity.changed and identity.id is not None and identity.parent is not None:
                rows += [(ID_KEY, identity.id), (PARENT_KEY, identity.parent)]
            conn.executemany("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return identity.id
