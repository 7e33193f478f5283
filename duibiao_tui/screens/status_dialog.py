"""Dialogs of the review: change a form's status (one enterprise or many), see its history,
flag a row 有问题.

The status dialog offers only the steps the state machine allows from the forms' current
statuses (``domain.review.targets_from``); for several enterprises it offers the union and
says how many forms can take each step, and asks before writing, naming the ones skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from duibiao_tui.domain.items import BenchmarkItem
from duibiao_tui.domain.reference import REVIEW_STATUSES, ReviewStatus
from duibiao_tui.domain.review import (
    FIELD_COMMENT,
    FIELD_HANDED_IN_BY,
    FIELD_RECEIVED,
    NOT_SUBMITTED,
    Receipt,
    ReviewEvent,
    TransitionRefused,
    check_transition,
    targets_from,
    validate_receipt,
)
from duibiao_tui.errors import DuibiaoError, FieldError, ValidationFailed
from duibiao_tui.screens.base import DuibiaoModal
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.screens.form_support import FieldErrors
from duibiao_tui.widgets.choice_list import ChoiceList
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.toggles import Checkbox

FLAG_MARK = "⚑"
FIELD_FLAG = "问题说明"


@dataclass
class Choice:
    """One target status offered in the dialog, with what the step needs."""

    target: ReviewStatus
    labels: list[str] = field(default_factory=list)
    needs_comment: bool = False
    records_receipt: bool = False
    able: list[str] = field(default_factory=list)
    unable: dict[ReviewStatus, list[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return " / ".join(self.labels)

    def prompt(self, many: bool, width: int = 0) -> Text:
        """'审核通过 → 已通过　3 家可改', labels padded to ``width`` cells so arrows align."""
        text = Text(self.label + " " * max(0, width - cell_len(self.label)) + " → ")
        text.append(self.target, style="bold")
        if many:
            text.append(f"　{len(self.able)} 家可改", style="dim")
        if self.needs_comment:
            text.append("　须填意见", style="dim")
        return text


def skipped_words(unable: Mapping[ReviewStatus, list[str]]) -> str:
    """'另有 3 家状态为未报送、1 家状态为已通过，不能改，将跳过' ('' when none)."""
    if not unable:
        return ""
    parts = "、".join(f"{len(ids)} 家状态为{status}" for status, ids in unable.items())
    return f"另有 {parts}，不能改，将跳过"


def status_counts(statuses: Sequence[str]) -> str:
    """'已报送 8、审核中 4' in the order of the review."""
    counts = {status: statuses.count(status) for status in REVIEW_STATUSES}
    return "、".join(f"{status} {n}" for status, n in counts.items() if n)


class StatusDialog(DraftKeeping, FieldErrors, DuibiaoModal[int | None]):
    """Take one or many forms to a new status; returns how many changed (None: cancelled)."""

    CSS_PATH = "review.tcss"
    FIELD_KEYS = {
        FIELD_COMMENT: "comment",
        FIELD_RECEIVED: "received",
        FIELD_HANDED_IN_BY: "handed_in_by",
    }
    BINDINGS = [
        Binding("ctrl+s", "save", "确定", tooltip="按所选状态保存", id="status-save"),
        Binding("escape", "cancel", "取消", id="status-cancel"),
    ]

    def __init__(self, enterprise_ids: Sequence[str]) -> None:
        super().__init__()
        self.enterprise_ids = list(dict.fromkeys(enterprise_ids))
        self.current: dict[str, ReviewStatus] = {}
        self.choices: list[Choice] = []

    DRAFT_KIND = "status"

    @property
    def draft_key(self) -> str:
        return ",".join(sorted(self.enterprise_ids))

    @property
    def many(self) -> bool:
        return len(self.enterprise_ids) > 1

    # -- what can be offered ------------------------------------------------------------

    def _plan(self) -> None:
        statuses = self.store.statuses()
        self.current = {eid: statuses.get(eid, NOT_SUBMITTED) for eid in self.enterprise_ids}
        by_target: dict[ReviewStatus, Choice] = {}
        present = set(self.current.values())
        # sources in the order of the review, so the steps come as the officer takes them
        for source in (s for s in REVIEW_STATUSES if s in present):
            for step in targets_from(source):
                choice = by_target.setdefault(step.target, Choice(step.target))
                if step.label not in choice.labels:
                    choice.labels.append(step.label)
                choice.needs_comment |= step.needs_comment
                choice.records_receipt |= step.records_receipt
        for choice in by_target.values():
            choice.able, choice.unable = self.store.plan_status_change(
                self.enterprise_ids, choice.target
            )
        self.choices = list(by_target.values())

    def _choice(self) -> Choice | None:
        index = self.query_one("#f-target", OptionList).highlighted
        return self.choices[index] if index is not None and self.choices else None

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._plan()
        if self.many:
            title = f"修改 {len(self.enterprise_ids)} 家企业的报送状态"
            hint = f"当前：{status_counts(list(self.current.values()))}"
            previous = ""
        else:
            (eid,) = self.enterprise_ids
            submission = self.store.submission(eid)
            title = f"报送状态：{self.store.get_enterprise(eid).name}"
            hint = f"当前状态：{submission.status}"
            previous = submission.handed_in_by
        with Vertical(id="status-box", classes="dialog"):
            yield Label(Text(title), classes="dialog-title")
            yield Label(hint, id="status-current", classes="dialog-hint")
            width = max((cell_len(c.label) for c in self.choices), default=0)
            yield ChoiceList(
                *[Option(c.prompt(self.many, width), id=c.target) for c in self.choices],
                id="f-target",
                compact=True,
                typing_field="#f-comment",  # typing starts the comment, not lost on the list
            )
            with Horizontal(classes="form-row"):
                yield Label("意见", id="label-comment", classes="form-label")
                with Vertical(classes="form-cell"):
                    yield TextInput(id="f-comment", compact=True, max_length=1000)
                    yield Label("", id="err-comment", classes="field-error")
            with Vertical(id="receipt"):
                with Horizontal(classes="form-row"):
                    yield Label("收到日期", classes="form-label")
                    with Vertical(classes="form-cell"):
                        yield TextInput(
                            self.store.today().isoformat(),
                            id="f-received",
                            # today is the app's suggestion, not the officer's typing: a typed
                            # date replaces it (Ctrl+Z brings it back)
                            select_on_focus=True,
                            compact=True,
                            placeholder="如 2009-10-18、10月18日",
                        )
                        yield Label("", id="err-received", classes="field-error")
                with Horizontal(classes="form-row"):
                    yield Label("报送人", classes="form-label")
                    with Vertical(classes="form-cell"):
                        yield TextInput(
                            previous,
                            id="f-handed_in_by",
                            compact=True,
                            placeholder="送表的人，如 企业质量部 张华",
                        )
                        yield Label("", id="err-handed_in_by", classes="field-error")
                with Horizontal(classes="form-row"):
                    yield Label("收到份数", classes="form-label")
                    yield Checkbox("市质量处一份", id="f-copy_city", compact=True)
                    yield Checkbox("区质量科一份", id="f-copy_district", compact=True)
            yield Label("", id="status-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定 (Ctrl+S)", id="status-save", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="status-cancel", compact=True)

    def on_mount(self) -> None:
        options = self.query_one("#f-target", OptionList)
        if self.choices:
            options.highlighted = 0
        options.focus()
        self.show_needs()

    @on(OptionList.OptionHighlighted, "#f-target")
    def show_needs(self) -> None:
        """The comment is marked required and the receipt fields shown as the step needs."""
        choice = self._choice()
        needs_comment = bool(choice and choice.needs_comment)
        self.query_one("#label-comment", Label).update("意见*" if needs_comment else "意见")
        self.query_one("#f-comment", Input).placeholder = (
            "必填：说明原因或要修改什么" if needs_comment else "可不填"
        )
        self.query_one("#receipt").display = bool(choice and choice.records_receipt)

    @on(OptionList.OptionSelected, "#f-target")
    def target_chosen(self) -> None:
        self.query_one("#f-comment", Input).focus()

    # -- saving -------------------------------------------------------------------------

    @on(Input.Submitted)
    @on(Button.Pressed, "#status-save")
    def action_save(self) -> None:
        self.clear_errors()
        choice = self._choice()
        if choice is None:
            self.notify("没有可改的状态", severity="warning")
            return
        comment = self.query_one("#f-comment", Input).value
        able, unable = self.store.plan_status_change(self.enterprise_ids, choice.target)
        errors: list[FieldError] = []
        receipt: Receipt | None = None
        if choice.records_receipt:
            try:
                receipt = validate_receipt(
                    self.query_one("#f-received", Input).value,
                    self.query_one("#f-handed_in_by", Input).value,
                    copy_city=self.query_one("#f-copy_city", Checkbox).value,
                    copy_district=self.query_one("#f-copy_district", Checkbox).value,
                    today=self.store.today(),
                )
            except ValidationFailed as failure:
                errors += failure.errors
        for source in dict.fromkeys(self.current[eid] for eid in able):
            try:
                check_transition(source, choice.target, comment)
            except ValidationFailed as failure:
                errors += [e for e in failure.errors if e.field not in {x.field for x in errors}]
            except TransitionRefused:
                pass  # the store names the enterprise when it refuses
        if errors:
            self.show_failure(ValidationFailed(errors))
            return
        if not able:
            self._general_error(f"没有可改为「{choice.target}」的企业：{skipped_words(unable)}")
            return
        if not self.many:
            self._write(able, choice.target, comment, receipt)
            return
        from duibiao_tui.screens.dialogs import ConfirmDialog

        skipped = skipped_words(unable)
        question = f"将 {len(able)} 家企业改为「{choice.target}」？"
        if skipped:
            question += f"（{skipped}）"

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(able, choice.target, comment, receipt)

        self.app.push_screen(
            ConfirmDialog(question, confirm_label=f"改为{choice.target}"), answered
        )

    def _write(
        self, able: list[str], target: ReviewStatus, comment: str, receipt: Receipt | None
    ) -> None:
        try:
            changed = self.store.change_status(able, target, comment, receipt=receipt)
        except ValidationFailed as failure:
            self.show_failure(failure)
            return
        except DuibiaoError as error:
            self._general_error(error.message)
            self.show_error(error)
            return
        if changed == 1:
            name = self.store.get_enterprise(able[0]).name
            self.app.notify(f"「{name}」已改为「{target}」", title="报送状态")
        else:
            self.app.notify(f"{changed} 家企业已改为「{target}」", title="报送状态")
        self.dismiss(changed)

    def _general_error(self, message: str) -> None:
        label = self.query_one("#status-error", Label)
        label.update(message)
        label.add_class("-shown")

    @on(Button.Pressed, "#status-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def history_table(events: Sequence[ReviewEvent]) -> Table:
    """time, officer, from → to, comment (wrapped), oldest first."""
    table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
    table.add_column("时间", no_wrap=True, width=16)
    table.add_column("办事员", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("意见", ratio=1)
    for event in events:
        table.add_row(
            event.at[:16].replace("T", " "),
            Text(event.officer or "—"),
            Text(f"{event.source} → {event.target}"),
            Text(event.comment or ""),
        )
    return table


class HistoryDialog(DuibiaoModal[None]):
    """Every status step of one enterprise's form: who, when, from → to, why."""

    CSS_PATH = "review.tcss"
    BINDINGS = [Binding("escape,y,q", "close", "关闭", id="history-close")]

    def __init__(self, enterprise_id: str) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id

    def compose(self) -> ComposeResult:
        name = self.store.get_enterprise(self.enterprise_id).name
        events = self.store.review_history(self.enterprise_id)
        with Vertical(id="history-box", classes="dialog"):
            yield Label(Text(f"审核记录：{name}"), classes="dialog-title")
            with VerticalScroll(id="history-scroll"):
                if events:
                    yield Static(history_table(events), id="history-table")
                else:
                    yield Label("还没有审核记录（s 登记报送）", id="history-table", classes="dim")
            yield Label("Esc 关闭", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class FlagDialog(DraftKeeping, FieldErrors, DuibiaoModal[bool]):
    """Mark one row 有问题 with what is wrong; returns True when saved."""

    DRAFT_KIND = "flag"

    CSS_PATH = "review.tcss"
    FIELD_KEYS = {FIELD_FLAG: "flag_comment"}
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="flag-save"),
        Binding("escape", "cancel", "取消", id="flag-cancel"),
    ]

    def __init__(self, item: BenchmarkItem) -> None:
        super().__init__()
        self.item = item

    @property
    def draft_key(self) -> str:
        return self.item.id

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(id="flag-box", classes="dialog"):
            yield Label(f"{FLAG_MARK} 标记第 {item.seq} 行有问题", classes="dialog-title")
            yield Label(Text(f"{item.aspect_label}　{item.indicator}"), classes="dialog-hint")
            with Horizontal(classes="form-row"):
                yield Label("问题说明*", classes="form-label")
                with Vertical(classes="form-cell"):
                    yield TextInput(
                        item.flag_comment,
                        id="f-flag_comment",
                        compact=True,
                        placeholder="必填，如 完成时间不明确；标杆水平无出处",
                    )
                    yield Label("", id="err-flag_comment", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存 (Ctrl+S)", id="flag-save", variant="primary", compact=True)
                yield Button("取消 (Esc)", id="flag-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-flag_comment", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#flag-save")
    def action_save(self) -> None:
        self.clear_errors()
        try:
            self.store.flag_item(self.item.id, True, self.query_one("#f-flag_comment", Input).value)
        except ValidationFailed as failure:
            self.show_failure(failure)
            return
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#flag-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
