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
old path is gone) keeps its id. Its former id is kept as ``database_parent_id``.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from pathlib import Path

from duibiao_tui.domain.reference import seed_id

__all__ = ["HOME_KEY", "claim_identity", "home_of", "identity_for"]

ID_KEY = "database_id"
HOME_KEY = "database_home"
PARENT_KEY = "database_parent_id"


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


def identity_for(conn: sqlite3.Connection, path: Path | str) -> tuple[str | None, bool]:
    """``(id, changed)``: the id the file at ``path`` has or should have, read only.

    ``changed`` when the file is a copy that has not yet been opened where it now is.
    """
    own_id = _setting(conn, ID_KEY)
    recorded = _setting(conn, HOME_KEY)
    if own_id is None or recorded is None or recorded == home_of(path):
        return own_id, False
    if _is_copy(recorded, Path(path), own_id):
        return seed_id("database-copy", f"{own_id}|{home_of(path)}"), True
    return own_id, False


def claim_identity(conn: sqlite3.Connection, path: Path | str) -> str | None:
    """Record the file's home and, if it is a copy, give it its own id (one transaction)."""
    own_id = _setting(conn, ID_KEY)
    if own_id is None or _setting(conn, HOME_KEY) == home_of(path):
        return own_id
    new_id, changed = identity_for(conn, path)
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = [(HOME_KEY, home_of(path))]
        if changed:
            rows += [(ID_KEY, new_id), (PARENT_KEY, own_id)]
        conn.executemany("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", rows)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return new_id
