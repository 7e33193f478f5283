"""Many records at once, for loads of thousands (the demo's city of 100,000 rows).

The same rules as the one-at-a-time methods (validation, 序号, stamps, the 已修改 rule, the
audit of measure progress), in the caller's transaction or one of their own, with the
statements batched. Inserted rows are audited as one ``insert`` entry each rather than one
per field: the row itself holds its values, and a city's demo would otherwise write a million
audit rows.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from duibiao_tui.errors import DuibiaoError, DuplicateError, NotFoundError
from duibiao_tui.store import search_index
from duibiao_tui.store.items import ITEM_INSERT, item_row_values, new_id
from duibiao_tui.store.late_indexes import indexes_built_after
from duibiao_tui.store.rows import record_columns
from duibiao_tui.store.session import AuditEntry

if TYPE_CHECKING:
    from collections.abc import Iterator

    from duibiao_tui.domain.enterprise_rules import CleanEnterprise
    from duibiao_tui.domain.item_rules import CleanItem, ItemInput
    from duibiao_tui.domain.measures import MeasureUpdate
    from duibiao_tui.domain.models import EnterpriseInput
    from duibiao_tui.domain.search import SearchIndexEntry
    from duibiao_tui.store.enterprises import EnterpriseRepository
    from duibiao_tui.store.items import ItemRepository
    from duibiao_tui.store.library import BenchmarkLibrary
    from duibiao_tui.store.review import ReviewRepository
    from duibiao_tui.store.session import Session

__all__ = ["BulkOperations", "EnterpriseWrite", "EnterpriseWriteRefused", "OpenMeasure"]

MEASURE_COLUMNS = ("measure_state", "done_date", "done_note")
"""Columns a measure's progress sets, in the order of MeasureUpdate's fields."""
READ_CHUNK = 500
"""Ids per ``IN (…)`` when reading the rows a bulk update changes."""


WRITE_CACHE_KIB = 256 * 1024
"""SQLite's page cache while a bulk load of enterprises writes (KiB; the default is 2 MiB):
3,000 enterprises add ~700,000 search keys to two indexes, which with the default cache
spill to the WAL over and over before the commit."""


@dataclasses.dataclass(frozen=True)
class EnterpriseWrite:
    """One enterprise for ``write_enterprises``: a new one (``enterprise_id`` None), as
    ``add_enterprise`` registers it, or an update, as ``update_enterprise`` saves it."""

    data: EnterpriseInput
    enterprise_id: str | None = None
    clean: CleanEnterprise | None = None
    """``data`` as ``validate_enterprise`` returned it when planned: not validated twice
    (the rules are a function of the input and the districts, which are checked again)."""


class EnterpriseWriteRefused(Exception):
    """``write_enterprises`` refused the write at ``index`` (nothing written): ``error`` is
    what ``add_enterprise`` / ``update_enterprise`` would have raised for it."""

    def __init__(self, index: int, error: DuibiaoError) -> None:
        super().__init__(error.message)
        self.index = index
        self.error = error


LATE_INDEX_ROWS = 20_000
"""Audit entries from which a load into an audit log no larger builds its index by row after
the entries rather than along (a first import of ~1,500 enterprises; ``store.late_indexes``)."""


SEARCH_COLUMNS = ("search_id", "search_readings", "name_pinyin")
"""The enterprise's columns ``_index_search`` sets beside its search keys."""
INSERT_STAMPS = ("created_at", "updated_at", "created_by", "updated_by", "version")


def _search_columns(search_id: int, entry: SearchIndexEntry) -> tuple[int, str, str]:
    """The values of SEARCH_COLUMNS, as ``_index_search`` sets them."""
    return search_id, entry.readings_json, entry.name_pinyin


@contextmanager
def _large_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """SQLite's page cache at WRITE_CACHE_KIB for a load, then as it was."""
    before = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {before}")


class _Live(NamedTuple):
    """What the uniqueness checks need of a live enterprise."""

    id: str
    name: str
    name_key: str
    district_id: str | None
    uscc: str | None


class _Register:
    """The live register as ``_check_unique`` queries it, read once and kept up to date
    as ``write_enterprises`` goes down its writes; and each name's search keys, built
    once per distinct name."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.district_names: dict[str, str] = dict(
            conn.execute("SELECT id, name FROM district").fetchall()
        )
        self.live = {
            r[0]: _Live(*r)
            for r in conn.execute(
                "SELECT id, name, name_key, district_id, uscc FROM enterprise "
                "WHERE deleted_at IS NULL"
            )
        }
        self.by_uscc = {e.uscc: e for e in self.live.values() if e.uscc}
        self.by_name = {(e.name_key, e.district_id or ""): e for e in self.live.values()}
        self.entries: dict[str, SearchIndexEntry] = {}

    def check_unique(self, clean: CleanEnterprise, own_id: str | None) -> None:
        """``EnterpriseRepository._check_unique``, the same errors, over the dicts."""
        if clean.uscc:
            same = self.by_uscc.get(clean.uscc)
            if same and same.id != own_id:
                raise DuplicateError(f"{clean.uscc} 已登记为「{same.name}」", "统一社会信用代码")
        same = self.by_name.get((clean.name_key, clean.district_id or ""))
        if same and same.id != own_id:
            place = self.district_names.get(same.district_id or "", "未指定辖市区")
            raise DuplicateError(f"{place}已有企业「{same.name}」", "名称")

    def written(self, enterprise_id: str, clean: CleanEnterprise) -> None:
        """``enterprise_id`` now has ``clean``'s name, district and code."""
        before = self.live.get(enterprise_id)
        if before is not None:
            if before.uscc and self.by_uscc.get(before.uscc) == before:
                del self.by_uscc[before.uscc]
            if self.by_name.get((before.name_key, before.district_id or "")) == before:
                del self.by_name[(before.name_key, before.district_id or "")]
        after = _Live(enterprise_id, clean.name, clean.name_key, clean.district_id, clean.uscc)
        self.live[enterprise_id] = after
        if after.uscc:
            self.by_uscc[after.uscc] = after
        self.by_name[(after.name_key, after.district_id or "")] = after

    def search_entry(self, clean: CleanEnterprise) -> SearchIndexEntry:
        from duibiao_tui.domain.search import build_keys

        if clean.name not in self.entries:
            self.entries[clean.name] = build_keys(clean.name)
        return self.entries[clean.name]


class OpenMeasure(NamedTuple):
    """A row whose measure has not been started, as a bulk update of progress needs it."""

    item_id: str
    due_date: str | None


class BulkOperations:
    """The bulk writes behind ``store.bulk``, over the session and the repositories whose
    rules they apply."""

    def __init__(
        self,
        session: Session,
        enterprises: EnterpriseRepository,
        library: BenchmarkLibrary,
        items: ItemRepository,
        review: ReviewRepository,
    ) -> None:
        self.session = session
        self.enterprises = enterprises
        self.library = library
        self.items = items
        self.review = review

    def add_enterprises(
        self,
        inputs: Iterable[EnterpriseInput],
        progress: Callable[[int], None] | None = None,
    ) -> list[str]:
        """Register each enterprise as ``add_enterprise`` does (validation, uniqueness,
        search keys, audit), all in one transaction; returns their ids in order.
        ``progress(done)`` is called after each one."""
        session = self.session
        ids: list[str] = []
        with session.write():
            for done, data in enumerate(inputs, start=1):
                ids.append(self.enterprises.add_enterprise(data).id)
                if progress is not None:
                    progress(done)
        return ids

    def write_enterprises(
        self,
        writes: Sequence[EnterpriseWrite],
        progress: Callable[[int], None] | None = None,
    ) -> list[str]:
        """Register or update each enterprise exactly as ``add_enterprise`` and
        ``update_enterprise`` would one after the other, in one transaction: the same
        validation, uniqueness checks (against the register and the writes before it), row
        values and stamps (one clock reading per write), search keys and audit entries —
        but the register is read once and rows, keys and audit go in batches.

        Every write is checked before anything is written; the first one refused raises
        ``EnterpriseWriteRefused`` (its index, and the error the one-at-a-time method would
        have raised) and nothing is written. Returns the ids in order. ``progress(done)``
        is called as the writes are checked."""
        from duibiao_tui.domain.enterprise_rules import validate_enterprise

        session = self.session
        conn = session.conn
        repo = self.enterprises
        ids: list[str] = []
        inserts: list[tuple[Any, ...]] = []
        insert_columns: list[str] = []
        updates: list[tuple[str, str, dict[str, Any]]] = []
        """(id, now, the columns to set) per update that changes anything."""
        keys: list[tuple[int, SearchIndexEntry]] = []
        audit: list[tuple[str, AuditEntry]] = []
        """(at, entry), in the order the one-at-a-time writes would add them."""
        with session.write():
            register = _Register(conn)
            districts = set(register.district_names)
            current = self._current_rows([w.enterprise_id for w in writes if w.enterprise_id])
            next_search_id = int(
                conn.execute("SELECT ifnull(max(search_id), 0) FROM enterprise").fetchone()[0]
            )
            for index, write in enumerate(writes):
                own_id = write.enterprise_id
                try:
                    now = session.clock()  # once per write, as each method reads it
                    row = None
                    if own_id is not None:
                        row = current.get(own_id)
                        if row is None:
                            raise NotFoundError("该企业不存在或已删除")
                    clean = write.clean
                    if clean is None or (
                        clean.district_id is not None and clean.district_id not in districts
                    ):
                        clean = validate_enterprise(write.data, known_districts=districts)
                    register.check_unique(clean, own_id)
                except DuibiaoError as error:
                    raise EnterpriseWriteRefused(index, error) from error
                values = repo._columns(clean)
                if row is None:
                    enterprise_id = new_id()
                    next_search_id += 1
                    entry = register.search_entry(clean)
                    inserts.append(
                        (
                            enterprise_id,
                            *values.values(),
                            now,
                            now,
                            session.officer,
                            session.officer,
                            1,
                            *_search_columns(next_search_id, entry),
                        )
                    )
                    keys.append((next_search_id, entry))
                    audit += [
                        (now, (enterprise_id, "insert", k, None, v))
                        for k, v in values.items()
                        if v not in (None, "", 0)
                    ] or [(now, (enterprise_id, "insert", None, None, None))]
                    insert_columns = list(values)
                else:
                    enterprise_id = str(own_id)
                    changes = {k: (row[k], v) for k, v in values.items() if row[k] != v}
                    if changes:
                        columns = {k: new for k, (_, new) in changes.items()}
                        if {"name", "uscc", "org_code", "reg_no"} & changes.keys():
                            search_id = row["search_id"]
                            if search_id is None:
                                next_search_id += 1
                                search_id = next_search_id
                            entry = register.search_entry(clean)
                            columns.update(
                                zip(SEARCH_COLUMNS, _search_columns(search_id, entry), strict=True)
                            )
                            keys.append((search_id, entry))
                        row.update(columns)
                        updates.append((enterprise_id, now, columns))
                        audit += [
                            (now, (enterprise_id, "update", k, old, new))
                            for k, (old, new) in changes.items()
                        ]
                register.written(enterprise_id, clean)
                ids.append(enterprise_id)
                if progress is not None:
                    progress(index + 1)

            with _large_cache(conn):
                # Updates first: a name or code an update gives up may be taken by a new
                # row further down (the checks above ran in the file's order).
                for enterprise_id, now, columns in updates:
                    sets = ", ".join(f"{k} = ?" for k in columns)
                    conn.execute(
                        f"UPDATE enterprise SET {sets}, updated_at = ?, updated_by = ?, "
                        "version = version + 1 WHERE id = ?",
                        [*columns.values(), now, session.officer, enterprise_id],
                    )
                if inserts:
                    names = ["id", *insert_columns, *INSERT_STAMPS, *SEARCH_COLUMNS]
                    conn.executemany(
                        f"INSERT INTO enterprise ({', '.join(names)}) "
                        f"VALUES ({', '.join('?' * len(names))})",
                        inserts,
                    )
                search_index.write(conn, ((search_id, entry.keys) for search_id, entry in keys))
                # a first import's audit: the index by row built after the entries
                with indexes_built_after(conn, "audit_log", len(audit), at_least=LATE_INDEX_ROWS):
                    session.audit_timed("enterprise", audit)
        return ids

    def _current_rows(self, enterprise_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The live rows among ``enterprise_ids``, by id, every column (``update_enterprise``
        compares them with the new values)."""
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(enterprise_ids), READ_CHUNK):
            chunk = list(enterprise_ids[start : start + READ_CHUNK])
            cursor = self.session.conn.execute(
                "SELECT * FROM enterprise WHERE deleted_at IS NULL "
                f"AND id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                found[row["id"]] = row
        return found

    def ensure_benchmarks(self, entries: Iterable[tuple[str, str, str | None]]) -> list[str]:
        """The library id of each (name, address, level): the live entry that is already
        this enterprise (same name at the same address), else a new one (``add_benchmark``)."""
        from duibiao_tui.domain.items import validate_benchmark

        session = self.session
        ids: list[str] = []
        with session.write():
            for name, address, level in entries:
                same = self.library.same_benchmark(validate_benchmark(name, address, level))
                ids.append(same[0] if same else self.library.add_benchmark(name, address, level).id)
        return ids

    def add_item_forms(
        self, forms: Iterable[tuple[str, Sequence[ItemInput]]], campaign_id: str | None = None
    ) -> list[list[str]]:
        """Append the rows of each (enterprise id, rows) to that enterprise's form, as
        ``add_item`` would one by one (validated, benchmark followed to where it was merged,
        numbered after the form's last row; an approved form becomes 已修改); returns the new
        row ids per form. Raises ValidationFailed on the first row the rules refuse."""
        from duibiao_tui.domain.item_rules import validate_item

        session = self.session
        campaign = session.campaign_id(campaign_id)
        now = session.clock()
        resolved: dict[str, CleanItem] = {}
        values: list[tuple[object, ...]] = []
        ids: list[list[str]] = []
        with session.write():
            next_seq: dict[str, int] = {}
            for enterprise_id, rows in forms:
                if enterprise_id not in next_seq:
                    self.enterprises.check_live(enterprise_id)
                    next_seq[enterprise_id] = self.items._next_seq(enterprise_id, campaign)
                form_ids = []
                for data in rows:
                    clean = self._resolved(validate_item(data), resolved)
                    item_id = new_id()
                    seq = next_seq[enterprise_id]
                    next_seq[enterprise_id] = seq + 1
                    values.append(
                        item_row_values(
                            item_id, enterprise_id, campaign, seq, clean, now, session.officer
                        )
                    )
                    form_ids.append(item_id)
                ids.append(form_ids)
            session.conn.executemany(ITEM_INSERT, values)
            session.audit_many(
                "benchmark_item",
                ((item_id, "insert", None, None, None) for form in ids for item_id in form),
                now,
            )
            for enterprise_id in next_seq:
                self.review.form_edited(enterprise_id, campaign, now)
        return ids

    def _resolved(self, clean: CleanItem, resolved: dict[str, CleanItem]) -> CleanItem:
        """``clean`` with its benchmark followed as ``add_item`` does, looked up once per id."""
        if clean.benchmark_id is None:
            return clean
        if clean.benchmark_id not in resolved:
            resolved[clean.benchmark_id] = self.library.resolve(clean)
        return dataclasses.replace(clean, benchmark_id=resolved[clean.benchmark_id].benchmark_id)

    def set_measure_states(self, updates: Sequence[tuple[str, MeasureUpdate]]) -> None:
        """Record progress on many measures as ``set_measure_state`` does one: each changed
        field audited, ``updated_at``/``updated_by`` stamped, version + 1; a row whose
        progress is already so is not written. Follow-up is not an edit of the form."""
        from duibiao_tui.errors import NotFoundError

        session = self.session
        now = session.clock()
        with session.write():
            current = self._measure_values([item_id for item_id, _ in updates])
            writes: list[tuple[object, ...]] = []
            audit: list[tuple[str, str, str, object, object]] = []
            for item_id, update in updates:
                if item_id not in current:
                    raise NotFoundError("该对标记录不存在或已删除")
                new = (update.state, update.done_date, update.note)
                changes = [
                    (item_id, "update", column, old, value)
                    for column, old, value in zip(
                        MEASURE_COLUMNS, current[item_id], new, strict=True
                    )
                    if old != value
                ]
                if changes:
                    writes.append((*new, now, session.officer, item_id))
                    audit += changes
                    current[item_id] = new
            session.conn.executemany(
                "UPDATE benchmark_item SET measure_state = ?, done_date = ?, done_note = ?, "
                "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
                writes,
            )
            session.audit_many("benchmark_item", audit, now)

    def _measure_values(self, item_ids: Sequence[str]) -> dict[str, tuple[object, ...]]:
        """(measure_state, done_date, done_note) of the live rows among ``item_ids``."""
        found: dict[str, tuple[object, ...]] = {}
        for start in range(0, len(item_ids), READ_CHUNK):
            chunk = list(item_ids[start : start + READ_CHUNK])
            for item_id, *values in self.session.conn.execute(
                f"SELECT id, {', '.join(MEASURE_COLUMNS)} FROM benchmark_item "
                f"WHERE deleted_at IS NULL AND id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ):
                found[item_id] = tuple(values)
        return found

    def measures_not_started(self, campaign_id: str | None = None) -> list[OpenMeasure]:
        """Every live row of the campaign with a measure still 未开始, form by form in the
        order the enterprises were registered, then by 序号: the same list each time."""
        from duibiao_tui.domain.measures import NOT_STARTED

        session = self.session
        columns = record_columns(OpenMeasure, alias="i", sql={"item_id": "i.id"})
        return columns.records(
            session.conn.execute(
                f"SELECT {columns.select} FROM benchmark_item i "
                "JOIN enterprise e ON e.id = i.enterprise_id WHERE i.campaign_id = ? "
                "AND i.deleted_at IS NULL AND i.measures != '' AND i.measure_state = ? "
                "ORDER BY e.rowid, i.seq",
                [session.campaign_id(campaign_id), NOT_STARTED],
            )
        )

    def form_edited(self, enterprise_id: str, campaign_id: str | None = None) -> None:
        """A form changed by a load rather than a row's save: an approved one becomes
        已修改, so it is reviewed again (what every row edit does)."""
        session = self.session
        now = session.clock()
        with session.write():
            self.review.form_edited(enterprise_id, session.campaign_id(campaign_id), now)
