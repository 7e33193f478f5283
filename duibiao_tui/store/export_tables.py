"""The flat tables of the summary, public and CSV exports, streamed from SQLite: a read
model over the ``Session``.

Each table (企业名单, 对标项目, 提升措施跟踪, 推介与推荐) is a list of columns and one SELECT
whose rows are read with the cursor as they are written, so a city's ~100,000 rows never
sit in memory at once. The same tables feed the workbook and the CSV files, so both show
the same columns in the same order.

Personal data (单位填报人, 电话, 报送人, 审核人, 审核意见, the officers who entered a record) is
marked on its column; ``public=True`` leaves those columns out of the SELECT itself, so a
public export cannot carry them by accident.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.measures import IN_PROGRESS, NO_VERDICT, NOT_STARTED, PENDING
from duibiao_tui.domain.reference import ASPECTS, OTHER_ASPECT, REVIEW_STATUSES, VERDICTS
from duibiao_tui.domain.review import NOT_SUBMITTED
from duibiao_tui.store.followup import IS_MEASURE, IS_PENDING, overdue_sql
from duibiao_tui.store.session import Session

if TYPE_CHECKING:
    from duibiao_tui.domain.listing import Campaign
    from duibiao_tui.store.enterprises import EnterpriseRepository

__all__ = [
    "ENTERPRISE_SPEC",
    "ITEM_SPEC",
    "MEASURE_SPEC",
    "MEASURE_STATES_SHOWN",
    "NO_DISTRICT",
    "RECOGNITION_SPEC",
    "TABLE_ENTERPRISES",
    "TABLE_ITEMS",
    "TABLE_MEASURES",
    "TABLE_RECOGNITIONS",
    "VERDICT_COLUMNS",
    "Column",
    "ExportReadModel",
    "ExportScope",
    "FlatTable",
    "StatusCounts",
]

NO_DISTRICT = "未填辖市区"
DONE = "已完成"
OVERDUE = "逾期"

BATCH_ROWS = 1000
"""Rows fetched from SQLite at a time: SQLite and the spreadsheet writer then each work
through a batch in turn, which is faster than alternating row by row, and memory still
holds only one batch."""

OVERDUE_SQL = overdue_sql(":today")
"""A measure not done past its date, as the follow-up screen says it (``store.followup``)."""

TABLE_ENTERPRISES = "企业名单"
TABLE_ITEMS = "对标项目"
TABLE_MEASURES = "提升措施跟踪"
TABLE_RECOGNITIONS = "推介与推荐"


# -- the scope of one export -------------------------------------------------------------


@dataclass(frozen=True)
class ExportScope:
    """What one export covers: a campaign, and optionally one district and one status."""

    campaign: Campaign
    today: date
    """逾期 is measured against this day (the store's clock)."""
    district_id: str | None = None
    district_name: str = ""
    status: str = ""

    @property
    def label(self) -> str:
        """For file names: 全市, 京口区, 京口区-已通过, 已通过."""
        parts = [p for p in (self.district_name, self.status) if p]
        return "-".join(parts) or "全市"

    @property
    def words(self) -> str:
        """For the 汇总 sheet: 全部辖市区 · 全部状态."""
        return f"{self.district_name or '全部辖市区'} · {self.status or '全部状态'}"


# -- tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a flat table: its heading, width bounds (Excel units, a Chinese
    character counts 2) and kind (text, int, number, date)."""

    label: str
    min_width: int = 8
    max_width: int = 30
    kind: str = "text"
    personal: bool = False
    """Left out of public exports."""


@dataclass(frozen=True)
class FlatTable:
    """A sheet / CSV file: columns and a streaming SELECT."""

    title: str
    columns: tuple[Column, ...]
    count: int
    """Rows the SELECT will give (counted beforehand, for progress bars)."""
    read: Callable[[], Iterator[Sequence[Any]]] = field(repr=False)
    """A new cursor over the rows each call; dates come as ``date``, empty text as None."""
    masker: Any = field(default=None, repr=False, compare=False)
    """Public tables: the ``masking.Masker`` their free text went through (its count)."""

    @property
    def headings(self) -> list[str]:
        return [c.label for c in self.columns]


_SCOPE_JOINS = (
    " LEFT JOIN district d ON d.id = e.district_id"
    " LEFT JOIN submission s ON s.enterprise_id = e.id AND s.campaign_id = :campaign"
)


def _scope_where(scope: ExportScope) -> str:
    where = " WHERE e.deleted_at IS NULL"
    if scope.district_id:
        where += " AND e.district_id = :district"
    if scope.status:
        where += " AND ifnull(s.status, :not_submitted) = :status"
    return where


def _params(scope: ExportScope) -> dict[str, Any]:
    return {
        "campaign": scope.campaign.id,
        "district": scope.district_id,
        "status": scope.status,
        "not_submitted": NOT_SUBMITTED,
        "today": scope.today.isoformat(),
        "done": DONE,
        "overdue": OVERDUE,
        "pending": PENDING,
    }


def _as_date(value: Any) -> Any:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


def _table(
    conn: sqlite3.Connection,
    scope: ExportScope,
    title: str,
    spec: Sequence[tuple[Column, str]],
    source: str,
    order: str,
    public: bool,
    masker: Callable[[str], str] | None,
    masked_labels: Collection[str],
) -> FlatTable:
    chosen = [(column, sql) for column, sql in spec if not (public and column.personal)]
    columns = tuple(column for column, _ in chosen)
    params = _params(scope)
    count = conn.execute(f"SELECT count(*) {source}", params).fetchone()[0]
    # Empty text comes as NULL: an empty cell is then not written at all (a third of the
    # cells of a city's sheets are empty: 备注, 完成说明, the receipt of forms not handed in).
    expressions = [f"nullif({sql}, '')" if column.kind == "text" else sql for column, sql in chosen]
    select = f"SELECT {', '.join(expressions)} {source} ORDER BY {order}"
    dates = [i for i, column in enumerate(columns) if column.kind == "date"]
    masked = (
        [i for i, column in enumerate(columns) if column.label in masked_labels]
        if masker is not None
        else []
    )

    def read() -> Iterator[Sequence[Any]]:
        cursor = conn.execute(select, params)
        while batch := cursor.fetchmany(BATCH_ROWS):
            if not dates and not masked:
                yield from batch
                continue
            for row in batch:
                values = list(row)
                for i in dates:
                    if values[i]:
                        values[i] = _as_date(values[i])
                for i in masked:  # public: phones and known names out of free text
                    if values[i] and masker is not None:
                        values[i] = masker(values[i])
                yield values

    return FlatTable(title, columns, int(count), read, masker)


ENTERPRISE_SPEC: tuple[tuple[Column, str], ...] = (
    (Column("企业名称", 16, 40), "e.name"),
    (Column("辖市区", 8, 10), f"ifnull(d.name, '{NO_DISTRICT}')"),
    (Column("统一社会信用代码", 20, 22), "coalesce(e.uscc, e.org_code, e.reg_no, '')"),
    (
        Column("所在行业", 10, 28),
        "CASE WHEN e.industry_text != '' THEN e.industry_text ELSE e.industry_label END",
    ),
    (Column("主导产品", 10, 28), "e.main_products"),
    (Column("单位填报人", 10, 12, personal=True), "e.contact_name"),
    (Column("电话", 14, 20, personal=True), "e.phone_raw"),
    (Column("状态", 8, 10), "ifnull(s.status, :not_submitted)"),
    (Column("收到日期", 11, 12, "date"), "s.received_date"),
    (Column("报送人", 10, 20, personal=True), "ifnull(s.handed_in_by, '')"),
    (Column("审核人", 8, 12, personal=True), "ifnull(s.reviewer, '')"),
    (Column("最近意见", 12, 40, personal=True), "ifnull(s.last_comment, '')"),
    (Column("对标行数", 9, 10, "int"), "ifnull(k.n, 0)"),
    (Column("有问题行数", 11, 12, "int"), "ifnull(k.flagged, 0)"),
    (Column("逾期措施数", 11, 12, "int"), "ifnull(k.overdue, 0)"),
)

ITEM_SPEC: tuple[tuple[Column, str], ...] = (
    (Column("企业名称", 16, 40), "e.name"),
    (Column("辖市区", 8, 10), f"ifnull(d.name, '{NO_DISTRICT}')"),
    (Column("序号", 6, 6, "int"), "i.seq"),
    (
        Column("标杆(优秀)企业/地址", 18, 36),
        "CASE WHEN b.name IS NOT NULL AND b.name != '' THEN "
        "(CASE WHEN b.address != '' THEN b.name || '/' || b.address ELSE b.name END) "
        "ELSE i.benchmark_text END",
    ),
    (
        Column("项目", 8, 16),
        "CASE WHEN i.aspect_other != '' THEN i.aspect_other ELSE i.aspect END",
    ),
    (Column("指标内容", 14, 30), "i.indicator"),
    (Column("标杆水平", 12, 24), "i.benchmark_level"),
    (Column("对比结果", 14, 30), "i.result_text"),
    (Column("提升计划和措施", 20, 40), "i.measures"),
    (Column("落实部门", 10, 14), "i.department"),
    (
        Column("完成时间", 12, 14),
        "CASE WHEN i.due_text != '' THEN i.due_text ELSE ifnull(i.due_date, '') END",
    ),
    (Column("备注", 8, 20), "i.remarks"),
    (Column("结论", 6, 6), "ifnull(i.verdict, '')"),
    (
        Column("落实情况", 9, 10),
        f"CASE WHEN {IS_PENDING} THEN :pending WHEN NOT {IS_MEASURE} THEN '' "
        f"WHEN {OVERDUE_SQL} THEN :overdue ELSE i.measure_state END",
    ),
)

MEASURE_SPEC: tuple[tuple[Column, str], ...] = (
    (Column("企业名称", 16, 40), "e.name"),
    (Column("辖市区", 8, 10), f"ifnull(d.name, '{NO_DISTRICT}')"),
    (Column("序号", 6, 6, "int"), "i.seq"),
    (
        Column("项目", 8, 16),
        "CASE WHEN i.aspect_other != '' THEN i.aspect_other ELSE i.aspect END",
    ),
    (Column("指标内容", 14, 30), "i.indicator"),
    (Column("结论", 6, 6), "ifnull(i.verdict, '')"),
    (Column("提升计划和措施", 20, 40), "i.measures"),
    (Column("落实部门", 10, 14), "i.department"),
    (Column("完成时间", 12, 14), "i.due_text"),
    (Column("到期日期", 11, 12, "date"), "i.due_date"),
    (
        Column("落实情况", 9, 10),
        f"CASE WHEN {OVERDUE_SQL} THEN :overdue ELSE i.measure_state END",
    ),
    (Column("完成日期", 11, 12, "date"), "i.done_date"),
    (Column("完成说明", 10, 30), "i.done_note"),
)

RECOGNITION_SPEC: tuple[tuple[Column, str], ...] = (
    (Column("企业名称", 16, 40), "e.name"),
    (Column("辖市区", 8, 10), f"ifnull(d.name, '{NO_DISTRICT}')"),
    (Column("类别", 8, 10), "r.kind"),
    (Column("方式", 6, 8), "ifnull(r.method, '')"),
    (Column("日期", 11, 12, "date"), "r.event_date"),
    (Column("年度", 6, 6, "int"), "r.award_year"),
    (Column("结果", 10, 24), "r.outcome"),
    (
        Column("自评总分", 9, 10, "number"),
        "(SELECT sum(points) FROM recognition_score WHERE recognition_id = r.id)",
    ),
    (Column("评价准则", 14, 16), "ifnull(r.score_edition, '')"),
    (Column("说明", 10, 30), "r.note"),
    (Column("登记人", 8, 12, personal=True), "r.updated_by"),
)

_ITEMS_JOIN = (
    " CROSS JOIN benchmark_item i ON i.enterprise_id = e.id AND i.campaign_id = :campaign"
    " AND i.deleted_at IS NULL"
)
"""CROSS JOIN keeps the enterprises outside: they are read in name order from their index
and each one's rows from theirs, so the rows come out sorted without a sort of all of them
(SQLite only orders one enterprise's ~30 rows by 序号)."""
_MEASURE_ROWS = f" AND {IS_MEASURE}"
"""What the follow-up screen counts as a measure (``store.measures``): a row with a
提升计划和措施; the rows only naming a department or date are 待补, counted apart."""


# -- 汇总 ----------------------------------------------------------------------------------


MEASURE_STATES_SHOWN = (NOT_STARTED, IN_PROGRESS, DONE, OVERDUE)
"""The parts of the 提升措施 figure, as the follow-up screen shows them."""
VERDICT_COLUMNS = (*VERDICTS, NO_VERDICT)
"""The parts of an aspect's 行数: the three verdicts and 未定 (no verdict yet)."""


@dataclass(frozen=True)
class StatusCounts:
    """The figures of the 汇总 sheet in the scope: enterprises by district and status (the
    table and its chart), measures by state, rows by aspect and verdict."""

    statuses: tuple[str, ...]
    rows: list[tuple[str, dict[str, int]]]
    """(district name, {status: n}) in the districts' order; 未填辖市区 last if any."""
    measures: dict[str, int] = field(default_factory=dict)
    """Shown state (MEASURE_STATES_SHOWN) → measures (rows with a 提升计划和措施)."""
    pending: int = 0
    """Rows 待补: a 落实部门 or 完成时间 but no measure (not among the measures)."""
    aspects: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    """(aspect, {verdict or 未定: rows}) in the notice's order, 其他 last when used."""

    @property
    def overdue(self) -> int:
        """Measures not done whose 完成时间 has passed."""
        return self.measures.get(OVERDUE, 0)

    def total(self, status: str | None = None) -> int:
        if status is None:
            return sum(sum(counts.values()) for _, counts in self.rows)
        return sum(counts.get(status, 0) for _, counts in self.rows)


KNOWN_PEOPLE = (
    "SELECT contact_name FROM enterprise",
    "SELECT handed_in_by FROM submission",
    "SELECT reviewer FROM submission",
    "SELECT created_by FROM enterprise UNION SELECT updated_by FROM enterprise",
    "SELECT created_by FROM benchmark_item UNION SELECT updated_by FROM benchmark_item",
    "SELECT officer FROM audit_log",
    "SELECT officer FROM review_event",
)
"""Where the database keeps people's names: contacts, those who handed forms in,
reviewers and officers."""


class ExportReadModel:
    """The exports' tables and figures, over one session (districts from ``enterprises``)."""

    def __init__(self, session: Session, enterprises: EnterpriseRepository) -> None:
        self.session = session
        self.enterprises = enterprises

    def flat_tables(
        self,
        scope: ExportScope,
        *,
        public: bool = False,
        masker: Callable[[str], str] | None = None,
        masked_labels: Collection[str] = (),
    ) -> list[FlatTable]:
        """企业名单, 对标项目, 提升措施跟踪, 推介与推荐 for ``scope``, in that order; each
        ordered like the enterprise list (pinyin of the name), then by 序号. ``masker``
        goes over the columns ``masked_labels`` names (a public export's free text)."""
        where = _scope_where(scope)
        counts = (
            " LEFT JOIN (SELECT enterprise_id, count(*) AS n, sum(flagged) AS flagged, "
            f"sum({OVERDUE_SQL}) AS overdue FROM benchmark_item i "
            "WHERE campaign_id = :campaign AND deleted_at IS NULL GROUP BY enterprise_id) k "
            "ON k.enterprise_id = e.id"
        )
        items_from = f"FROM enterprise e{_ITEMS_JOIN}{_SCOPE_JOINS}"
        conn = self.session.conn
        return [
            _table(
                conn,
                scope,
                TABLE_ENTERPRISES,
                ENTERPRISE_SPEC,
                f"FROM enterprise e{_SCOPE_JOINS}{counts}{where}",
                "e.name_pinyin, e.id",
                public,
                masker,
                masked_labels,
            ),
            _table(
                conn,
                scope,
                TABLE_ITEMS,
                ITEM_SPEC,
                f"{items_from} LEFT JOIN benchmark_enterprise b ON b.id = i.benchmark_id{where}",
                "e.name_pinyin, e.id, i.seq, i.rowid",
                public,
                masker,
                masked_labels,
            ),
            _table(
                conn,
                scope,
                TABLE_MEASURES,
                MEASURE_SPEC,
                f"{items_from}{where}{_MEASURE_ROWS}",
                "e.name_pinyin, e.id, i.seq, i.rowid",
                public,
                masker,
                masked_labels,
            ),
            _table(
                conn,
                scope,
                TABLE_RECOGNITIONS,
                RECOGNITION_SPEC,
                f"FROM recognition r JOIN enterprise e ON e.id = r.enterprise_id{_SCOPE_JOINS}"
                f"{where} AND r.deleted_at IS NULL AND r.campaign_id = :campaign",
                "r.kind, e.name_pinyin, e.id, r.created_at, r.rowid",
                public,
                masker,
                masked_labels,
            ),
        ]

    def status_counts(self, scope: ExportScope) -> StatusCounts:
        """The figures of the 汇总 sheet for ``scope``."""
        conn = self.session.conn
        params = _params(scope)
        where = _scope_where(scope)
        by_district: dict[str | None, dict[str, int]] = {}
        for district_id, status, n in conn.execute(
            f"SELECT e.district_id, ifnull(s.status, :not_submitted), count(*) FROM enterprise e"
            f"{_SCOPE_JOINS}{where} GROUP BY 1, 2",
            params,
        ):
            by_district.setdefault(district_id, {})[status] = n
        rows: list[tuple[str, dict[str, int]]] = []
        for district in self.enterprises.districts():
            if scope.district_id and district.id != scope.district_id:
                continue
            rows.append((district.name, by_district.get(district.id, {})))
        if None in by_district:
            rows.append((NO_DISTRICT, by_district[None]))
        items = f"FROM enterprise e{_ITEMS_JOIN}{_SCOPE_JOINS}{where}"
        measures = dict.fromkeys(MEASURE_STATES_SHOWN, 0)
        for state, n in conn.execute(
            f"SELECT CASE WHEN {OVERDUE_SQL} THEN :overdue ELSE i.measure_state END, count(*) "
            f"{items}{_MEASURE_ROWS} GROUP BY 1",
            params,
        ):
            measures[state] = measures.get(state, 0) + n
        pending = conn.execute(f"SELECT count(*) {items} AND {IS_PENDING}", params).fetchone()
        by_aspect: dict[str, dict[str, int]] = {a: {} for a in (*ASPECTS, OTHER_ASPECT)}
        for aspect, verdict, n in conn.execute(
            f"SELECT i.aspect, ifnull(i.verdict, ''), count(*) {items} GROUP BY 1, 2", params
        ):
            counts = by_aspect[aspect if aspect in by_aspect else OTHER_ASPECT]
            key = verdict if verdict in VERDICTS else NO_VERDICT
            counts[key] = counts.get(key, 0) + n
        aspects = [(a, c) for a, c in by_aspect.items() if a != OTHER_ASPECT or c]
        statuses = (scope.status,) if scope.status else REVIEW_STATUSES
        return StatusCounts(statuses, rows, measures, int(pending[0]), aspects)

    def people_named(self) -> list[str]:
        """Every value of the columns that hold a person's name (KNOWN_PEOPLE), as stored;
        a table this database does not have is skipped."""
        values: list[str] = []
        for sql in KNOWN_PEOPLE:
            try:
                rows = self.session.conn.execute(sql).fetchall()
            except sqlite3.Error:  # a table this database does not have
                continue
            values += [str(value or "") for (value,) in rows]
        return values
