"""The dashboard (F2, the home screen): the active campaign at a glance.

Days to the deadline; enterprises by district and review status (a table and a stacked bar
chart); rows by aspect with their verdicts; overdue measures by district and department;
enterprises promoted and recommended. Every number is a cell of a table: the officer moves
the cell cursor onto it and presses Enter to list what is behind it (the review desk or the
measures screen with the filter applied).

The first paint costs one ``store.dashboard()`` call (a handful of GROUP BYs over covering
indexes) and light line-drawn tables (widgets/figure_table.py); the screens a number opens
are imported when it is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.geometry import Size
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

from duibiao_tui.domain.campaigns import days_left, deadline_words
from duibiao_tui.domain.reference import (
    ASPECTS,
    OTHER_ASPECT,
    RECOGNITION_KINDS,
    REVIEW_STATUSES,
    VERDICTS,
    ReviewStatus,
)
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.widgets.bar_chart import StackedBarChart
from duibiao_tui.widgets.figure_table import TOTAL_KEY, FigureTable
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from duibiao_tui.domain.measures import MeasureQuery
    from duibiao_tui.domain.review import ReviewQuery
    from duibiao_tui.store.dashboard_memory import DashboardFigures

W = TypeVar("W", bound=Widget)

__all__ = ["DashboardScreen", "Drill", "FigureTable", "Headline", "STATUS_COLOURS"]

TOTAL = TOTAL_KEY
"""Row / column key of the 合计 cells (they drop that filter)."""
NO_VERDICT = "未定"
"""The aspect table's column of rows without a verdict: 领先 + 持平 + 落后 + 未定 = 行数
(``domain.measures.NO_VERDICT``, not imported: the dashboard's first paint is measured)."""
VERDICT_COLUMNS = (*VERDICTS, NO_VERDICT)
LABEL = "__label__"
"""Column key of a table's first (label) column; Enter there opens the row's total."""
TEXT_COLUMNS = (LABEL, "department")
"""Columns of words (left-aligned); the others hold numbers (right-aligned)."""
NO_DISTRICT_KEY = "__none__"
"""Row key of enterprises without a 辖市区 (DataTable keys must be strings)."""
COUNT_IN_BACKGROUND = 20_000
"""Databases that ever held more rows than this are counted in a worker thread."""
WIDE = 110
"""From this many columns on, tables and the chart sit side by side."""
TABLE_MAX_HEIGHT = 17
"""Lines of a table (its title, header and 合计 included) before its rows scroll."""
TABLE_MIN_HEIGHT = 6
DEADLINE_NEAR = 7
"""Days before the deadline from which the headline turns to a warning."""

STATUS_COLOURS: dict[str, str] = {
    "未报送": "#8a8f98",
    "已报送": "#3b82f6",
    "审核中": "#eab308",
    "已通过": "#22c55e",
    "退回修改": "#ef4444",
    "已修改": "#a855f7",
}
"""One colour per review status, shared by the bar chart and its legend."""

RECOGNITION_LABELS = {"推介": "推介（好案例宣传）", "推荐申报": "推荐申报省质量奖"}
BLANK_DEPARTMENT = "（未填）"


CAMPAIGN = "headline--campaign"
DEADLINE = "headline--deadline"
SUMMARY = "headline--summary"


class Headline(Widget):
    """The campaign and the days to its deadline (side by side from ``WIDE`` columns on, one
    under the other below), then the summary of the figures; each part wrapped as a Label
    wraps it. One widget drawn line by line: as three Labels in a row container they were
    four widgets for Textual to compose, style and lay out in the home screen's first frame.
    The deadline's colour follows the classes ``-near`` and ``-past``; the mouse selects and
    copies its words as it did the Labels'."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {CAMPAIGN, DEADLINE, SUMMARY}

    def __init__(self, *, id: str) -> None:  # noqa: A002 - Textual's widget signature
        super().__init__(id=id)
        self.campaign = ""
        self.deadline = ""
        self.summary = ""
        self._lines: tuple[tuple[object, ...], list[list[tuple[str, str]]]] = ((), [])

    def show(
        self,
        *,
        campaign: str | None = None,
        deadline: str | None = None,
        summary: str | None = None,
    ) -> None:
        """Change the parts given; the others stay (a reload that finds the same words
        lays nothing out again)."""
        before = (self.campaign, self.deadline, self.summary)
        if campaign is not None:
            self.campaign = campaign
        if deadline is not None:
            self.deadline = deadline
        if summary is not None:
            self.summary = summary
        if (self.campaign, self.deadline, self.summary) != before:
            self.refresh(layout=True)

    def lines(self, width: int) -> list[list[tuple[str, str]]]:
        """Each line at ``width`` cells (the content's): its words with the part they are
        of (a component class; "" for the gap before the deadline)."""
        key = (width, self.styles.gutter.width, self.campaign, self.deadline, self.summary)
        if self._lines[0] != key:
            self._lines = (key, self._arrange(width))
        return self._lines[1]

    def _arrange(self, width: int) -> list[list[tuple[str, str]]]:
        gap = width - cell_len(self.campaign) - cell_len(self.deadline)
        if width + self.styles.gutter.width >= WIDE and gap >= 2:
            top = [[(self.campaign, CAMPAIGN), (" " * gap, ""), (self.deadline, DEADLINE)]]
        else:
            top = self._wrapped(self.campaign, CAMPAIGN, width)
            top += self._wrapped(self.deadline, DEADLINE, width)
        return top + self._wrapped(self.summary, SUMMARY, width)

    @staticmethod
    def _wrapped(words: str, part: str, width: int) -> list[list[tuple[str, str]]]:
        return [[(line.plain, part)] for line in Content(words).wrap(max(width, 1))]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        base = self.rich_style
        lines = self.lines(width)
        if y >= len(lines):
            return Strip.blank(width, base)
        line = Text.assemble(
            *(
                (words, base + self.get_component_rich_style(part) if part else base)
                for words, part in lines[y]
            )
        )
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            line.stylize(
                self.screen.get_component_rich_style("screen--selection"),
                start,
                len(line) if end == -1 else end,
            )
        strip = Strip(line.render(self.app.console), line.cell_len)
        return strip.crop_extend(0, width, base).apply_offsets(0, y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The words as they are drawn, line by line."""
        lines = self.lines(self.content_size.width)
        return selection.extract("\n".join("".join(w for w, _ in line) for line in lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()


@dataclass(frozen=True)
class Drill:
    """What a number of the dashboard opens. Exactly one of the targets is set."""

    count: int
    review: ReviewQuery | None = None
    """Open the review desk with this filter."""
    no_district_status: str | None = None
    """Open the review desk on the enterprises without a district (in this status, or all
    when ""): the desk's filter cannot say "no district", so their ids are listed."""
    recognition: str | None = None
    """Open the review desk on the enterprises with a recognition of this kind."""
    measures: MeasureQuery | None = None
    """Open the measures screen with this filter."""
    title: str = ""
    caveat: str = ""
    """Shown when the filter opened is wider than the number (a blank department)."""


def number(n: int, *, bold: bool = False) -> Text:
    """A count, right-aligned; zero is shown dim so the non-zero ones stand out."""
    if n == 0:
        return Text("0", style="dim", justify="right")
    return Text(str(n), style="bold" if bold else "", justify="right")


def label(text: str, *, bold: bool = False) -> Text:
    return Text(text, style="bold" if bold else "")


def aspect_order(figures: DashboardFigures) -> list[str]:
    """The notice's twelve aspects in its order, then 其他 when a row uses it."""
    aspects = list(ASPECTS)
    if figures.items_by_aspect.get(OTHER_ASPECT):
        aspects.append(OTHER_ASPECT)
    return aspects


def summary_line(figures: DashboardFigures) -> str:
    """'企业6家：已通过2、退回修改1 · 对标项目10行 · 逾期措施3项'.

    No spaces inside a part, so a narrow screen wraps only between the parts."""
    statuses = "、".join(
        f"{s}{figures.status_total(s)}" for s in REVIEW_STATUSES if figures.status_total(s)
    )
    parts = [f"企业{figures.enterprises}家" + (f"：{statuses}" if statuses else "")]
    parts.append(f"对标项目{sum(figures.items_by_aspect.values())}行")
    parts.append(f"逾期措施{sum(n for *_, n in figures.overdue)}项")
    if figures.pending:
        parts.append(f"措施待补{figures.pending}行")
    carried = figures.progress.get("carried", 0)
    if carried:
        behind, improved = figures.progress["behind_before"], figures.progress["improved"]
        parts.append(f"上年结转{carried}行：落后{behind}行中{improved}行已持平或领先")
    return " · ".join(parts)


class DashboardScreen(DuibiaoScreen):
    """The active campaign's figures; Enter on a number opens the rows behind it."""

    CSS_PATH = "dashboard.tcss"
    AUTO_FOCUS = "#status-table"
    HELP_TEXT = (
        "总览：当前活动的进度。上方是活动名称、文号和距报送截止的天数；下面各表的每个数字都能打开——"
        "用方向键把光标移到数字上按 Enter：辖市区×审核状态 的数字打开审核台（已按该辖市区和状态筛选，"
        "「合计」一行或一列表示不限）；按项目的 行数/领先/持平/落后 打开这些对标项目；"
        "逾期措施打开措施跟踪（该辖市区、落实部门的逾期措施）；推介、推荐申报打开这些企业。"
        "Tab / Shift+Tab 在各表之间移动。c 管理活动：新建下一年的活动、切换当前活动、"
        "把未完成的措施带入新活动。r 刷新（从其他屏幕回来时会自动刷新）。"
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "campaigns", "活动", tooltip="新建、切换活动，带入未完成措施", id="dash-c"),
        Binding("r", "reload", "刷新", tooltip="重新统计", id="dash-refresh"),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.figures: DashboardFigures | None = None
        self._updating = False
        """The figures shown are the ones last remembered, and are being counted again."""
        self._reload_queued = False
        self._parts: dict[str | None, Widget] = {}

    def compose(self) -> ComposeResult:
        # Side by side or stacked from the start: a class changed after the first layout
        # restyles every widget of the screen (~15 ms of the first frame).
        self.set_class(self.app.size.width >= WIDE, "-wide")
        headline = Headline(id="dash-headline")
        # Each section's title is the first line of its table or chart: a Label and a
        # container more per section were ~5 ms of CPU of the first frame.
        status = self._table("status-table", "企业报送与审核（辖市区 × 状态）")
        chart = StackedBarChart(
            REVIEW_STATUSES,
            STATUS_COLOURS,
            heading="审核状态分布",
            id="status-chart",
        )
        aspects = self._table("aspect-table", "对标项目与对比结果（按项目）")
        overdue = self._table("overdue-table", "逾期措施（辖市区 × 落实部门）")
        recognitions = self._table("recognition-table", "推介与推荐申报")
        self._parts = {
            part.id: part for part in (headline, status, chart, aspects, overdue, recognitions)
        }
        self._show_remembered()
        yield TitleBar()
        yield headline
        with VerticalScroll(id="dash-body", can_focus=False):
            with Horizontal(classes="dash-row"):
                yield status
                yield chart
            with Horizontal(classes="dash-row"):
                yield aspects
                with Vertical(id="dash-side"):
                    yield overdue
                    yield recognitions
        yield KeyFooter()

    @staticmethod
    def _table(table_id: str, heading: str) -> FigureTable:
        return FigureTable(id=table_id, text_columns=TEXT_COLUMNS, heading=heading)

    def _show_remembered(self) -> None:
        """The figures last counted go into the widgets before they are first drawn:
        counting a city takes longer than the whole start-up, and in a real terminal the
        first frame can come before the screen's ``on_mount`` (the driver's first resize
        draws it: the figures came ~20 ms after the skeleton). ``reload`` then counts
        again if they are not current."""
        try:
            remembered = self.store.remembered_dashboard()
        except DuibiaoError:
            return
        if remembered is not None:
            self.show(remembered.figures, updating=not remembered.current)

    def _part(self, part_id: str, kind: type[W]) -> W:
        """One of the widgets showing the figures: built in ``compose`` and kept, so that
        they can be filled before they are mounted."""
        widget = self._parts[part_id]
        assert isinstance(widget, kind)
        return widget

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")
        self.call_after_refresh(self.fit_tables)

    def fit_tables(self) -> None:
        """No table (with the line above its title) taller than the body's window: a long
        one scrolls inside itself, so its title, the cursor row and its 合计 stay in view
        however small the terminal."""
        window = self.query_one("#dash-body", VerticalScroll).scrollable_content_region.height
        for table in self.query(FigureTable):
            room = max(TABLE_MIN_HEIGHT, min(TABLE_MAX_HEIGHT, window - table.styles.margin.top))
            if getattr(table.styles.max_height, "value", None) != room:
                table.styles.max_height = room

    def on_screen_resume(self) -> None:
        """Shown first or again: other screens (and the campaign dialog) change the data.

        Textual resumes a mode's screen twice on its first visit; the reload is queued
        once, so the first paint costs a single ``store.dashboard()``."""
        if not self._reload_queued:
            self._reload_queued = True
            self.call_later(self._queued_reload)

    def _queued_reload(self) -> None:
        self._reload_queued = False
        self.reload()

    def action_reload(self) -> None:
        self.reload(force=True)
        self.notify("已重新统计", timeout=2)

    # -- figures --------------------------------------------------------------------------

    def reload(self, *, force: bool = False) -> None:
        """Count and show. Figures remembered at the file's current data generation are
        shown without counting (unless ``force``: the r key). A city's counts (~100,000
        rows, 0.1–0.2 s) are made in a worker thread on a connection of its own, so the
        screen paints and answers at once."""
        if not force:
            try:
                remembered = self.store.remembered_dashboard()
            except DuibiaoError:
                remembered = None
            if remembered is not None and remembered.current:
                self.show(remembered.figures)
                return
        if self.store.path is not None and self.store.rows_ever() > COUNT_IN_BACKGROUND:
            if self.figures is not None:
                self._show_updating()
            else:
                campaign = self.store.active_campaign()
                self._part("dash-headline", Headline).show(
                    campaign=campaign.name, summary="正在统计…"
                )
            self._count_in_background(force)
            return
        try:
            figures = self.store.dashboard()
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.show(figures, force=force)

    @work(thread=True, exclusive=True, group="dashboard-count")
    def _count_in_background(self, force: bool) -> None:
        from duibiao_tui.store.store import Store

        assert self.store.path is not None
        reader = Store.open(self.store.path, clock=self.store.clock, quick_check=False)
        try:
            figures = reader.dashboard()
        except DuibiaoError as error:
            self.app.call_from_thread(self.show_error, error)
            return
        finally:
            reader.close()
        self.app.call_from_thread(self.show, figures, force=force)

    def show(
        self, figures: DashboardFigures, *, force: bool = False, updating: bool = False
    ) -> None:
        """Put ``figures`` on screen; ``updating``: they are being counted again."""
        if figures == self.figures and not force and updating == self._updating:
            return
        self.figures = figures
        self._updating = updating
        self.show_headline(figures)
        self.fill_status(figures)
        self.fill_aspects(figures)
        self.fill_overdue(figures)
        self.fill_recognitions(figures)

    def show_headline(self, figures: DashboardFigures) -> None:
        campaign = figures.campaign
        title = campaign.name + (f"（{campaign.doc_number}）" if campaign.doc_number else "")
        headline = self._part("dash-headline", Headline)
        headline.show(campaign=title, deadline=deadline_words(campaign.deadline, figures.today))
        days = days_left(campaign.deadline, figures.today)
        headline.set_class(days is not None and days < 0, "-past")
        headline.set_class(days is not None and 0 <= days <= DEADLINE_NEAR, "-near")
        self._show_summary()

    def _show_summary(self) -> None:
        if self.figures is None:
            return
        words = summary_line(self.figures)
        if self._updating:
            words += " · 正在更新…"
        self._part("dash-headline", Headline).show(summary=words)

    def _show_updating(self) -> None:
        """The figures on screen stay while they are counted again, and say so."""
        if not self._updating:
            self._updating = True
            self._show_summary()

    def fill_status(self, figures: DashboardFigures) -> None:
        columns = [(LABEL, "辖市区"), *((s, s) for s in REVIEW_STATUSES), (TOTAL, "合计")]
        rows: list[tuple[str, list[Text]]] = []
        bars: list[tuple[str, list[int]]] = []
        for district_id, name in figures.districts:
            counts = figures.status_by_district.get(district_id, {})
            values = [counts.get(s, 0) for s in REVIEW_STATUSES]
            rows.append(
                (
                    district_id or NO_DISTRICT_KEY,
                    [label(name), *map(number, values), number(sum(values), bold=True)],
                )
            )
            bars.append((name, values))
        totals = [figures.status_total(s) for s in REVIEW_STATUSES]
        rows.append(
            (
                TOTAL,
                [
                    label("合计", bold=True),
                    *(number(n, bold=True) for n in totals),
                    number(sum(totals), bold=True),
                ],
            )
        )
        self._part("status-table", FigureTable).fill(columns, rows)
        self._part("status-chart", StackedBarChart).set_data(REVIEW_STATUSES, bars)

    def fill_aspects(self, figures: DashboardFigures) -> None:
        columns = [(LABEL, "项目"), (TOTAL, "行数"), *((v, v) for v in VERDICT_COLUMNS)]
        rows: list[tuple[str, list[Text]]] = []
        for aspect in aspect_order(figures):
            rows.append(
                (
                    aspect,
                    [
                        label(aspect),
                        number(figures.items_by_aspect.get(aspect, 0), bold=True),
                        *(number(self._verdict_count(figures, aspect, v)) for v in VERDICT_COLUMNS),
                    ],
                )
            )
        rows.append(
            (
                TOTAL,
                [
                    label("合计", bold=True),
                    number(sum(figures.items_by_aspect.values()), bold=True),
                    *(number(self._verdict_total(figures, v), bold=True) for v in VERDICT_COLUMNS),
                ],
            )
        )
        self._part("aspect-table", FigureTable).fill(columns, rows)

    @staticmethod
    def _verdict_count(figures: DashboardFigures, aspect: str, verdict: str) -> int:
        """An aspect's rows with ``verdict``; 未定: the rows without one."""
        verdicts = figures.verdicts_by_aspect.get(aspect, {})
        if verdict == NO_VERDICT:
            return figures.items_by_aspect.get(aspect, 0) - sum(verdicts.values())
        return verdicts.get(verdict, 0)

    @classmethod
    def _verdict_total(cls, figures: DashboardFigures, verdict: str) -> int:
        return sum(cls._verdict_count(figures, a, verdict) for a in figures.items_by_aspect)

    def fill_overdue(self, figures: DashboardFigures) -> None:
        columns = [(LABEL, "辖市区"), ("department", "落实部门"), (TOTAL, "逾期")]
        rows: list[tuple[str, list[Text]]] = [
            (
                str(index),
                [label(district), label(department or BLANK_DEPARTMENT), number(n, bold=True)],
            )
            for index, (_id, district, department, n) in enumerate(figures.overdue)
        ]
        total = sum(n for *_, n in figures.overdue)
        rows.append((TOTAL, [label("合计", bold=True), label(""), number(total, bold=True)]))
        self._part("overdue-table", FigureTable).fill(columns, rows)

    def fill_recognitions(self, figures: DashboardFigures) -> None:
        columns = [(LABEL, "类别"), (TOTAL, "企业数")]
        rows: list[tuple[str, list[Text]]] = [
            (kind, [label(RECOGNITION_LABELS.get(kind, kind)), number(n, bold=True)])
            for kind in RECOGNITION_KINDS
            for n in [figures.recognitions.get(kind, 0)]
        ]
        self._part("recognition-table", FigureTable).fill(columns, rows)

    # -- drill-down -----------------------------------------------------------------------

    def drill_for(self, table_id: str, row_key: str, column_key: str) -> Drill | None:
        """What the number at (row, column) of a table stands for; None for a label."""
        figures = self.figures
        if figures is None:
            return None
        if table_id == "status-table":
            return self._status_drill(figures, row_key, column_key)
        if table_id == "aspect-table":
            return self._aspect_drill(figures, row_key, column_key)
        if table_id == "overdue-table":
            return self._overdue_drill(figures, row_key)
        if table_id == "recognition-table":
            kind = row_key
            return Drill(
                figures.recognitions.get(kind, 0),
                recognition=kind,
                title=RECOGNITION_LABELS.get(kind, kind),
            )
        return None

    def _status_drill(self, figures: DashboardFigures, row_key: str, column_key: str) -> Drill:
        from duibiao_tui.domain.review import ReviewQuery

        status = None if column_key in (TOTAL, LABEL) else ReviewStatus(column_key)
        if row_key == TOTAL:
            count = figures.status_total(status) if status else figures.enterprises
            return Drill(count, review=ReviewQuery(status=status), title=status or "全部企业")
        district_id = None if row_key == NO_DISTRICT_KEY else row_key
        counts = figures.status_by_district.get(district_id, {})
        count = counts.get(status, 0) if status else sum(counts.values())
        name = dict(figures.districts).get(district_id, "")
        title = f"{name} · {status}" if status else name
        if district_id is None:
            return Drill(count, no_district_status=status or "", title=title)
        return Drill(count, review=ReviewQuery(district_id=district_id, status=status), title=title)

    def _aspect_drill(self, figures: DashboardFigures, row_key: str, column_key: str) -> Drill:
        from duibiao_tui.domain.measures import MeasureQuery

        aspect = "" if row_key == TOTAL else row_key
        verdict = column_key if column_key in VERDICT_COLUMNS else ""
        if aspect:
            count = (
                self._verdict_count(figures, aspect, verdict)
                if verdict
                else figures.items_by_aspect.get(aspect, 0)
            )
        else:
            count = (
                self._verdict_total(figures, verdict)
                if verdict
                else sum(figures.items_by_aspect.values())
            )
        title = " · ".join(p for p in (aspect or "全部项目", verdict) if p)
        return Drill(
            count,
            measures=MeasureQuery(aspect=aspect, verdict=verdict, all_rows=True),
            title=f"对标项目：{title}",
        )

    def _overdue_drill(self, figures: DashboardFigures, row_key: str) -> Drill | None:
        from duibiao_tui.domain.measures import DUE_OVERDUE, MeasureQuery

        if row_key == TOTAL:
            return Drill(
                sum(n for *_, n in figures.overdue),
                measures=MeasureQuery(due=DUE_OVERDUE),
                title="逾期措施：全部",
            )
        try:
            district_id, district, department, n = figures.overdue[int(row_key)]
        except (ValueError, IndexError):
            return None
        caveats = []
        if district_id is None:
            caveats.append("未填辖市区")
        if not department:
            caveats.append("未填落实部门")
        caveat = (
            f"{'、'.join(caveats)}的措施无法单独筛选，列出的是放宽这一条件后的全部逾期措施"
            if caveats
            else ""
        )
        return Drill(
            n,
            measures=MeasureQuery(district_id=district_id, department=department, due=DUE_OVERDUE),
            title=f"逾期措施：{district} · {department or BLANK_DEPARTMENT}",
            caveat=caveat,
        )

    @on(FigureTable.CellSelected)
    def open_cell(self, event: FigureTable.CellSelected) -> None:
        event.stop()
        table = event.table
        if table.id is None:
            return
        row_key, column_key = event.row_key, event.column_key
        drill = self.drill_for(table.id, row_key, column_key)
        if drill is not None:
            self.open_drill(drill)

    def open_drill(self, drill: Drill) -> None:
        """Push the screen listing what ``drill`` counts (the target screens load lazily)."""
        if drill.count == 0:
            self.notify(f"{drill.title}：没有记录", timeout=3)
            return
        if drill.caveat:
            self.notify(drill.caveat, severity="warning", timeout=6)
        if drill.measures is not None:
            from duibiao_tui.screens.measures import MeasuresScreen

            self.app.push_screen(MeasuresScreen(query=drill.measures, title=drill.title))
            return
        from duibiao_tui.screens.review import ReviewDeskScreen

        if drill.review is not None:
            self.app.push_screen(ReviewDeskScreen(query=drill.review))
        elif drill.recognition is not None:
            ids = self.store.recognised_enterprises(drill.recognition)
            self.app.push_screen(ReviewDeskScreen(enterprise_ids=ids))
        elif drill.no_district_status is not None:
            from duibiao_tui.domain.review import ReviewQuery

            status = ReviewStatus(drill.no_district_status) if drill.no_district_status else None
            ids = [
                row.enterprise_id
                for row in self.store.review_rows(ReviewQuery(status=status))
                if not row.district_name
            ]
            self.app.push_screen(ReviewDeskScreen(enterprise_ids=ids))

    # -- campaigns ------------------------------------------------------------------------

    def action_campaigns(self) -> None:
        from duibiao_tui.screens.campaign_dialog import CampaignDialog

        # Switching the active campaign shows when the dialog closes (on_screen_resume).
        self.app.push_screen(CampaignDialog())
