"""Follow-up of improvement measures: every 提升计划和措施 across enterprises, chased until done.

The list shows one measure a line (逾期 in red), the highlighted one in full below it, and
filters by district, department, aspect, due date and state. ``y`` turns it into a
year-by-year count of what falls due (the notice asks for 3–5 year plans); Enter on a year
lists that year's measures. The dashboard opens the screen with a query of its own (a
district's overdue measures, an aspect's 落后 rows) and Esc goes back to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.widgets import Label, Select, Static
from textual.worker import get_current_worker

from duibiao_tui.domain.measures import (
    DONE,
    DUE_FILTERS,
    IN_PROGRESS,
    NO_MEASURE,
    NOT_STARTED,
    OVERDUE,
    PENDING,
    MeasureQuery,
    MeasureRow,
    by_year,
    validate_measure_update,
)
from duibiao_tui.domain.reference import ASPECTS, OTHER_ASPECT
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

READ_IN_BACKGROUND = 5000
"""Lists with more measures than this are read in a worker thread."""
FIRST_PAGE = 200
"""Rows shown first while a list read in a worker is read whole (more than a screen)."""

SHOWN_STATES = (NOT_STARTED, IN_PROGRESS, DONE, OVERDUE)
"""The states a list shows, 逾期 derived from the date."""
STATE_FILTERS = (*SHOWN_STATES, PENDING)
"""The 状态 filter: the states, then 待补 (rows naming a department or date but no
measure: not measures, so listed only when asked for)."""
UNDATED = "未定"
"""The year of a measure without a 完成时间 in the year-by-year view."""
TOTAL_KEY = "total"
BAR_WIDTH = 20
WIDE_LAYOUT = 110
"""From this many columns on, the list also shows 辖市区, 指标内容, 落实部门 and 完成日期."""

ALL_COLUMNS = [
    Column("enterprise", "企业"),
    Column("district", "辖市区", 8),
    Column("seq", "序号", 4),
    Column("aspect", "项目", 12),
    Column("indicator", "指标内容"),
    Column("measures", "提升计划和措施"),
    Column("department", "落实部门", 10),
    Column("due", "完成时间", 12),
    Column("state", "状态", 6),
    Column("done", "完成日期", 10),
]
NARROW_KEYS = ("enterprise", "seq", "aspect", "measures", "due", "state")
"""Below WIDE_LAYOUT the list keeps these; the detail panel shows the rest."""

YEAR_COLUMNS = [
    Column("year", "年份", 8),
    *(Column(state, state, 8) for state in SHOWN_STATES),
    Column("total", "合计", 8),
    Column("bar", "到期分布", BAR_WIDTH + 2),
]


def columns_for(width: int) -> list[Column]:
    if width >= WIDE_LAYOUT:
        return ALL_COLUMNS
    return [c for c in ALL_COLUMNS if c.key in NARROW_KEYS]


def due_cell(row: MeasureRow) -> str:
    """完成时间 as the enterprise wrote it; the date when nothing else was written."""
    return row.due_text or row.due_date or ""


def row_cells(row: MeasureRow, columns: list[Column]) -> tuple[str, ...]:
    cells = {
        "enterprise": row.enterprise_name,
        "district": row.district_name,
        "seq": str(row.seq),
        "aspect": row.aspect,
        "indicator": row.indicator,
        "measures": " / ".join(p.strip() for p in row.measures.splitlines() if p.strip()),
        "department": row.department,
        "due": due_cell(row),
        "state": row.shown,
        "done": row.done_date or "",
    }
    return tuple(cells[c.key] for c in columns)


@dataclass(frozen=True)
class Cells:
    """A list's table cells, made where it was read: a city's ~100,000 rows take ~0.4 s,
    a province's several seconds, which the screen's turn would spend with keys waiting."""

    columns: list[Column]
    keys: list[str]
    rows: list[tuple[str, ...]]
    states: list[str]

    @classmethod
    def of(cls, rows: list[MeasureRow], columns: list[Column]) -> Cells:
        return cls(
            columns,
            [row.item_id for row in rows],
            [row_cells(row, columns) for row in rows],
            [row.shown for row in rows],
        )


def due_words(row: MeasureRow, today: date) -> str:
    """How far the 完成时间 is, for a measure not yet done."""
    if row.state == DONE or not row.due_date:
        return ""
    days = (date.fromisoformat(row.due_date) - today).days
    if days < 0:
        return f"已逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"还有 {days} 天"


def measure_detail(row: MeasureRow, today: date) -> Table:
    """The highlighted measure in full: the date as read, the state and note, then the plan
    (last, as it may run to many lines)."""
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    where = Text(f"{row.enterprise_name}（{row.district_name or '未指定辖市区'}）")
    where.append(f"　第 {row.seq} 行　{row.aspect}：{row.indicator}")
    if row.verdict:
        where.append(f"（{row.verdict}）")
    if row.due_date:
        due = row.due_date
        if row.due_text and row.due_text != row.due_date:
            due = f"{row.due_text} → {row.due_date}"
        if row.shown not in (PENDING, NO_MEASURE) and (words := due_words(row, today)):
            due += f"（{words}）"  # a row without a measure is never overdue
    else:
        due = f"{row.due_text}（读不出日期）" if row.due_text else "未填"
    state = Text(row.shown, style="bold red" if row.shown == OVERDUE else "")
    if row.shown == PENDING:
        state.append("：未填提升计划和措施，不算措施（Enter 打开情况表补上）")
    if row.shown == OVERDUE and row.state != NOT_STARTED:
        state.append(f"（{row.state}）")
    if row.done_date:
        state.append(f"　完成日期 {row.done_date}")
    if row.done_note:
        state.append(f"　说明：{row.done_note}")
    for label, value in (
        ("企业 / 项目", where),
        ("落实部门 / 完成时间", Text(f"{row.department or '—'}　{due}")),
        ("落实情况", state),
        ("提升计划和措施", Text(row.measures.strip() or "—")),
    ):
        table.add_row(label, value)
    return table


def year_rows(counts: dict[str, dict[str, int]]) -> tuple[list[str], list[tuple[str, ...]]]:
    """The year-by-year table: one line per year (未定 last), then the totals."""
    keys: list[str] = []
    rows: list[tuple[str, ...]] = []
    biggest = max((sum(c.values()) for c in counts.values()), default=0)
    totals = dict.fromkeys(SHOWN_STATES, 0)
    for year, states in counts.items():
        total = sum(states.values())
        bar = "█" * max(1, round(BAR_WIDTH * total / biggest)) if total else ""
        keys.append(year)
        rows.append((year, *(str(states.get(s, 0)) for s in SHOWN_STATES), str(total), bar))
        for s in SHOWN_STATES:
            totals[s] += states.get(s, 0)
    keys.append(TOTAL_KEY)
    rows.append(("合计", *(str(totals[s]) for s in SHOWN_STATES), str(sum(totals.values())), ""))
    return keys, rows


class MeasureTable(VirtualTable):
    """The list of measures: overdue lines in bold red, done lines dimmed."""

    DEFAULT_CSS = """
    MeasureTable > .measure-table--overdue {
        color: $text-error;
        text-style: bold;
    }
    MeasureTable > .measure-table--done {
        color: $text-muted;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | {
        "measure-table--overdue",
        "measure-table--done",
    }

    def __init__(self, columns: list[Column], *, id: str) -> None:  # noqa: A002
        super().__init__(columns, id=id)
        self.shown_states: list[str] = []
        """The shown state of each row, by index, set with the rows."""

    def set_measures(self, rows: list[MeasureRow], cells: Cells | None = None) -> None:
        """Show ``rows``; ``cells`` when already made for these columns (in a worker)."""
        columns = list(self.columns)
        if cells is None or cells.columns != columns:
            cells = Cells.of(rows, columns)
        self.shown_states = cells.states
        self.set_rows(cells.keys, cells.rows)

    def _row_style(self, index: int, base_style: Style) -> Style:
        """Zebra, then the state's colour, then the cursor (which wins when focused)."""
        style = base_style
        if self.zebra_stripes and index % 2 == 0:
            style += self.get_component_rich_style("virtual-table--even-row")
        shown = self.shown_states[index] if index < len(self.shown_states) else ""
        if shown == OVERDUE:
            style += self._foreground("measure-table--overdue")
        elif shown == DONE:
            style += self._foreground("measure-table--done")
        if index == self.cursor_row:
            style += self.get_component_rich_style("virtual-table--cursor")
        return style

    def _foreground(self, component: str) -> Style:
        """A component's colour and weight, without its background (the zebra stays)."""
        full = self.get_component_rich_style(component)
        return Style(color=full.color, bold=full.bold)


class MeasuresScreen(DuibiaoScreen):
    """Every measure of the active campaign; with a query, the rows a dashboard number counts."""

    CSS_PATH = "measures.tcss"
    AUTO_FOCUS = "#measure-table"
    HELP_TEXT = (
        "提升措施跟踪：各企业情况表中的提升计划和措施、落实部门与完成时间。"
        "状态为 未开始 / 进行中 / 已完成；未完成且完成时间已过的显示为 逾期（红色）。"
        "下方显示光标所在措施的全文、读出的完成日期和完成说明。"
        "f 到筛选栏（辖市区、落实部门、项目、到期、状态；Tab 换下一个，Enter 打开列表）。"
        "d 标记为已完成（填写完成日期与说明；已完成的可修改），p 标记为进行中，"
        "z 改回未开始（已完成的会先确认，因为会清除完成日期）。"
        "Enter 打开该企业的情况表。y 按年份统计到期的措施（随当前筛选），"
        "在某一年上按 Enter 列出该年到期的措施；Esc 清除年份，从总览进入时 Esc 返回总览。"
    )
    BINDINGS = [
        Binding(
            "d",
            "mark_done",
            "完成",
            tooltip="标记为已完成（填写完成日期与说明）",
            id="measure-done",
        ),
        Binding("p", "mark_in_progress", "进行中", tooltip="标记为进行中", id="measure-progress"),
        Binding("z", "mark_not_started", "未开始", tooltip="改回未开始", id="measure-reset"),
        Binding("y", "toggle_years", "按年份", tooltip="按年份统计到期的措施", id="measure-years"),
        Binding(
            "f",
            "focus_filters",
            "筛选",
            tooltip="辖市区、落实部门、项目、到期、状态",
            id="measure-filters",
        ),
        Binding("escape", "back", "返回", id="measure-back"),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    def __init__(self, query: MeasureQuery | None = None, title: str = "") -> None:
        super().__init__()
        self.base_query = query or MeasureQuery()
        """What the screen was opened with; the filter bar changes its filter fields."""
        self.drill_title = title
        self.year: str = str(self.base_query.year) if self.base_query.year else ""
        """A year from the year-by-year view ("2011", or 未定), "" for every year."""
        self.base_query = replace(self.base_query, year=None)
        self.rows: list[MeasureRow] = []
        self.by_id: dict[str, MeasureRow] = {}
        """The rows by item id: the detail panel looks one up on every cursor move."""
        self.showing_years = False
        self.pending = 0
        """Rows 待补 under the filters, read with the list (the count line says them)."""
        self.departments: list[str] = []
        self._layout_wide: bool | None = None
        self._first_page_due = False
        """A worker is reading the first page into an empty table (``waiting_for_rows``)."""
        self._only_first_page = False
        """The table holds the first page while the whole list is read: counts are not said."""

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.base_query == MeasureQuery() and not self.drill_title:
            # The desks' one rule: F3, F4 and F5 open on the officer's default district.
            default = self.duibiao.config.default_district_id
            if default in {d.id for d in self.store.districts()}:
                self.base_query = replace(self.base_query, district_id=default)
        q = self.base_query
        yield TitleBar()
        heading = "提升措施跟踪"
        if self.drill_title:
            heading += f" — {self.drill_title}（Esc 返回）"
        yield Label(heading, id="measure-title", classes="screen-title")
        departments = self.store.measure_departments()
        if q.department and q.department not in departments:
            departments.append(q.department)
        self.departments = departments
        aspects = [*ASPECTS, OTHER_ASPECT]
        if q.aspect and q.aspect not in aspects:
            aspects.append(q.aspect)
        with Horizontal(id="measure-filters"):
            yield self._select(
                "filter-district",
                [(d.name, d.id) for d in self.store.districts()],
                "全部辖市区",
                q.district_id,
                "按企业所在辖市区筛选",
            )
            yield self._select(
                "filter-department",
                [(d, d) for d in departments],
                "全部落实部门",
                q.department,
                "按落实部门筛选",
            )
            yield self._select(
                "filter-aspect", [(a, a) for a in aspects], "全部项目", q.aspect, "按项目筛选"
            )
            yield self._select(
                "filter-due",
                [(d, d) for d in DUE_FILTERS],
                "全部到期",
                q.due,
                "本月到期：完成时间在本月；已逾期：未完成且完成时间已过",
            )
            yield self._select(
                "filter-state",
                [(s, s) for s in STATE_FILTERS],
                "全部状态",
                q.state,
                "按落实情况筛选（逾期 = 未完成且已过完成时间；待补 = 填了落实部门或完成时间"
                "、未填提升计划和措施的行，不算措施）",
            )
        yield Label("", id="measure-count")
        self._layout_wide = self.app.size.width >= WIDE_LAYOUT
        table = MeasureTable(columns_for(self.app.size.width), id="measure-table")
        table.placeholder = "（没有符合条件的提升措施）"
        yield table
        years = VirtualTable(YEAR_COLUMNS, id="year-table")
        years.placeholder = "（没有符合条件的提升措施）"
        years.display = False
        yield years
        with VerticalScroll(id="measure-detail-box"):
            yield Static(id="measure-detail")
        yield KeyFooter()

    @staticmethod
    def _select(
        widget_id: str,
        options: list[tuple[str, str]],
        prompt: str,
        value: str | None,
        tooltip: str,
    ) -> Select[str]:
        known = {v for _, v in options}
        return Select(
            options,
            prompt=prompt,
            value=value if value in known else Select.NULL,
            id=widget_id,
            compact=True,
            tooltip=tooltip,
        )

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        """Back from a dialog, another desk or an enterprise's page: the figures may have moved."""
        if self.is_mounted:
            self.refresh_departments()
            self.reload()

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE_LAYOUT
        if wide != self._layout_wide:
            self._layout_wide = wide
            self.query_one(MeasureTable).set_columns(columns_for(event.size.width))
            self.reload()

    # -- data ------------------------------------------------------------------------

    @property
    def query_state(self) -> MeasureQuery:
        """The opening query with the filter bar's values (and the year picked, if any)."""
        year = int(self.year) if self.year.isdigit() else None
        return replace(self.filter_query(), year=year)

    def filter_query(self) -> MeasureQuery:
        def value(widget_id: str) -> str:
            v = self.query_one(f"#{widget_id}", Select).value
            return v if isinstance(v, str) else ""

        return replace(
            self.base_query,
            district_id=value("filter-district") or None,
            department=value("filter-department"),
            aspect=value("filter-aspect"),
            due=value("filter-due"),
            state=value("filter-state"),
        )

    def fetch(self, query: MeasureQuery, store: Store | None = None) -> list[MeasureRow]:
        rows = (store or self.store).measures(query)
        if self.year == UNDATED and query.year is None:
            rows = [r for r in rows if r.due_date is None]
        return rows

    def reload(self, *, keep: str | None = None) -> None:
        """Query the store for the current filters and show the list or the year view.

        A city's list (tens of thousands of measures, ~1 s to read) is read in a worker
        thread on a connection of its own, so the screen stays responsive; a district's
        is read at once.
        """
        table = self.query_one(MeasureTable)
        keep = keep or table.cursor_key
        query = self.filter_query() if self.showing_years else self.query_state
        if self.store.path is not None and self.store.measure_count(query) > READ_IN_BACKGROUND:
            self.query_one("#measure-count", Label).update("正在读取措施…")
            self._first_page_due = not self.showing_years and self.year != UNDATED
            self._read_in_background(
                query, keep, self.showing_years, self.store.generation(), list(table.columns)
            )
            return
        years = self.showing_years
        rows = self.store.measures(query) if years else self.fetch(query)
        self._show_rows(rows, keep, years, self.pending_of(query))

    def pending_of(self, query: MeasureQuery, store: Store | None = None) -> int:
        """The rows 待补 under the filters (said beside the count; none in a drill-down
        that lists every row, where they are listed)."""
        if query.all_rows or query.state == PENDING:
            return 0
        return (store or self.store).pending_count(query)

    @work(thread=True, exclusive=True, group="measures-read")
    def _read_in_background(
        self,
        query: MeasureQuery,
        keep: str | None,
        years: bool,
        generation: int,
        columns: list[Column],
    ) -> None:
        """The first page first (``first_measures``: along an index, ~0.1 s even for a
        province), then the whole list (~1 s for a city, a minute for a province), each
        shown as it comes."""
        from duibiao_tui.store.store import Store

        assert self.store.path is not None
        worker = get_current_worker()
        reader = Store.open(self.store.path, clock=self.store.clock, quick_check=False)
        try:
            if not years and self.year != UNDATED:
                first = reader.first_measures(query, FIRST_PAGE)
                if not worker.is_cancelled:
                    self.app.call_from_thread(self._show_first_page, first, keep)
            rows = reader.measures(query) if years else self.fetch(query, reader)
            pending = self.pending_of(query, reader)
        finally:
            reader.close()
        cells = None if years else Cells.of(rows, columns)
        if not worker.is_cancelled:
            self.app.call_from_thread(
                self._show_read_rows, rows, cells, keep, years, pending, generation
            )

    def waiting_for_rows(self) -> bool:
        """Keys typed while the first page is on its way wait for it (a burst ``F5 ↓ ↓``
        moved the cursor of the empty table, and the first page came up on row 1)."""
        return self._first_page_due and any(
            w.group == "measures-read" and not w.is_finished for w in self.workers
        )

    def _show_first_page(self, rows: list[MeasureRow], keep: str | None) -> None:
        """The head of the list while the rest is read: browsable, marked as partial."""
        self._first_page_due = False
        if self.showing_years:
            return
        self._fill_table(rows, keep)
        self._only_first_page = len(rows) == FIRST_PAGE
        if self._only_first_page:
            self.update_count(rows)

    def _show_read_rows(
        self,
        rows: list[MeasureRow],
        cells: Cells | None,
        keep: str | None,
        years: bool,
        pending: int,
        generation: int,
    ) -> None:
        """The whole list from the worker — unless a change was saved while it was read
        (a measure marked on the first page): then it is read again, the change in it."""
        table = self.query_one(MeasureTable)
        if self.store.generation() != generation:
            self.reload(keep=table.cursor_key or keep)
            return
        self._show_rows(rows, table.cursor_key or keep, years, pending, cells)

    def _show_rows(
        self,
        rows: list[MeasureRow],
        keep: str | None,
        years: bool,
        pending: int,
        cells: Cells | None = None,
    ) -> None:
        self.pending = pending
        self._first_page_due = self._only_first_page = False
        if years != self.showing_years:
            return  # the view changed while reading; its own reload follows
        if years:
            self.show_years(rows)
            return
        self._fill_table(rows, keep, cells)
        self.update_count(self.rows)

    def _fill_table(
        self, rows: list[MeasureRow], keep: str | None, cells: Cells | None = None
    ) -> None:
        """``rows`` in the table, the cursor on ``keep`` when it is among them, its detail
        below."""
        table = self.query_one(MeasureTable)
        self.rows = rows
        self.by_id = {r.item_id: r for r in rows}
        table.set_measures(rows, cells)
        if keep:
            table.move_cursor_to_key(keep)
        self.show_detail(table.cursor_key)

    def refresh_row(self, row: MeasureRow) -> bool:
        """After a change to one measure: read that enterprise's matching rows only (fast at
        any scale) and update or drop the row; returns whether it still matches."""
        fresh = {
            r.item_id: r
            for r in self.fetch(replace(self.query_state, enterprise_id=row.enterprise_id))
        }
        index = next((i for i, r in enumerate(self.rows) if r.item_id == row.item_id), None)
        if index is None:
            return False
        table = self.query_one(MeasureTable)
        new = fresh.get(row.item_id)
        if new is not None:
            self.rows[index] = self.by_id[new.item_id] = new
        else:
            del self.rows[index]
            self.by_id.pop(row.item_id, None)
        table.set_measures(self.rows)
        if new is not None:
            table.move_cursor_to_key(new.item_id)
        elif self.rows:
            table.move_cursor_to_key(self.rows[min(index, len(self.rows) - 1)].item_id)
        self.show_detail(table.cursor_key)
        self.update_count(self.rows)
        return new is not None

    def show_years(self, rows: list[MeasureRow]) -> None:
        """Years x states of every year's measures under the current filters."""
        years = self.query_one("#year-table", VirtualTable)
        keep = years.cursor_key
        without = sum(1 for r in rows if r.shown not in SHOWN_STATES)
        rows = [r for r in rows if r.shown in SHOWN_STATES]  # only measures fall due
        keys, cells = year_rows(by_year(rows))
        years.set_rows(keys, cells)
        if keep:
            years.move_cursor_to_key(keep)
        self.query_one("#measure-detail", Static).update(
            Text(
                "按完成时间所在年份统计（随上方筛选）；未填完成时间的计入「未定」。"
                + (f"另有 {without} 行没有提升计划和措施，不计入。" if without else "")
                + "Enter 列出该年到期的措施，y 或 Esc 返回列表。",
                style="italic",
            )
        )
        self.update_count(rows)

    def update_count(self, rows: list[MeasureRow]) -> None:
        """共 N 条，逾期 M 条 — and the rows 待补 under the same filters, which are not
        among the N (how to list them is said). Of a first page, only that it is one."""
        if self._only_first_page and not self.showing_years:
            text = f"先显示前 {FIRST_PAGE} 条，正在读取其余措施…"
            self.query_one("#measure-count", Label).update(text)
            return
        prefix = "按年份　" if self.showing_years else ""
        query = self.filter_query()
        if query.state == PENDING and not self.showing_years:
            text = f"待补 {len(rows)} 行：填了落实部门或完成时间、未填提升计划和措施（不算措施）"
            self.query_one("#measure-count", Label).update(text)
            return
        overdue = sum(1 for r in rows if r.shown == OVERDUE)
        text = f"{prefix}共 {len(rows)} 条，逾期 {overdue} 条"
        if self.pending:
            text += f"；另有 {self.pending} 行待补（未填措施，状态筛选「待补」列出）"
        if self.year and not self.showing_years:
            when = "未填完成时间" if self.year == UNDATED else f"{self.year} 年到期"
            text += f"　·　{when}（Esc 显示全部年份）"
        self.query_one("#measure-count", Label).update(text)

    def refresh_departments(self) -> None:
        """Departments typed on a page since the screen was built join the filter."""
        select: Select[str] = self.query_one("#filter-department", Select)
        value = select.value
        departments = self.store.measure_departments()
        if isinstance(value, str) and value not in departments:
            departments.append(value)
        if departments == self.departments:
            return
        self.departments = departments
        with select.prevent(Select.Changed):
            select.set_options([(d, d) for d in departments])
            if isinstance(value, str):
                select.value = value

    def current(self) -> MeasureRow | None:
        key = self.query_one(MeasureTable).cursor_key
        return self.by_id.get(key) if key else None

    def show_detail(self, key: str | None) -> None:
        row = self.by_id.get(key) if key else None
        detail = self.query_one("#measure-detail", Static)
        detail.update(measure_detail(row, self.store.today()) if row else "")

    @on(VirtualTable.RowHighlighted, "#measure-table")
    def highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        if not self.showing_years:
            self.show_detail(event.key)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id and event.select.id.startswith("filter-") and self.is_mounted:
            self.reload()

    # -- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No marking in the year view; Esc is listed only when it has somewhere to go."""
        if self.showing_years and action in {"mark_done", "mark_in_progress", "mark_not_started"}:
            return False
        if action == "back":
            return self.showing_years or bool(self.year) or self.pushed or not self._on_table()
        return True

    @property
    def pushed(self) -> bool:
        """Opened on top of another screen (a dashboard drill-down) rather than as F5."""
        stack = self.app.screen_stack
        return self in stack and stack.index(self) > 0

    def _on_table(self) -> bool:
        focused = self.focused
        return isinstance(focused, VirtualTable) and focused.display

    def _selected(self) -> MeasureRow | None:
        row = self.current()
        if row is None:
            self.notify("列表中没有措施", severity="warning")
        elif row.shown in (PENDING, NO_MEASURE):
            self.notify(
                f"「{row.enterprise_name}」第 {row.seq} 行还没有提升计划和措施："
                "按 Enter 打开情况表补上，再跟踪落实情况",
                severity="warning",
            )
            return None
        return row

    def action_mark_done(self) -> None:
        row = self._selected()
        if row is None:
            return
        from duibiao_tui.screens.measure_dialog import MeasureDialog

        def closed(saved: bool | None) -> None:
            if saved:
                self.after_change(row, DONE)

        self.app.push_screen(MeasureDialog(row), closed)

    def action_mark_in_progress(self) -> None:
        self.change_state(IN_PROGRESS)

    def action_mark_not_started(self) -> None:
        self.change_state(NOT_STARTED)

    def change_state(self, state: str) -> None:
        """进行中 / 未开始; asks first when the measure was done (its date would be lost)."""
        row = self._selected()
        if row is None:
            return
        if row.state == state:
            self.notify(f"该措施已是「{state}」")
            return
        if row.state != DONE:
            self.save_state(row, state)
            return
        from duibiao_tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.save_state(row, state)

        self.app.push_screen(
            ConfirmDialog(
                f"「{row.enterprise_name}」第 {row.seq} 行已于 {row.done_date} 完成。"
                f"改为「{state}」会清除完成日期（说明保留）。继续？",
                confirm_label=f"改为{state}",
                danger=True,
            ),
            answered,
        )

    def save_state(self, row: MeasureRow, state: str) -> None:
        try:
            update = validate_measure_update(state, "", row.done_note, today=self.store.today())
            self.store.set_measure_state(row.item_id, update)
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.after_change(row, state)

    def after_change(self, row: MeasureRow, state: str) -> None:
        still = self.refresh_row(row)
        gone = "" if still else "（已不符合当前筛选）"
        self.notify(
            f"「{row.enterprise_name}」第 {row.seq} 行：{state}{gone}", title="已更新落实情况"
        )

    @on(VirtualTable.RowSelected, "#measure-table")
    def open_enterprise(self, event: VirtualTable.RowSelected) -> None:
        row = self.by_id.get(event.key)
        if row is not None:
            self.duibiao.open_enterprise(row.enterprise_id)

    @on(VirtualTable.RowSelected, "#year-table")
    def pick_year(self, event: VirtualTable.RowSelected) -> None:
        self.year = "" if event.key == TOTAL_KEY else event.key
        self.set_view(years=False)

    def action_toggle_years(self) -> None:
        self.set_view(years=not self.showing_years)

    def set_view(self, *, years: bool) -> None:
        self.showing_years = years
        table = self.query_one(MeasureTable)
        year_table = self.query_one("#year-table", VirtualTable)
        table.display = not years
        year_table.display = years
        self.reload()
        if years and self.year:
            year_table.move_cursor_to_key(self.year)  # where the officer came from
        self.set_focus(year_table if years else table)
        self.refresh_bindings()

    def action_focus_filters(self) -> None:
        self.set_focus(self.query_one("#filter-district", Select))

    def action_back(self) -> None:
        """Esc: out of the filters, then out of the year view, then the year, then back."""
        table = self.query_one("#year-table" if self.showing_years else "#measure-table")
        if self.focused is not table:
            self.set_focus(table)
        elif self.showing_years:
            self.set_view(years=False)
        elif self.year:
            self.year = ""
            self.reload()
            self.refresh_bindings()
        elif self.pushed:
            self.dismiss(None)
