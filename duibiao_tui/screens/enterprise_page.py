"""One enterprise's page: the 情况表 of the active campaign, header and rows.

The table shows the form's ten columns in the form's order; the row under the cursor is
shown in full below it (long measures wrap there), and incomplete rows carry a mark so the
officer sees what to ask for before leaving the site.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Label, Static

from duibiao_tui.domain.industry import label_for
from duibiao_tui.domain.items import BenchmarkItem
from duibiao_tui.domain.models import Enterprise
from duibiao_tui.domain.review import NOT_SUBMITTED, Submission
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.screens.base import StoreAccess
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

INCOMPLETE_MARK = "⚠"
FLAG_MARK = "⚑"
"""A row marked 有问题 during review (the same mark as on the review desk)."""

ITEM_COLUMNS = [
    Column("seq", "序号", 4),
    Column("mark", "", 2),
    Column("benchmark", "标杆(优秀)企业/地址"),
    Column("aspect", "项目", 12),
    Column("indicator", "指标内容"),
    Column("level", "标杆水平", 10),
    Column("result", "对比结果"),
    Column("measures", "提升计划和措施"),
    Column("department", "落实部门", 8),
    Column("due", "完成时间", 10),
    Column("remarks", "备注", 8),
]


def short_time(stamp: str) -> str:
    """'2009-10-08T09:30:00+08:00' → '2009-10-08 09:30', as officers write times."""
    return stamp[:16].replace("T", " ")


def header_table(enterprise: Enterprise) -> Table:
    """The 情况表 header: 对标单位, 地址, 所在行业, 主导产品; 单位填报人, 电话."""
    table = Table.grid(padding=(0, 2), expand=True)
    for _ in range(2):
        table.add_column(style="bold", no_wrap=True)
        table.add_column(ratio=1)
    industry = label_for(
        enterprise.industry_section, enterprise.industry_division, enterprise.industry_text
    )
    if enterprise.industry_division:
        industry = f"{enterprise.industry_division} {industry}"
    if enterprise.industry_text and enterprise.industry_text not in industry:
        industry += f"（原文：{enterprise.industry_text}）"
    phone = enterprise.phone_raw
    if enterprise.phone_e164 and enterprise.phone_e164 not in phone:
        phone += f"（{enterprise.phone_e164}）"
    code = enterprise.uscc or enterprise.org_code or enterprise.reg_no or "—"
    flags = "、".join(
        f
        for f, on in (
            ("名牌企业", enterprise.famous_brand),
            ("质量奖企业", enterprise.quality_award),
        )
        if on
    )
    rows = [
        ("对标单位", enterprise.name, "辖市区", enterprise.district_name or "未指定"),
        ("地址", enterprise.address, "所在行业", industry),
        ("主导产品", enterprise.main_products, "信用代码", code),
        ("单位填报人", enterprise.contact_name, "电话", phone),
    ]
    if flags or enterprise.notes:
        rows.append(("荣誉", flags, "备注", enterprise.notes))
    for k1, v1, k2, v2 in rows:
        table.add_row(k1, Text(v1 or "—"), k2, Text(v2 or "—"))
    return table


def header_line(enterprise: Enterprise) -> Text:
    """The header in one line, for short terminals: who, where, whom to call."""
    line = Text()
    line.append(enterprise.name, style="bold")
    parts = [enterprise.district_name or "未指定辖市区"]
    if enterprise.contact_name or enterprise.phone_raw:
        parts.append(f"填报人 {enterprise.contact_name} {enterprise.phone_raw}".rstrip())
    parts.append("h 表头")
    line.append("　" + "　".join(parts))
    return line


COLUMN_TIERS = (
    (110, tuple(c.key for c in ITEM_COLUMNS)),
    (96, ("seq", "mark", "benchmark", "aspect", "indicator", "level", "result", "measures", "due")),
    (0, ("seq", "mark", "aspect", "indicator", "benchmark", "measures", "due")),
)
"""The columns kept at each width, widest first. At 80 columns the officer still sees
whether each row has its benchmark, its measures and its date; the row in full is below."""
NARROW_WIDTHS = {"aspect": 8}
"""Fixed columns given fewer cells on a narrow page (the detail shows the full text)."""

SHORT_PAGE = 32
"""Below this many lines the header folds into one line and the detail pane shrinks."""


def columns_for(width: int) -> list[Column]:
    keys = next(keys for least, keys in COLUMN_TIERS if width >= least)
    by_key = {c.key: c for c in ITEM_COLUMNS}
    if width >= COLUMN_TIERS[0][0]:
        return [by_key[k] for k in keys]
    return [Column(k, by_key[k].label, NARROW_WIDTHS.get(k, by_key[k].width)) for k in keys]


def item_cells(item: BenchmarkItem, columns: list[Column]) -> tuple[str, ...]:
    cells = {
        "seq": str(item.seq),
        "mark": (FLAG_MARK if item.flagged else "") + (INCOMPLETE_MARK if item.missing else ""),
        "benchmark": item.benchmark_label,
        "aspect": item.aspect_label,
        "indicator": item.indicator,
        "level": item.benchmark_level,
        "result": " ".join(p for p in (item.verdict or "", item.result_text) if p),
        "measures": item.measures.replace("\n", " / "),
        "department": item.department,
        "due": item.due_date or item.due_text,
        "remarks": item.remarks,
    }
    return tuple(cells[c.key] for c in columns)


def item_detail(item: BenchmarkItem) -> Table:
    """The highlighted row in full, long texts wrapped."""
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    if item.flagged:  # first: the detail panel may be too short for everything below
        table.add_row(
            Text(f"{FLAG_MARK} 有问题", style="bold red"),
            Text(item.flag_comment or "（未写说明）", style="red"),
        )
    due = item.due_date or ""
    if item.due_text and item.due_text != due:
        due = f"{due}（原文：{item.due_text}）" if due else item.due_text
    for label, value in (
        ("标杆(优秀)企业/地址", item.benchmark_label),
        ("项目 / 指标内容", f"{item.aspect_label}　{item.indicator}"),
        ("标杆水平 / 对比结果", f"{item.benchmark_level}　{item.verdict or ''} {item.result_text}"),
        ("提升计划和措施", item.measures),
        ("落实部门 / 完成时间", f"{item.department}　{due}"),
        ("备注", item.remarks),
    ):
        table.add_row(label, Text(value.strip() or "—"))
    if item.missing:
        table.add_row(
            Text(f"{INCOMPLETE_MARK} 待补", style="bold yellow"),
            Text("、".join(item.missing), style="yellow"),
        )
    return table


def review_line(submission: Submission, recognitions: dict[str, int]) -> Text:
    """报送状态, 收到日期 and copies, 审核人, 最近意见 — and how many recognitions."""
    line = Text("报送状态：")
    line.append(submission.status, style="bold")
    if submission.status == NOT_SUBMITTED and not submission.reviewer:
        line.append("（s 登记报送）")
    if submission.received_date:
        got = f"　收到 {submission.received_date}（{submission.copies}"
        if submission.handed_in_by:
            got += f"，报送人 {submission.handed_in_by}"
        line.append(got + "）")
    if submission.reviewer:
        line.append(f"　审核人 {submission.reviewer}")
    if submission.last_comment:
        line.append(f"　意见：{submission.last_comment.replace(chr(10), ' / ')}")
    if recognitions:
        counts = "、".join(f"{kind} {n}" for kind, n in recognitions.items())
        line.append(f"　{counts}（r）")
    return line


class EnterprisePageScreen(StoreAccess, Screen[str | None]):
    """Shows one enterprise's 情况表; dismisses with "removed" when it is deleted here."""

    CSS_PATH = "page.tcss"

    AUTO_FOCUS = "#item-table"
    HELP_TEXT = (
        "企业页：当前活动的情况表。上方是表头（对标单位、地址、所在行业、主导产品、单位填报人、电话）、"
        "报送截止日期与报送状态；中间是对标项目，列与通知附件相同；下方显示光标所在行的全文。"
        f"{INCOMPLETE_MARK} 表示该行还缺内容（如完成时间、提升计划和措施），离开现场前请补齐；"
        f"{FLAG_MARK} 表示审核时标记为有问题的行，问题说明显示在下方。"
        "n 新增一行，Enter 或 e 修改，c 复制一行，Ctrl+↑/↓ 上移/下移（序号自动重排），"
        "Delete 删除；u 撤销上一次修改、复制、移动或删除，o 恢复未保存的草稿，h 修改企业表头信息，b 标杆库，"
        "Ctrl+D 删除本企业，Esc 返回。"
        "审核：s 修改报送状态（登记报送、审核通过、退回修改等，退回须填写意见），"
        f"! 标记/取消标记光标所在行有问题（{FLAG_MARK}），y 审核记录，r 推介与推荐申报。"
        "修改已通过的情况表会自动变为「已修改」，需重新审核。"
        "a 本企业的全部修改记录，i 光标所在行的修改记录（谁、何时、改前改后）；"
        "t 光标所在行的指标在历次活动中的标杆水平、对比结果与结论。"
    )
    # The footer shows the keys of a visit and of the review; the rest (row moves, drafts,
    # removing the enterprise) are in the help (F1) and the status line.
    BINDINGS = [
        Binding("n", "add_item", "新增行", tooltip="新增一行对标项目", id="page-add-item"),
        Binding("e", "edit_item", "修改行", tooltip="修改光标所在行", id="page-edit-item"),
        Binding("c", "duplicate_item", "复制行", tooltip="复制光标所在行", id="page-duplicate"),
        Binding(
            "ctrl+up",
            "move_item(-1)",
            "上移",
            tooltip="把本行上移一位",
            id="page-up",
            show=False,
        ),
        Binding(
            "ctrl+down",
            "move_item(1)",
            "下移",
            tooltip="把本行下移一位",
            id="page-down",
            show=False,
        ),
        Binding(
            "delete", "remove_item", "删除行", tooltip="删除本行（可撤销）", id="page-remove-item"
        ),
        Binding(
            "u", "undo_remove", "撤销", tooltip="撤销上一次修改、复制、移动或删除", id="page-undo"
        ),
        Binding(
            "o",
            "resume_draft",
            "草稿",
            tooltip="继续编辑未保存的草稿",
            id="page-draft",
            show=False,
        ),
        Binding("s", "change_status", "审核", tooltip="修改报送状态", id="page-change-status"),
        Binding(
            "exclamation_mark",
            "flag_item",
            "有问题",
            tooltip="标记/取消标记本行有问题",
            key_display="!",
            id="page-flag",
        ),
        Binding("y", "history", "审核记录", tooltip="报送与审核的历次记录", id="page-history"),
        Binding("r", "recognitions", "推介", tooltip="推介与推荐申报", id="page-recognition"),
        Binding(
            "a",
            "audit",
            "修改记录",
            tooltip="本企业的全部修改记录（谁、何时、改了什么）",
            id="page-audit",
            show=False,
        ),
        Binding(
            "t",
            "progress",
            "历年",
            tooltip="光标所在行的指标在历次活动中的对比",
            id="page-progress",
            show=False,
        ),
        Binding(
            "i",
            "audit_row",
            "本行记录",
            tooltip="光标所在行的修改记录",
            id="page-audit-row",
            show=False,
        ),
        Binding("h", "edit_enterprise", "表头", tooltip="修改企业信息", id="page-edit"),
        Binding("b", "benchmarks", "标杆库", tooltip="查看和整理标杆企业库", id="page-library"),
        Binding(
            "ctrl+d",
            "remove_enterprise",
            "删除企业",
            tooltip="删除本企业（可撤销）",
            id="page-remove",
            show=False,
        ),
        Binding("escape", "back", "返回", id="page-back"),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    def __init__(self, enterprise_id: str, *, item_id: str | None = None) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.focus_item = item_id
        """A row to put the cursor on when the page opens (from the list of flagged rows)."""
        self.items: list[BenchmarkItem] = []
        self.undo_steps: list[tuple[str, Callable[[], object], str]] = []
        """(what was done, how to take it back, the row to show afterwards), newest last:
        ``u`` takes back the last edit, copy, move or delete of a row."""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("", id="page-title", classes="screen-title")
        yield Static(id="page-header")
        yield Label("", id="page-header-line")
        yield Label("", id="page-status")
        yield Label("", id="page-review")
        yield VirtualTable(columns_for(self.app.size.width), id="item-table")
        yield Static(id="item-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_class(self.app.size.height < SHORT_PAGE, "-short")
        table = self.query_one(VirtualTable)
        table.placeholder = "（还没有对标项目：按 n 新增）"
        self.refresh_page(keep=self.focus_item)
        self.call_after_refresh(self.offer_draft)

    # -- data -----------------------------------------------------------------------

    def refresh_page(self, *, keep: str | None = None) -> None:
        enterprise = self.store.get_enterprise(self.enterprise_id)
        campaign = self.store.active_campaign()
        submission = self.store.submission(self.enterprise_id)
        self.query_one("#page-title", Label).update(
            f"镇江市工业企业质量标杆对比活动情况表　{campaign.name}（{campaign.doc_number}）"
        )
        self.query_one("#page-header", Static).update(header_table(enterprise))
        self.query_one("#page-header-line", Label).update(header_line(enterprise))
        self.reload_items(keep=keep)
        incomplete = sum(1 for item in self.items if item.missing)
        flagged = sum(1 for item in self.items if item.flagged)
        drafts = len(self.store.drafts_for(self.enterprise_id))
        parts = [f"报送截止 {campaign.deadline}", f"对标项目 {len(self.items)} 行"]
        if incomplete:
            parts.append(f"{INCOMPLETE_MARK} 待补 {incomplete} 行")
        if flagged:
            parts.append(f"{FLAG_MARK} 有问题 {flagged} 行")
        if drafts:
            parts.append(f"草稿 {drafts} 条（o 恢复）")
        changed_at, changed_by = self.store.form_last_change(self.enterprise_id)
        parts.append(f"最近修改 {short_time(changed_at)} {changed_by}")
        self.query_one("#page-status", Label).update("　·　".join(parts))
        recognitions: dict[str, int] = {}
        for recognition in self.store.recognitions_for(self.enterprise_id):
            recognitions[recognition.kind] = recognitions.get(recognition.kind, 0) + 1
        self.query_one("#page-review", Label).update(review_line(submission, recognitions))

    def reload_items(self, *, keep: str | None = None) -> None:
        table = self.query_one(VirtualTable)
        keep = keep or table.cursor_key
        self.items = self.store.items_for(self.enterprise_id)
        columns = list(table.columns)
        table.set_rows([i.id for i in self.items], [item_cells(i, columns) for i in self.items])
        if keep:
            table.move_cursor_to_key(keep)
        self.show_detail(table.cursor_key)

    def on_resize(self) -> None:
        self.set_class(self.app.size.height < SHORT_PAGE, "-short")
        table = self.query_one(VirtualTable)
        columns = columns_for(self.app.size.width)
        if [c.key for c in columns] != [c.key for c in table.columns]:
            table.set_columns(columns)
            self.reload_items()

    @on(VirtualTable.RowHighlighted, "#item-table")
    def highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        self.show_detail(event.key)

    def show_detail(self, key: str | None) -> None:
        item = next((i for i in self.items if i.id == key), None)
        detail = self.query_one("#item-detail", Static)
        detail.update(item_detail(item) if item else "")
        detail.display = item is not None

    def _current(self) -> BenchmarkItem | None:
        key = self.query_one(VirtualTable).cursor_key
        return next((i for i in self.items if i.id == key), None)

    # -- rows -----------------------------------------------------------------------

    def _open_editor(self, **kwargs: object) -> None:
        from duibiao_tui.screens.item_editor import ItemEditorScreen

        item_id = kwargs.get("item_id")
        before = self.store.get_item(item_id) if isinstance(item_id, str) else None

        def closed(saved: str | None) -> None:
            if before is not None and saved == before.id:
                after = self.store.get_item(saved)
                if after.version != before.version:
                    self._undoable(
                        f"修改第 {after.seq} 行",
                        lambda: self.store.update_item(
                            after.id,
                            before.to_input(),
                            base=after.to_input(),
                            base_version=after.version,
                        ),
                        after.id,
                    )
            self.refresh_page(keep=saved)

        self.app.push_screen(ItemEditorScreen(self.enterprise_id, **kwargs), closed)  # type: ignore[arg-type]

    def action_add_item(self) -> None:
        self._open_editor()

    @on(VirtualTable.RowSelected, "#item-table")
    def action_edit_item(self) -> None:
        item = self._current()
        if item:
            self._open_editor(item_id=item.id, values=item.to_input())

    def offer_draft(self) -> None:
        """A row typed but never saved (screen left, app killed) is offered back first."""
        drafts = self.store.drafts_for(self.enterprise_id)
        if not drafts:
            return
        draft = drafts[0]
        from duibiao_tui.screens.dialogs import ConfirmDialog

        summary = (
            draft.values.indicator
            or draft.values.aspect
            or draft.values.benchmark_text
            or "（空行）"
        )

        def answered(resume: bool | None) -> None:
            if resume:
                self.resume(draft.id)

        self.app.push_screen(
            ConfirmDialog(
                f"有一行未保存的草稿（{summary}，{short_time(draft.updated_at)}）。继续编辑？"
                "选「稍后」会保留草稿，可随时按 o 恢复。",
                confirm_label="继续编辑",
                cancel_label="稍后",
            ),
            answered,
        )

    def resume(self, draft_id: str) -> None:
        draft = next(
            (d for d in self.store.drafts_for(self.enterprise_id) if d.id == draft_id), None
        )
        if draft is not None:
            self._open_editor(item_id=draft.item_id, values=draft.values, draft_id=draft.id)

    def action_resume_draft(self) -> None:
        drafts = self.store.drafts_for(self.enterprise_id)
        if not drafts:
            self.notify("没有未保存的草稿")
            return
        self.resume(drafts[0].id)

    def _attempt(self, action: str, *args: object) -> object:
        try:
            return getattr(self.store, action)(*args)
        except DuibiaoError as error:
            self.show_error(error)
            return None

    def _undoable(self, what: str, undo: Callable[[], object], row_id: str) -> None:
        """Remember how to take back what was just done, and say so."""
        self.undo_steps.append((what, undo, row_id))
        del self.undo_steps[:-50]
        self.notify(f"已{what}，按 u 撤销", title="已完成")

    def action_duplicate_item(self) -> None:
        item = self._current()
        if item and (copy := self._attempt("duplicate_item", item.id)):
            copy_id = copy.id  # type: ignore[attr-defined]
            self.refresh_page(keep=copy_id)
            self._undoable(
                f"复制第 {item.seq} 行", lambda: self.store.remove_item(copy_id), item.id
            )

    def action_move_item(self, delta: int) -> None:
        item = self._current()
        if item is None:
            return
        before = item.seq
        self._attempt("move_item", item.id, delta)
        self.refresh_page(keep=item.id)  # 最近修改 moves on too
        moved = next((i for i in self.items if i.id == item.id), item)
        if moved.seq != before:
            self._undoable(
                f"把第 {before} 行移到第 {moved.seq} 行",
                lambda: self.store.move_item(item.id, before - moved.seq),
                item.id,
            )

    def action_remove_item(self) -> None:
        item = self._current()
        if item is None:
            return
        try:
            self.store.remove_item(item.id)
        except DuibiaoError as error:  # read-only, busy: nothing was removed
            self.show_error(error)
            return
        self.refresh_page()
        self._undoable(
            f"删除第 {item.seq} 行（{item.indicator}）",
            lambda: self.store.restore_item(item.id),
            item.id,
        )

    def action_undo_remove(self) -> None:
        """``u``: take back the last edit, copy, move or delete of a row on this page."""
        if not self.undo_steps:
            self.notify("没有可撤销的操作")
            return
        what, undo, row_id = self.undo_steps.pop()
        try:
            undo()
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.refresh_page(keep=row_id)
        self.notify(f"已撤销：{what}")

    # -- the enterprise ---------------------------------------------------------------

    def action_edit_enterprise(self) -> None:
        from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen

        def saved(result: str | None) -> None:
            if result:
                self.refresh_page()

        self.app.push_screen(
            EnterpriseFormScreen(self.store.get_enterprise(self.enterprise_id)), saved
        )

    def action_benchmarks(self) -> None:
        from duibiao_tui.screens.benchmarks import BenchmarkLibraryScreen

        self.app.push_screen(BenchmarkLibraryScreen(), lambda _: self.refresh_page())

    def action_remove_enterprise(self) -> None:
        from duibiao_tui.screens.dialogs import ConfirmDialog

        enterprise = self.store.get_enterprise(self.enterprise_id)

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.remove_enterprise(self.enterprise_id)
            except DuibiaoError as error:
                self.show_error(error)
                return
            self.dismiss("removed")

        self.app.push_screen(
            ConfirmDialog(
                f"删除「{enterprise.name}」？删除后可在名录按 Ctrl+Z 撤销，或在已删除列表（Ctrl+R）中恢复。",
                confirm_label="删除",
                danger=True,
            ),
            answered,
        )

    # -- review ---------------------------------------------------------------------------

    def action_change_status(self) -> None:
        from duibiao_tui.screens.status_dialog import StatusDialog

        self.app.push_screen(StatusDialog([self.enterprise_id]), lambda _: self.refresh_page())

    def action_flag_item(self) -> None:
        item = self._current()
        if item is None:
            self.notify("没有对标项目可标记", severity="warning")
            return
        if not item.flagged:
            from duibiao_tui.screens.status_dialog import FlagDialog

            def flagged(saved: bool | None) -> None:
                self.refresh_page(keep=item.id)
                if saved:
                    self.notify(f"第 {item.seq} 行已标记为有问题", title=FLAG_MARK)

            self.app.push_screen(FlagDialog(item), flagged)
            return
        from duibiao_tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.store.flag_item(item.id, False)
            except DuibiaoError as error:
                self.show_error(error)
                return
            self.refresh_page(keep=item.id)
            self.notify(f"已取消第 {item.seq} 行的有问题标记")

        self.app.push_screen(
            ConfirmDialog(
                f"取消第 {item.seq} 行的「有问题」标记？（{item.flag_comment}）",
                confirm_label="取消标记",
                cancel_label="保留",
            ),
            answered,
        )

    def action_history(self) -> None:
        from duibiao_tui.screens.status_dialog import HistoryDialog

        self.app.push_screen(HistoryDialog(self.enterprise_id))

    def action_audit(self) -> None:
        from duibiao_tui.screens.history import HistoryScreen

        name = self.store.get_enterprise(self.enterprise_id).name
        self.app.push_screen(HistoryScreen(self.enterprise_id, title=f"{name}　·　修改记录"))

    def action_progress(self) -> None:
        from duibiao_tui.screens.progress_dialog import ProgressDialog

        key = self.query_one(VirtualTable).cursor_key
        item = next((i for i in self.items if i.id == key), None)
        if item is None:
            self.notify("光标不在对标项目行上", severity="warning")
            return
        self.app.push_screen(ProgressDialog(item.id, f"{item.aspect_label}·{item.indicator}"))

    def action_audit_row(self) -> None:
        from duibiao_tui.screens.history import HistoryScreen

        key = self.query_one(VirtualTable).cursor_key
        item = next((i for i in self.items if i.id == key), None)
        if item is None:
            self.notify("光标不在对标项目行上", severity="warning")
            return
        self.app.push_screen(
            HistoryScreen(
                self.enterprise_id,
                item_id=item.id,
                title=f"第{item.seq}行 {item.indicator}　·　修改记录",
            )
        )

    def action_recognitions(self) -> None:
        from duibiao_tui.screens.recognition_dialog import RecognitionDialog

        self.app.push_screen(RecognitionDialog(self.enterprise_id), lambda _: self.refresh_page())

    def action_back(self) -> None:
        self.dismiss(None)
