"""Storage side of the follow-up of measures: listing them across enterprises, marking
their progress. A repository over the ``Session``."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from typing import Any

from duibiao_tui.domain.measures import (
    DONE,
    DUE_OVERDUE,
    DUE_THIS_MONTH,
    NO_VERDICT,
    OVERDUE,
    PENDING,
    MeasureQuery,
    MeasureRow,
    MeasureUpdate,
    shown_row_state,
)
from duibiao_tui.errors import NotFoundError
from duibiao_tui.store.rows import RecordColumns, named_rows, record_columns
from duibiao_tui.store.session import Session

__all__ = ["IS_MEASURE", "IS_OVERDUE", "IS_PENDING", "MeasureRepository", "overdue_sql"]

IS_MEASURE = "i.measures != ''"
"""A row of alias ``i`` is a measure: it has a 提升计划和措施 (``domain.measures.row_kind``)."""
IS_PENDING = (
    "(i.measures = '' AND (i.department != '' OR i.due_text != '' OR i.due_date IS NOT NULL))"
)
"""A row that names a 落实部门 or 完成时间 but has no measure: 待补."""


def overdue_sql(today: str = "?") -> str:
    """A measure not done whose date has passed, ``today`` the parameter holding today's ISO
    date (``?`` or a named ``:today``). ``+``: not the due-date index, which would be
    scanned once per enterprise."""
    return f"({IS_MEASURE} AND i.measure_state != '{DONE}' AND +i.due_date < {today})"


IS_OVERDUE = overdue_sql()
"""``overdue_sql`` with one positional parameter."""

MEASURE_SQL = {
    "item_id": "i.id",
    "aspect": "CASE WHEN i.aspect_other != '' THEN i.aspect_other ELSE i.aspect END",
    "verdict": "ifnull(i.verdict, '')",
    "state": "i.measure_state",
}
"""MeasureRow's fields that are not ``i.<field>``."""

MEASURE_FROM = "FROM benchmark_item i {hint} WHERE i.deleted_at IS NULL AND i.campaign_id = ?"
"""Rows only: enterprise names and districts are joined in Python from one small query, and
the sort is done there too — a city's ~100,000 rows are read once, in table order."""


def _measure_columns() -> RecordColumns[MeasureRow]:
    return record_columns(
        MeasureRow,
        alias="i",
        sql=MEASURE_SQL,
        left_out=("enterprise_name", "district_name", "shown"),
    )


def _measure_row(values: dict[str, Any], name: str, district: str, today: date) -> MeasureRow:
    """One listed measure from its row's values and its enterprise's name and district."""
    shown = shown_row_state(
        values["measures"],
        values["department"],
        values["due_text"],
        values["due_date"],
        values["state"],
        today,
    )
    return MeasureRow(**values, enterprise_name=name, district_name=district, shown=shown)


def _along(
    conn: sqlite3.Connection, sql: str, index: str | None, params: list[Any]
) -> sqlite3.Cursor:
    """``sql`` run along ``index`` (``INDEXED BY`` where it says ``{index}``), or as SQLite
    chooses when ``index`` is None or the file has no such index (a file of our making
    always has it: the schema is the migrations')."""
    if index is not None:
        try:
            return conn.execute(sql.replace("{index}", f"INDEXED BY {index}"), params)
        except sqlite3.OperationalError as error:
            if "no such index" not in str(error):
                raise
    return conn.execute(sql.replace("{index}", ""), params)


def _month_bounds(today: date) -> tuple[str, str]:
    start = today.replace(day=1)
    end = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return start.isoformat(), end.isoformat()


class MeasureRepository:
    """The follow-up of measures over one session: listed across enterprises, marked done."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _measure_where(self, query: MeasureQuery, today: date) -> tuple[str, list[Any]]:
        """The WHERE of ``query`` after ``i.campaign_id = ?`` (its parameter first)."""
        where = ""
        params: list[Any] = [self.session.campaign_id(query.campaign_id)]
        if query.state == PENDING:
            where += f" AND {IS_PENDING}"
        elif not query.all_rows:
            where += f" AND {IS_MEASURE}"
        for column, value in (
            ("i.department", query.department),
            ("i.enterprise_id", query.enterprise_id),
        ):
            if value:
                where += f" AND {column} = ?"
                params.append(value)
        if query.verdict == NO_VERDICT:
            where += " AND ifnull(i.verdict, '') = ''"
        elif query.verdict:
            where += " AND i.verdict = ?"
            params.append(query.verdict)
        if query.aspect:
            where += " AND (i.aspect = ? OR i.aspect_other = ?)"
            params += [query.aspect, query.aspect]
        if query.year is not None:
            where += " AND substr(i.due_date, 1, 4) = ?"
            params.append(str(query.year))
        if query.due == DUE_THIS_MONTH:
            where += " AND i.due_date >= ? AND i.due_date < ?"
            params += list(_month_bounds(today))
        if query.due == DUE_OVERDUE or query.state == OVERDUE:
            where += f" AND {IS_OVERDUE}"
            params.append(today.isoformat())
        elif query.state and query.state != PENDING:
            where += " AND i.measure_state = ?"
            params.append(query.state)
            if query.state != DONE:
                where += " AND (i.due_date IS NULL OR i.due_date >= ?)"
                params.append(today.isoformat())
        return where, params

    def measures(self, query: MeasureQuery) -> list[MeasureRow]:
        """Measures (rows with a 提升计划和措施) matching the query — or, with ``state`` 待补,
        the rows still without one — by 完成时间 (undated last), then enterprise and 序号."""
        today = self.session.today()
        where, params = self._measure_where(query, today)
        enterprises = {
            r["id"]: r
            for r in named_rows(
                self.session.conn.execute(
                    "SELECT e.id AS id, e.name AS name, ifnull(d.name, '') AS district_name, "
                    "e.name_pinyin AS name_pinyin, e.district_id AS district_id "
                    "FROM enterprise e LEFT JOIN district d ON d.id = e.district_id "
                    "WHERE e.deleted_at IS NULL"
                )
            )
        }
        columns = _measure_columns()
        # One enterprise: its index. Otherwise read the table in order, which is faster
        # than an index that would visit the rows in random order.
        hint = "" if query.enterprise_id else "NOT INDEXED"
        sql = f"SELECT {columns.select} {MEASURE_FROM.format(hint=hint)}{where}"
        rows: list[tuple[tuple[Any, ...], MeasureRow]] = []
        for values in columns.values(self.session.conn.execute(sql, params)):
            owner = enterprises.get(values["enterprise_id"])
            if owner is None or (query.district_id and owner["district_id"] != query.district_id):
                continue
            row = _measure_row(values, owner["name"], owner["district_name"], today)
            due = row.due_date
            rows.append(((due is None, due or "", owner["name_pinyin"], values["seq"]), row))
        rows.sort(key=lambda pair: pair[0])
        return [row for _, row in rows]

    def first_measures(self, query: MeasureQuery, limit: int) -> list[MeasureRow]:
        """The first ``limit`` rows of ``measures(query)``, in its order: what the desk shows
        while the whole list is read (a province's 1.3 million rows: ~0.1 s, not a minute).

        The order is ``measures``'s — 完成时间 (undated last), the enterprise's pinyin, 序号 —
        and then the table's order, which is the order ``measures`` reads in and keeps among
        equals (its sort is stable). The dated rows are walked along the due-date index, so
        SQLite stops after ``limit`` of them; the undated follow if there are too few."""
        today = self.session.today()
        where, params = self._measure_where(query, today)
        if query.district_id:
            where += " AND e.district_id = ?"
            params.append(query.district_id)
        dated = self._first(
            f"{where} AND i.due_date IS NOT NULL",
            params,
            "i.due_date, e.name_pinyin, i.seq, i.rowid",
            limit,
            "benchmark_item_due",
        )
        undated = self._first(
            f"{where} AND i.due_date IS NULL",
            params,
            "e.name_pinyin, i.seq, i.rowid",
            limit - len(dated),
            None,
        )
        return [_measure_row(v, name, district, today) for v, name, district in dated + undated]

    def _first(
        self, where: str, params: list[Any], order: str, limit: int, index: str | None
    ) -> list[tuple[dict[str, Any], str, str]]:
        """Up to ``limit`` rows' values with their enterprise's name and district, in
        ``order``, walking ``index`` when given (``_along``)."""
        if limit <= 0:
            return []
        sql = (
            f"SELECT {_measure_columns().select}, e.name AS owner_name, "
            "ifnull(d.name, '') AS owner_district "
            "FROM benchmark_item i {index} JOIN enterprise e ON e.id = i.enterprise_id "
            "LEFT JOIN district d ON d.id = e.district_id "
            "WHERE i.deleted_at IS NULL AND i.campaign_id = ? AND e.deleted_at IS NULL"
            f"{where} ORDER BY {order} LIMIT ?"
        )
        cursor = _along(self.session.conn, sql, index, [*params, limit])
        out = []
        for values in _measure_columns().values(cursor):
            out.append((values, values.pop("owner_name"), values.pop("owner_district")))
        return out

    def pending_count(self, query: MeasureQuery) -> int:
        """How many rows under ``query``'s filters (its state aside) are 待补."""
        where, params = self._measure_where(replace(query, state=PENDING), self.session.today())
        sql = (
            "SELECT count(*) FROM benchmark_item i JOIN enterprise e ON e.id = i.enterprise_id "
            f"WHERE e.deleted_at IS NULL AND i.deleted_at IS NULL AND i.campaign_id = ?{where}"
        )
        if query.district_id:
            sql += " AND e.district_id = ?"
            params.append(query.district_id)
        return int(self.session.conn.execute(sql, params).fetchone()[0])

    def measure_count(self, query: MeasureQuery) -> int:
        """An upper bound of ``len(measures(query))`` read from an index alone (~20 ms for a
        city): decides whether the list is worth reading in the background."""
        sql = "SELECT count(*) FROM benchmark_item WHERE campaign_id = ? AND deleted_at IS NULL"
        params: list[Any] = [self.session.campaign_id(query.campaign_id)]
        if query.enterprise_id:
            sql += " AND enterprise_id = ?"
            params.append(query.enterprise_id)
        return int(self.session.conn.execute(sql, params).fetchone()[0])

    def measure_departments(self, campaign_id: str | None = None) -> list[str]:
        """Every 落实部门 named in the campaign's rows, for the desk's filter; kept in the
        session cache until the next write."""
        campaign = self.session.campaign_id(campaign_id)
        return self.session.cached(("departments", campaign), lambda: self._departments(campaign))

    def _departments(self, campaign_id: str) -> list[str]:
        """From the follow-up index alone, which holds the department: SQLite's own choice
        (the aspect index) looked every row up in the table — 4 s for a province's 1.3
        million rows where this takes 0.5 s. A file without that index reads it the plain way."""
        sql = (
            "SELECT DISTINCT department FROM benchmark_item {index} WHERE campaign_id = ? "
            "AND deleted_at IS NULL AND department != '' ORDER BY department"
        )
        return [
            r[0] for r in _along(self.session.conn, sql, "benchmark_item_followup", [campaign_id])
        ]

    def set_measure_state(self, item_id: str, update: MeasureUpdate) -> None:
        """Record progress on a measure (state, date done, note): audited, version + 1.
        Follow-up is not an edit of the form, so an approved form stays approved."""
        now = self.session.clock()
        with self.session.write():
            row = self.session.conn.execute(
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
            self.session.conn.execute(
                "UPDATE benchmark_item SET measure_state = ?, done_date = ?, done_note = ?, "
                "updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?",
                [*new, now, self.session.officer, item_id],
            )
            self.session.audit("benchmark_item", item_id, "update", changes, at=now)
