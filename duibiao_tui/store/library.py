"""The benchmark library (标杆库): the enterprises officers compare against, shared by
every form's rows, searched by name, pinyin or address, merged when typed twice.

A repository over the ``Session``; every write is audited like the register's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

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
from duibiao_tui.store.rows import RecordColumns, record_columns
from duibiao_tui.store.session import Session, new_id

if TYPE_CHECKING:
    from duibiao_tui.domain.item_rules import CleanItem
    from duibiao_tui.domain.items import BenchmarkEnterprise, CleanBenchmark

__all__ = ["FIELD_BENCHMARK", "BenchmarkLibrary"]

FIELD_BENCHMARK = "标杆企业"
"""item_rules.FIELD_BENCHMARK, repeated to keep the rules off the launch path."""
FEW_COUNTS = 12
"""Up to this many benchmarks are counted one by one, more with one GROUP BY."""


def _benchmark_columns() -> RecordColumns[BenchmarkEnterprise]:
    from duibiao_tui.domain.items import BenchmarkEnterprise

    return record_columns(BenchmarkEnterprise, left_out=("item_count",))


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


class BenchmarkLibrary:
    """The ``benchmark_enterprise`` table, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def resolve(self, clean: CleanItem) -> CleanItem:
        """The picked library entry, followed to the one it was merged into (a draft may
        predate the merge); refused when it does not exist or was deleted."""
        benchmark_id = clean.benchmark_id
        seen: set[str] = set()
        while benchmark_id is not None and benchmark_id not in seen:
            seen.add(benchmark_id)
            row = self.session.conn.execute(
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

    def _library(self) -> list[BenchmarkEnterprise]:
        """The live library in pinyin order (counts left at 0), kept in the session's cache
        until a write, so type-to-complete does not re-read it per keystroke."""
        return self.session.cached(("library",), self._read_library)

    def _read_library(self) -> list[BenchmarkEnterprise]:
        columns = _benchmark_columns()
        entries = columns.records(
            self.session.conn.execute(
                f"SELECT {columns.select} FROM benchmark_enterprise "
                "WHERE deleted_at IS NULL AND merged_into_id IS NULL"
            )
        )
        entries.sort(key=lambda e: (_pinyin_key(e.name), e.name, e.address, e.id))
        return entries

    def _item_counts(self, ids: Sequence[str]) -> dict[str, int]:
        """Live rows per benchmark, cached like the library and counted only as needed.

        Counting every benchmark reads every row (~40 ms at 100,000 rows, as benchmark_id's
        index does not cover deleted_at); the few entries a typed filter leaves are counted
        one by one from the index instead, so completing after a save stays quick.
        """
        counts: dict[str, int] = self.session.cached(("library counts",), dict)
        missing = [i for i in ids if i not in counts]
        if len(missing) > FEW_COUNTS:
            counts.update(dict.fromkeys(missing, 0))
            counts.update(
                self.session.conn.execute(
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
            self.session.conn.execute(
                "SELECT count(*) FROM benchmark_item WHERE benchmark_id = ? AND deleted_at IS NULL",
                [benchmark_id],
            ).fetchone()[0]
        )

    def benchmarks(self, text: str = "") -> list[BenchmarkEnterprise]:
        """Live library entries in pinyin order, with their row counts; every word of
        ``text`` must match the name (Chinese, pinyin initials, full pinyin) or the address."""
        entries = self._library()
        for term in query_terms(text):
            entries = [e for e in entries if _matches(term, e)]
        counts = self._item_counts([e.id for e in entries])
        return [dataclasses.replace(e, item_count=counts[e.id]) for e in entries]

    def get_benchmark(self, benchmark_id: str) -> BenchmarkEnterprise:
        """Any library entry, merged or deleted ones included (``merged_into_id`` says where
        it went)."""
        columns = _benchmark_columns()
        entry = columns.first(
            self.session.conn.execute(
                f"SELECT {columns.select} FROM benchmark_enterprise WHERE id = ?", [benchmark_id]
            )
        )
        if entry is None:
            raise NotFoundError("该标杆企业不存在")
        return dataclasses.replace(entry, item_count=self._item_count_of(benchmark_id))

    def same_benchmark(
        self, clean: CleanBenchmark, own_id: str | None = None
    ) -> tuple[str, str, str] | None:
        """(id, name, address) of another live entry that is this one: the same name at the
        same address. Namesakes at different addresses are different enterprises (a group's
        plants)."""
        address_key = search_norm(clean.address)
        for other_id, name, address in self.session.conn.execute(
            "SELECT id, name, address FROM benchmark_enterprise WHERE name_key = ? "
            "AND deleted_at IS NULL AND merged_into_id IS NULL",
            [clean.name_key],
        ):
            if other_id != own_id and search_norm(address) == address_key:
                return other_id, name, address
        return None

    def _check_benchmark_unique(self, clean: CleanBenchmark, own_id: str | None) -> None:
        same = self.same_benchmark(clean, own_id)
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
        now = self.session.clock()
        values = dataclasses.asdict(clean)
        with self.session.write():
            self._check_benchmark_unique(clean, None)
            self.session.db.table("benchmark_enterprise").insert(
                {
                    "id": benchmark_id,
                    **values,
                    "created_at": now,
                    "updated_at": now,
                    "created_by": self.session.officer,
                    "updated_by": self.session.officer,
                    "version": 1,
                }
            )
            self.session.audit(
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
        now = self.session.clock()
        with self.session.write():
            row = self.session.conn.execute(
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
                self.session.conn.execute(
                    f"UPDATE benchmark_enterprise SET {sets}, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [
                        *(new for _, new in changes.values()),
                        now,
                        self.session.officer,
                        benchmark_id,
                    ],
                )
                self.session.audit("benchmark_enterprise", benchmark_id, "update", changes, at=now)
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
        now = self.session.clock()
        marks = ", ".join("?" * len(merge))
        with self.session.write():
            live = {
                r[0]
                for r in self.session.conn.execute(
                    "SELECT id FROM benchmark_enterprise WHERE deleted_at IS NULL "
                    f"AND merged_into_id IS NULL AND id IN ({marks}, ?)",
                    [*merge, keep_id],
                )
            }
            if keep_id not in live or not live.issuperset(merge):
                raise NotFoundError("要合并的标杆企业不存在或已合并，请刷新标杆库后重试")
            items = self.session.conn.execute(
                f"SELECT id, benchmark_id, deleted_at FROM benchmark_item WHERE benchmark_id IN ({marks})",
                merge,
            ).fetchall()
            self.session.conn.executemany(
                "UPDATE benchmark_item SET benchmark_id = ?, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE id = ?",
                [(keep_id, now, self.session.officer, r[0]) for r in items],
            )
            self.session.audit_many(
                "benchmark_item",
                [(r[0], "update", "benchmark_id", r[1], keep_id) for r in items],
                now,
            )
            followers = self.session.conn.execute(
                f"SELECT id, merged_into_id FROM benchmark_enterprise WHERE merged_into_id IN ({marks})",
                merge,
            ).fetchall()
            self.session.conn.executemany(
                "UPDATE benchmark_enterprise SET merged_into_id = ?, deleted_at = ifnull(deleted_at, ?), "
                "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
                [
                    (keep_id, now, now, self.session.officer, i)
                    for i in [*merge, *(f[0] for f in followers)]
                ],
            )
            self.session.audit_many(
                "benchmark_enterprise",
                [
                    *((i, "merge", "merged_into_id", None, keep_id) for i in merge),
                    *((f[0], "update", "merged_into_id", f[1], keep_id) for f in followers),
                ],
                now,
            )
        return sum(1 for r in items if r[2] is None)
