"""One indicator of one enterprise across campaigns: is it closing the gap to the benchmark?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from duibiao_tui.screens.base import DuibiaoModal
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("campaign", "活动"),
    Column("level", "标杆水平", 12),
    Column("result", "对比结果", 20),
    Column("verdict", "结论", 6),
    Column("state", "措施", 8),
]


class ProgressDialog(DuibiaoModal[None]):
    DEFAULT_CSS = """
    ProgressDialog { align: center middle; }
    ProgressDialog .dialog { width: 100; }
    ProgressDialog VirtualTable { height: auto; max-height: 12; }
    """
    BINDINGS = [Binding("escape,enter", "close", "关闭", show=False)]

    def __init__(self, item_id: str, title: str) -> None:
        super().__init__()
        self.item_id = item_id
        self.heading = title

    def compose(self) -> ComposeResult:
        history = self.store.indicator_history(self.item_id)
        with Vertical(classes="dialog"):
            yield Label(f"历年对比：{self.heading}", classes="dialog-title")
            if len(history) < 2:
                hint = "只有本次活动有这一指标；下一年度结转或录入同一项目与指标后，这里逐年对比。"
            else:
                first, last = history[0].verdict or "未定", history[-1].verdict or "未定"
                hint = f"共 {len(history)} 次活动：结论由「{first}」到「{last}」。"
            yield Label(hint, classes="dialog-hint")
            table = VirtualTable(COLUMNS, id="progress-table")
            table.set_rows(
                [h.item_id for h in history],
                [
                    (
                        h.campaign_name,
                        h.benchmark_level,
                        h.result_text,
                        h.verdict or "—",
                        h.measure_state,
                    )
                    for h in history
                ],
            )
            yield table
            with Horizontal(classes="dialog-buttons"):
                yield Button("关闭", id="progress-close", variant="primary")

    def on_button_pressed(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
