"""Large loads into small tables: the table's plain indexes are built once after the rows.

Inserting many rows keeps every index up to date row by row, each a search at a random place
(uuid4 ids, search keys); dropping a table's non-unique indexes and creating them again after
the rows costs one sort each (a first import's search keys: a third less time; a first
merge's form rows: about a third). Unique indexes stay: they are checks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["indexes_built_after"]


@contextmanager
def indexes_built_after(
    conn: sqlite3.Connection,
    table: str,
    rows: int,
    *,
    at_least: int,
    holding_at_most: int | None = None,
) -> Iterator[None]:
    """Around an insert of ``rows`` rows into ``table``: when they are ``at_least`` and the
    table holds no more than ``holding_at_most`` rows (default: ``rows``), its non-unique
    indexes are dropped and created again after, with the same definitions, in the caller's
    transaction (a rollback restores them). Otherwise nothing changes."""
    limit = rows if holding_at_most is None else holding_at_most
    if rows < at_least or _holds_more(conn, table, limit):
        yield
        return
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'",
        [table],
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        conn.execute(sql)


def _holds_more(conn: sqlite3.Connection, table: str, limit: int) -> bool:
    """Whether ``table`` has more than ``limit`` rows, counting no further than that."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT ?)"
    return bool(conn.execute(sql, [limit + 1]).fetchone()[0] > limit)
