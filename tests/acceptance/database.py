"""Read the officer's database the way an auditor would: read-only, with the stdlib."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any


def read_rows(db: Path, sql: str, *args: object) -> list[dict[str, Any]]:
    """Run ``sql`` on a read-only connection of its own (sees every committed write)."""
    for attempt in range(50):
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        except sqlite3.OperationalError:
            time.sleep(0.1)
            continue
        try:
            conn.row_factory = sqlite3.Row
            return [dict(row) for row in conn.execute(sql, args)]
        except sqlite3.OperationalError as error:  # e.g. the WAL index being rebuilt
            if attempt == 49 or "locked" not in str(error) and "busy" not in str(error):
                raise
            time.sleep(0.1)
        finally:
            conn.close()
    raise AssertionError(f"could not read {db}")


def read_one(db: Path, sql: str, *args: object) -> dict[str, Any] | None:
    rows = read_rows(db, sql, *args)
    return rows[0] if rows else None


def read_value(db: Path, sql: str, *args: object) -> Any:
    row = read_one(db, sql, *args)
    return None if row is None else next(iter(row.values()))


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy with SQLite's backup API (no -wal/-shm left behind)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# -- what the tests ask about ---------------------------------------------------------------


def enterprise(db: Path, name: str) -> dict[str, Any] | None:
    """The live enterprise called ``name``."""
    return read_one(db, "SELECT * FROM enterprise WHERE name = ? AND deleted_at IS NULL", name)


def enterprise_id(db: Path, name: str) -> str:
    found = enterprise(db, name)
    assert found is not None, f"no enterprise {name!r} in {db}"
    return found["id"]


def live_items(db: Path, enterprise_id: str) -> list[dict[str, Any]]:
    """The rows of an enterprise's 情况表 (not deleted), by 序号."""
    return read_rows(
        db,
        "SELECT * FROM benchmark_item WHERE enterprise_id = ? AND deleted_at IS NULL ORDER BY seq",
        enterprise_id,
    )


def item(db: Path, item_id: str) -> dict[str, Any]:
    found = read_one(db, "SELECT * FROM benchmark_item WHERE id = ?", item_id)
    assert found is not None, f"no benchmark_item {item_id}"
    return found


def live_item_count(db: Path) -> int:
    return read_value(db, "SELECT count(*) FROM benchmark_item WHERE deleted_at IS NULL")


def enterprise_names(db: Path) -> list[str]:
    return [
        row["name"] for row in read_rows(db, "SELECT name FROM enterprise WHERE deleted_at IS NULL")
    ]
