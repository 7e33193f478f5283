"""One open database as every repository uses it: the connection, the clock, the officer,
the write transaction, the audit log, the active campaign and one read cache.

Repositories hold a ``Session`` (composition): none of them opens connections, stamps rows
or invalidates caches its own way. Every attribute is set in ``__init__``.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from duibiao_tui.domain.listing import Campaign
from duibiao_tui.errors import BusyError, DiskFullError, NotFoundError, ReadOnlyError
from duibiao_tui.store.rows import record_columns

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = [
    "BUSY_TIMEOUT_S",
    "GENERATION_KEY",
    "AuditEntry",
    "Clock",
    "Session",
    "busy_error",
    "new_id",
]

BUSY_TIMEOUT_S = 5.0
Clock = Callable[[], str]
T = TypeVar("T")

AuditEntry = tuple[str, str, str | None, Any, Any]
"""(row id, action, field, old value, new value) of one audit_log row."""

AUDIT_INSERT = (
    "INSERT INTO audit_log (id, at, officer, table_name, row_id, action, field, old_value, "
    "new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


GENERATION_KEY = "data_generation"
GENERATION_BUMP = (
    f"INSERT INTO setting (key, value) VALUES ('{GENERATION_KEY}', '1') "
    "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)
"""Run by ``write()`` as it commits: remembered dashboard figures of an older generation
are no longer current (``store.dashboard``)."""


def new_id() -> str:
    """A new row's or audit entry's id: a random (version 4) UUID as text."""
    return str(uuid.uuid4())


_VARIANT = "89ab" * 4
"""Per value of a random hex digit, the one with the same low two bits and the top two bits
10: the UUID variant of RFC 4122."""


def new_ids(count: int) -> list[str]:
    """``count`` ids as ``new_id`` makes them (random version 4 UUIDs, as text), formatted
    from one read of the system's randomness: an import's audit asks for 40,000, and
    ``uuid4`` takes three times as long one by one."""
    raw = os.urandom(16 * count).hex()
    return [
        f"{raw[i : i + 8]}-{raw[i + 8 : i + 12]}-4{raw[i + 13 : i + 16]}-"
        f"{_VARIANT[int(raw[i + 16], 16)]}{raw[i + 17 : i + 20]}-{raw[i + 20 : i + 32]}"
        for i in range(0, 32 * count, 32)
    ]


def busy_error(error: sqlite3.OperationalError, waited: float = BUSY_TIMEOUT_S) -> Exception:
    """'database is locked' after the wait, or a full disk, in words; other operational
    errors as they are."""
    text = str(error)
    if "full" in text:  # SQLITE_FULL: "database or disk is full"
        return DiskFullError(
            "磁盘已满（或数据库已达到大小上限），本次没有保存，数据库文件完好。"
            "输入的内容仍在屏幕上：请腾出磁盘空间后再按保存。"
        )
    if "locked" not in text and "busy" not in text:
        return error
    return BusyError(
        f"另一个窗口或程序正在写入数据库，已等待 {waited:g} 秒仍未完成。"
        "本次没有保存，输入的内容仍在，请稍后再保存。"
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class Session:
    """The connection and what every write shares, for the repositories over it."""

    def __init__(self, conn: sqlite3.Connection, *, officer: str, clock: Clock) -> None:
        self.conn = conn
        self.officer = officer
        self.clock = clock
        self.path: Path | None = None
        self.read_only = False
        self.closed = False
        self._db: Database | None = None
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._cache_version: int | None = None
        self._changes_figures = False

    @property
    def db(self) -> Database:
        """sqlite-utils over the same connection, made on first use (opening the app for
        reading does not pay for importing sqlite-utils)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close; calling it twice is harmless."""
        if self.closed:
            return
        self.closed = True
        if self.path is not None and not self.read_only and not self.conn.in_transaction:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def write(self, *, changes_figures: bool = True) -> Iterator[None]:
        """One write transaction; nested calls join the outer one as a savepoint. The
        cache is dropped before and after, so no read sees a write's stale or undone data.

        A transaction that may change what the dashboard counts moves the file's data
        generation (``GENERATION_KEY``) as it commits, if it wrote any row; one that keeps
        only typing aside (a draft) or remembers figures says ``changes_figures=False``."""
        if self.read_only:
            raise ReadOnlyError("数据库以只读方式打开，不能保存修改")
        self._cache.clear()
        self._changes_figures = self._changes_figures or changes_figures
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for a writer
        except sqlite3.OperationalError as error:
            self._changes_figures = False
            raise busy_error(error, self.busy_timeout) from error
        changes = self.conn.total_changes
        try:
            yield
            if self._changes_figures and self.conn.total_changes != changes:
                self.conn.execute(GENERATION_BUMP)  # not for a save that wrote nothing
        except BaseException as error:
            self._rollback()
            if isinstance(error, sqlite3.OperationalError):
                mapped = busy_error(error, self.busy_timeout)
                if mapped is not error:
                    raise mapped from error
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as error:  # a reader held the WAL past the wait
                self._rollback()
                raise busy_error(error, self.busy_timeout) from error
        finally:
            self._changes_figures = False
            self._cache.clear()

    def generation(self) -> int:
        """How many committed transactions have changed the data the dashboard counts."""
        value = self.setting(GENERATION_KEY)
        return int(value) if value is not None and value.isdigit() else 0

    def _rollback(self) -> None:
        """Undo the open transaction, if SQLite has not already (SQLITE_FULL ends it
        itself): a failed write leaves the connection usable for the next one."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.OperationalError:  # already gone: nothing left to undo
                pass

    @property
    def busy_timeout(self) -> float:
        """Seconds a write waits for another connection's lock before BusyError."""
        return float(self.conn.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000

    @busy_timeout.setter
    def busy_timeout(self, seconds: float) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    # -- the one cache ------------------------------------------------------------------

    def cached(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """``build()``'s result, kept until this session writes (``write()`` clears it) or
        another connection commits (``PRAGMA data_version`` moves): the list, the library
        and the review desk are read once, not per keystroke."""
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._cache_version:
            self._cache.clear()
            self._cache_version = version
        if key not in self._cache:
            self._cache[key] = build()
        value: T = self._cache[key]
        return value

    # -- audit ----------------------------------------------------------------------------

    def audit(
        self,
        table: str,
        row_id: str,
        action: str,
        changes: dict[str, tuple[Any, Any]] | None = None,
        at: str | None = None,
    ) -> None:
        """One audit row per changed field (one row without a field for no changes)."""
        fields: Iterable[tuple[str | None, tuple[Any, Any]]] = (
            changes.items() if changes else [(None, (None, None))]
        )
        self.audit_many(table, [(row_id, action, f, old, new) for f, (old, new) in fields], at)

    def audit_many(self, table: str, entries: Iterable[AuditEntry], at: str | None) -> None:
        """Many audit rows in one statement (renumbering, merges, bulk loads)."""
        at = at or self.clock()
        self.audit_timed(table, [(at, entry) for entry in entries])

    def audit_timed(self, table: str, entries: Sequence[tuple[str, AuditEntry]]) -> None:
        """Audit rows each at its own time, in one statement (a bulk load: one clock reading
        per write). Their ids are assigned in ascending order, so that the index of ids
        grows at its end as the rows go in; each is as random as ``new_id``'s."""
        self.conn.executemany(
            AUDIT_INSERT,
            [
                (audit_id, at, self.officer, table, row_id, action, field, _text(old), _text(new))
                for audit_id, (at, (row_id, action, field, old, new)) in zip(
                    sorted(new_ids(len(entries))), entries, strict=True
                )
            ],
        )

    # -- settings, the active campaign, today --------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def active_campaign(self) -> Campaign:
        campaign_id = self.setting("active_campaign_id")
        columns = record_columns(Campaign)
        campaign = columns.first(
            self.conn.execute(f"SELECT {columns.select} FROM campaign WHERE id = ?", [campaign_id])
        )
        if campaign is None:
            raise NotFoundError("没有当前活动，请先新建活动")
        return campaign

    def campaign_id(self, campaign_id: str | None) -> str:
        """The campaign a call names, or the active one."""
        return campaign_id or self.active_campaign().id

    def today(self) -> date:
        """The clock's date: what 逾期 and 收到日期 are measured against."""
        return date.fromisoformat(self.clock()[:10])
