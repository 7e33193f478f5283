"""Storage of the 情况表: the benchmark library, the rows of each enterprise, drafts.

A mixin of ``Store`` (``class Store(ItemStore)``): it uses the store's connection, its
``write()`` transaction, ``_audit()``, clock and officer, so every write here is one short
``BEGIN IMMEDIATE`` transaction stamped and audited like the enterprise register.

序号 is kept contiguous (1..n over the live rows of an enterprise in a campaign) after every
add, duplicate, move, removal and restore. A row's position is a property of the form, not
of the row's content: renumbering is audited (field ``seq``) but does not bump the row's
``version`` or ``updated_at``, so an officer editing row 7 in one window is not told it
conflicts because row 2 was deleted in another.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.search import (
    Readings,
    _initials_match_at,
    _pinyin_match_at,
    char_readings,
    query_terms,
    search_norm,
)
from duibiao_tui.errors import (
    DuibiaoError,
    DuplicateError,
    FieldError,
    NotFoundError,
    ValidationFailed,
)
from duibiao_tui.store.core import StoreCore
from duibiao_tui.store.rows import RecordColumns, named_rows, record_columns

if TYPE_CHECKING:
    from duibiao_tui.domain.item_rules import CleanItem, ItemInput
    from duibiao_tui.domain.items import (
        BenchmarkEnterprise,
        BenchmarkItem,
        CleanBenchmark,
        ItemDraft,
    )

# The row rules and records are imported by the methods that need them: Store is on the
# launch path and the first paint of the enterprise list must not pay for them.

__all__ = ["ITEM_COLUMNS", "ITEM_INSERT", "ItemStore", "item_row_values", "new_id"]

ITEM_COLUMNS: tuple[str, ...] = (
    "benchmark_id",
    "benchmark_text",
    "aspect",
    "aspect_other",
    "indicator",
    "benchmark_level",
    "result_text",
    "verdict",
    "measures",
    "department",
    "due_date",
    "due_text",
    "remarks",
)
"""Content columns of benchmark_item: the fields of CleanItem, in their order (a test
keeps the two in step)."""

ITEM_FIELD_GROUPS = (("benchmark_id", "benchmark_text"), ("aspect_other", "aspect"))
"""Fields of ItemInput that change together when merging two officers' edits."""

INPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "benchmark_id": ("benchmark_id", "benchmark_text"),
    "benchmark_text": ("benchmark_id", "benchmark_text"),
    "aspect": ("aspect", "aspect_other"),
    "aspect_other": ("aspect", "aspect_other"),
    "due_text": ("due_text", "due_date"),
}
"""The stored columns each field of ItemInput decides (the rest decide their own)."""


def touched_columns(base: ItemInput, mine: ItemInput) -> set[str]:
    """The columns an edit may write: those of the fields that differ from how the form
    was opened. Opening a row and saving it unchanged writes nothing, and a field the
    officer did not touch never changes, whatever the rules would now make of it."""
    touched: set[str] = set()
    for field in dataclasses.fields(base):
        if (getattr(base, field.name) or "") != (getattr(mine, field.name) or ""):
            touched.update(INPUT_COLUMNS.get(field.name, (field.name,)))
    return touched


FIELD_BENCHMARK = "标杆企业"
"""item_rules.FIELD_BENCHMARK, repeated to keep the rules off the launch path."""

ITEM_SQL = {
    "benchmark_name": "ifnull(b.name, '')",
    "benchmark_address": "ifnull(b.address, '')",
}
"""Fields of BenchmarkItem that are not a column of ``benchmark_item i`` of the same name."""
ITEM_FROM = "FROM benchmark_item i LEFT JOIN benchmark_enterprise b ON b.id = i.benchmark_id"


def _item_columns() -> RecordColumns[BenchmarkItem]:
    from duibiao_tui.domain.items import BenchmarkItem

    return record_columns(BenchmarkItem, alias="i", sql=ITEM_SQL)


def _benchmark_columns() -> RecordColumns[BenchmarkEnterprise]:
    from duibiao_tui.domain.items import BenchmarkEnterprise

    return record_columns(BenchmarkEnterprise, left_out=("item_count",))


AUDIT_INSERT = (
    "INSERT INTO audit_log (id, at, officer, table_name, row_id, action, field, old_value, "
    "new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

ITEM_INSERT = (
    f"INSERT INTO benchmark_item (id, enterprise_id, campaign_id, seq, {', '.join(ITEM_COLUMNS)}, "
    "created_at, updated_at, created_by, updated_by, version) "
    f"VALUES ({', '.join('?' * (len(ITEM_COLUMNS) + 9))})"
)
"""One row with its stamps; ``item_row_values`` gives the parameters (bulk loads use it too)."""

NO_SUBMISSION = "未报送"
FEW_COUNTS = 12
"""Up to this many benchmarks are counted one by one, more with one GROUP BY."""

AuditEntry = tuple[str, str, str | None, Any, Any]
"""(row id, action, field, old value, new value) of one audit_log row."""


def new_id() -> str:
    return str(uuid.uuid4())


def item_row_values(
    item_id: str,
    enterprise_id: str,
    campaign_id: str,
    seq: int,
    clean: CleanItem,
    now: str,
    officer: str,
) -> tuple[Any, ...]:
    """Parameters of ITEM_INSERT for one new row."""
    return (
        item_id,
        enterprise_id,
        campaign_id,
        seq,
        *(getattr(clean, column) for column in ITEM_COLUMNS),
        now,
        now,
        officer,
        officer,
        1,
    )


@lru_cache(maxsize=4096)
def _readings(name: str) -> Readings:
    """Per-character readings of a library name, computed once per name (pypinyin)."""
    return char_readings(name)


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    return search_norm(text)


def _pinyin_key(name: str) -> str:
    return " ".join(r[0] for r in _readings(name))


def _matches(term: str, entry: BenchmarkEnterprise) -> bool:
    """Chinese or code substring of name or address, or pinyin initials/full pinyin of the
    name from any character (as the enterprise search does)."""
    if term in _norm(entry.name) or term in _norm(entry.address):
        return True
    readings = _readings(entry.name)
    return any(
        _initials_match_at(term, readings, i) or _pinyin_match_at(term, readings, i)
        for i in range(len(readings))
    )


def _item_input(payload: str) -> ItemInput:
    """A draft's values; keys a later release added or dropped are tolerated."""
    from duibiao_tui.domain.item_rules import ItemInput

    data = json.loads(payload)
    known = {f.name for f in dataclasses.fields(ItemInput)}
    return ItemInput(**{k: v for k, v in data.items() if k in known})


class ItemStore(StoreCore):
    """Benchmark library, 情况表 rows and drafts; mixed into ``Store``."""

    # -- shared helpers ---------------------------------------------------------------

    def _campaign(self, campaign_id: str | None) -> str:
        return campaign_id or self.active_campaign().id

    def _audit_many(self, table: str, entries: Iterable[AuditEntry], at: str) -> None:
        """Many audit rows in one statement (renumbering, merges, demo data)."""
        self.conn.executemany(
            AUDIT_INSERT,
            [
                (
                    new_id(),
                    at,
                    self.officer,
                    table,
                    row_id,
                    action,
                    field,
                    None if old is None else str(old),
                    None if new is None else str(new),
                )
                for row_id, action, field, old, new in entries
            ],
        )

    def _select_items(self, where: str, params: Sequence[Any]) -> list[BenchmarkItem]:
        """Rows as records, ``where`` over ``benchmark_item i`` (and ``b``, its benchmark)."""
        columns = _item_columns()
        return columns.records(
            self.conn.execute(f"SELECT {columns.select} {ITEM_FROM} {where}", params)
        )

    def _live_row(self, item_id: str) -> dict[str, Any]:
        cur = self.conn.execute(
            "SELECT * FROM benchmark_item WHERE id = ? AND deleted_at IS NULL", [item_id]
        )
        row = cur.fetchone()
        if row is None:
            raise NotFoundError("该对标记录不存在或已删除")
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _live_order(self, enterprise_id: str, campaign_id: str) -> list[tuple[str, int]]:
        """(id, seq) of the live rows of one form, in 序号 order."""
        return self.conn.execute(
            "SELECT id, seq FROM benchmark_item WHERE enterprise_id = ? AND campaign_id = ? "
            "AND deleted_at IS NULL ORDER BY seq, rowid",
            [enterprise_id, campaign_id],
        ).fetchall()

    def _renumber(self, order: Sequence[str], current: dict[str, int], now: str) -> None:
        """Give the rows of ``order`` 序号 1..n; only rows whose number changes are written."""
        self._set_seqs({item_id: seq for seq, item_id in enumerate(order, start=1)}, current, now)

    def _set_seqs(self, wanted: dict[str, int], current: dict[str, int], now: str) -> None:
        """Give rows the 序号 ``wanted`` names; only rows whose number changes are written."""
        changes = [
            (seq, item_id, current.get(item_id))
            for item_id, seq in wanted.items()
            if current.get(item_id) != seq
        ]
        if not changes:
            return
        self.conn.executemany(
            "UPDATE benchmark_item SET seq = ? WHERE id = ?", [(s, i) for s, i, _ in changes]
        )
        self._audit_many(
            "benchmark_item", [(i, "update", "seq", old, s) for s, i, old in changes], now
        )

    def _check_enterprise(self, enterprise_id: str) -> None:
        row = self.conn.execute(
            "SELECT 1 FROM enterprise WHERE id = ? AND deleted_at IS NULL", [enterprise_id]
        ).fetchone()
        if row is None:
            raise NotFoundError("该企业不存在或已删除")

    def _resolve_benchmark(self, clean: CleanItem) -> CleanItem:
        """The picked library entry, followed to the one it was merged into (a draft may
        predate the merge); refused when it does not exist or was deleted."""
        benchmark_id = clean.benchmark_id
        seen: set[str] = set()
        while benchmark_id is not None and benchmark_id not in seen:
            seen.add(benchmark_id)
            row = self.conn.execute(
                "SELECT merged_into_id, deleted_at FROM benchmark_enterprise WHERE id = ?",
                [benchmark_id],
            ).fetchone()
            if row is None:
                raise ValidationFailed(
                    [FieldError(FIELD_BENCHMARK, "所选标杆企业不存在，请重新选择")]
                )
            if row[0] is None:
                if row[1] is not None:
                    raise ValidationFailed(
                        [FieldError(FIELD_BENCHMARK, "所选标杆企业已从标杆库删除，请重新选择")]
                    )
                break
            benchmark_id = row[0]
        if benchmark_id == clean.benchmark_id:
            return clean
        return dataclasses.replace(clean, benchmark_id=benchmark_id)

    def _discard_in_write(self, draft_id: str | None) -> None:
        if draft_id is not None:
            self.conn.execute("DELETE FROM item_draft WHERE id = ?", [draft_id])

    # -- benchmark library ------------------------------------------------------------

    def _write_key(self) -> tuple[int, int]:
        """Moves with every commit: ``total_changes`` with our own writes, ``PRAGMA
        data_version`` with other connections' (a second window on the same file)."""
        return (self.conn.execute("PRAGMA data_version").fetchone()[0], self.conn.total_changes)

    def _library(self, key: tuple[int, int]) -> list[BenchmarkEnterprise]:
        """The live library in pinyin order (counts left at 0), cached until a write, so
        type-to-complete does not re-read it per keystroke."""
        cached: tuple[Any, list[BenchmarkEnterprise]] | None = getattr(self, "_library_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        columns = _benchmark_columns()
        entries = columns.records(
            self.conn.execute(
                f"SELECT {columns.select} FROM benchmark_enterprise "
                "WHERE deleted_at IS NULL AND merged_into_id IS NULL"
            )
        )
        entries.sort(key=lambda e: (_pinyin_key(e.name), e.name, e.address, e.id))
        self._library_cache = (key, entries)
        return entries

    def _item_counts(self, key: tuple[int, int], ids: Sequence[str]) -> dict[str, int]:
        """Live rows per benchmark, cached like the library and counted only as needed.

        Counting every benchmark reads every row (~40 ms at 100,000 rows, as benchmark_id's
        index does not cover deleted_at); the few entries a typed filter leaves are counted
        one by one from the index instead, so completing after a save stays quick.
        """
        cached: tuple[Any, dict[str, int]] | None = getattr(self, "_count_cache", None)
        counts = cached[1] if cached is not None and cached[0] == key else {}
        self._count_cache = (key, counts)
        missing = [i for i in ids if i not in counts]
        if len(missing) > FEW_COUNTS:
            counts.update(dict.fromkeys(missing, 0))
            counts.update(
                self.conn.execute(
                    "SELECT benchmark_id, count(*) FROM benchmark_item WHERE benchmark_id IS NOT "
                    "NULL AND deleted_at IS NULL GROUP BY benchmark_id"
                ).fetchall()
            )
        else:
            for benchmark_id in missing:
                counts[benchmark_id] = self._item_count_of(benchmark_id)
        return counts

    def _item_count_of(self, benchmark_id: str) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM benchmark_item WHERE benchmark_id = ? AND deleted_at IS NULL",
                [benchmark_id],
            ).fetchone()[0]
        )

    def benchmarks(self, text: str = "") -> list[BenchmarkEnterprise]:
        """Live library entries in pinyin order, with their row counts; every word of
        ``text`` must match the name (Chinese, pinyin initials, full pinyin) or the address."""
        key = self._write_key()
        entries = self._library(key)
        for term in query_terms(text):
            entries = [e for e in entries if _matches(term, e)]
        counts = self._item_counts(key, [e.id for e in entries])
        return [dataclasses.replace(e, item_count=counts[e.id]) for e in entries]

    def get_benchmark(self, benchmark_id: str) -> BenchmarkEnterprise:
        """Any library entry, merged or deleted ones included (``merged_into_id`` says where
        it went)."""
        columns = _benchmark_columns()
        entry = columns.first(
            self.conn.execute(
                f"SELECT {columns.select} FROM benchmark_enterprise WHERE id = ?", [benchmark_id]
            )
        )
        if entry is None:
            raise NotFoundError("该标杆企业不存在")
        return dataclasses.replace(entry, item_count=self._item_count_of(benchmark_id))

    def _same_benchmark(
        self, clean: CleanBenchmark, own_id: str | None = None
    ) -> tuple[str, str, str] | None:
        """(id, name, address) of another live entry that is this one: the same name at the
        same address. Namesakes at different addresses are different enterprises (a group's
        plants)."""
        address_key = search_norm(clean.address)
        for other_id, name, address in self.conn.execute(
            "SELECT id, name, address FROM benchmark_enterprise WHERE name_key = ? "
            "AND deleted_at IS NULL AND merged_into_id IS NULL",
            [clean.name_key],
        ):
            if other_id != own_id and search_norm(address) == address_key:
                return other_id, name, address
        return None

    def _check_benchmark_unique(self, clean: CleanBenchmark, own_id: str | None) -> None:
        same = self._same_benchmark(clean, own_id)
        if same is not None:
            _, name, address = same
            shown = f"{name}（{address}）" if address else name
            raise DuplicateError(f"标杆库中已有「{shown}」", FIELD_BENCHMARK)

    def add_benchmark(
        self, name: str, address: str = "", level: str | None = None, notes: str = ""
    ) -> BenchmarkEnterprise:
        """Add a library entry; raises ValidationFailed or DuplicateError."""
        from duibiao_tui.domain.items import validate_benchmark

        clean = validate_benchmark(name, address, level, notes)
        benchmark_id = new_id()
        now = self.clock()
        values = dataclasses.asdict(clean)
        with self.write():
            self._check_benchmark_unique(clean, None)
            self.db.table("benchmark_enterprise").insert(
                {
                    "id": benchmark_id,
                    **values,
                    "created_at": now,
                    "updated_at": now,
                    "created_by": self.officer,
                    "updated_by": self.officer,
                    "version": 1,
                }
            )
            self._audit(
                "benchmark_enterprise",
                benchmark_id,
                "insert",
                {k: (None, v) for k, v in values.items() if v not in (None, "")},
                at=now,
            )
        return self.get_benchmark(benchmark_id)

    def update_benchmark(
        self, benchmark_id: str, *, name: str, address: str, level: str | None, notes: str
    ) -> BenchmarkEnterprise:
        """Save the fields that changed of a live entry; rows show the new name at once."""
        from duibiao_tui.domain.items import validate_benchmark

        clean = validate_benchmark(name, address, level, notes)
        now = self.clock()
        with self.write():
            row = self.conn.execute(
                "SELECT name, name_key, address, level, notes FROM benchmark_enterprise "
                "WHERE id = ? AND deleted_at IS NULL",
                [benchmark_id],
            ).fetchone()
            if row is None:
                raise NotFoundError("该标杆企业不存在或已合并")
            self._check_benchmark_unique(clean, benchmark_id)
            old = dict(zip(("name", "name_key", "address", "level", "notes"), row, strict=True))
            changes = {k: (old[k], v) for k, v in dataclasses.asdict(clean).items() if old[k] != v}
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                self.conn.execute(
                    f"UPDATE benchmark_enterprise SET {sets}, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [*(new for _, new in changes.values()), now, self.officer, benchmark_id],
                )
                self._audit("benchmark_enterprise", benchmark_id, "update", changes, at=now)
        return self.get_benchmark(benchmark_id)

    def merge_benchmarks(self, keep_id: str, merge_ids: list[str]) -> int:
        """Fold duplicate library entries into ``keep_id``; returns how many live rows moved.

        Every row pointing at a merged entry (removed rows too, so an undo shows the right
        benchmark) now points at ``keep_id``; merged entries keep their data, hidden, with
        ``merged_into_id`` set, and entries merged into them earlier follow as well.
        """
        merge = list(dict.fromkeys(merge_ids))
        if keep_id in merge:
            raise DuibiaoError("保留的标杆企业不能同时被合并到别处", "无法合并")
        if not merge:
            return 0
        now = self.clock()
        marks = ", ".join("?" * len(merge))
        with self.write():
            live = {
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM benchmark_enterprise WHERE deleted_at IS NULL "
                    f"AND merged_into_id IS NULL AND id IN ({marks}, ?)",
                    [*merge, keep_id],
                )
            }
            if keep_id not in live or not live.issuperset(merge):
                raise NotFoundError("要合并的标杆企业不存在或已合并，请刷新标杆库后重试")
            items = self.conn.execute(
                f"SELECT id, benchmark_id, deleted_at FROM benchmark_item WHERE benchmark_id IN ({marks})",
                merge,
            ).fetchall()
            self.conn.executemany(
                "UPDATE benchmark_item SET benchmark_id = ?, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE id = ?",
                [(keep_id, now, self.officer, r[0]) for r in items],
            )
            self._audit_many(
                "benchmark_item",
                [(r[0], "update", "benchmark_id", r[1], keep_id) for r in items],
                now,
            )
            followers = self.conn.execute(
                f"SELECT id, merged_into_id FROM benchmark_enterprise WHERE merged_into_id IN ({marks})",
                merge,
            ).fetchall()
            self.conn.executemany(
                "UPDATE benchmark_enterprise SET merged_into_id = ?, deleted_at = ifnull(deleted_at, ?), "
                "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
                [
                    (keep_id, now, now, self.officer, i)
                    for i in [*merge, *(f[0] for f in followers)]
                ],
            )
            self._audit_many(
                "benchmark_enterprise",
                [
                    *((i, "merge", "merged_into_id", None, keep_id) for i in merge),
                    *((f[0], "update", "merged_into_id", f[1], keep_id) for f in followers),
                ],
                now,
            )
        return sum(1 for r in items if r[2] is None)

    # -- rows of the 情况表 -------------------------------------------------------------

    def items_for(self, enterprise_id: str, campaign_id: str | None = None) -> list[BenchmarkItem]:
        """The live rows of one enterprise's form, in 序号 order."""
        return self._select_items(
            "WHERE i.enterprise_id = ? AND i.campaign_id = ? AND i.deleted_at IS NULL "
            "ORDER BY i.seq, i.rowid",
            [enterprise_id, self._campaign(campaign_id)],
        )

    def get_item(self, item_id: str) -> BenchmarkItem:
        """A live row; removed rows are NotFound (``restore_item`` brings them back)."""
        rows = self._select_items("WHERE i.id = ? AND i.deleted_at IS NULL", [item_id])
        if not rows:
            raise NotFoundError("该对标记录不存在或已删除")
        return rows[0]

    def _next_seq(self, enterprise_id: str, campaign_id: str) -> int:
        """The 序号 after the last live row of the form."""
        return int(
            self.conn.execute(
                "SELECT ifnull(max(seq), 0) + 1 FROM benchmark_item WHERE enterprise_id = ? "
                "AND campaign_id = ? AND deleted_at IS NULL",
                [enterprise_id, campaign_id],
            ).fetchone()[0]
        )

    def _insert_item(
        self, enterprise_id: str, campaign_id: str, seq: int, clean: CleanItem, now: str
    ) -> str:
        item_id = new_id()
        self.conn.execute(
            ITEM_INSERT,
            item_row_values(item_id, enterprise_id, campaign_id, seq, clean, now, self.officer),
        )
        values = {"seq": seq, **dataclasses.asdict(clean)}
        self._audit(
            "benchmark_item",
            item_id,
            "insert",
            {k: (None, v) for k, v in values.items() if v not in (None, "")},
            at=now,
        )
        return item_id

    def add_item(
        self,
        enterprise_id: str,
        data: ItemInput,
        campaign_id: str | None = None,
        *,
        draft_id: str | None = None,
        seq: int | None = None,
    ) -> BenchmarkItem:
        """Append a row to the form; raises ValidationFailed listing every field problem.

        ``seq`` (an import keeping the form's 序号) places the row under that number when no
        live row of the form has it; otherwise the row goes after the last one.

        ``draft_id``, when given, is discarded in the same transaction, so a crash can never
        leave both the saved row and its draft (which would be saved twice on recovery).
        """
        from duibiao_tui.domain.item_rules import validate_item

        clean = validate_item(data)
        campaign = self._campaign(campaign_id)
        now = self.clock()
        with self.write():
            self._check_enterprise(enterprise_id)
            clean = self._resolve_benchmark(clean)
            if (
                seq is None
                or seq < 1
                or self.conn.execute(
                    "SELECT 1 FROM benchmark_item WHERE enterprise_id = ? AND campaign_id = ? "
                    "AND seq = ? AND deleted_at IS NULL",
                    [enterprise_id, campaign, seq],
                ).fetchone()
            ):
                seq = self._next_seq(enterprise_id, campaign)
            item_id = self._insert_item(enterprise_id, campaign, seq, clean, now)
            self._form_edited(enterprise_id, campaign, now)
            self._discard_in_write(draft_id)
        return self.get_item(item_id)

    def update_item(
        self,
        item_id: str,
        data: ItemInput,
        *,
        draft_id: str | None = None,
        base: ItemInput | None = None,
        base_version: int | None = None,
    ) -> BenchmarkItem:
        """Save the fields that changed (version + 1, one audit row per field); an untouched
        form writes nothing. ``draft_id`` is discarded in the same transaction.

        With ``base`` (the values the form was opened with) and ``base_version``: when the
        row was saved by someone else in between, their changes to other fields are kept and
        a field both changed differently raises ConflictError — never a lost update.
        """
        from duibiao_tui.domain.item_rules import validate_item

        now = self.clock()
        mine = data
        with self.write():
            row = self._live_row(item_id)
            if base is not None and base_version is not None and row["version"] != base_version:
                data = self._merge_item(item_id, base, data, row)
            clean = self._resolve_benchmark(validate_item(data))
            changes = {k: (row[k], v) for k, v in dataclasses.asdict(clean).items() if row[k] != v}
            if base is not None:  # only what the officer changed: untouched fields stay
                touched = touched_columns(base, mine)
                changes = {k: change for k, change in changes.items() if k in touched}
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                self.conn.execute(
                    f"UPDATE benchmark_item SET {sets}, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [*(new for _, new in changes.values()), now, self.officer, item_id],
                )
                self._audit("benchmark_item", item_id, "update", changes, at=now)
                self._form_edited(row["enterprise_id"], row["campaign_id"], now)
            self._discard_in_write(draft_id)
        return self.get_item(item_id)

    def _merge_item(
        self, item_id: str, base: ItemInput, mine: ItemInput, row: dict[str, Any]
    ) -> ItemInput:
        from duibiao_tui.domain.conflicts import ConflictError, three_way_merge

        theirs = self.get_item(item_id).to_input()
        merged, clashes = three_way_merge(base, mine, theirs, ITEM_FIELD_GROUPS)
        if clashes:
            raise ConflictError(
                clashes, merged, theirs, row["version"], row["updated_by"], row["updated_at"]
            )
        return merged

    def duplicate_item(self, item_id: str) -> BenchmarkItem:
        """A copy of the row directly below it; the rows after it move down one."""
        from duibiao_tui.domain.item_rules import CleanItem

        now = self.clock()
        with self.write():
            row = self._live_row(item_id)
            clean = CleanItem(**{k: row[k] for k in ITEM_COLUMNS})
            enterprise_id, campaign_id = row["enterprise_id"], row["campaign_id"]
            live = self._live_order(enterprise_id, campaign_id)
            order = [i for i, _ in live]
            copy_id = self._insert_item(enterprise_id, campaign_id, row["seq"] + 1, clean, now)
            order.insert(order.index(item_id) + 1, copy_id)
            self._renumber(order, {**dict(live), copy_id: row["seq"] + 1}, now)
            self._form_edited(enterprise_id, campaign_id, now)
        return self.get_item(copy_id)

    def move_item(self, item_id: str, delta: int) -> None:
        """Move a row ``delta`` places (−1 up, +1 down: a swap with the neighbour); moving
        past either end stops there, at the end it is a no-op."""
        now = self.clock()
        with self.write():
            row = self._live_row(item_id)
            live = self._live_order(row["enterprise_id"], row["campaign_id"])
            order = [i for i, _ in live]
            at = order.index(item_id)
            order.insert(max(0, min(len(order) - 1, at + delta)), order.pop(at))
            if order != [i for i, _ in live]:
                self._renumber(order, dict(live), now)
                self._form_edited(row["enterprise_id"], row["campaign_id"], now)

    def place_items(self, seqs: dict[str, int]) -> None:
        """Give live rows the 序号 an imported form gives them (audited like a move; the
        version stays). The caller keeps the numbers of a form unique."""
        now = self.clock()
        with self.write():
            rows = [self._live_row(item_id) for item_id in seqs]
            self._set_seqs(seqs, {row["id"]: row["seq"] for row in rows}, now)
            moved = {
                (r["enterprise_id"], r["campaign_id"]) for r in rows if r["seq"] != seqs[r["id"]]
            }
            for enterprise_id, campaign_id in moved:
                self._form_edited(enterprise_id, campaign_id, now)

    def remove_item(self, item_id: str) -> None:
        """Soft delete (undo with ``restore_item``); the rows after it move up one."""
        now = self.clock()
        with self.write():
            row = self._live_row(item_id)
            self.conn.execute(
                "UPDATE benchmark_item SET deleted_at = ?, deleted_by = ?, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ?",
                [now, self.officer, now, self.officer, item_id],
            )
            self._audit("benchmark_item", item_id, "delete", at=now)
            live = self._live_order(row["enterprise_id"], row["campaign_id"])
            self._renumber([i for i, _ in live], dict(live), now)
            self._form_edited(row["enterprise_id"], row["campaign_id"], now)

    def restore_item(self, item_id: str) -> BenchmarkItem:
        """Undo a removal: the row comes back at the 序号 it had when it was removed.

        A removed row keeps its last 序号, so undoing removals in reverse order restores the
        form exactly; a stale position past the end puts the row last.
        """
        now = self.clock()
        with self.write():
            row = self.conn.execute(
                "SELECT enterprise_id, campaign_id, seq FROM benchmark_item "
                "WHERE id = ? AND deleted_at IS NOT NULL",
                [item_id],
            ).fetchone()
            if row is None:
                raise NotFoundError("该对标记录不在已删除列表中")
            enterprise_id, campaign_id, seq = row
            live = self._live_order(enterprise_id, campaign_id)
            self.conn.execute(
                "UPDATE benchmark_item SET deleted_at = NULL, deleted_by = NULL, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ?",
                [now, self.officer, item_id],
            )
            self._audit("benchmark_item", item_id, "restore", at=now)
            order = [i for i, _ in live]
            order.insert(max(0, min(len(order), seq - 1)), item_id)
            self._renumber(order, {**dict(live), item_id: seq}, now)
            self._form_edited(enterprise_id, campaign_id, now)
        return self.get_item(item_id)

    def departments_for(self, enterprise_id: str) -> list[str]:
        """落实部门 used before on this enterprise's live rows (all campaigns), most recently
        saved first, to complete the field."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT department FROM benchmark_item WHERE enterprise_id = ? "
                "AND deleted_at IS NULL AND department != '' GROUP BY department "
                "ORDER BY max(updated_at) DESC, max(rowid) DESC",
                [enterprise_id],
            )
        ]

    def item_count(self, enterprise_id: str, campaign_id: str | None = None) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM benchmark_item WHERE enterprise_id = ? AND campaign_id = ? "
                "AND deleted_at IS NULL",
                [enterprise_id, self._campaign(campaign_id)],
            ).fetchone()[0]
        )

    def submission_status(self, enterprise_id: str, campaign_id: str | None = None) -> str:
        row = self.conn.execute(
            "SELECT status FROM submission WHERE enterprise_id = ? AND campaign_id = ?",
            [enterprise_id, self._campaign(campaign_id)],
        ).fetchone()
        return row[0] if row else NO_SUBMISSION

    # -- drafts -----------------------------------------------------------------------

    def save_draft(
        self,
        enterprise_id: str,
        values: ItemInput,
        *,
        item_id: str | None = None,
        campaign_id: str | None = None,
    ) -> str:
        """Keep what is typed, unvalidated: one draft per enterprise, campaign and row
        (``item_id`` None for a new row), replaced on every save; returns its id.

        Not audited (it is not data yet) but written in a transaction like everything else.
        """
        campaign = self._campaign(campaign_id)
        payload = json.dumps(dataclasses.asdict(values), ensure_ascii=False)
        now = self.clock()
        with self.write():
            row = self.conn.execute(
                "SELECT id FROM item_draft WHERE enterprise_id = ? AND campaign_id = ? "
                "AND item_id IS ?",
                [enterprise_id, campaign, item_id],
            ).fetchone()
            if row is not None:
                self.conn.execute(
                    "UPDATE item_draft SET payload = ?, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [payload, now, self.officer, row[0]],
                )
                return str(row[0])
            draft_id = new_id()
            self.conn.execute(
                "INSERT INTO item_draft (id, enterprise_id, campaign_id, item_id, payload, "
                "created_at, updated_at, created_by, updated_by, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                [
                    draft_id,
                    enterprise_id,
                    campaign,
                    item_id,
                    payload,
                    now,
                    now,
                    self.officer,
                    self.officer,
                ],
            )
        return draft_id

    def drafts_for(self, enterprise_id: str, campaign_id: str | None = None) -> list[ItemDraft]:
        """Unsaved rows of one enterprise's form, newest first."""
        from duibiao_tui.domain.items import ItemDraft

        columns = record_columns(ItemDraft, left_out=("values",))
        drafts = []
        for row in named_rows(
            self.conn.execute(
                f"SELECT {columns.select}, payload FROM item_draft "
                "WHERE enterprise_id = ? AND campaign_id = ? ORDER BY updated_at DESC, rowid DESC",
                [enterprise_id, self._campaign(campaign_id)],
            )
        ):
            payload = row.pop("payload")
            drafts.append(ItemDraft(**row, values=_item_input(payload)))
        return drafts

    def discard_draft(self, draft_id: str) -> None:
        """Forget a draft (saved or thrown away); an unknown id is not an error."""
        with self.write():
            self._discard_in_write(draft_id)
