"""Mark one improvement measure done: the date it was done and a note, checked before saving.

Also edits the date and note of a measure already done. The rules are the domain's
(``validate_measure_update``): the date is read like 完成时间 (2009-10-8, 2009年10月8日 …),
blank means today, and a date after today is refused.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from duibiao_tui.domain.dates import format_date, parse_due_date
from duibiao_tui.domain.measures import (
    DONE,
    FIELD_DONE_DATE,
    FIELD_DONE_NOTE,
    NOTE_MAX,
    MeasureRow,
    validate_measure_update,
)
from duibiao_tui.errors import DuibiaoError, FieldError, ValidationFailed
from duibiao_tui.screens.base import DuibiaoModal
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.screens.form_support import FieldErrors
from duibiao_tui.widgets.text_input import TextInput


def measure_summary(row: MeasureRow) -> Text:
    """Which measure the dialog is about: enterprise, row, indicator and the plan."""
    plan = " / ".join(line.strip() for line in row.measures.splitlines() if line.strip())
    if len(plan) > 80:
        plan = plan[:80] + "…"
    due = row.due_text or row.due_date or "未填"
    lines = [
        f"{row.enterprise_name}　第 {row.seq} 行　{row.aspect}：{row.indicator}",
        f"措施：{plan or '—'}",
        f"落实部门：{row.department or '—'}　完成时间：{due}",
    ]
    return Text("\n".join(lines))


class MeasureDialog(DraftKeeping, FieldErrors, DuibiaoModal[bool]):
    """Saves the measure as 已完成 with its date and note; returns True when saved."""

    DRAFT_KIND = "measure"

    CSS_PATH = "measures.tcss"

    FIELD_KEYS = {FIELD_DONE_DATE: "done_date", FIELD_DONE_NOTE: "done_note"}
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", tooltip="保存完成情况", id="measure-save"),
        Binding("escape", "cancel", "取消", tooltip="不保存，关闭", id="measure-cancel"),
    ]

    def __init__(self, row: MeasureRow) -> None:
        super().__init__()
        self.row = row

    @property
    def draft_key(self) -> str:
        return self.row.item_id

    def compose(self) -> ComposeResult:
        row = self.row
        editing = row.state == DONE
        today = self.store.today().isoformat()
        with Vertical(id="measure-box", classes="dialog"):
            yield Label("修改完成情况" if editing else "标记为已完成", classes="dialog-title")
            yield Static(measure_summary(row), id="measure-summary")
            yield Label(f"完成日期（空白即今天 {today}）", classes="field-label")
            with Horizontal(id="done-date-row"):
                yield TextInput(
                    row.done_date or today,
                    id="f-done_date",
                    select_on_focus=not row.done_date,  # today is only a suggestion
                    placeholder="如 2009-10-08、2009年10月8日",
                    tooltip="措施实际完成的日期，不能晚于今天",
                    compact=True,
                )
                yield Label("", id="hint-done_date", classes="field-hint")
            yield Label("", id="err-done_date", classes="field-error")
            yield Label(f"说明（可空，最多 {NOTE_MAX} 字）", classes="field-label")
            yield TextInput(
                row.done_note,
                id="f-done_note",
                placeholder="如：已购置数控折弯机 2 台并投入使用",
                tooltip="完成情况的说明，如验收、投入使用",
                compact=True,
            )
            yield Label("", id="err-done_note", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存 (Ctrl+S)", id="measure-save", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="measure-cancel-button", compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-done_date", Input).focus()
        self._update_date_hint(self.query_one("#f-done_date", Input).value)

    @on(Input.Changed, "#f-done_date")
    def date_typed(self, event: Input.Changed) -> None:
        self._update_date_hint(event.value)

    def _update_date_hint(self, typed: str) -> None:
        """What the typed date is read as, so 2009年10月 (= 10-31) is caught before saving."""
        hint = self.query_one("#hint-done_date", Label)
        try:
            done = parse_due_date(typed, FIELD_DONE_DATE)
        except FieldError:
            hint.update("")
            return
        hint.update(f"→ {format_date(done)}" if done else f"→ 今天 {self.store.today()}")

    @on(Input.Submitted)
    @on(Button.Pressed, "#measure-save")
    def action_save(self) -> None:
        self.clear_errors()
        try:
            update = validate_measure_update(
                DONE,
                self.query_one("#f-done_date", Input).value,
                self.query_one("#f-done_note", Input).value,
                today=self.store.today(),
            )
        except ValidationFailed as failure:
            self.show_failure(failure)
            return
        try:
            self.store.set_measure_state(self.row.item_id, update)
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#measure-cancel-button")
    def action_cancel(self) -> None:
        self.dismiss(False)
