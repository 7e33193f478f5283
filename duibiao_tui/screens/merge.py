"""Merging district databases into the city's, and settling what the merge could not.

The officer gives one or more district databases or packages (``.duibiao``: a compressed
copy; a plain ``.db`` package of an earlier release is read too); Enter shows what a merge
would do (a dry run: added, updated, unchanged, in conflict, waiting, per district and
table), ``m`` merges after a confirmation (this database is backed up before the merge
commits, when it changes anything). Below,
every conflict and duplicate enterprise waiting in this database — from this screen or from
``duibiao-tui merge`` — with both versions side by side: keep this database's row, take the
district's, or pick field by field; a duplicate enterprise is confirmed as the same one
(its rows join the local enterprise) or kept as a second enterprise.

Merges and previews run in a worker thread on a connection of their own, so a city-sized
merge does not freeze the screen.
"""

from __future__ import annotations

import shlex
import sqlite3
from collections.abc import Callable
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Button, Input, Label, RadioSet, Static

from duibiao_tui.domain.merge import OUTCOMES, ConflictRecord, MergeReport
from duibiao_tui.errors import DuibiaoError, DuplicateError, ValidationFailed
from duibiao_tui.screens.base import DuibiaoModal, DuibiaoScreen
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.form_support import FieldErrors
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.toggles import RadioButton
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

__all__ = ["FieldChoiceDialog", "MergeScreen", "TwoEnterprisesDialog", "parse_paths"]

REPORT_COLUMNS = [
    Column("district", "辖市区", 10),
    Column("table", "表", 10),
    *(Column(o, o, 7) for o in OUTCOMES),
]
CONFLICT_COLUMNS = [
    Column("kind", "类型", 8),
    Column("table", "表", 8),
    Column("title", "记录"),
    Column("district", "辖市区", 8),
    Column("local", "本库最后修改", 24),
    Column("incoming", "来件最后修改", 24),
]
NARROW_KEYS = ("kind", "title", "district")
WIDE_LAYOUT = 100
"""From this many columns on, the list also shows the table and who changed each side
when (below, the detail shows them)."""
DETAIL_FIELDS = 8
"""Differing fields shown under the list (all of them in the field-by-field dialog)."""


def conflict_columns(width: int) -> list[Column]:
    if width >= WIDE_LAYOUT:
        return CONFLICT_COLUMNS
    return [c for c in CONFLICT_COLUMNS if c.key in NARROW_KEYS]


def conflict_cells(record: ConflictRecord, columns: list[Column]) -> tuple[str, ...]:
    cells = {
        "kind": record.kind_label,
        "table": record.table_label,
        "title": record.title,
        "district": record.district,
        "local": record.local_stamp,
        "incoming": record.incoming_stamp,
    }
    return tuple(cells[c.key] for c in columns)


def parse_paths(text: str) -> list[Path]:
    """File names typed in one line: separated by spaces, quoted when they hold one."""
    text = text.strip()
    if not text:
        return []
    try:
        parts = shlex.split(text, posix="\\" not in text)
    except ValueError:
        parts = text.split()
    return [Path(p.strip("\"'")).expanduser() for p in parts if p.strip("\"'")]


def conflict_detail(record: ConflictRecord) -> Group:
    """What waits, then both versions of the row: the fields that differ side by side."""
    head = Text(f"{record.kind_label}：{record.table_label}「{record.title}」", style="bold")
    head.append(f"（{record.district}）{record.reason}", style="not bold")
    if record.source_label:
        head.append(f"　来自：{record.source_label}", style="not bold dim")
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(ratio=1)
    table.add_row("", Text("本库", style="bold"), Text("来件", style="bold"))
    table.add_row("最后修改", record.local_stamp, record.incoming_stamp)
    diffs = record.differences()
    for diff in diffs[:DETAIL_FIELDS]:
        table.add_row(diff.label, diff.local_text, diff.incoming_text)
    if len(diffs) > DETAIL_FIELDS:
        table.add_row("", f"……另有 {len(diffs) - DETAIL_FIELDS} 个字段不同", "")
    parts: list[Text | Table] = [head, table]
    if record.is_duplicate and record.waiting:
        parts.append(Text(f"来件的 {record.waiting} 行（情况表、报送等）待确认后写入。"))
    return Group(*parts)


class FieldChoiceDialog(DuibiaoModal[dict[str, str] | None]):
    """Field by field: this database's value or the district's. Returns column → side."""

    BINDINGS = [
        Binding("escape", "cancel", "取消", show=False),
        Binding("ctrl+s", "apply", "采用所选", show=False),
    ]

    def __init__(self, record: ConflictRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice-box"):
            yield Label(f"逐项选择：{self.record.title}", classes="dialog-title")
            yield Label(
                f"本库：{self.record.local_stamp}；来件：{self.record.incoming_stamp}。"
                "每个字段选一方（↑↓），Ctrl+S 保存；未列出的字段两边相同。",
                classes="dialog-hint",
            )
            with VerticalScroll(id="choice-fields", can_focus=False):
                for diff in self.record.differences():
                    yield Label(diff.label, classes="choice-label")
                    with RadioSet(id=f"choice-{diff.column}"):
                        yield RadioButton(f"本库：{diff.local_text}", value=True)
                        yield RadioButton(f"来件：{diff.incoming_text}")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存所选", id="choice-apply", variant="primary")
                yield Button("取消", id="choice-cancel")

    def on_mount(self) -> None:
        sets = self.query(RadioSet)
        if sets:
            sets.first().focus()

    def choices(self) -> dict[str, str]:
        return {
            diff.column: (
                "incoming"
                if self.query_one(f"#choice-{diff.column}", RadioSet).pressed_index == 1
                else "local"
            )
            for diff in self.record.differences()
        }

    @on(Button.Pressed, "#choice-apply")
    def action_apply(self) -> None:
        self.dismiss(self.choices())

    @on(Button.Pressed, "#choice-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TwoEnterprisesDialog(FieldErrors, DuibiaoModal[MergeReport | None]):
    """Keep a duplicate as a second enterprise: change its name or credit code so the two
    can be told apart, then add it (with its waiting rows)."""

    FIELD_KEYS = {"名称": "name", "统一社会信用代码": "uscc"}
    BINDINGS = [
        Binding("escape", "cancel", "取消", show=False),
        Binding("ctrl+s", "save", "添加", show=False),
    ]

    def __init__(self, record: ConflictRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        incoming = self.record.incoming
        with Vertical(classes="dialog", id="two-box"):
            yield Label("作为另一家企业添加", classes="dialog-title")
            yield Label(
                f"来件「{incoming.get('name')}」与本库「{self.record.local.get('name')}」"
                f"{self.record.reason}。两家企业在同一辖市区不能同名，信用代码也不能相同："
                "请修改来件企业的名称或信用代码（留空表示未知）。",
                classes="dialog-hint",
            )
            yield Label("名称", classes="field-label")
            yield TextInput(str(incoming.get("name") or ""), id="f-name")
            yield Label("", id="err-name", classes="field-error")
            yield Label("统一社会信用代码", classes="field-label")
            yield TextInput(str(incoming.get("uscc") or ""), id="f-uscc")
            yield Label("", id="err-uscc", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("添加", id="two-save", variant="primary")
                yield Button("取消", id="two-cancel")

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#two-save")
    def action_save(self) -> None:
        from duibiao_tui.store.merge import confirm_duplicate

        self.clear_errors()
        try:
            report = confirm_duplicate(
                self.store,
                self.record.id,
                False,
                name=self.query_one("#f-name", Input).value,
                credit_code=self.query_one("#f-uscc", Input).value,
            )
        except (ValidationFailed, DuplicateError) as failure:
            self.show_failure(failure)
            return
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.dismiss(report)

    @on(Button.Pressed, "#two-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class MergeScreen(DuibiaoScreen):
    """Preview and run a merge; settle the conflicts and duplicates it left."""

    CSS_PATH = "merge.tcss"
    HELP_TEXT = (
        "合并辖区数据库：在上方输入一个或多个辖市区数据库或数据包的路径，"
        "用空格分隔（含空格的路径加引号），Enter 预览合并结果（不写入）。数据包（.duibiao）"
        "是 duibiao-tui package 打出的压缩文件，合并时自动解压读取；早期版本的 .db 数据包"
        "和辖市区数据库本身也可直接合并；文件不完整或已损坏时拒绝合并，本库不变。"
        "m 合并（整个合并是一个事务；有改动时写入前自动备份本库，同一数据包再合并一次"
        "没有任何改变，也不备份）。只有一方改过的记录取改过的一方；上次合并后双方都改过的列为冲突，"
        "两次登记的同一企业（信用代码相同，或同一辖市区同名）列为重复企业——这两类不会写入，"
        "列在下方，逐条处理：冲突按 l 保留本库、i 采用来件、e 逐项选择；"
        "重复企业按 s 确认是同一企业（以后的合并也按此对应，来件的情况表等并入本库企业）、"
        "b 作为另一家企业添加（需改名称或信用代码）。o 回到路径输入，Tab 在各表之间切换。"
        "命令行：duibiao-tui package / merge。"
    )
    BINDINGS = [
        Binding("o", "focus_path", "文件", tooltip="输入要合并的文件路径", id="merge-path"),
        Binding("m", "merge", "合并", tooltip="合并所列文件（先备份）", id="merge-run"),
        Binding("l", "keep_local", "保留本库", tooltip="冲突：保留本库的记录", id="merge-local"),
        Binding("i", "take_incoming", "采用来件", tooltip="冲突：采用来件的记录", id="merge-in"),
        Binding("e", "pick_fields", "逐项", tooltip="冲突：逐个字段选择", id="merge-pick"),
        Binding("s", "same", "同一企业", tooltip="重复企业：确认是同一家", id="merge-same"),
        Binding("b", "both", "两家", tooltip="重复企业：作为另一家添加", id="merge-both"),
        Binding("escape", "back", "返回", id="merge-back"),
    ]

    def __init__(self, paths: list[Path] | list[str] | tuple[Path | str, ...] = ()) -> None:
        super().__init__()
        self.initial = [Path(p) for p in paths]
        self.paths: list[Path] = []
        """The files of the last preview: ``m`` merges these."""
        self.preview: MergeReport | None = None
        self.conflicts: list[ConflictRecord] = []
        self.busy = False
        self._wide = True

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("合并辖区数据库", classes="screen-title")
        yield TextInput(
            " ".join(shlex.quote(str(p)) for p in self.initial),
            placeholder="辖市区数据库或数据包路径（可多个，空格分隔），Enter 预览",
            id="merge-files",
        )
        yield Label("输入文件路径后按 Enter 预览；预览不写入任何内容。", id="merge-status")
        report = VirtualTable(REPORT_COLUMNS, id="merge-report")
        report.placeholder = "（尚未预览）"
        yield report
        yield Label("待处理的冲突与重复企业", id="merge-conflicts-title")
        self._wide = self.app.size.width >= WIDE_LAYOUT
        conflicts = VirtualTable(conflict_columns(self.app.size.width), id="merge-conflicts")
        conflicts.placeholder = "（没有待处理的冲突）"
        yield conflicts
        with VerticalScroll(id="merge-detail-box"):
            yield Static(id="merge-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload_conflicts()
        if self.initial:
            self.start_preview(self.initial)
        elif self.conflicts:
            self.query_one("#merge-conflicts", VirtualTable).focus()
        else:
            self.query_one("#merge-files", Input).focus()

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE_LAYOUT
        if wide != self._wide:
            self._wide = wide
            self.query_one("#merge-conflicts", VirtualTable).set_columns(
                conflict_columns(event.size.width)
            )
            self.reload_conflicts()

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        record = self.current
        if action in ("keep_local", "take_incoming", "pick_fields"):
            return record is not None and not record.is_duplicate and not self.busy
        if action in ("same", "both"):
            return record is not None and record.is_duplicate and not self.busy
        if action == "merge":
            return bool(self.paths) and not self.busy
        return True

    @property
    def current(self) -> ConflictRecord | None:
        if not self.is_mounted:
            return None
        key = self.query_one("#merge-conflicts", VirtualTable).cursor_key
        return next((c for c in self.conflicts if c.id == key), None)

    def action_focus_path(self) -> None:
        self.query_one("#merge-files", Input).focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- preview and merge -------------------------------------------------------------------

    @on(Input.Submitted, "#merge-files")
    def submitted(self, event: Input.Submitted) -> None:
        paths = parse_paths(event.value)
        if not paths:
            self.notify("请输入要合并的文件路径", title="合并", severity="warning")
            return
        missing = [p for p in paths if not p.is_file()]
        if missing:
            self.notify(
                "找不到：" + "、".join(str(p) for p in missing),
                title="文件路径",
                severity="error",
                timeout=8,
            )
            return
        self.start_preview(paths)

    def start_preview(self, paths: list[Path]) -> None:
        if self.busy:
            return
        self.paths = []
        self.preview = None
        self._status("正在预览…")
        self.busy = True
        self.refresh_bindings()
        self._run(paths, True)

    def action_merge(self) -> None:
        if not self.paths or self.busy:
            return
        report = self.preview
        counts = ""
        if report is not None:
            counts = f"\n将新增 {report.total('新增')} 行、更新 {report.total('更新')} 行。"
            waiting = report.total("冲突") + report.total("待确认")
            if waiting:
                counts += f"\n冲突与待确认的 {waiting} 行不写入，留在下表处理。"
        names = "、".join(p.name for p in self.paths)

        def answered(yes: bool | None) -> None:
            if yes:
                self._status("正在合并…（有改动时写入前先备份本数据库）")
                self.busy = True
                self.refresh_bindings()
                self._run(list(self.paths), False)

        self.app.push_screen(
            ConfirmDialog(
                f"把 {len(self.paths)} 个文件合并到本数据库？\n{names}{counts}\n"
                "有改动时写入前会自动备份本数据库；整个合并是一个事务。",
                confirm_label="合并",
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="merge")
    def _run(self, paths: list[Path], dry_run: bool) -> None:
        from duibiao_tui.store.merge import merge_files
        from duibiao_tui.store.store import Store

        store = self.store
        try:
            own: Store | None = None
            if store.path is not None:
                own = Store.open(
                    store.path, officer=store.officer, clock=store.clock, quick_check=False
                )
            try:
                report = merge_files(
                    own or store,
                    paths,
                    dry_run=dry_run,
                    keep=self.duibiao.config.backups_keep,
                )
            finally:
                if own is not None:
                    own.close()
        except DuibiaoError as error:
            self.app.call_from_thread(self._failed, error)
            return
        except sqlite3.Error as error:  # e.g. the file stayed locked by another window
            failure = DuibiaoError(f"未合并任何内容：{error}", "合并失败")
            self.app.call_from_thread(self._failed, failure)
            return
        self.app.call_from_thread(self._done, paths, report)

    def _failed(self, error: DuibiaoError) -> None:
        self.busy = False
        self._status(f"{error.title}：{error.message}")
        self.show_error(error)
        self.refresh_bindings()

    def _done(self, paths: list[Path], report: MergeReport) -> None:
        self.busy = False
        self.show_report(report)
        if report.dry_run:
            self.paths = paths
            self.preview = report
            self._status(f"{report.summary()}。按 m 合并。")
        else:
            self.paths = []
            self.preview = None
            self._status(f"已合并：{report.summary()}")
            self.notify(
                f"已合并 {len(paths)} 个文件；待处理 {report.unresolved} 项",
                title="合并",
            )
            self.reload_conflicts()
        if report.conflicts and not report.dry_run:
            self.query_one("#merge-conflicts", VirtualTable).focus()
        else:
            self.query_one("#merge-report", VirtualTable).focus()
        self.refresh_bindings()

    def show_report(self, report: MergeReport) -> None:
        order = [d.name for d in self.store.districts()]
        rows = report.rows(order)
        self.query_one("#merge-report", VirtualTable).set_rows(
            [f"{d}/{t}" for d, t, _ in rows],
            [(d, t, *(str(n) for n in counts)) for d, t, counts in rows],
        )

    def _status(self, text: str) -> None:
        self.query_one("#merge-status", Label).update(text)

    # -- conflicts ---------------------------------------------------------------------------

    def reload_conflicts(self) -> None:
        from duibiao_tui.store.merge import open_conflicts

        table = self.query_one("#merge-conflicts", VirtualTable)
        keep = table.cursor_key
        self.conflicts = open_conflicts(self.store)
        columns = list(table.columns)
        table.set_rows(
            [c.id for c in self.conflicts], [conflict_cells(c, columns) for c in self.conflicts]
        )
        if keep:
            table.move_cursor_to_key(keep)
        title = f"待处理的冲突与重复企业（{len(self.conflicts)}）"
        self.query_one("#merge-conflicts-title", Label).update(title)
        self.show_detail()

    @on(VirtualTable.RowHighlighted, "#merge-conflicts")
    def show_detail(self) -> None:
        record = self.current
        detail = self.query_one("#merge-detail", Static)
        if record is None:
            detail.update("")
        else:
            detail.update(conflict_detail(record))
        self.refresh_bindings()

    def _settle(self, call: Callable[[], object], done: str) -> None:
        """Run a resolution, then show the list again; errors as a notification."""
        try:
            result = call()
        except DuibiaoError as error:
            self.show_error(error)
            return
        self.reload_conflicts()
        if isinstance(result, MergeReport) and result.conflicts:
            self.notify(
                f"{done}；写入的行又带来 {len(result.conflicts)} 项冲突，已列入下表",
                title="合并",
                severity="warning",
            )
        else:
            self.notify(done, title="合并")

    def action_keep_local(self) -> None:
        from duibiao_tui.store.merge import resolve_conflict

        record = self.current
        if record is None or record.is_duplicate:
            return
        self._settle(
            lambda: resolve_conflict(self.store, record.id, "local"),
            f"已保留本库的「{record.title}」",
        )

    def action_take_incoming(self) -> None:
        from duibiao_tui.store.merge import resolve_conflict

        record = self.current
        if record is None or record.is_duplicate:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._settle(
                    lambda: resolve_conflict(self.store, record.id, "incoming"),
                    f"已采用来件的「{record.title}」",
                )

        fields = "、".join(d.label for d in record.differences()) or "（无字段不同）"
        self.app.push_screen(
            ConfirmDialog(
                f"用来件（{record.incoming_stamp}）覆盖本库的「{record.title}」？\n"
                f"将改变：{fields}",
                confirm_label="采用来件",
                danger=True,
            ),
            answered,
        )

    def action_pick_fields(self) -> None:
        from duibiao_tui.store.merge import resolve_conflict

        record = self.current
        if record is None or record.is_duplicate:
            return

        def chosen(fields: dict[str, str] | None) -> None:
            if fields is not None:
                self._settle(
                    lambda: resolve_conflict(self.store, record.id, "edit", fields),
                    f"已按所选保存「{record.title}」",
                )

        self.app.push_screen(FieldChoiceDialog(record), chosen)

    def action_same(self) -> None:
        from duibiao_tui.store.merge import confirm_duplicate

        record = self.current
        if record is None or not record.is_duplicate:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._settle(
                    lambda: confirm_duplicate(self.store, record.id, True),
                    f"已确认「{record.title}」是本库的同一企业",
                )

        waiting = f"来件的 {record.waiting} 行将并入本库的这家企业；" if record.waiting else ""
        self.app.push_screen(
            ConfirmDialog(
                f"来件「{record.incoming.get('name')}」就是本库的「{record.local.get('name')}」？\n"
                f"{waiting}以后的合并也按此对应。",
                confirm_label="是同一企业",
            ),
            answered,
        )

    def action_both(self) -> None:
        record = self.current
        if record is None or not record.is_duplicate:
            return

        def added(report: MergeReport | None) -> None:
            if report is not None:
                self._settle(lambda: report, f"已作为另一家企业添加「{record.title}」")

        self.app.push_screen(TwoEnterprisesDialog(record), added)
