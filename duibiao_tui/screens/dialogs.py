"""Small dialogs: yes/no confirmation and the per-screen help shown on ``?``."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from duibiao_tui.screens.base import DuibiaoModal, StoreAccess


class ConfirmDialog(DuibiaoModal[bool]):
    """Ask before anything destructive; Enter/y confirms, Esc/n cancels. Destructive
    questions are opened by control keys only, so a typed letter never opens one and
    answers it in the same burst."""

    BINDINGS = [
        Binding("y", "answer(True)", "是", show=False),
        Binding("n,escape", "answer(False)", "否", show=False),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(
        self,
        question: str,
        *,
        confirm_label: str = "确定",
        cancel_label: str = "取消",
        danger: bool = False,
    ) -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield Label(self.question, id="confirm-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    self.confirm_label,
                    id="confirm-yes",
                    variant="error" if self.danger else "primary",
                )
                yield Button(self.cancel_label, id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no" if self.danger else "#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def cancel(self) -> None:
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class HelpDialog(DuibiaoModal[None]):
    """The help text of the screen below and every key it answers to."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "关闭")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        text = self.for_screen.HELP_TEXT if isinstance(self.for_screen, StoreAccess) else ""
        lines = []
        seen: set[str] = set()
        for _key, active in self.for_screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            lines.append(f"  {self.app.get_key_display(binding):<12} {binding.description}")
        with Vertical(id="help-box", classes="dialog"):
            yield Label("帮助（↑↓ 翻阅，Esc 关闭）", classes="dialog-title")
            with VerticalScroll():
                if text:
                    yield Static(text, id="help-text")
                yield Static("\n".join(lines), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
