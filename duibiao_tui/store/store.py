"""The one door to the database: methods speak the domain and return domain objects.

Screens and the CLI never see SQL or sqlite-utils tables. Every write is one
``BEGIN IMMEDIATE`` transaction (so two windows on one file queue instead of failing),
stamped with the officer and the time, and recorded in the append-only audit log.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from duibiao_tui.domain.listing import Campaign, District, EnterpriseQuery, EnterpriseRow
from duibiao_tui.domain.search import build_keys, query_terms, readings_match
from duibiao_tui.errors import (
    BusyError,
    CorruptDatabaseError,
    DiskFullError,
    DuplicateError,
    NotADatabaseError,
    NotFoundError,
    ReadOnlyError,
)
from duibiao_tui.store.dashboard import DashboardStore
from duibiao_tui.store.followup import MeasureStore
from duibiao_tui.store.history import HistoryStore
from duibiao_tui.store.items import ItemStore
from duibiao_tui.store.progress import ProgressStore
from duibiao_tui.store.review import ReviewStore
from duibiao_tui.store.rows import record_columns
from duibiao_tui.store.versioning import applied_names, ensure_schema, pending_migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

    from duibiao_tui.domain.enterprise_rules import CleanEnterprise
    from duibiao_tui.domain.models import Enterprise, EnterpriseInput
    from duibiao_tui.store.bulk import BulkOperations
    from duibiao_tui.store.form_drafts import FormDrafts

BUSY_TIMEOUT_S = 5.0
PRIVATE_MODE = 0o600
"""The database holds names and phone numbers: readable by its owner only."""
Clock = Callable[[], str]


def local_now() -> str:
    """Local time with its offset, to the second: what officers read in histories."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_id() -> str:
    return str(uuid.uuid4())


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection with the settings every duibiao database is used with."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


RESTORE_HINT = "可用 duibiao-tui restore --latest 恢复最新的备份（损坏的文件会另存一份）"


def _busy(error: sqlite3.OperationalError, waited: float = BUSY_TIMEOUT_S) -> Exception:
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


def check_existing(path: Path, *, quick_check: bool = True) -> list[str]:
    """Check an existing file without changing it; returns the migrations it still needs.

    Raises NotADatabaseError (not SQLite, not a regular file, or an SQLite file of some
    other program), CorruptDatabaseError (only for damage SQLite reports as such: a full
    disk or a read error is not damage), DiskFullError or SchemaTooNewError. ``quick_check``
    reads every page (~0.25 s for a city's 150 MB file): the app runs it after its first
    paint instead (``quick_check_file``), the command line before it starts.
    """
    from duibiao_tui.store.sqlite_files import describe, open_read_only

    conn = open_read_only(path)
    try:
        try:
            pragma = "quick_check" if quick_check else "schema_version"
            result = conn.execute(f"PRAGMA {pragma}").fetchone()[0]
            if not quick_check:
                result = "ok"
            if result == "ok":
                foreign = _foreign_tables(conn)
                pending = pending_migrations(conn)
        except sqlite3.Error as error:
            raise describe(error, path) from error
        if result != "ok":
            raise CorruptDatabaseError(
                f"{path} 已损坏（{result}），文件未做任何改动。{RESTORE_HINT}", path
            )
        if foreign:
            raise NotADatabaseError(
                f"{path} 是 SQLite 数据库，但不是 duibiao 的（其中有 {foreign}），"
                "文件未做任何改动。请用 --db 指定正确的 .db 文件"
            )
        return pending
    finally:
        conn.close()


def _foreign_tables(conn: sqlite3.Connection) -> str:
    """Tables of a file with no duibiao schema at all (another program's database), named
    for the message; empty for a duibiao file or an empty one."""
    if applied_names(conn):
        return ""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name LIMIT 4"
        )
    ]
    return "、".join(names[:3]) + ("等表" if len(names) > 3 else "表") if names else ""


def quick_check_file(path: Path) -> None:
    """``PRAGMA quick_check`` on a connection of its own (safe from a worker thread)."""
    check_existing(path, quick_check=True)


def applied_before(path: Path) -> bool:
    """True when the file already holds a duibiao schema (an upgrade, not a new file)."""
    from duibiao_tui.store.sqlite_files import describe, open_read_only

    conn = open_read_only(path)
    try:
        return bool(applied_names(conn))
    except sqlite3.Error as error:
        raise describe(error, path) from error
    finally:
        conn.close()


def _remove_if_empty(path: Path) -> None:
    """A file this open created and could not set up (a full disk): leave nothing behind,
    unless another process has meanwhile given it a schema (or may be doing so)."""
    from duibiao_tui.errors import DuibiaoError
    from duibiao_tui.store.sqlite_files import open_read_only

    try:
        conn = open_read_only(path, timeout=0.5)
        try:
            empty = not applied_names(conn)
        finally:
            conn.close()
    except (DuibiaoError, sqlite3.Error):  # unreadable now: only a file with nothing in it
        sizes = [
            Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists()
        ]
        empty = not any(sizes)
    if empty:
        for suffix in ("-wal", "-shm", ""):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


SORT_KEYS = ("name", "district", "industry", "main_products", "credit_code", "flags")


class ListEntry(NamedTuple):
    """A cached list row with what filtering and sorting need beside what is shown."""

    row: EnterpriseRow
    search_id: int | None
    removed: bool
    district_id: str | None
    section: str | None
    division: str | None
    sort_keys: tuple[Any, ...]
    """One value per entry of SORT_KEYS, in that order."""


ENTERPRISE_SQL = {"district_name": "ifnull(d.name, '')"}
"""Fields of Enterprise that are not a column of ``enterprise e`` of the same name."""


LIST_SELECT = (
    "SELECT e.id, e.name, ifnull(d.name, ''), e.industry_section, e.industry_division, "
    "e.industry_label, e.main_products, coalesce(e.uscc, e.org_code, e.reg_no, ''), "
    "e.famous_brand, e.quality_award, e.search_id, e.deleted_at, e.district_id, "
    "e.name_pinyin, d.sort_order FROM enterprise e LEFT JOIN district d ON d.id = e.district_id"
)


class Store(ItemStore, ReviewStore, MeasureStore, DashboardStore, HistoryStore, ProgressStore):
    """Domain-level access to one duibiao SQLite file (or an in-memory one for tests).

    Built on a plain ``sqlite3`` connection; the sqlite-utils ``Database`` over the same
    connection is created on first use (``self.db``), so opening the app for reading does
    not pay for importing sqlite-utils.
    """

    def __init__(
        self, conn: sqlite3.Connection, *, officer: str = "", clock: Clock = local_now
    ) -> None:
        self.conn = conn
        self.officer = officer
        self.clock = clock
        self.path: Path | None = None
        self._closed = False
        self._list_cache: tuple[int, list[ListEntry]] | None = None
        self._results: dict[tuple[Any, ...], Any] = {}
        self._results_version = -1
        self.read_only = False
        ensure_schema(conn)

    @cached_property
    def form_drafts(self) -> FormDrafts:
        """Unsaved typing of the forms (the 情况表's rows keep theirs in ``drafts_for``)."""
        from duibiao_tui.store.form_drafts import FormDrafts

        return FormDrafts(self)

    @cached_property
    def bulk(self) -> BulkOperations:
        """Many records in one go, by the same rules (the demo's city of 100,000 rows)."""
        from duibiao_tui.store.bulk import BulkOperations

        return BulkOperations(self)

    @cached_property
    def db(self) -> Database:
        """sqlite-utils over the same connection, for inserts and row queries."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        officer: str = "",
        clock: Clock = local_now,
        backups_keep: int = 10,
        quick_check: bool = True,
    ) -> Store:
        """Open (creating if needed) the database file at ``path`` and bring its schema up.

        An existing file is first checked read-only: not SQLite → NotADatabaseError, damaged
        (``quick_check``) → CorruptDatabaseError, newer schema → SchemaTooNewError; none of
        them modifies the file. A file we may not write is opened read-only (``read_only``).
        A schema upgrade is preceded by a backup. New files are readable by the owner only.
        """
        from duibiao_tui.store.sqlite_files import describe, ensure_regular_or_absent

        path = Path(path)
        ensure_regular_or_absent(path)  # a FIFO would block open() forever
        created = False
        if path.exists():
            read_only = not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
            pending = check_existing(path, quick_check=quick_check)
            if read_only:
                if pending:
                    raise ReadOnlyError(f"{path} 只读，且需要升级数据结构，无法打开")
                return cls._open_read_only(path, officer, clock)
            if pending and applied_before(path):
                from duibiao_tui.store.backup import take_backup

                take_backup(path, "升级前", keep=backups_keep)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE)
            except FileExistsError:  # another process created it a moment ago
                pass
            else:
                os.close(fd)
                created = True
        try:
            conn = connect(path)
            try:
                store = cls(conn, officer=officer, clock=clock)
                from duibiao_tui.store.identity import claim_identity

                claim_identity(conn, path, new=created)
            except BaseException:
                conn.close()
                raise
        except sqlite3.Error as error:
            if created:
                _remove_if_empty(path)
            raise describe(error, path) from error
        except BaseException:
            if created:
                _remove_if_empty(path)
            raise
        store.path = path
        return store

    @classmethod
    def _open_read_only(cls, path: Path, officer: str, clock: Clock) -> Store:
        from duibiao_tui.store.sqlite_files import open_read_only

        conn = open_read_only(path)
        store = cls(conn, officer=officer, clock=clock)
        store.path = path
        store.read_only = True
        return store

    @classmethod
    def memory(cls, *, officer: str = "测试", clock: Clock = local_now) -> Store:
        return cls(connect(":memory:"), officer=officer, clock=clock)

    def close(self) -> None:
        """Checkpoint the WAL into the main file and close; calling it twice is harmless."""
        if self._closed:
            return
        self._closed = True
        if self.path is not None and not self.read_only and not self.conn.in_transaction:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()

    # -- transactions and audit -------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one as a savepoint."""
        if self.read_only:
            raise ReadOnlyError("数据库以只读方式打开，不能保存修改")
        self._list_cache = None
        self._results.clear()
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for a writer
        except sqlite3.OperationalError as error:
            raise _busy(error, self.busy_timeout) from error
        try:
            yield
        except BaseException as error:
            self._rollback()
            if isinstance(error, sqlite3.OperationalError):
                mapped = _busy(error, self.busy_timeout)
                if mapped is not error:
                    raise mapped from error
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as error:  # a reader held the WAL past the wait
                self._rollback()
                raise _busy(error, self.busy_timeout) from error

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

    def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """``compute()``'s result, kept until this store writes or another connection
        commits (``PRAGMA data_version``): screens that query on every keystroke (the
        review desk's search) read the counts once."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._results_version:
            self._results.clear()
            self._results_version = version
        if key not in self._results:
            self._results[key] = compute()
        return self._results[key]

    def _audit(
        self,
        table: str,
        row_id: str,
        action: str,
        changes: dict[str, tuple[Any, Any]] | None = None,
        at: str | None = None,
    ) -> None:
        at = at or self.clock()
        rows = [
            {
                "id": new_id(),
                "at": at,
                "officer": self.officer,
                "table_name": table,
                "row_id": row_id,
                "action": action,
                "field": field,
                "old_value": None if old is None else str(old),
                "new_value": None if new is None else str(new),
            }
            for field, (old, new) in (changes or {None: (None, None)}).items()  # type: ignore[dict-item]
        ]
        self.db.table("audit_log").insert_all(rows)

    def audit_for(self, table: str, row_id: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT at, officer, action, field, old_value, new_value FROM audit_log "
                "WHERE table_name = ? AND row_id = ? ORDER BY at, rowid",
                [table, row_id],
            )
        )

    # -- settings, districts, campaigns ---------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def districts(self) -> list[District]:
        columns = record_columns(District)
        return columns.records(
            self.conn.execute(f"SELECT {columns.select} FROM district ORDER BY sort_order")
        )

    def active_campaign(self) -> Campaign:
        campaign_id = self.setting("active_campaign_id")
        columns = record_columns(Campaign)
        campaign = columns.first(
            self.conn.execute(f"SELECT {columns.select} FROM campaign WHERE id = ?", [campaign_id])
        )
        if campaign is None:
            raise NotFoundError("没有当前活动，请先新建活动")
        return campaign

    # -- enterprises -------------------------------------------------------------------

    def _validate(self, data: EnterpriseInput) -> CleanEnterprise:
        """The domain rules, imported on first save (phone and code parsing are not light)."""
        from duibiao_tui.domain.enterprise_rules import validate_enterprise

        return validate_enterprise(data, known_districts=self._district_ids())

    def _district_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM district")}

    def _check_unique(self, clean: CleanEnterprise, own_id: str | None) -> None:
        if clean.uscc:
            row = self.conn.execute(
                "SELECT id, name FROM enterprise WHERE uscc = ? AND deleted_at IS NULL",
                [clean.uscc],
            ).fetchone()
            if row and row[0] != own_id:
                raise DuplicateError(f"{clean.uscc} 已登记为「{row[1]}」", "统一社会信用代码")
        row = self.conn.execute(
            "SELECT e.id, e.name, ifnull(d.name, '未指定辖市区') FROM enterprise e "
            "LEFT JOIN district d ON d.id = e.district_id WHERE e.name_key = ? "
            "AND ifnull(e.district_id, '') = ifnull(?, '') AND e.deleted_at IS NULL",
            [clean.name_key, clean.district_id],
        ).fetchone()
        if row and row[0] != own_id:
            raise DuplicateError(f"{row[2]}已有企业「{row[1]}」", "名称")

    def _index_search(self, enterprise_id: str, clean: CleanEnterprise) -> None:
        """Rebuild the search keys and the pinyin sort key of one enterprise."""
        entry = build_keys(clean.name, (clean.uscc, clean.org_code, clean.reg_no))
        search_id = self.conn.execute(
            "SELECT search_id FROM enterprise WHERE id = ?", [enterprise_id]
        ).fetchone()[0]
        if search_id is None:
            search_id = self.conn.execute(
                "SELECT ifnull(max(search_id), 0) + 1 FROM enterprise"
            ).fetchone()[0]
        else:
            self.conn.execute("DELETE FROM search_key WHERE search_id = ?", [search_id])
        readings = json.loads(entry.readings_json)
        self.conn.execute(
            "UPDATE enterprise SET search_id = ?, search_readings = ?, name_pinyin = ? "
            "WHERE id = ?",
            [search_id, entry.readings_json, " ".join(r[0] for r in readings), enterprise_id],
        )
        self.conn.executemany(
            "INSERT INTO search_key (key, search_id) VALUES (?, ?)",
            [(key, search_id) for key in entry.keys],
        )

    @staticmethod
    def _columns(clean: CleanEnterprise) -> dict[str, Any]:
        values = asdict(clean)
        values.pop("warnings")
        values["famous_brand"] = int(clean.famous_brand)
        values["quality_award"] = int(clean.quality_award)
        return values

    def add_enterprise(self, data: EnterpriseInput) -> Enterprise:
        """Validate and register a new enterprise; raises ValidationFailed or DuplicateError."""
        clean = self._validate(data)
        enterprise_id = new_id()
        now = self.clock()
        with self.write():
            self._check_unique(clean, None)
            values = self._columns(clean)
            self.db.table("enterprise").insert(
                {
                    "id": enterprise_id,
                    **values,
                    "created_at": now,
                    "updated_at": now,
                    "created_by": self.officer,
                    "updated_by": self.officer,
                    "version": 1,
                }
            )
            self._index_search(enterprise_id, clean)
            self._audit(
                "enterprise",
                enterprise_id,
                "insert",
                {k: (None, v) for k, v in values.items() if v not in (None, "", 0)},
                at=now,
            )
        return self.get_enterprise(enterprise_id, warnings=clean.warnings)

    def update_enterprise(
        self,
        enterprise_id: str,
        data: EnterpriseInput,
        *,
        base: EnterpriseInput | None = None,
        base_version: int | None = None,
    ) -> Enterprise:
        """Save the fields that changed; unchanged fields are not written.

        With ``base``/``base_version`` (the form as opened), a save after someone else's
        keeps their other changes and raises ConflictError on a field both changed.
        """
        now = self.clock()
        with self.write():
            current = self.db.query(
                "SELECT * FROM enterprise WHERE id = ? AND deleted_at IS NULL", [enterprise_id]
            )
            row = next(current, None)
            if row is None:
                raise NotFoundError("该企业不存在或已删除")
            if base is not None and base_version is not None and row["version"] != base_version:
                from duibiao_tui.domain.conflicts import ConflictError, three_way_merge

                theirs = self.get_enterprise(enterprise_id).to_input()
                data, clashes = three_way_merge(
                    base, data, theirs, (("industry_section", "industry_division"),)
                )
                if clashes:
                    raise ConflictError(
                        clashes, data, theirs, row["version"], row["updated_by"], row["updated_at"]
                    )
            clean = self._validate(data)
            self._check_unique(clean, enterprise_id)
            values = self._columns(clean)
            changes = {k: (row[k], v) for k, v in values.items() if row[k] != v}
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                self.conn.execute(
                    f"UPDATE enterprise SET {sets}, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [*(new for _, new in changes.values()), now, self.officer, enterprise_id],
                )
                if {"name", "uscc", "org_code", "reg_no"} & changes.keys():
                    self._index_search(enterprise_id, clean)
                self._audit("enterprise", enterprise_id, "update", changes, at=now)
        return self.get_enterprise(enterprise_id, warnings=clean.warnings)

    def get_enterprise(self, enterprise_id: str, *, warnings: Sequence[str] = ()) -> Enterprise:
        from duibiao_tui.domain.models import Enterprise  # with the first page or form

        columns = record_columns(Enterprise, alias="e", sql=ENTERPRISE_SQL, left_out=("warnings",))
        enterprise = columns.first(
            self.conn.execute(
                f"SELECT {columns.select} FROM enterprise e "
                "LEFT JOIN district d ON d.id = e.district_id WHERE e.id = ?",
                [enterprise_id],
            ),
            warnings=tuple(warnings),
        )
        if enterprise is None:
            raise NotFoundError("该企业不存在")
        return enterprise

    def remove_enterprise(self, enterprise_id: str) -> None:
        """Soft delete: the row stays, hidden from lists, and can be restored."""
        now = self.clock()
        with self.write():
            cur = self.conn.execute(
                "UPDATE enterprise SET deleted_at = ?, deleted_by = ?, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
                [now, self.officer, now, self.officer, enterprise_id],
            )
            if cur.rowcount == 0:
                raise NotFoundError("该企业不存在或已删除")
            self._audit("enterprise", enterprise_id, "delete", at=now)

    def restore_enterprise(self, enterprise_id: str) -> Enterprise:
        """Undo a removal, unless another live enterprise took its name or code meanwhile."""
        now = self.clock()
        with self.write():
            row = self.db.query(
                "SELECT * FROM enterprise WHERE id = ? AND deleted_at IS NOT NULL",
                [enterprise_id],
            )
            current = next(row, None)
            if current is None:
                raise NotFoundError("该企业不在已删除列表中")
            clash = self.conn.execute(
                "SELECT name FROM enterprise WHERE deleted_at IS NULL AND id != ? AND "
                "((uscc IS NOT NULL AND uscc = ?) OR (name_key = ? AND "
                "ifnull(district_id, '') = ifnull(?, '')))",
                [enterprise_id, current["uscc"], current["name_key"], current["district_id"]],
            ).fetchone()
            if clash:
                raise DuplicateError(f"无法恢复：现有企业「{clash[0]}」与它名称或信用代码相同")
            self.conn.execute(
                "UPDATE enterprise SET deleted_at = NULL, deleted_by = NULL, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ?",
                [now, self.officer, enterprise_id],
            )
            self._audit("enterprise", enterprise_id, "restore", at=now)
        return self.get_enterprise(enterprise_id)

    def count_enterprises(self, *, removed: bool = False) -> int:
        clause = "IS NOT NULL" if removed else "IS NULL"
        return int(
            self.conn.execute(
                f"SELECT count(*) FROM enterprise WHERE deleted_at {clause}"
            ).fetchone()[0]
        )

    def _matching_ids(self, term: str) -> set[int]:
        """Search ids whose keys start with ``term``, plus longer pinyin terms confirmed."""
        ids = {
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT search_id FROM search_key WHERE key >= ? AND key < ?",
                [term, term + "\U0010ffff"],
            )
        }
        prefixes = [term[:n] for n in range(1, len(term))]
        if prefixes:
            marks = ",".join("?" * len(prefixes))
            for search_id, readings in self.conn.execute(
                "SELECT e.search_id, e.search_readings FROM enterprise e WHERE e.search_id IN "
                f"(SELECT search_id FROM search_key WHERE key IN ({marks}))",
                prefixes,
            ):
                if search_id not in ids and readings_match(term, readings):
                    ids.add(search_id)
        return ids

    def first_enterprises(self, limit: int) -> list[EnterpriseRow]:
        """The first ``limit`` live enterprises in name order, straight from an index.

        Lets the list paint its first screen before the whole register is read.
        """
        return [
            self._entry(r).row
            for r in self.conn.execute(
                f"{LIST_SELECT} WHERE e.deleted_at IS NULL ORDER BY e.name_pinyin, e.id LIMIT ?",
                [limit],
            )
        ]

    @staticmethod
    def _entry(r: Sequence[Any]) -> ListEntry:
        return ListEntry(
            row=EnterpriseRow(
                id=r[0],
                name=r[1],
                district_name=r[2],
                industry=r[5],
                main_products=r[6],
                credit_code=r[7],
                famous_brand=bool(r[8]),
                quality_award=bool(r[9]),
            ),
            search_id=r[10],
            removed=r[11] is not None,
            district_id=r[12],
            section=r[3],
            division=r[4],
            sort_keys=(r[13], 99 if r[14] is None else r[14], r[4] or "", r[6], r[7], r[8] + r[9]),
        )

    def _list_entries(self) -> list[ListEntry]:
        """Every enterprise row the list can show, read once and kept until the file changes.

        ``PRAGMA data_version`` moves when another connection commits, so a second window
        on the same file is noticed; our own writes clear the cache in ``write()``.
        """
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if self._list_cache is not None and self._list_cache[0] == version:
            return self._list_cache[1]
        entries = [
            self._entry(r) for r in self.conn.execute(f"{LIST_SELECT} ORDER BY e.name_pinyin, e.id")
        ]
        self._list_cache = (version, entries)
        return entries

    def search_enterprises(self, query: EnterpriseQuery) -> list[EnterpriseRow]:
        """The list's rows for a search text, filters and sort.

        Text terms are answered by the indexed ``search_key`` table; filters and sorting run
        over the cached rows, so a keystroke costs one index range query.
        """
        entries = [e for e in self._list_entries() if e.removed == query.removed]
        for term in query_terms(query.text):
            ids = self._matching_ids(term)
            entries = [e for e in entries if e.search_id in ids]
        if query.district_id:
            entries = [e for e in entries if e.district_id == query.district_id]
        if query.industry_section:
            entries = [e for e in entries if e.section == query.industry_section]
        if query.industry_division:
            entries = [e for e in entries if e.division == query.industry_division]
        if query.famous_brand:
            entries = [e for e in entries if e.row.famous_brand]
        if query.quality_award:
            entries = [e for e in entries if e.row.quality_award]
        key = SORT_KEYS.index(query.sort_key) if query.sort_key in SORT_KEYS else 0
        if key or query.descending:
            entries = sorted(entries, key=lambda e: e.sort_keys[key], reverse=query.descending)
        return [e.row for e in entries]
