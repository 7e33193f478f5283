"""The officer's name and default district: asked on first run, changeable from the palette."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select

from duibiao_tui.config import Config
from duibiao_tui.screens.base import DuibiaoModal
from duibiao_tui.widgets.text_input import TextInput


class SettingsDialog(DuibiaoModal[Config | None]):
    """Returns the new settings, or None when cancelled (not offered on first run)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "保存", tooltip="保存设置", id="settings-save"),
        Binding("escape", "cancel", "取消", id="settings-cancel"),
    ]

    def __init__(self, config: Config, *, first_run: bool = False) -> None:
        super().__init__()
        self.config = config
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        districts = [(d.label, d.id) for d in self.store.districts()]
        known = {value for _, value in districts}
        default = self.config.default_district_id
        with Vertical(id="settings-box", classes="dialog"):
            title = "欢迎使用质量标杆对比" if self.first_run else "办事员与默认辖市区"
            yield Label(title, classes="dialog-title")
            if self.first_run:
                yield Label("请先填写您的姓名：每一处修改都会记下是谁做的。", classes="dialog-hint")
            yield Label("办事员姓名", classes="field-label")
            yield TextInput(self.config.officer, placeholder="如：王明", id="settings-officer")
            yield Label("", id="settings-officer-error", classes="field-error")
            yield Label("默认辖市区（新企业和列表筛选的默认值）", classes="field-label")
            yield Select(
                districts,
                value=default if default in known else Select.NULL,
                prompt="不指定",
                id="settings-district",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存 (Ctrl+S)", id="settings-save", variant="primary")
                if not self.first_run:
                    yield Button("取消", id="settings-cancel")

    def on_mount(self) -> None:
        self.query_one("#settings-officer", Input).focus()

    @on(Input.Submitted, "#settings-officer")
    @on(Button.Pressed, "#settings-save")
    def action_save(self) -> None:
        officer = self.query_one("#settings-officer", Input).value.strip()
        if not officer:
            self.query_one("#settings-officer-error", Label).update("办事员姓名: 必填")
            self.query_one("#settings-officer", Input).focus()
            return
        district = self.query_one("#settings-district", Select).value
        self.dismiss(
            Config(
                officer=officer,
                default_district_id=district if isinstance(district, str) else None,
            )
        )

    @on(Button.Pressed, "#settings-cancel")
    def action_cancel(self) -> None:
        if self.first_run:
            self.notify("请先填写办事员姓名", severity="warning")
            return
        self.dismiss(None)
