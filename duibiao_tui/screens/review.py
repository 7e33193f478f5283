"""The review desk (F4): every enterprise's form with its status, picked one by one or all
matching a filter, and taken to the next status in one step.

Letters are keys here (space, a, s, !), so the table has the focus and the search box is
reached with ``/``; Esc leaves the search box for the table again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Input, Label, Select

from duibiao_tui.domain.reference import REVIEW_STATUSES, ReviewStatus
from duibiao_tui.domain.review import ReviewQuery, ReviewRow
from duibiao_tui.screens.base import DuibiaoModal, DuibiaoScreen
from duibiao_tui.screens.filter_hint import empty_placeholder, hidden_note
from duibiao_tui.screens.status_dialog import FLAG_MARK
from duibiao_tui.store.review import FlaggedItem
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

SELECTED_MARK = "✓"
FILTER_KEYS = "Tab"
"""How the desk's officer reaches the 辖市区 filter (named in the hidden-matches hint)."""
WIDE_DESK = 110
"""From this many columns on, the desk also shows 收到日期 and 审核人."""


def columns_for(width: int) -> list[Column]:
    columns = [
        Column("mark", "选", 2),
        Column("name", "企业名称"),
        Column("district", "辖市区", 8),
        Column("status", "状态", 8),
        Column("received", "收到日期", 10),
        Column("items", "行数", 4),
        Column("flagged", "有问题", 6),
        Column("overdue", "逾期措施", 8),
        Column("reviewer", "审核人", 8),
        Column("comment", "最近意见"),
    ]
    if width >= WIDE_DESK:
        return columns
    return [c for c in columns if c.key not in {"received", "reviewer"}]


def row_cells(row: ReviewRow, selected: bool, columns: Sequence[Column]) -> tuple[str, ...]:
    cells = {
        "mark": SELECTED_MARK if selected else "",
        "name": row.name,
        "district": row.district_name,
        "status": row.status,
        "received": row.received_date,
        "items": str(row.items),
        "flagged": f"{FLAG_MARK}{row.flagged}" if row.flagged else "",
        "overdue": str(row.overdue) if row.overdue else "",
        "reviewer": row.reviewer,
        "comment": row.last_comment.replace("\n", " / "),
    }
    return tuple(cells[c.key] for c in columns)


NUMERIC_SORT = {"items", "flagged", "overdue"}


def sort_value(row: ReviewRow, key: str) -> tuple[int, str]:
    """Header clicks sort by the column; counts sort as numbers, statuses in their order."""
    if key in NUMERIC_SORT:
        return (getattr(row, key), "")
    if key == "status":
        return (REVIEW_STATUSES.index(row.status), "")
    attribute = {
        "district": "district_name",
        "received": "received_date",
        "comment": "last_comment",
    }.get(key, key)
    return (0, str(getattr(row, attribute, "")))


class ReviewDeskScreen(DuibiaoScreen):
    """The forms of the active campaign with their status; a mode (F4), or pushed by the
    dashboard with a filter or a list of enterprises (then Esc goes back)."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#review-table"
    HELP_TEXT = (
        "审核台：当前活动各企业情况表的报送与审核状态。光标在表格上时字母键是命令："
        "空格 选中/取消光标所在企业（✓），a 选中当前筛选出的全部企业（再按一次清除选择），"
        "s 修改报送状态（有选中的企业时改选中的全部，否则改光标所在企业；批量修改前会确认家数），"
        "Enter 打开企业页（情况表），y 审核记录，! 或 f 列出标记为有问题的行。"
        "/ 到搜索框（名称、拼音首字母、信用代码），在搜索框里 Esc、Enter 或 ↓ 回到表格；"
        "Tab 到辖市区和状态筛选。状态：未报送 → 已报送 →（审核中）→ 已通过，或 → 退回修改 → 已报送；"
        "已通过的表再被修改会自动变为已修改，需重新审核。退回修改须填写意见。"
    )
    BINDINGS = [
        Binding("space", "toggle_mark", "选择", tooltip="选中/取消光标所在企业", id="desk-mark"),
        Binding(
            "a", "mark_all", "全选", tooltip="选中当前筛选出的全部企业（再按清除）", id="desk-all"
        ),
        Binding("s", "change_status", "改状态", tooltip="修改报送状态", id="desk-status"),
        Binding("enter", "open", "企业页", tooltip="打开企业页（情况表）", id="desk-open"),
        Binding("y", "history", "审核记录", tooltip="光标所在企业的审核记录", id="desk-history"),
        Binding(
            "exclamation_mark,f",
            "flagged",
            "有问题",
            tooltip="标记为有问题的行",
            key_display="!",
            id="desk-flagged",
        ),
        Binding("slash", "focus_search", "搜索", tooltip="到搜索框", id="desk-search"),
        Binding("escape", "escape", "返回", show=False, id="desk-back"),
        Binding("down", "to_table", show=False),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    def __init__(
        self, query: ReviewQuery | None = None, enterprise_ids: list[str] | None = None
    ) -> None:
        super().__init__()
        self.query_state = query or ReviewQuery()
        self.only = list(enterprise_ids) if enterprise_ids is not None else None
        self.selected: set[str] = set()
        self.rows: list[ReviewRow] = []
        self.counts: dict[str, int] = {}
        self.sort_key: str | None = None
        self.sort_descending = False
        self._wide: bool | None = None
        self._loaded = False
        self.hidden = 0
        """Matches of the search hidden by the 辖市区 filter (said on the desk)."""

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if query_is_default(self.query_state) and self.only is None:
            default = self.duibiao.config.default_district_id
            if default in {d.id for d in self.store.districts()}:
                self.query_state = replace(self.query_state, district_id=default)
        state = self.query_state
        self._wide = self.app.size.width >= WIDE_DESK
        yield TitleBar()
        yield Label("", id="review-title", classes="screen-title")
        with Horizontal(id="review-filters"):
            yield TextInput(
                state.text,
                placeholder="/ 搜索：名称、拼音首字母、信用代码",
                id="review-search",
                compact=True,
                select_on_focus=False,
            )
            districts = [(d.name, d.id) for d in self.store.districts()]
            known = {district_id for _, district_id in districts}
            if state.district_id not in known:
                state = self.query_state = replace(state, district_id=None)
            yield Select(
                districts,
                prompt="全部辖市区",
                value=state.district_id or Select.NULL,
                id="review-district",
                compact=True,
            )
            yield Select(
                self._status_options(),
                prompt="全部状态",
                value=state.status or Select.NULL,
                id="review-status",
                compact=True,
            )
        yield Label("", id="review-line")
        table = VirtualTable(columns_for(self.app.size.width), id="review-table")
        table.placeholder = empty_placeholder(0, "", FILTER_KEYS)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        campaign = self.store.active_campaign()
        if self.only is not None:
            where = f"　总览所选 {len(self.only)} 家（Esc 返回）"
        else:
            where = "　（Esc 返回）" if self.pushed else ""
        self.query_one("#review-title", Label).update(
            Text(
                f"审核台　{campaign.name}（{campaign.doc_number}）　截止 {campaign.deadline}{where}"
            )
        )
        self.reload()
        self._loaded = True

    def on_screen_resume(self) -> None:
        """Back from a page or a dialog, or switched to with F4: statuses may have changed."""
        if self._loaded:
            self.reload()

    @property
    def pushed(self) -> bool:
        """Pushed by the dashboard (Esc pops) rather than shown as the F4 mode."""
        stack = self.app.screen_stack
        return self in stack and stack.index(self) > 0

    # -- data ---------------------------------------------------------------------------

    def reload(self, *, keep: str | None = None) -> None:
        """Query the store for the search and district, count statuses, filter by status."""
        state = self.query_state
        everything = self.store.review_rows(replace(state, status=None))
        if self.only is not None:
            wanted = set(self.only)
            everything = [r for r in everything if r.enterprise_id in wanted]
        counts: dict[str, int] = {}
        for row in everything:
            counts[row.status] = counts.get(row.status, 0) + 1
        if counts != self.counts:
            self.counts = counts
            self._update_status_options()
        self.hidden = self.hidden_by_district(len(everything))
        rows = [r for r in everything if not state.status or r.status == state.status]
        if self.sort_key:
            key = self.sort_key
            rows.sort(key=lambda r: sort_value(r, key), reverse=self.sort_descending)
        self.rows = rows
        self.show_rows(keep=keep)

    def hidden_by_district(self, shown: int) -> int:
        """Enterprises matching the search in other districts (the desk opens on the default
        district): counted while both a search and a district are set."""
        state = self.query_state
        if not (state.district_id and state.text.strip()) or self.only is not None:
            return 0
        everywhere = self.store.review_rows(replace(state, district_id=None, status=None))
        return len(everywhere) - shown

    def district_name(self) -> str:
        wanted = self.query_state.district_id
        return next((d.name for d in self.store.districts() if d.id == wanted), "")

    def show_rows(self, *, keep: str | None = None) -> None:
        table = self.query_one(VirtualTable)
        table.placeholder = empty_placeholder(self.hidden, self.district_name(), FILTER_KEYS)
        keep = keep or table.cursor_key
        columns = table.columns
        table.set_rows(
            [r.enterprise_id for r in self.rows],
            [row_cells(r, r.enterprise_id in self.selected, columns) for r in self.rows],
        )
        if keep:
            table.move_cursor_to_key(keep)
        self.update_line()

    def update_line(self) -> None:
        shown = {r.enterprise_id for r in self.rows}
        total = sum(self.counts.values())
        parts = [f"共 {total} 家，显示 {len(self.rows)} 家"]
        if self.hidden and self.rows:  # an empty list says it in its placeholder
            parts.append(hidden_note(self.hidden, FILTER_KEYS))
        if self.selected:
            hidden = len(self.selected - shown)
            extra = f"（其中 {hidden} 家不在当前列表）" if hidden else ""
            parts.append(f"已选 {len(self.selected)} 家{extra}，s 修改状态，a 清除")
        else:
            parts.append("空格 选择，a 全选，s 修改光标所在企业的状态")
        flagged = sum(r.flagged for r in self.rows)
        if flagged:
            parts.append(f"{FLAG_MARK} 有问题 {flagged} 行（! 查看）")
        self.query_one("#review-line", Label).update("　·　".join(parts))

    def _status_options(self) -> list[tuple[str, str]]:
        return [(f"{status}（{self.counts.get(status, 0)}）", status) for status in REVIEW_STATUSES]

    def _update_status_options(self) -> None:
        """The first reload runs in ``on_mount``, before ``is_mounted`` is true but with the
        filter composed: the counts must go into it then, as later reloads with the same
        counts leave it alone."""
        select: Select[str] = self.query_one("#review-status", Select)
        value = select.value
        with self.prevent(Select.Changed):
            select.set_options(self._status_options())
            if isinstance(value, str):
                select.value = value

    def set_query(self, **changes: object) -> None:
        self.query_state = replace(self.query_state, **changes)  # type: ignore[arg-type]
        self.reload()

    @on(Input.Changed, "#review-search")
    def search_typed(self, event: Input.Changed) -> None:
        if event.value != self.query_state.text:
            self.set_query(text=event.value)

    @on(Input.Submitted, "#review-search")
    def search_done(self) -> None:
        self.action_to_table()

    @on(Select.Changed)
    def filter_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if event.select.id == "review-district" and value != self.query_state.district_id:
            self.set_query(district_id=value)
        elif event.select.id == "review-status" and value != self.query_state.status:
            self.set_query(status=ReviewStatus(value) if value else None)

    @on(VirtualTable.SortRequested, "#review-table")
    def sort_by_header(self, event: VirtualTable.SortRequested) -> None:
        same = event.column_key == self.sort_key
        self.sort_descending = not self.sort_descending if same else False
        self.sort_key = event.column_key
        table = self.query_one(VirtualTable)
        table.sort_key = self.sort_key
        table.sort_descending = self.sort_descending
        self.reload()

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE_DESK
        if wide != self._wide:
            self._wide = wide
            self.query_one(VirtualTable).set_columns(columns_for(event.size.width))
            self.show_rows()

    # -- selection ----------------------------------------------------------------------

    def _cursor(self) -> str | None:
        return self.query_one(VirtualTable).cursor_key

    def action_toggle_mark(self) -> None:
        key = self._cursor()
        if key is None:
            return
        self.selected ^= {key}
        self.show_rows(keep=key)
        self.query_one(VirtualTable).action_cursor_down()

    def action_mark_all(self) -> None:
        shown = {r.enterprise_id for r in self.rows}
        if shown and not shown <= self.selected:
            self.selected |= shown
        else:
            self.selected.clear()
        self.show_rows()  # the status line says how many are selected

    # -- actions ------------------------------------------------------------------------

    def action_change_status(self) -> None:
        from duibiao_tui.screens.status_dialog import StatusDialog

        ids = [r.enterprise_id for r in self.rows if r.enterprise_id in self.selected]
        ids += sorted(self.selected - set(ids))
        if not ids:
            key = self._cursor()
            if key is None:
                self.notify("列表为空", severity="warning")
                return
            ids = [key]

        def done(changed: int | None) -> None:
            if changed:
                self.selected.clear()
            self.reload()

        self.app.push_screen(StatusDialog(ids), done)

    @on(VirtualTable.RowSelected, "#review-table")
    def action_open(self) -> None:
        key = self._cursor()
        if key:
            self.open_page(key)

    def open_page(self, enterprise_id: str, item_id: str | None = None) -> None:
        from duibiao_tui.screens.enterprise_page import EnterprisePageScreen

        def closed(result: str | None) -> None:
            if result == "removed":
                self.selected.discard(enterprise_id)
                self.notify("该企业已删除，可在企业名录（F3）按 Ctrl+R 恢复", title="已删除")
            self.reload(keep=enterprise_id)

        self.app.push_screen(EnterprisePageScreen(enterprise_id, item_id=item_id), closed)

    def action_history(self) -> None:
        key = self._cursor()
        if key:
            from duibiao_tui.screens.status_dialog import HistoryDialog

            self.app.push_screen(HistoryDialog(key))

    def action_flagged(self) -> None:
        def chosen(picked: tuple[str, str] | None) -> None:
            if picked:
                self.open_page(*picked)

        self.app.push_screen(FlaggedListDialog(), chosen)

    def action_focus_search(self) -> None:
        self.query_one("#review-search", Input).focus()

    def action_to_table(self) -> None:
        self.query_one(VirtualTable).focus()

    def action_escape(self) -> None:
        """Esc: from the search box or a filter back to the table; on the table, back to
        the dashboard when it pushed this desk."""
        table = self.query_one(VirtualTable)
        if self.focused is not table:
            table.focus()
        elif self.pushed:
            self.dismiss(None)


def query_is_default(query: ReviewQuery) -> bool:
    return query == ReviewQuery()


class FlaggedListDialog(DuibiaoModal[tuple[str, str] | None]):
    """Rows marked 有问题 across enterprises; Enter returns (enterprise id, item id)."""

    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#flagged-table"
    BINDINGS = [Binding("escape,q", "close", "关闭", id="flagged-close")]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[FlaggedItem] = []

    def compose(self) -> ComposeResult:
        self.items = self.store.flagged_items()
        table = VirtualTable(
            [
                Column("name", "企业名称"),
                Column("seq", "序号", 4),
                Column("aspect", "项目", 12),
                Column("indicator", "指标内容"),
                Column("comment", "问题说明"),
                Column("by", "标记人", 6),
            ],
            id="flagged-table",
        )
        table.placeholder = "（没有标记为有问题的行：在企业页按 ! 标记）"
        table.set_rows(
            [i.item_id for i in self.items],
            [
                (i.enterprise_name, str(i.seq), i.aspect, i.indicator, i.comment, i.updated_by)
                for i in self.items
            ],
        )
        with Vertical(id="flagged-box", classes="dialog"):
            yield Label(f"{FLAG_MARK} 有问题的行（{len(self.items)} 行）", classes="dialog-title")
            yield table
            yield Label("Enter 打开该企业页并定位到该行　Esc 关闭", classes="dialog-hint")

    @on(VirtualTable.RowSelected, "#flagged-table")
    def open_item(self, event: VirtualTable.RowSelected) -> None:
        item = next((i for i in self.items if i.item_id == event.key), None)
        if item:
            self.dismiss((item.enterprise_id, item.item_id))

    def action_close(self) -> None:
        self.dismiss(None)
