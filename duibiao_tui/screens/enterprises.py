"""The enterprise register: live search, filters, sort, and the keys to add/edit/remove."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import Key, Resize
from textual.widgets import Input, Label

from duibiao_tui.domain.listing import EnterpriseQuery, EnterpriseRow
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.screens.filter_hint import empty_placeholder, hidden_note
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from textual.widgets import Select

    from duibiao_tui.widgets.toggles import Checkbox

SORT_ORDER = ("name", "district", "industry", "main_products", "credit_code", "flags")
SORT_NAMES = {
    "name": "名称（拼音）",
    "district": "辖市区",
    "industry": "所在行业",
    "main_products": "主导产品",
    "credit_code": "信用代码",
    "flags": "标记",
}
FILTER_KEYS = "Ctrl+F"
"""How the list's officer reaches the 辖市区 filter (named in the hidden-matches hint)."""
SCREEN_CHROME = 7
"""Lines of the list screen that are not table rows (title, search, filters, status, header,
footer), so the first page holds just the rows that fit."""
WIDE_LAYOUT = 110
"""From this many columns on, the list also shows 主导产品."""


def columns_for(width: int) -> list[Column]:
    """Columns that fit ``width`` cells; narrow terminals drop 主导产品 first."""
    columns = [
        Column("name", "名称"),
        Column("district", "辖市区", 8),
        Column("industry", "所在行业", 16 if width >= WIDE_LAYOUT else 12),
    ]
    if width >= WIDE_LAYOUT:
        columns.append(Column("main_products", "主导产品"))
    columns += [Column("credit_code", "信用代码", 18), Column("flags", "标记", 11)]
    return columns


def row_cells(row: EnterpriseRow, wide: bool) -> tuple[str, ...]:
    """The cells of one row, in the order of ``columns_for``."""
    if wide:
        return (
            row.name,
            row.district_name,
            row.industry,
            row.main_products,
            row.credit_code,
            row.flags,
        )
    return (row.name, row.district_name, row.industry, row.credit_code, row.flags)


class SearchBox(TextInput):
    """The list's search input; filters synchronously as its value changes.

    Input.Changed arrives as a message after the key's own repaint is scheduled, so the
    filtered rows would show one frame (16–30 ms) after the echoed letter; a watcher runs
    inside the key press, and the echo and the rows share a frame.
    """

    def watch_value(self, value: str) -> None:
        screen = self.screen
        if isinstance(screen, EnterpriseListScreen):
            screen.search_typed(value)


class EnterpriseListScreen(DuibiaoScreen):
    """Home of the app: every registered enterprise, found by name, pinyin or code."""

    AUTO_FOCUS = "#search"
    HELP_TEXT = (
        "企业名录。直接键入即可搜索：中文名称片段（如 机械、丹阳）、拼音首字母（zjdq 找到 镇江…电器，"
        "多音字如 长/行/句 的各种读法都能匹配）、全拼，或信用代码片段；多个词用空格分开表示同时满足。"
        "↑↓ PgUp PgDn 在列表中移动，Enter 打开企业页（情况表），Esc 清空搜索。"
        "Ctrl+N 新增，Ctrl+E 修改，Ctrl+D 删除（Ctrl+Z 撤销），Ctrl+R 查看已删除的企业并恢复，"
        "Ctrl+T 换排序列，Ctrl+O 倒序，Ctrl+F 到筛选栏（辖市区、行业门类、名牌、质量奖）。"
        "Ctrl+P 打开命令面板，可按名称或拼音跳到企业。"
    )
    # Letters are search text here, so every action is on a control key; priority lets the
    # keys work while the search box has the focus (Input would take Ctrl+E and Ctrl+D).
    BINDINGS = [
        Binding("ctrl+n", "add", "新增", tooltip="登记新企业", id="add", priority=True),
        Binding("ctrl+e", "edit", "修改", tooltip="修改选中的企业", id="edit", priority=True),
        Binding(
            "ctrl+d",
            "remove",
            "删除",
            tooltip="删除选中的企业（可撤销）",
            id="remove",
            priority=True,
        ),
        Binding(
            "ctrl+z",
            "undo_remove",
            "撤销",
            tooltip="恢复刚删除的企业",
            id="undo-remove",
            priority=True,
        ),
        Binding(
            "ctrl+r",
            "toggle_removed",
            "已删除",
            tooltip="查看/离开已删除的企业",
            id="removed",
            priority=True,
        ),
        Binding("ctrl+t", "cycle_sort", "排序", tooltip="换一列排序", id="sort", priority=True),
        Binding(
            "ctrl+o",
            "reverse_sort",
            "倒序",
            tooltip="反转排序方向",
            id="reverse",
            show=False,
            priority=True,
        ),
        Binding(
            "ctrl+f",
            "focus_filters",
            "筛选",
            tooltip="辖市区、行业、名牌、质量奖",
            id="filters",
            priority=True,
        ),
        Binding("down", "cursor('cursor_down')", show=False),
        Binding("up", "cursor('cursor_up')", show=False),
        Binding("pagedown", "cursor('page_down')", show=False),
        Binding("pageup", "cursor('page_up')", show=False),
        Binding("escape", "clear_search", "清空搜索", show=False, id="clear-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state = EnterpriseQuery()
        self.last_removed: str | None = None
        self.rows: list[EnterpriseRow] = []
        self.hidden = 0
        """Matches of the search hidden by the 辖市区 filter (said in the list)."""
        self._layout_wide: bool | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield SearchBox(
            placeholder="搜索：名称 / 拼音首字母（如 zjdq）/ 全拼 / 信用代码",
            id="search",
            compact=True,
            select_on_focus=False,
        )
        yield Horizontal(id="filter-bar")
        # The first rows and the status line are in the very first frame (no update later).
        width = self.app.size.width
        # Only the rows that fit: a first frame without a scrollbar needs no second layout.
        self._first_page = max(1, self.app.size.height - SCREEN_CHROME)
        self._layout_wide = width >= WIDE_LAYOUT
        table = VirtualTable(columns_for(width), id="enterprise-table")
        table.sort_key = "name"
        default = self.duibiao.config.default_district_id
        if default in {d.id for d in self.store.districts()}:
            self.query_state = EnterpriseQuery(district_id=default)
            self.rows = self.store.search_enterprises(self.query_state)
        else:
            self.rows = self.store.first_enterprises(self._first_page)
        wide = self._layout_wide
        table.set_rows([row.id for row in self.rows], [row_cells(row, wide) for row in self.rows])
        yield Label(self.status_text(), id="list-status")
        yield table

    def on_mount(self) -> None:
        self.set_timer(0.1, self.finish_start)

    def finish_start(self) -> None:
        """After the first paint: the whole register, the filter bar and the footer.

        The officer waits for the list; everything else follows a few frames later.
        """
        from textual.widgets import Select

        from duibiao_tui.domain import industry
        from duibiao_tui.widgets.toggles import Checkbox

        self.mount(KeyFooter())
        self.call_after_refresh(self.refresh_bindings)  # a late footer must hear the keys
        if len(self.rows) >= self._first_page or not self.rows:
            self.reload(keep=self.query_one(VirtualTable).cursor_key)
        district = self.query_state.district_id
        self.query_one("#filter-bar", Horizontal).mount_all(
            [
                Select(
                    [(d.name, d.id) for d in self.store.districts()],
                    prompt="全部辖市区",
                    value=district if district else Select.NULL,
                    id="filter-district",
                    compact=True,
                ),
                Select(
                    [(s.label, s.code) for s in industry.sections()],
                    prompt="全部行业",
                    id="filter-section",
                    compact=True,
                ),
                Checkbox("名牌", id="filter-brand", compact=True),
                Checkbox("质量奖", id="filter-award", compact=True),
            ]
        )

    # -- data -----------------------------------------------------------------------

    def reload(self, *, keep: str | None = None) -> None:
        """Query SQLite for the current search/filters/sort and show the rows."""
        self.show_rows(self.store.search_enterprises(self.query_state), keep=keep)

    def show_rows(self, rows: list[EnterpriseRow], *, keep: str | None = None) -> None:
        table = self.query_one(VirtualTable)
        self.rows = rows
        wide = any(c.key == "main_products" for c in table.columns)
        table.set_rows([row.id for row in self.rows], [row_cells(row, wide) for row in self.rows])
        self.hidden = self.hidden_by_district()
        table.placeholder = (
            "（已删除列表为空）"
            if self.query_state.removed
            else empty_placeholder(self.hidden, self.district_name(), FILTER_KEYS)
        )
        if keep:
            table.move_cursor_to_key(keep)
        self.update_status()

    def hidden_by_district(self) -> int:
        """Matches of the search (and the other filters) that the 辖市区 filter leaves out:
        counted only while both a search and a district are set."""
        state = self.query_state
        if not (state.district_id and state.text.strip()):
            return 0
        from dataclasses import replace

        everywhere = self.store.search_enterprises(replace(state, district_id=None))
        return len(everywhere) - len(self.rows)

    def district_name(self) -> str:
        wanted = self.query_state.district_id
        return next((d.name for d in self.store.districts() if d.id == wanted), "")

    def status_text(self) -> str:
        state = self.query_state
        total = self.store.count_enterprises(removed=state.removed)
        arrow = "▼" if state.descending else "▲"
        what = "已删除的企业（Ctrl+R 返回名录，Enter 恢复选中）" if state.removed else "企业名录"
        text = f"{what}　共 {total} 家，显示 {len(self.rows)} 家"
        if self.hidden and self.rows:
            text += f"　{hidden_note(self.hidden, FILTER_KEYS)}"
        return f"{text}　排序：{SORT_NAMES[state.sort_key]} {arrow}"

    def update_status(self) -> None:
        self.query_one("#list-status", Label).update(self.status_text())

    def set_query(self, **changes: object) -> None:
        from dataclasses import replace

        self.query_state = replace(self.query_state, **changes)  # type: ignore[arg-type]
        self.reload(keep=self.query_one(VirtualTable).cursor_key)

    def search_typed(self, text: str) -> None:
        """Called by the search box in the same tick as the key, so one frame shows both."""
        if text != self.query_state.text:
            self.set_query(text=text)

    @on(Input.Submitted, "#search")
    def search_done(self) -> None:
        """Enter in the search box opens the highlighted enterprise (or restores it)."""
        self.query_one(VirtualTable).action_select_cursor()

    def action_cursor(self, move: str) -> None:
        """Arrow keys in the search box move the list's cursor (one of VirtualTable's
        cursor actions, named in BINDINGS)."""
        table = self.query_one(VirtualTable)
        {
            "cursor_down": table.action_cursor_down,
            "cursor_up": table.action_cursor_up,
            "page_down": table.action_page_down,
            "page_up": table.action_page_up,
        }[move]()

    # The filter widgets are imported after the first paint, so their messages are handled
    # by name rather than with @on(Select.Changed, ...), which would import them at start.

    def on_select_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else None
        if event.select.id == "filter-district":
            self.set_query(district_id=value)
        elif event.select.id == "filter-section":
            self.set_query(industry_section=value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "filter-brand":
            self.set_query(famous_brand=event.value)
        elif event.checkbox.id == "filter-award":
            self.set_query(quality_award=event.value)

    @on(VirtualTable.SortRequested)
    def sort_by_header(self, event: VirtualTable.SortRequested) -> None:
        same = event.column_key == self.query_state.sort_key
        self.apply_sort(event.column_key, not self.query_state.descending if same else False)

    def apply_sort(self, key: str, descending: bool) -> None:
        table = self.query_one(VirtualTable)
        table.sort_key = key
        table.sort_descending = descending
        self.set_query(sort_key=key, descending=descending)

    @on(VirtualTable.RowSelected)
    def open_selected(self, event: VirtualTable.RowSelected) -> None:
        if self.query_state.removed:
            self.restore(event.key)
        else:
            self.open_enterprise(event.key)

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE_LAYOUT
        if wide != self._layout_wide:
            self._layout_wide = wide
            self.query_one(VirtualTable).set_columns(columns_for(event.size.width))
            self.reload(keep=self.query_one(VirtualTable).cursor_key)

    def on_key(self, event: Key) -> None:
        """A letter typed anywhere else on the list (table, filters) goes to the search."""
        if not (event.is_printable and event.character):
            return
        search = self.query_one("#search", Input)
        self.set_focus(search)
        search.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    # -- actions --------------------------------------------------------------------

    def open_enterprise(self, enterprise_id: str) -> None:
        from duibiao_tui.screens.enterprise_page import EnterprisePageScreen

        def closed(result: str | None) -> None:
            if result == "removed":
                self.after_remove(enterprise_id)
            else:
                self.reload(keep=enterprise_id)

        self.app.push_screen(EnterprisePageScreen(enterprise_id), closed)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        """Esc: empty the search box and put the cursor back in it."""
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.set_focus(search)

    def action_focus_filters(self) -> None:
        self.query_one("#filter-district", Select).focus()

    def action_add(self) -> None:
        from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen

        def saved(result: str | None) -> None:
            self.reload(keep=result)

        default = self.query_state.district_id or self.duibiao.config.default_district_id
        self.app.push_screen(EnterpriseFormScreen(default_district=default), saved)

    def _selected(self) -> str | None:
        key = self.query_one(VirtualTable).cursor_key
        if key is None:
            self.notify("列表为空", severity="warning")
        return key

    def action_edit(self) -> None:
        key = self._selected()
        if key is None or self.query_state.removed:
            return

        from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen

        def saved(result: str | None) -> None:
            self.reload(keep=key)

        self.app.push_screen(EnterpriseFormScreen(self.store.get_enterprise(key)), saved)

    def action_remove(self) -> None:
        key = self._selected()
        if key is None or self.query_state.removed:
            return
        name = self.store.get_enterprise(key).name

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.remove_enterprise(key)
            except DuibiaoError as error:
                self.show_error(error)
                return
            self.after_remove(key)

        from duibiao_tui.screens.dialogs import ConfirmDialog

        self.app.push_screen(
            ConfirmDialog(
                f"删除「{name}」？删除后可按 Ctrl+Z 撤销。", confirm_label="删除", danger=True
            ),
            answered,
        )

    def after_remove(self, enterprise_id: str) -> None:
        self.last_removed = enterprise_id
        name = self.store.get_enterprise(enterprise_id).name
        self.notify(f"已删除「{name}」，按 Ctrl+Z 撤销", title="已删除")
        self.reload()

    def action_undo_remove(self) -> None:
        if self.query_state.removed:
            key = self._selected()
            if key:
                self.restore(key)
            return
        if self.last_removed is None:
            self.notify("没有可撤销的删除", severity="warning")
            return
        self.restore(self.last_removed)

    def restore(self, enterprise_id: str) -> None:
        try:
            enterprise = self.store.restore_enterprise(enterprise_id)
        except DuibiaoError as error:
            self.show_error(error)
            return
        if self.last_removed == enterprise_id:
            self.last_removed = None
        self.notify(f"已恢复「{enterprise.name}」", title="已恢复")
        self.reload(keep=enterprise_id)

    def action_toggle_removed(self) -> None:
        self.set_query(removed=not self.query_state.removed)

    def action_cycle_sort(self) -> None:
        visible = [c.key for c in self.query_one(VirtualTable).columns]
        order = [k for k in SORT_ORDER if k in visible]
        current = (
            order.index(self.query_state.sort_key) if self.query_state.sort_key in order else -1
        )
        self.apply_sort(order[(current + 1) % len(order)], False)

    def action_reverse_sort(self) -> None:
        self.apply_sort(self.query_state.sort_key, not self.query_state.descending)

    def jump_to(self, enterprise_id: str) -> None:
        """From the palette or another desk: highlight the enterprise if it is listed, and
        open its page. The list may have been created just now and not be composed yet
        (the first visit to the 企业 desk): then it waits for its first frame."""
        tables = self.query(VirtualTable)
        if not self.is_mounted or not tables:
            self.app.call_after_refresh(self.jump_to, enterprise_id)
            return
        tables.first().move_cursor_to_key(enterprise_id)
        self.open_enterprise(enterprise_id)
