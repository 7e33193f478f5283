"""Both versions of a row someone else saved meanwhile, side by side, chosen field by field.

Shown by an editor when the store raises ConflictError. For each clashing field the officer
keeps their own value or takes the other officer's (↑/↓ or m/t); fields only one side
changed are already merged. The editor then shows the merged row to check and save — or
edit further — so nothing is decided without the officer seeing it.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, RadioSet

from duibiao_tui.domain.conflicts import ConflictError
from duibiao_tui.screens.base import DuibiaoModal
from duibiao_tui.widgets.toggles import RadioButton

MINE, THEIRS = "mine", "theirs"


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if text.strip() else "（空）"


class ConflictDialog(DuibiaoModal[dict[str, str] | None]):
    """Returns field → "mine"/"theirs" for every clash, or None when cancelled."""

    DEFAULT_CSS = """
    ConflictDialog { align: center middle; }
    ConflictDialog .dialog { width: 100; }
    ConflictDialog VerticalScroll { height: auto; max-height: 24; }
    ConflictDialog .clash-label { text-style: bold; margin-top: 1; }
    ConflictDialog RadioSet { width: 100%; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "取消", show=False),
        Binding("ctrl+s", "apply", "采用所选", show=False),
    ]

    def __init__(self, error: ConflictError, labels: dict[str, str]) -> None:
        super().__init__()
        self.error = error
        self.labels = labels

    def compose(self) -> ComposeResult:
        who = self.error.updated_by or "另一位办事员"
        when = self.error.updated_at[:16].replace("T", " ")
        with Vertical(classes="dialog"):
            yield Label("保存冲突：他人已修改此记录", classes="dialog-title")
            yield Label(
                f"你打开这一行之后，{who} 于 {when} 保存了修改。下列字段双方改得不同，"
                "请逐项选择；其余字段已合并双方的修改。",
                classes="dialog-hint",
            )
            with VerticalScroll(can_focus=False):  # the radio sets take focus, not their box
                for clash in self.error.clashes:
                    yield Label(self.labels.get(clash.field, clash.field), classes="clash-label")
                    with RadioSet(id=f"clash-{clash.field}"):
                        yield RadioButton(f"保留我的：{_shown(clash.mine)}", value=True)
                        yield RadioButton(f"采用{who}的：{_shown(clash.theirs)}")
            with Horizontal(classes="dialog-buttons"):
                yield Button("采用所选（再检查后保存）", id="conflict-apply", variant="primary")
                yield Button("取消", id="conflict-cancel")

    def on_mount(self) -> None:
        self.query(RadioSet).first().focus()

    def choices(self) -> dict[str, str]:
        out = {}
        for clash in self.error.clashes:
            radio = self.query_one(f"#clash-{clash.field}", RadioSet)
            out[clash.field] = THEIRS if radio.pressed_index == 1 else MINE
        return out

    @on(Button.Pressed, "#conflict-apply")
    def action_apply(self) -> None:
        self.dismiss(self.choices())

    @on(Button.Pressed, "#conflict-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
