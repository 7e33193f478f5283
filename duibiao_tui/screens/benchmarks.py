"""The shared library of benchmark enterprises: list, edit, and merge duplicates.

Officers type benchmark names on site, so the same company turns up twice (西门子 /
西门子（中国）有限公司). Merging points every row of the duplicates at the one kept.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select

from duibiao_tui.domain.items import BenchmarkEnterprise
from duibiao_tui.domain.reference import BENCHMARK_LEVELS
from duibiao_tui.errors import DuibiaoError, DuplicateError, ValidationFailed
from duibiao_tui.screens.base import DuibiaoModal, StoreAccess
from duibiao_tui.screens.drafts import DraftKeeping
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

MARK = "●"


class BenchmarkDialog(DraftKeeping, DuibiaoModal[BenchmarkEnterprise | None]):
    """Add or edit one benchmark enterprise; returns it, or None when cancelled."""

    DRAFT_KIND = "benchmark"

    BINDINGS = [
        Binding("ctrl+s", "save", "保存", id="benchmark-save"),
        Binding("escape", "cancel", "取消", id="benchmark-cancel"),
    ]

    def __init__(self, benchmark: BenchmarkEnterprise | None = None) -> None:
        super().__init__()
        self.benchmark = benchmark

    @property
    def draft_key(self) -> str:
        return self.benchmark.id if self.benchmark else "new"

    def compose(self) -> ComposeResult:
        b = self.benchmark
        with Vertical(id="benchmark-box", classes="dialog"):
            yield Label("修改标杆企业" if b else "新增标杆企业", classes="dialog-title")
            yield Label("名称", classes="field-label")
            yield TextInput(
                b.name if b else "", id="bm-name", placeholder="如 西门子（中国）有限公司"
            )
            yield Label("地址", classes="field-label")
            yield TextInput(b.address if b else "", id="bm-address", placeholder="如 北京")
            yield Label("类别", classes="field-label")
            yield Select(
                [(level, level) for level in BENCHMARK_LEVELS],
                value=b.level if b and b.level else Select.NULL,
                prompt="（未定）",
                id="bm-level",
            )
            yield Label("备注", classes="field-label")
            yield TextInput(b.notes if b else "", id="bm-notes")
            yield Label("", id="bm-error", classes="field-error -shown")
            with Horizontal(classes="dialog-buttons"):
                yield Button("保存 (Ctrl+S)", id="bm-save", variant="primary")
                yield Button("取消", id="bm-cancel")

    @on(Button.Pressed, "#bm-save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        name = self.query_one("#bm-name", Input).value
        address = self.query_one("#bm-address", Input).value
        level = self.query_one("#bm-level", Select).value
        notes = self.query_one("#bm-notes", Input).value
        level_value = level if isinstance(level, str) else None
        try:
            if self.benchmark:
                saved = self.store.update_benchmark(
                    self.benchmark.id, name=name, address=address, level=level_value, notes=notes
                )
            else:
                saved = self.store.add_benchmark(
                    name, address=address, level=level_value, notes=notes
                )
        except (ValidationFailed, DuplicateError, DuibiaoError) as error:
            self.query_one("#bm-error", Label).update(error.message)
            return
        self.dismiss(saved)

    @on(Button.Pressed, "#bm-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class BenchmarkLibraryScreen(StoreAccess, Screen[None]):
    """Lists the library; space marks duplicates, m merges them into the highlighted one."""

    CSS_PATH = "library.tcss"

    AUTO_FOCUS = "#benchmark-table"
    HELP_TEXT = (
        "标杆库：各企业情况表共用的标杆(优秀)企业。/ 搜索（名称、拼音首字母、地址），a 新增，"
        "e 或 Enter 修改，空格 标记重复项，m 把标记的各项合并到光标所在项（引用它们的对标项目随之改指），"
        "Esc 返回。"
    )
    BINDINGS = [
        Binding("slash", "search", "搜索", id="library-search"),
        Binding("a", "add", "新增", id="library-add"),
        Binding("e", "edit", "修改", id="library-edit"),
        Binding("space", "mark", "标记", tooltip="标记为重复项", id="library-mark"),
        Binding("m", "merge", "合并", tooltip="把标记的项合并到光标所在项", id="library-merge"),
        Binding("escape", "back", "返回", id="library-back"),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.marked: set[str] = set()
        self.rows: list[BenchmarkEnterprise] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("标杆库", classes="screen-title")
        yield TextInput(
            placeholder="搜索标杆企业：名称 / 拼音首字母 / 地址", id="library-filter", compact=True
        )
        yield Label("", id="library-status")
        yield VirtualTable(
            [
                Column("mark", "", 2),
                Column("name", "名称"),
                Column("address", "地址"),
                Column("level", "类别", 10),
                Column("items", "引用行数", 8),
            ],
            id="benchmark-table",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self, *, keep: str | None = None) -> None:
        table = self.query_one(VirtualTable)
        keep = keep or table.cursor_key
        self.rows = self.store.benchmarks(self.query_one("#library-filter", Input).value)
        table.set_rows(
            [b.id for b in self.rows],
            [
                (
                    MARK if b.id in self.marked else "",
                    b.name,
                    b.address,
                    b.level or "",
                    str(b.item_count),
                )
                for b in self.rows
            ],
        )
        if keep:
            table.move_cursor_to_key(keep)
        marked = f"，已标记 {len(self.marked)} 项（m 合并到光标所在项）" if self.marked else ""
        self.query_one("#library-status", Label).update(f"共 {len(self.rows)} 家标杆企业{marked}")

    @on(Input.Changed, "#library-filter")
    def filter_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#library-filter")
    def filter_done(self) -> None:
        self.query_one(VirtualTable).focus()

    def _current(self) -> BenchmarkEnterprise | None:
        key = self.query_one(VirtualTable).cursor_key
        return next((b for b in self.rows if b.id == key), None)

    def action_search(self) -> None:
        self.query_one("#library-filter", Input).focus()

    def action_add(self) -> None:
        self.app.push_screen(
            BenchmarkDialog(), lambda saved: self.reload(keep=saved.id if saved else None)
        )

    @on(VirtualTable.RowSelected, "#benchmark-table")
    def action_edit(self) -> None:
        current = self._current()
        if current:
            self.app.push_screen(BenchmarkDialog(current), lambda _: self.reload())

    def action_mark(self) -> None:
        current = self._current()
        if current:
            self.marked ^= {current.id}
            self.reload()
            self.query_one(VirtualTable).action_cursor_down()

    def action_merge(self) -> None:
        keep = self._current()
        merge = sorted(self.marked - {keep.id}) if keep else []
        if keep is None or not merge:
            self.notify("先用空格标记重复项，再把光标移到要保留的一项，按 m", severity="warning")
            return
        from duibiao_tui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                moved = self.store.merge_benchmarks(keep.id, merge)
            except DuibiaoError as error:
                self.show_error(error)
                return
            self.marked.clear()
            self.reload(keep=keep.id)
            self.notify(f"已合并 {len(merge)} 项到「{keep.name}」，{moved} 行对标项目随之改指")

        self.app.push_screen(
            ConfirmDialog(
                f"把标记的 {len(merge)} 项合并到「{keep.label}」？",
                confirm_label="合并",
                danger=True,
            ),
            answered,
        )

    def action_back(self) -> None:
        self.dismiss(None)
