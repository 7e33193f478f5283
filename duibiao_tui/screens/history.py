"""The audit trail, read as a history: who changed what, when, from what to what.

Opened from an enterprise's page (the whole enterprise: its record, rows, statuses,
recognitions) or from one row. The log is append-only; this screen only reads it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label, Static

from duibiao_tui.domain.audit import AuditEntry
from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("at", "时间", 16),
    Column("officer", "办事员", 8),
    Column("what", "对象", 24),
    Column("change", "修改内容"),
]


def _when(stamp: str) -> str:
    return stamp[:16].replace("T", " ")


class HistoryScreen(DuibiaoScreen):
    """Newest first; the change under the cursor is shown in full below the table."""

    DEFAULT_CSS = """
    HistoryScreen #history-table { height: 1fr; margin: 0 1; }
    HistoryScreen #history-detail {
        height: auto; max-height: 10; border-top: solid $primary; padding: 0 1;
    }
    HistoryScreen #history-count { color: $text-muted; padding: 0 1; }
    """
    HELP_TEXT = (
        "修改记录（审计日志）：每一次新增、修改、删除、恢复、状态变更都记下办事员、时间、"
        "字段及修改前后的值，按时间从新到旧。记录只增不改，本屏只能查看。↑↓ 移动，"
        "下方显示完整的修改前后内容；Esc 返回。"
    )
    BINDINGS = [Binding("escape", "app.pop_screen", "返回", id="history-back")]

    def __init__(self, enterprise_id: str, item_id: str | None = None, title: str = "") -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.item_id = item_id
        self.heading = title
        self.entries: list[AuditEntry] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label(self.heading, classes="screen-title")
        yield Label("", id="history-count")
        yield VirtualTable(COLUMNS, id="history-table")
        yield Static("", id="history-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.entries = self.store.history(self.enterprise_id, self.item_id)
        table = self.query_one(VirtualTable)
        keys = [str(n) for n in range(len(self.entries))]
        table.set_rows(keys, [(_when(e.at), e.officer, e.what, e.change) for e in self.entries])
        self.query_one("#history-count", Label).update(f"共 {len(self.entries)} 条修改记录")
        table.focus()
        self._show(0 if self.entries else None)

    @on(VirtualTable.RowHighlighted)
    def highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self._show(int(event.key) if event.key is not None else None)

    def _show(self, index: int | None) -> None:
        detail = self.query_one("#history-detail", Static)
        if index is None or index >= len(self.entries):
            detail.update("尚无修改记录")
            return
        e = self.entries[index]
        detail.update(f"{_when(e.at)}　{e.officer or '（未署名）'}　{e.what}\n{e.change}")
