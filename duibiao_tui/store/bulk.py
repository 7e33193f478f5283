"""Many records at once, for loads of thousands (the demo's city of 100,000 rows).

The same rules as the one-at-a-time methods (validation, 序号, stamps, the 已修改 rule, the
audit of measure progress), in the caller's transaction or one of their own, with the
statements batched. Inserted rows are audited as one ``insert`` entry each rather than one
per field: the row itself holds its values, and a city's demo would otherwise write a million
audit rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from duibiao_tui.store.items import ITEM_INSERT, item_row_values, new_id
from duibiao_tui.store.rows import record_columns

if TYPE_CHECKING:
    from duibiao_tui.domain.item_rules import CleanItem, ItemInput
    from duibiao_tui.domain.measures import MeasureUpdate
    from duibiao_tui.domain.models import EnterpriseInput
    from duibiao_tui.store.enterprises import EnterpriseRepository
    from duibiao_tui.store.items import ItemRepository
    from duibiao_tui.store.library import BenchmarkLibrary
    from duibiao_tui.store.review import ReviewRepository
    from duibiao_tui.store.session import Session

__all__ = ["BulkOperations", "OpenMeasure"]

MEASURE_COLUMNS = ("measure_state", "done_date", "done_note")
"""Columns a measure's progress sets, in the order of MeasureUpdate's fields."""
READ_CHUNK = 500
"""Ids per ``IN (…)`` when reading the rows a bulk update changes."""


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
