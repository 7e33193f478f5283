"""Storage side of the follow-up of measures: listing them across enterprises, marking
their progress. A mixin of ``Store``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.measures import (
    DONE,
    DUE_OVERDUE,
    DUE_THIS_MONTH,
    OVERDUE,
    MeasureQuery,
    MeasureRow,
    MeasureUpdate,
    shown_state,
)
from duibiao_tui.errors import NotFoundError

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from contextlib import AbstractContextManager

__all__ = ["MeasureStore"]

MEASURE_SELECT = """SELECT i.id, i.enterprise_id, e.name, ifnull(d.name, ''), i.seq,
    CASE WHEN i.aspect_other != '' THEN i.aspect_other ELSE i.aspect END, i.indicator,
    ifnull(i.verdict, ''), i.measures, i.department, i.due_date, i.due_text, i.measure_state,
    i.done_date, i.done_note
    FROM benchmark_item i JOIN enterprise e ON e.id = i.enterprise_id
    LEFT JOIN district d ON d.id = e.district_id
    WHERE i.deleted_at IS NULL AND e.deleted_at IS NULL AND i.campaign_id = ?"""


def _month_bounds(today: date) -> tuple[str, str]:
    start = today.replace(day=1)
    end = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return start.isoformat(), end.isoformat()


class MeasureStore:
    if TYPE_CHECKING:
        conn: sqlite3.Connection
        officer: str
        clock: Callable[[], str]

        def write(self) -> AbstractContextManager[None]: ...

        def _campaign(self, campaign_id: str | None) -> str: ...

        def today(self) -> date: ...

        def _audit(
            self,
            table: str,
            row_id: str,
            action: str,
            changes: dict[str, tuple[Any, Any]] | None = None,
            at: str | None = None,
        ) -> None: ...

    def measures(self, query: MeasureQuery) -> list[MeasureRow]:
        """Measures (rows with a 提升计划和措施, 落实部门 or 完成时间) matching the query,
        by 完成时间 (undated last), then enterprise and 序号."""
        today = self.today()
        sql = MEASURE_SELECT
        params: list[Any] = [self._campaign(query.campaign_id)]
        if not query.all_rows:
            sql += " AND (i.measures != '' OR i.department != '' OR i.due_date IS NOT NULL)"
        for column, value in (
            ("e.district_id", query.district_id),
            ("i.department", query.department),
            ("i.enterprise_id", query.enterprise_id),
            ("i.verdict", query.verdict),
        ):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        if query.aspect:
            sql += " AND (i.aspect = ? OR i.aspect_other = ?)"
            params += [query.aspect, query.aspect]
        if query.year is not None:
            sql += " AND substr(i.due_date, 1, 4) = ?"
            params.append(str(query.year))
        if query.due == DUE_THIS_MONTH:
            sql += " AND i.due_date >= ? AND i.due_date < ?"
            params += list(_month_bounds(today))
        if query.due == DUE_OVERDUE or query.state == OVERDUE:
            sql += " AND i.measure_state != ? AND i.due_date < ?"
            params += [DONE, today.isoformat()]
        elif query.state:
            sql += " AND i.measure_state = ?"
            params.append(query.state)
            if query.state != DONE:
                sql += " AND (i.due_date IS NULL OR i.due_date >= ?)"
                params.append(today.isoformat())
        sql += " ORDER BY i.due_date IS NULL, i.due_date, e.name_pinyin, i.seq"
        return [
            MeasureRow(*r, shown=shown_state(r[12], r[10], today))
            for r in self.conn.execute(sql, params)
        ]

    def measure_departments(self, campaign_id: str | None = None) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT department FROM benchmark_item WHERE campaign_id = ? "
                "AND deleted_at IS NULL AND department != '' ORDER BY department",
                [self._campaign(campaign_id)],
            )
        ]

    def set_measure_state(self, item_id: str, update: MeasureUpdate) -> None:
        """Record progress on a measure (state, date done, note): audited, version + 1.
        Follow-up is not an edit of the form, so an approved form stays approved."""
        now = self.clock()
        with self.write():
            row = self.conn.execute(
                "SELECT measure_state, done_date, done_note FROM benchmark_item "
                "WHERE id = ? AND deleted_at IS NULL",
                [item_id],
            ).fetchone()
            if row is None:
                raise NotFoundError("该对标记录不存在或已删除")
            new = (update.state, update.done_date, update.note)
            names = ("measure_state", "done_date", "done_note")
            changes = {
                k: (old, value)
                for k, old, value in zip(names, row, new, strict=True)
                if old != value
            }
            if not changes:
                return
            self.conn.execute(
                "UPDATE benchmark_item SET measure_state = ?, done_date = ?, done_note = ?, "
                "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
                [*new, now, self.officer, item_id],
            )
            self._audit("benchmark_item", item_id, "update", changes, at=now)
