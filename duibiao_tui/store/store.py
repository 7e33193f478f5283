"""The one door to the database: methods speak the domain and return domain objects.

Screens and the CLI never see SQL or sqlite-utils tables. Every write is one
``BEGIN IMMEDIATE`` transaction (so two windows on one file queue instead of failing),
stamped with the officer and the time, and recorded in the append-only audit log.

``Store`` is a thin front: it opens the file, owns the ``Session`` (connection, clock,
officer, ``write()``, audit, cache) and one repository per aggregate over it, and keeps
today's method names by forwarding each to its repository (``store.forwarding``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from duibiao_tui.domain.listing import Campaign
from duibiao_tui.errors import CorruptDatabaseError, NotADatabaseError, ReadOnlyError
from duibiao_tui.store.forwarding import forward, lazy_class
from duibiao_tui.store.session import BUSY_TIMEOUT_S, Clock, Session, new_id
from duibiao_tui.store.versioning import applied_names, ensure_schema, pending_migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

    from duibiao_tui.store.bulk import BulkOperations
    from duibiao_tui.store.campaigns import CampaignRepository
    from duibiao_tui.store.dashboard import DashboardReadModel
    from duibiao_tui.store.dashboard_memory import FiguresMemory
    from duibiao_tui.store.enterprises import EnterpriseRepository
    from duibiao_tui.store.export_tables import ExportReadModel
    from duibiao_tui.store.followup import MeasureRepository
    from duibiao_tui.store.form_drafts import FormDrafts
    from duibiao_tui.store.history import HistoryRepository
    from duibiao_tui.store.items import ItemRepository
    from duibiao_tui.store.library import BenchmarkLibrary
    from duibiao_tui.store.progress import ProgressRepository
    from duibiao_tui.store.recognitions import RecognitionRepository
    from duibiao_tui.store.review import ReviewRepository
else:  # each repository's module is imported when the front first needs it
    BulkOperations = lazy_class("duibiao_tui.store.bulk", "BulkOperations")
    CampaignRepository = lazy_class("duibiao_tui.store.campaigns", "CampaignRepository")
    DashboardReadModel = lazy_class("duibiao_tui.store.dashboard", "DashboardReadModel")
    FiguresMemory = lazy_class("duibiao_tui.store.dashboard_memory", "FiguresMemory")
    EnterpriseRepository = lazy_class("duibiao_tui.store.enterprises", "EnterpriseRepository")
    ExportReadModel = lazy_class("duibiao_tui.store.export_tables", "ExportReadModel")
    MeasureRepository = lazy_class("duibiao_tui.store.followup", "MeasureRepository")
    FormDrafts = lazy_class("duibiao_tui.store.form_drafts", "FormDrafts")
    HistoryRepository = lazy_class("duibiao_tui.store.history", "HistoryRepository")
    ItemRepository = lazy_class("duibiao_tui.store.items", "ItemRepository")
    BenchmarkLibrary = lazy_class("duibiao_tui.store.library", "BenchmarkLibrary")
    ProgressRepository = lazy_class("duibiao_tui.store.progress", "ProgressRepository")
    RecognitionRepository = lazy_class("duibiao_tui.store.recognitions", "RecognitionRepository")
    ReviewRepository = lazy_class("duibiao_tui.store.review", "ReviewRepository")

__all__ = [
    "BUSY_TIMEOUT_S",
    "PRIVATE_MODE",
    "RESTORE_HINT",
    "Clock",
    "Store",
    "applied_before",
    "check_existing",
    "connect",
    "local_now",
    "new_id",
    "quick_check_file",
]

T = TypeVar("T")
PRIVATE_MODE = 0o600
"""The database holds names and phone numbers: readable by its owner only."""


def local_now() -> str:
    """Local time with its offset, to the second: what officers read in histories."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection with the settings every duibiao database is used with."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        _use_wal(conn)
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting as long as for any other lock.

    Turning a new file's rollback journal into WAL needs the file to itself, and SQLite
    answers "locked" at once instead of calling its busy handler when another process is
    doing the same: two officers' processes opening one new file, the second refused
    within milliseconds though it promises to wait (tests/reliability/test_two_writers.py).
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


RESTORE_HINT = "可用 duibiao-tui restore --latest 恢复最新的备份（损坏的文件会另存一份）"


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


class Store:
    """Domain-level access to one duibiao SQLite file (or an in-memory one for tests).

    Built on a plain ``sqlite3`` connection; the sqlite-utils ``Database`` over the same
    connection is created on first use (``self.db``), so opening the app for reading does
    not pay for importing sqlite-utils.
    """

    def __init__(
        self, conn: sqlite3.Connection, *, officer: str = "", clock: Clock = local_now
    ) -> None:
        session = Session(conn, officer=officer, clock=clock)
        ensure_schema(conn)
        self.session = session

    # -- one repository per aggregate, built when first used ------------------------------

    @cached_property
    def _enterprises(self) -> EnterpriseRepository:
        return EnterpriseRepository(self.session)

    @cached_property
    def _library(self) -> BenchmarkLibrary:
        return BenchmarkLibrary(self.session)

    @cached_property
    def _review(self) -> ReviewRepository:
        return ReviewRepository(self.session, self._enterprises)

    @cached_property
    def _items(self) -> ItemRepository:
        return ItemRepository(self.session, self._enterprises, self._library, self._review)

    @cached_property
    def _recognitions(self) -> RecognitionRepository:
        return RecognitionRepository(self.session, self._enterprises)

    @cached_property
    def _measures(self) -> MeasureRepository:
        return MeasureRepository(self.session)

    @cached_property
    def _campaigns(self) -> CampaignRepository:
        return CampaignRepository(self.session)

    @cached_property
    def _progress(self) -> ProgressRepository:
        return ProgressRepository(self.session)

    @cached_property
    def _figures_memory(self) -> FiguresMemory:
        return FiguresMemory(self.session)

    @cached_property
    def _dashboard(self) -> DashboardReadModel:
        return DashboardReadModel(
            self.session, self._enterprises, self._campaigns, self._progress, self._figures_memory
        )

    @cached_property
    def _history(self) -> HistoryRepository:
        return HistoryRepository(self.session)

    @cached_property
    def _exports(self) -> ExportReadModel:
        return ExportReadModel(self.session, self._enterprises)

    @cached_property
    def form_drafts(self) -> FormDrafts:
        """Unsaved typing of the forms (the 情况表's rows keep theirs in ``drafts_for``)."""
        return FormDrafts(self.session)

    @cached_property
    def bulk(self) -> BulkOperations:
        """Many records in one go, by the same rules (the demo's city of 100,000 rows)."""
        return BulkOperations(
            self.session, self._enterprises, self._library, self._items, self._review
        )

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
        self.session.close()

    # -- the session's state, as screens, the CLI and tests read and set it -------------

    @property
    def conn(self) -> sqlite3.Connection:
        return self.session.conn

    @property
    def db(self) -> Database:
        """sqlite-utils over the same connection, for inserts and row queries."""
        return self.session.db

    @property
    def officer(self) -> str:
        return self.session.officer

    @officer.setter
    def officer(self, officer: str) -> None:
        self.session.officer = officer

    @property
    def clock(self) -> Clock:
        return self.session.clock

    @clock.setter
    def clock(self, clock: Clock) -> None:
        self.session.clock = clock

    @property
    def path(self) -> Path | None:
        return self.session.path

    @path.setter
    def path(self, path: Path | None) -> None:
        self.session.path = path

    @property
    def read_only(self) -> bool:
        return self.session.read_only

    @read_only.setter
    def read_only(self, read_only: bool) -> None:
        self.session.read_only = read_only

    @property
    def busy_timeout(self) -> float:
        """Seconds a write waits for another connection's lock before BusyError."""
        return self.session.busy_timeout

    @busy_timeout.setter
    def busy_timeout(self, seconds: float) -> None:
        self.session.busy_timeout = seconds

    def write(self, *, changes_figures: bool = True) -> AbstractContextManager[None]:
        """One write transaction; nested calls join the outer one as a savepoint."""
        return self.session.write(changes_figures=changes_figures)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``'s result, kept until a write or another connection's commit."""
        return self.session.cached(key, compute)

    def today(self) -> date:
        """The store clock's date: what 逾期 and 收到日期 are measured against."""
        return self.session.today()

    def setting(self, key: str) -> str | None:
        return self.session.setting(key)

    def generation(self) -> int:
        """Moves with every committed write of data (not drafts): a read begun at another
        generation may be out of date."""
        return self.session.generation()

    def active_campaign(self) -> Campaign:
        return self.session.active_campaign()

    def _audit(
        self,
        table: str,
        row_id: str,
        action: str,
        changes: dict[str, tuple[Any, Any]] | None = None,
        at: str | None = None,
    ) -> None:
        """One audited change (the merge records its resolutions through it)."""
        self.session.audit(table, row_id, action, changes, at)

    # -- the repositories' methods, under today's names ---------------------------------

    districts = forward("_enterprises", EnterpriseRepository.districts)
    add_enterprise = forward("_enterprises", EnterpriseRepository.add_enterprise)
    update_enterprise = forward("_enterprises", EnterpriseRepository.update_enterprise)
    get_enterprise = forward("_enterprises", EnterpriseRepository.get_enterprise)
    remove_enterprise = forward("_enterprises", EnterpriseRepository.remove_enterprise)
    restore_enterprise = forward("_enterprises", EnterpriseRepository.restore_enterprise)
    count_enterprises = forward("_enterprises", EnterpriseRepository.count_enterprises)
    first_enterprises = forward("_enterprises", EnterpriseRepository.first_enterprises)
    search_enterprises = forward("_enterprises", EnterpriseRepository.search_enterprises)
    live_enterprise_ids = forward("_enterprises", EnterpriseRepository.live_enterprise_ids)
    ids_by_code = forward("_enterprises", EnterpriseRepository.ids_by_code)
    ids_by_name_key = forward("_enterprises", EnterpriseRepository.ids_by_name_key)
    existing_enterprises = forward("_enterprises", EnterpriseRepository.existing_enterprises)

    benchmarks = forward("_library", BenchmarkLibrary.benchmarks)
    get_benchmark = forward("_library", BenchmarkLibrary.get_benchmark)
    add_benchmark = forward("_library", BenchmarkLibrary.add_benchmark)
    update_benchmark = forward("_library", BenchmarkLibrary.update_benchmark)
    merge_benchmarks = forward("_library", BenchmarkLibrary.merge_benchmarks)

    items_for = forward("_items", ItemRepository.items_for)
    get_item = forward("_items", ItemRepository.get_item)
    add_item = forward("_items", ItemRepository.add_item)
    update_item = forward("_items", ItemRepository.update_item)
    duplicate_item = forward("_items", ItemRepository.duplicate_item)
    move_item = forward("_items", ItemRepository.move_item)
    place_items = forward("_items", ItemRepository.place_items)
    remove_item = forward("_items", ItemRepository.remove_item)
    restore_item = forward("_items", ItemRepository.restore_item)
    departments_for = forward("_items", ItemRepository.departments_for)
    item_count = forward("_items", ItemRepository.item_count)
    submission_status = forward("_items", ItemRepository.submission_status)
    save_draft = forward("_items", ItemRepository.save_draft)
    drafts_for = forward("_items", ItemRepository.drafts_for)
    discard_draft = forward("_items", ItemRepository.discard_draft)

    submission = forward("_review", ReviewRepository.submission)
    statuses = forward("_review", ReviewRepository.statuses)
    change_status = forward("_review", ReviewRepository.change_status)
    plan_status_change = forward("_review", ReviewRepository.plan_status_change)
    record_filled_on = forward("_review", ReviewRepository.record_filled_on)
    filled_on = forward("_review", ReviewRepository.filled_on)
    form_last_change = forward("_review", ReviewRepository.form_last_change)
    review_history = forward("_review", ReviewRepository.review_history)
    review_rows = forward("_review", ReviewRepository.review_rows)
    flag_item = forward("_review", ReviewRepository.flag_item)
    flagged_items = forward("_review", ReviewRepository.flagged_items)

    recognitions_for = forward("_recognitions", RecognitionRepository.recognitions_for)
    recognitions = forward("_recognitions", RecognitionRepository.recognitions)
    get_recognition = forward("_recognitions", RecognitionRepository.get_recognition)
    add_recognition = forward("_recognitions", RecognitionRepository.add_recognition)
    update_recognition = forward("_recognitions", RecognitionRepository.update_recognition)
    remove_recognition = forward("_recognitions", RecognitionRepository.remove_recognition)
    restore_recognition = forward("_recognitions", RecognitionRepository.restore_recognition)

    measures = forward("_measures", MeasureRepository.measures)
    first_measures = forward("_measures", MeasureRepository.first_measures)
    pending_count = forward("_measures", MeasureRepository.pending_count)
    measure_count = forward("_measures", MeasureRepository.measure_count)
    measure_departments = forward("_measures", MeasureRepository.measure_departments)
    set_measure_state = forward("_measures", MeasureRepository.set_measure_state)

    campaigns = forward("_campaigns", CampaignRepository.campaigns)
    get_campaign = forward("_campaigns", CampaignRepository.get_campaign)
    add_campaign = forward("_campaigns", CampaignRepository.add_campaign)
    set_active_campaign = forward("_campaigns", CampaignRepository.set_active_campaign)
    carry_over_count = forward("_campaigns", CampaignRepository.carry_over_count)
    carry_over_measures = forward("_campaigns", CampaignRepository.carry_over_measures)

    dashboard = forward("_dashboard", DashboardReadModel.dashboard)
    remembered_dashboard = forward("_figures_memory", FiguresMemory.recall)
    rows_ever = forward("_dashboard", DashboardReadModel.rows_ever)
    recognised_enterprises = forward("_dashboard", DashboardReadModel.recognised_enterprises)

    indicator_history = forward("_progress", ProgressRepository.indicator_history)
    verdict_progress = forward("_progress", ProgressRepository.verdict_progress)

    history = forward("_history", HistoryRepository.history)
    audit_for = forward("_history", HistoryRepository.audit_for)

    export_tables = forward("_exports", ExportReadModel.flat_tables)
    status_counts = forward("_exports", ExportReadModel.status_counts)
    people_named = forward("_exports", ExportReadModel.people_named)
