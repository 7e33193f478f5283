"""Campaigns: the list, a new campaign for next year, switching the active one, and carrying
the open measures of one campaign into another.

Opened with ``c`` on the dashboard. The active campaign decides what every screen shows
(statuses, forms, measures), so switching asks first and closes the dialog: the dashboard
then shows the other campaign, and the other screens refresh when they are shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from duibiao_tui.domain.campaigns import CampaignInput, deadline_words
from duibiao_tui.domain.listing import Campaign
from duibiao_tui.errors import DuibiaoError, DuplicateError, ValidationFailed
from duibiao_tui.screens.base import DuibiaoModal
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.screens.form_support import FieldErrors
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

__all__ = ["ACTIVE_MARK", "CampaignDialog", "NewCampaignDialog"]

ACTIVE_MARK = "●"

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "活动名称", "如 2010年质量标杆对比活动"),
    ("doc_number", "文号", "如 镇质监质发[2010]xx号"),
    ("deadline", "报送截止日期", "如 2010-10-20"),
    ("issuer", "发文单位", "如 江苏省镇江质量技术监督局"),
    ("recipients", "报送对象", "如 一式两份，分别报质量处和质量科"),
)


def next_campaign_name(campaigns: list[Campaign]) -> str:
    """'2010年质量标杆对比活动' after a 2009 one (the officer may change it)."""
    years = [c.year for c in campaigns if c.year]
    return f"{max(years) + 1}年质量标杆对比活动" if years else ""


class NewCampaignDialog(DraftKeeping, FieldErrors, DuibiaoModal[Campaign | None]):
    """Name, 文号, deadline, issuer, recipients; returns the campaign created, or None."""

    DRAFT_KIND = "campaign"

    CSS_PATH = "dashboard.tcss"

    FIELD_KEYS: ClassVar[dict[str, str]] = {label: key for key, label, _ in FIELDS}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "保存", tooltip="建立活动", id="campaign-new-save"),
        Binding("escape", "cancel", "取消", id="campaign-new-cancel"),
    ]

    def compose(self) -> ComposeResult:
        campaigns = self.store.campaigns()
        try:
            active = self.store.active_campaign()
        except DuibiaoError:
            active = None
        values = {
            "name": next_campaign_name(campaigns),
            "issuer": active.issuer if active else "",
            "recipients": active.recipients if active else "",
        }
        with Vertical(id="campaign-new-box", classes="dialog"):
            yield Label("新建活动", classes="dialog-title")
            yield Label(
                "活动名称和报送截止日期必填；建立后可设为当前活动，并带入上一活动未完成的措施。",
                classes="dialog-hint",
            )
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    with Vertical(classes="form-cell"):
                        yield TextInput(
                            values.get(key, ""),
                            placeholder=placeholder,
                            id=f"f-{key}",
                            compact=True,
                        )
                        yield Label("", id=f"err-{key}", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("建立 (Ctrl+S)", id="campaign-new-save", variant="primary")
                yield Button("取消", id="campaign-new-cancel")

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    def value(self, key: str) -> str:
        return self.query_one(f"#f-{key}", Input).value

    @on(Button.Pressed, "#campaign-new-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        self.clear_errors()
        data = CampaignInput(
            name=self.value("name"),
            doc_number=self.value("doc_number"),
            deadline=self.value("deadline"),
            issuer=self.value("issuer"),
            recipients=self.value("recipients"),
        )
        try:
            campaign = self.store.add_campaign(data)
        except (ValidationFailed, DuplicateError) as failure:
            self.show_failure(failure)
            return
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.dismiss(campaign)

    @on(Button.Pressed, "#campaign-new-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def campaign_detail(campaign: Campaign, today_words: str) -> Table:
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    for key, value in (
        ("文号", campaign.doc_number),
        ("发文单位", campaign.issuer),
        ("报送截止", today_words),
        ("报送对象", campaign.recipients),
    ):
        table.add_row(key, Text(value or "—"))
    return table


class CampaignDialog(DuibiaoModal[bool]):
    """The campaigns, the active one marked; dismisses True when the active one changed."""

    CSS_PATH = "dashboard.tcss"
    AUTO_FOCUS = "#campaign-table"
    HELP_TEXT = (
        "活动：每年的质量标杆对比活动各有文号和报送截止日期，报送状态、情况表和措施都属于某一活动。"
        f"{ACTIVE_MARK} 标出当前活动（各屏幕显示的就是它）。Enter 把光标所在活动设为当前活动（先确认）；"
        "n 新建活动（建立后可设为当前，并把当前活动未完成的措施带入新活动）；"
        "m 把光标所在活动中未完成的措施带入当前活动（已带入过的不重复）；"
        "a 把光标所在活动的全部对标行带入当前活动，作为新一年情况表的起点（注明来源，"
        "企业页按 t 可逐年对比）；Esc 关闭。"
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "switch",
            "设为当前",
            tooltip="把光标所在活动设为当前活动",
            id="campaign-switch",
        ),
        Binding("n", "new", "新建", tooltip="新建下一年的活动", id="campaign-new"),
        Binding(
            "m",
            "carry",
            "带入措施",
            tooltip="把光标所在活动未完成的措施带入当前活动",
            id="campaign-carry",
        ),
        Binding(
            "a",
            "carry_all",
            "带入全部行",
            tooltip="把光标所在活动的全部对标行带入当前活动，作为新一年情况表的起点",
            id="campaign-carry-all",
        ),
        Binding("escape", "close", "关闭", id="campaign-close"),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.campaigns: list[Campaign] = []
        self.active_id: str | None = None
        self.switched = False

    def compose(self) -> ComposeResult:
        with Vertical(id="campaign-box", classes="dialog"):
            yield Label("活动", classes="dialog-title")
            yield VirtualTable(
                [
                    Column("mark", "", 2),
                    Column("name", "活动名称"),
                    Column("doc", "文号", 22),
                    Column("deadline", "报送截止", 10),
                ],
                id="campaign-table",
            )
            yield Static("", id="campaign-detail")
            yield Label(
                f"{ACTIVE_MARK} 当前活动 · Enter 设为当前 · n 新建 · m 带入措施 · Esc 关闭",
                classes="dialog-hint",
                id="campaign-keys",
            )

    def on_mount(self) -> None:
        self.reload()

    # -- the list ---------------------------------------------------------------------------

    def reload(self, *, keep: str | None = None) -> None:
        table = self.query_one("#campaign-table", VirtualTable)
        keep = keep or table.cursor_key
        self.campaigns = self.store.campaigns()
        try:
            self.active_id = self.store.active_campaign().id
        except DuibiaoError:
            self.active_id = None
        table.set_rows(
            [c.id for c in self.campaigns],
            [
                (
                    ACTIVE_MARK if c.id == self.active_id else "",
                    c.name,
                    c.doc_number,
                    c.deadline or "",
                )
                for c in self.campaigns
            ],
        )
        if not table.move_cursor_to_key(keep or self.active_id or ""):
            table.cursor_row = 0
        self.show_detail()

    @on(VirtualTable.RowHighlighted, "#campaign-table")
    def show_detail(self) -> None:
        current = self.current()
        detail = self.query_one("#campaign-detail", Static)
        if current is None:
            detail.update("")
            return
        detail.update(
            campaign_detail(current, deadline_words(current.deadline, self.store.today()))
        )

    def current(self) -> Campaign | None:
        key = self.query_one("#campaign-table", VirtualTable).cursor_key
        return next((c for c in self.campaigns if c.id == key), None)

    def active(self) -> Campaign | None:
        return next((c for c in self.campaigns if c.id == self.active_id), None)

    # -- switching --------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#campaign-table")
    def action_switch(self) -> None:
        target = self.current()
        if target is None:
            return
        if target.id == self.active_id:
            self.notify(f"「{target.name}」已是当前活动", timeout=3)
            return

        def answered(yes: bool | None) -> None:
            if yes and self.switch_to(target):
                self.dismiss(True)

        self.app.push_screen(
            ConfirmDialog(
                f"把当前活动切换为「{target.name}」？\n"
                "各屏幕将显示该活动的报送状态、情况表和措施。",
                confirm_label="切换",
            ),
            answered,
        )

    def switch_to(self, target: Campaign) -> bool:
        try:
            self.store.set_active_campaign(target.id)
        except DuibiaoError as error:
            self.show_error(error)
            return False
        self.switched = True
        self.notify(f"当前活动：{target.name}", title="已切换活动")
        self.reload(keep=target.id)
        return True

    # -- a new campaign ---------------------------------------------------------------------

    def action_new(self) -> None:
        self.app.push_screen(NewCampaignDialog(), self.created)

    def created(self, campaign: Campaign | None) -> None:
        if campaign is None:
            return
        previous = self.active()
        self.reload(keep=campaign.id)
        self.notify(f"已建立「{campaign.name}」", title="新活动")

        def answered(yes: bool | None) -> None:
            if yes:
                self.switch_to(campaign)
            if previous is not None:
                self.offer_carry_over(previous, campaign, then=self.close_if_switched)
            else:
                self.close_if_switched()

        question = f"把「{campaign.name}」设为当前活动？"
        if previous is not None:
            question += f"\n（当前活动是「{previous.name}」）"
        self.app.push_screen(
            ConfirmDialog(question, confirm_label="设为当前", cancel_label="暂不"), answered
        )

    def close_if_switched(self) -> None:
        if self.switched:
            self.dismiss(True)

    # -- carrying measures over ------------------------------------------------------------

    def action_carry_all(self) -> None:
        self.action_carry(all_rows=True)

    def action_carry(self, all_rows: bool = False) -> None:
        source, target = self.current(), self.active()
        if source is None or target is None:
            return
        if source.id == target.id:
            self.notify(
                "光标所在的就是当前活动：请把光标移到要带出措施的活动（通常是上一年的）再按 m",
                severity="warning",
            )
            return
        self.offer_carry_over(source, target, all_rows=all_rows)

    def offer_carry_over(
        self,
        source: Campaign,
        target: Campaign,
        *,
        then: Callable[[], None] | None = None,
        all_rows: bool = False,
    ) -> None:
        """Ask (saying how many) and copy the open measures of ``source`` into ``target``;
        ``then`` runs once the officer has answered (or when there is nothing to carry)."""
        after = then
        count = self.store.carry_over_count(source.id, target.id, all_rows=all_rows)
        what = "对标行" if all_rows else "未完成的措施"
        if count == 0:
            missing = "对标行" if all_rows else "未完成措施"
            self.notify(f"「{source.name}」没有需要带入的{missing}", timeout=4)
            if after:
                after()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                try:
                    copied = self.store.carry_over_measures(source.id, target.id, all_rows=all_rows)
                except DuibiaoError as error:
                    self.show_error(error)
                else:
                    self.notify(
                        f"已把 {copied} 条{what}带入「{target.name}」",
                        title="已带入措施",
                    )
            if after:
                after()

        self.app.push_screen(
            ConfirmDialog(
                f"把「{source.name}」中\n"
                + (f"全部 {count} 条对标行" if all_rows else f"未完成的 {count} 条措施")
                + f"带入「{target.name}」？\n"
                "每条复制为新活动情况表中的一行并注明来源"
                + ("。" if all_rows else "，\n已完成的不带入。"),
                confirm_label=f"带入 {count} 条",
                cancel_label="不带入",
            ),
            answered,
        )

    def action_close(self) -> None:
        self.dismiss(self.switched)
