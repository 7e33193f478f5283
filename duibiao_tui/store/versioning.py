"""Is the file's schema the one this release knows? Answered with plain sqlite3.

Opening the app must not pay for importing sqlite-utils (~45 ms) when nothing is pending,
so the check reads sqlite-utils' ``_sqlite_migrations`` table directly and only imports the
migrations (and sqlite-utils) when there is something to apply.
"""

from __future__ import annotations

import sqlite3

from duibiao_tui.errors import SchemaTooNewError

MIGRATION_SET = "duibiao"
KNOWN_MIGRATIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_review_indexes",
    "0003_merge",
    "0004_carry_index",
    "0005_form_draft",
    "0006_submission_filled_on",
    "0007_merge_digest",
    "0008_search_index",
)
"""Every migration this release knows, oldest first; append when adding one."""


def applied_names(conn: sqlite3.Connection) -> list[str]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        )
    ]


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    """Known migrations not yet applied to this file (after refusing a newer one)."""
    applied = applied_names(conn)
    unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
    if unknown:
        raise SchemaTooNewError(
            f"此数据库已由更新版本的 duibiao-tui 升级（结构版本 {unknown[-1]}），"
            "本版本无法安全打开。请先升级 duibiao-tui，数据库未做任何改动。"
        )
    return [name for name in KNOWN_MIGRATIONS if name not in applied]


MIGRATION_LOCK_WAIT_S = 120.0
"""How long a second process waits for the first to finish an upgrade (a city's file takes
seconds; the usual 5 s busy timeout would make it fail while the work is being done)."""


def ensure_schema(conn: sqlite3.Connection) -> list[str]:
    """Refuse a schema from a newer release, apply what is pending; return what ran.

    The migrations run under the write lock (``BEGIN IMMEDIATE``), and what is pending is
    asked again once the lock is held: a second process opening the same new file (or the
    same file needing an upgrade) waits for the first and then finds the work done, instead
    of failing on "index … already exists". Everything pending is applied in that one
    transaction: a kill leaves the old schema or the new one.
    """
    if not pending_migrations(conn):
        return []
    from sqlite_utils import Database

    from duibiao_tui.store.migrations import migrations

    waited = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {int(MIGRATION_LOCK_WAIT_S * 1000)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {waited}")
    try:
        pending = pending_migrations(conn)  # again, now that no one else can be upgrading
        if pending:
            # Only what this release lists: a migration registered but not listed would
            # make the file look newer than the release that wrote it.
            db = Database(conn, execute_plugins=False)
            unlisted = [m.name for m in migrations.pending(db) if m.name not in KNOWN_MIGRATIONS]
            migrations.apply(db, stop_before=unlisted or None)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return pending
