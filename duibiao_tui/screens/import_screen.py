"""Import an enterprise list or filled 情况表 from a spreadsheet: preview first, then write.

The officer types (or picks from the current folder) a file; the screen reads it in a
worker thread on a connection of its own (so a large file never freezes the screen),
guesses what it is (企业名单 or 情况表, changeable), and shows the preview: how many
enterprises and rows are new, updated, unchanged and refused, every refusal with its sheet,
row, column and reason. "全部导入" writes everything (only when nothing is refused);
"只导入有效行" writes the good rows and puts the refused ones in an error workbook beside
the file. Either asks first, saying how many, takes a backup of the database and writes
in one transaction, again in a worker thread with a progress bar.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, ProgressBar, Select
from textual.widgets.option_list import Option

from duibiao_tui.errors import DuibiaoError
from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from duibiao_tui.excel.enterprise_import import ImportPlan, Mode, Problem
    from duibiao_tui.excel.form_import import FormImportPlan
    from duibiao_tui.store.store import Store

__all__ = ["ImportScreen", "KINDS", "MODES", "folder_files"]

PATTERNS = ("*.xlsx", "*.xls", "*.csv", "*.ods")
FILES_SHOWN = 30
KINDS = (("企业名单", "enterprises"), ("情况表", "form"))
MODES: tuple[tuple[str, Mode], ...] = (
    ("保留已登记企业的信息", "skip"),
    ("用文件更新已登记企业", "update"),
)
DEFAULT_MODE: dict[str, Mode] = {"enterprises": "skip", "form": "update"}
"""An enterprise list leaves registered enterprises alone unless asked (like the CLI's
default); a returned 情况表 is the enterprise's own current header, so it updates."""

PROBLEM_COLUMNS = [
    Column("sheet", "工作表", 14),
    Column("row", "行", 6),
    Column("cell", "单元格", 7),
    Column("field", "列", 14),
    Column("reason", "原因"),
]


def folder_files(folder: Path) -> list[str]:
    """Spreadsheet files of ``folder``, newest first; the error workbooks of earlier imports
    (written to ``exports/``) last, as ``exports/<name>-错误.xlsx``."""
    found: dict[str, float] = {}
    for pattern in (*PATTERNS, "exports/*-错误*.xlsx"):
        for path in folder.glob(pattern):
            if path.is_file() and not path.name.startswith((".", "~$")):
                try:
                    found[path.relative_to(folder).as_posix()] = path.stat().st_mtime
                except (OSError, ValueError):
                    continue
    return sorted(found, key=lambda name: ("-错误" in name, -found[name], name))


def _clean_path(text: str) -> str:
    """A path as pasted or dropped on a terminal: quoted, escaped or with ~."""
    text = text.strip()
    if not text:
        return ""
    if text[0] in "'\"" or "\\ " in text:
        try:
            parts = shlex.split(text)
        except ValueError:
            parts = [text.strip("'\"")]
        if len(parts) == 1:
            text = parts[0]
    return str(Path(text).expanduser())


@dataclass(frozen=True)
class _Preview:
    path: Path
    kind: str
    mode: Mode
    plan: ImportPlan | FormImportPlan


_NOTE_AT = re.compile(
    r"^工作表「(?P<sheet>[^」]*)」\s*(?:第(?P<row>\d+)行[：:\s]*)?(?P<rest>.*)$", re.S
)


def _note_cells(note: str, kind: str = "提示") -> tuple[str, str, str, str, str]:
    """A 提示 (or an update) as a row of the problems table: sheet and row when it names
    them."""
    found = _NOTE_AT.match(note)
    if found is None:
        return ("", "", "", kind, note)
    return (found["sheet"], found["row"] or "", "", kind, found["rest"])


class ImportScreen(DuibiaoScreen):
    """导入：a file, what it is, the preview, then all rows or the valid ones."""

    CSS_PATH = "import_screen.tcss"
    AUTO_FOCUS = "#import-path"
    HELP_TEXT = (
        "导入企业名单或填好的情况表（.xlsx、.xls、.ods、.csv）。输入文件路径（或在下方列表中"
        "选当前文件夹里的文件），Enter 读取并预览——只读不写：新增、更新、无变化、有问题各多少，"
        "每个问题的工作表、行、单元格和原因。类型按文件内容自动判断，可改；"
        "已登记的企业（信用代码相同，或同一辖市区同名）可保留原信息或用文件更新，不会重复登记。"
        "全部导入（Ctrl+S）：没有任何问题时才可用，一次写入。只导入有效行（Ctrl+O）：写入没有问题的行，"
        "有问题的行另存为 exports/ 中的「文件名-错误.xlsx」（最后一列是原因，仅本人可读），改好后可再导入。"
        "写入前自动备份数据库（Ctrl+P → 备份 可查看、恢复）。"
        "情况表按内容、项目+指标、序号对上已有的行，重复导入同一份表不会重复添加；"
        "数据库中不在文件里的行保留不动。"
    )
    BINDINGS = [
        Binding(
            "ctrl+r", "preview", "预览", tooltip="读取文件并预览（不写入）", id="import-preview"
        ),
        Binding(
            "ctrl+s",
            "import_all",
            "全部导入",
            tooltip="没有问题时，写入全部（先备份数据库）",
            id="import-all",
        ),
        Binding(
            "ctrl+o",
            "import_valid",
            "只导入有效行",
            tooltip="写入没有问题的行，有问题的行另存为错误表",
            id="import-valid",
        ),
        Binding("escape", "leave", "返回", tooltip="返回（不导入）", id="import-leave"),
        Binding("down", "focus_files", "选文件", show=False),
    ]

    def __init__(self, path: str = "", enterprise_id: str | None = None) -> None:
        super().__init__()
        self.initial_path = path
        if enterprise_id is None:  # F7 from an enterprise's page: its form goes there
            from duibiao_tui.screens.enterprise_page import EnterprisePageScreen

            try:
                page = self.app.screen
            except Exception:  # no app running (a test building the screen alone)
                page = None
            if isinstance(page, EnterprisePageScreen):
                enterprise_id = page.enterprise_id
        self.enterprise_id: str | None = enterprise_id if isinstance(enterprise_id, str) else None
        self.preview: _Preview | None = None
        self.busy = False
        self.writing = False
        self._generation = 0
        self._files: list[str] = []
        self.problems: list[Problem | str] = []
        self._first_update = 0
        """Where the updates start in ``problems`` (after the refusals and the 提示)."""
        """The refusals, then every 提示 (mapping, resolution, skip) as text."""

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._files = folder_files(Path.cwd())
        yield TitleBar()
        yield Label("导入 Excel：企业名单 / 情况表", classes="screen-title")
        with Horizontal(id="import-file-row"):
            yield Label("文件", classes="import-label")
            yield TextInput(
                self.initial_path,
                placeholder="文件路径，如 名单.xlsx 或 ~/下载/情况表.xls；Enter 预览",
                id="import-path",
                suggester=SuggestFromList(self._files, case_sensitive=False),
                tooltip="输入或粘贴文件路径；→ 接受补全；Enter 读取并预览",
            )
        folder = Path.cwd().name or str(Path.cwd())
        hint = (
            f"当前文件夹 {folder}/ 中的表格文件（↓ 选择，Enter 预览）："
            if self._files
            else f"当前文件夹 {folder}/ 中没有 .xlsx/.xls/.csv/.ods 文件，请输入完整路径"
        )
        yield Label(hint, id="import-files-hint")
        files = OptionList(*(Option(name, id=name) for name in self._files[:FILES_SHOWN]))
        files.id = "import-files"
        files.display = bool(self._files)
        yield files
        with Horizontal(id="import-options"):
            yield Label("类型", classes="import-label")
            yield Select(
                KINDS,
                prompt="按文件判断",
                id="import-kind",
                compact=True,
                tooltip="企业名单：一行一家企业；情况表：对标单位表头 + 十列表格（读取时自动判断）",
            )
            yield Label("已登记的企业", classes="import-label")
            yield Select(
                MODES,
                prompt="按类型默认",
                id="import-mode",
                compact=True,
                tooltip="信用代码相同或同一辖市区同名的企业：保留原信息，或用文件中的值更新",
            )
        yield Label("", id="import-summary")
        yield ProgressBar(id="import-progress", show_eta=False)
        table = VirtualTable(PROBLEM_COLUMNS, id="import-problems")
        table.placeholder = "（预览后在这里列出有问题的行）"
        yield table
        yield Label("", id="import-detail")
        with Horizontal(id="import-buttons"):
            yield Button(
                "全部导入 Ctrl+S",
                id="import-all-button",
                variant="primary",
                disabled=True,
                compact=True,
                tooltip="没有任何问题时可用：全部写入（先备份数据库）",
            )
            yield Button(
                "只导入有效行 Ctrl+O",
                id="import-valid-button",
                variant="warning",
                disabled=True,
                compact=True,
                tooltip="写入没有问题的行；有问题的行另存为「文件名-错误.xlsx」",
            )
            yield Button("取消 Esc", id="import-cancel-button", compact=True)
        yield Label("", id="import-result")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-result", Label).display = False
        if self.initial_path:
            self.action_preview()

    # -- choosing the file -----------------------------------------------------------

    @on(Input.Submitted, "#import-path")
    def path_submitted(self) -> None:
        self.action_preview()

    @on(OptionList.OptionSelected, "#import-files")
    def file_picked(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.option.id or "")
        self.action_preview()

    @on(Input.Changed, "#import-path")
    def path_changed(self) -> None:
        if self.preview is not None and not self.busy:
            self._clear_preview("文件已改动，按 Enter 重新预览")

    @on(Select.Changed, "#import-kind")
    @on(Select.Changed, "#import-mode")
    def option_changed(self) -> None:
        if self.query_one("#import-path", Input).value.strip() and not self.busy:
            self.action_preview()

    def _chosen(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return value if isinstance(value, str) else None

    def _set_select(self, widget_id: str, value: str) -> None:
        select = self.query_one(f"#{widget_id}", Select)
        if select.value != value:
            with self.prevent(Select.Changed):
                select.value = value

    # -- preview ---------------------------------------------------------------------

    def action_preview(self) -> None:
        if self.busy:
            self.notify("正在处理上一步，请稍候", title="导入")
            return
        text = _clean_path(self.query_one("#import-path", Input).value)
        if not text:
            self.notify("请先输入要导入的文件路径", title="文件", severity="warning")
            self.query_one("#import-path", Input).focus()
            return
        path = Path(text)
        if not path.is_absolute():
            path = Path.cwd() / path
        self._clear_preview(f"正在读取 {path.name} …")
        self._start("读取")
        self._generation += 1
        store = self.store
        if store.path is None:  # an in-memory database lives on this thread only
            self._plan_here(path, self._generation)
        else:
            self._plan_in_thread(path, self._generation, store.path, store.officer, store.clock)

    def _plan_here(self, path: Path, generation: int) -> None:
        try:
            preview = self._plan(self.store, path, self._chosen("import-kind"), self._mode())
        except DuibiaoError as error:
            self._plan_failed(error, generation)
            return
        self._planned(preview, generation)

    @work(thread=True, exclusive=True, group="import")
    def _plan_in_thread(
        self, path: Path, generation: int, db_path: Path, officer: str, clock: Any
    ) -> None:
        from duibiao_tui.store.store import Store

        kind, mode = self._chosen("import-kind"), self._mode()
        try:
            store = Store.open(db_path, officer=officer, clock=clock, quick_check=False)
        except DuibiaoError as error:
            self.app.call_from_thread(self._plan_failed, error, generation)
            return
        try:
            preview = self._plan(store, path, kind, mode, threaded=True)
        except DuibiaoError as error:
            self.app.call_from_thread(self._plan_failed, error, generation)
            return
        except Exception as error:  # noqa: BLE001 - shown, never a traceback on screen
            failure = DuibiaoError(f"{path.name}：读取时出错（{type(error).__name__}）", "无法导入")
            self.app.call_from_thread(self._plan_failed, failure, generation)
            return
        finally:
            store.close()
        self.app.call_from_thread(self._planned, preview, generation)

    def _mode(self) -> Mode | None:
        """The mode chosen, as MODES spells it (the Select offers no other), or None."""
        chosen = self._chosen("import-mode")
        return next((mode for _, mode in MODES if mode == chosen), None)

    def _plan(
        self, store: Store, path: Path, kind: str | None, mode: Mode | None, threaded: bool = False
    ) -> _Preview:
        from duibiao_tui.excel.enterprise_import import plan_enterprise_import
        from duibiao_tui.excel.form_import import guess_kind, plan_form_import
        from duibiao_tui.excel.readers import read_sheets

        def progress(done: int, total: int) -> None:
            if threaded:
                self.app.call_from_thread(self._progress, done, total)

        sheets = read_sheets(path)
        kind = kind or guess_kind(path, sheets)
        mode = mode or DEFAULT_MODE[kind]
        if kind == "form":
            plan: ImportPlan | FormImportPlan = plan_form_import(
                store,
                path,
                mode=mode,
                sheets=sheets,
                progress=progress,
                enterprise_id=self.enterprise_id,
                enterprise_strict=False,  # a form naming another enterprise goes there
            )
        else:
            plan = plan_enterprise_import(
                store,
                path,
                mode=mode,
                sheets=sheets,
                progress=progress,
            )
        return _Preview(path, kind, mode, plan)

    def _plan_failed(self, error: DuibiaoError, generation: int) -> None:
        if generation != self._generation:
            return
        self._stop()
        self._clear_preview(f"{error.title}：{error.message}")
        self.query_one("#import-summary", Label).add_class("-error")
        self.show_error(error)

    def _planned(self, preview: _Preview, generation: int) -> None:
        if generation != self._generation:
            return
        self._stop()
        self.preview = preview
        self._set_select("import-kind", preview.kind)
        self._set_select("import-mode", preview.mode)
        plan = preview.plan
        kind_name = dict((v, k) for k, v in KINDS)[preview.kind]
        heading = f"{preview.path.name}（{kind_name}"
        if preview.kind == "form":
            heading += f"，导入到 {plan.campaign_name}"  # type: ignore[union-attr]
        summary = f"{heading}）\n" + plan.summary().replace("；", "\n")
        ignored = getattr(plan, "ignored_sheets", ())
        if ignored:
            summary += f"\n未读取（不是情况表）的工作表：{'、'.join(ignored)}"
        filled = [
            f"{form.name}：{form.filled_on_text}"
            for form in getattr(plan, "forms", ())
            if getattr(form, "filled_on_text", "")
        ]
        if filled:
            summary += f"\n填报日期（随报送记录保存）：{'；'.join(filled[:3])}"
            summary += f" 等 {len(filled)} 份" if len(filled) > 3 else ""
        if preview.kind == "form" and self.enterprise_id is not None:
            try:
                owner = self.store.get_enterprise(self.enterprise_id).name
            except DuibiaoError:
                owner = ""
            if owner:
                summary += f"\n从企业页面打开：没有对标单位的表导入到「{owner}」"
        if not plan.refused and not self._writes(plan):
            summary += "\n文件中的内容都已在数据库中，没有需要写入的。"
        label = self.query_one("#import-summary", Label)
        label.update(summary)
        label.set_class(bool(plan.refused), "-error")
        problems = plan.problems
        notes = [*plan.warnings]
        updates = list(getattr(plan, "updates", ()))
        if notes:
            summary += f"\n提示 {len(notes)} 条（项目对应、同上、跳过的行等，列在问题之后）"
        if updates:
            summary += f"\n更新 {len(updates)} 处（改动的列，列在最后）"
        label.update(summary)
        self.problems = [*problems, *notes, *updates]
        self._first_update = len(problems) + len(notes)
        table = self.query_one("#import-problems", VirtualTable)
        table.placeholder = "（没有问题）"
        table.set_rows(
            [str(n) for n in range(len(self.problems))],
            [
                *(
                    (
                        p.sheet,
                        str(p.row),
                        f"{p.column}{p.row}" if p.column else "",
                        p.title,
                        p.reason,
                    )
                    for p in problems
                ),
                *(_note_cells(note) for note in notes),
                *(_note_cells(update, "更新") for update in updates),
            ],
        )
        self.query_one("#import-all-button", Button).disabled = bool(plan.refused)
        self.query_one("#import-valid-button", Button).disabled = not plan.refused
        self.query_one("#import-result", Label).display = False
        self._show_detail(0 if problems else None)
        self.refresh_bindings()

    @on(VirtualTable.RowHighlighted, "#import-problems")
    def problem_highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        key = self.query_one("#import-problems", VirtualTable).cursor_key
        self._show_detail(int(key) if key and key.isdigit() else None)

    def _show_detail(self, index: int | None) -> None:
        """The highlighted problem in full, as the CLI prints it (the table cuts long ones)."""
        detail = self.query_one("#import-detail", Label)
        if index is None or index >= len(self.problems):
            detail.update("")
            detail.display = False
            return
        problem = self.problems[index]
        if isinstance(problem, str):
            detail.update(f"{'更新' if index >= self._first_update else '提示'}：{problem}")
        else:
            detail.update(f"工作表「{problem.sheet}」 {problem}")
        detail.display = True

    @staticmethod
    def _write_words(plan: ImportPlan | FormImportPlan) -> str:
        """What applying writes, in words: 新增企业 1 家、更新企业 0 家、新增对标行 38 行…"""
        from duibiao_tui.excel.form_import import FormImportPlan

        if isinstance(plan, FormImportPlan):
            parts = [
                ("新增企业", plan.enterprises("new"), "家"),
                ("更新企业信息", plan.enterprises("update"), "家"),
                ("新增对标行", plan.rows("new"), "行"),
                ("更新对标行", plan.rows("update"), "行"),
            ]
        else:
            parts = [("新增企业", plan.new, "家"), ("更新企业", plan.updated, "家")]
        words = "、".join(f"{label} {n} {unit}" for label, n, unit in parts if n)
        return f"将{words}。" if words else "没有要写入的内容。"

    @staticmethod
    def _writes(plan: ImportPlan | FormImportPlan) -> int:
        from duibiao_tui.excel.form_import import FormImportPlan

        if isinstance(plan, FormImportPlan):
            return plan.writes
        return len(plan.to_write)

    def _clear_preview(self, message: str) -> None:
        self.preview = None
        label = self.query_one("#import-summary", Label)
        label.update(message)
        label.remove_class("-error")
        table = self.query_one("#import-problems", VirtualTable)
        table.placeholder = "（预览后在这里列出有问题的行）"
        table.set_rows([], [])
        self.problems = []
        self._show_detail(None)
        self.query_one("#import-all-button", Button).disabled = True
        self.query_one("#import-valid-button", Button).disabled = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Footer shows the import keys only when they would do something."""
        if action == "import_all":
            return self.preview is not None and not self.preview.plan.refused and not self.busy
        if action == "import_valid":
            return self.preview is not None and bool(self.preview.plan.refused) and not self.busy
        return True

    # -- progress --------------------------------------------------------------------

    def _start(self, what: str) -> None:
        self.busy = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.refresh_bindings()

    def _progress(self, done: int, total: int) -> None:
        if total and self.is_mounted:
            self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)

    def _stop(self) -> None:
        self.busy = False
        self.query_one("#import-progress", ProgressBar).display = False
        self.refresh_bindings()

    # -- writing ---------------------------------------------------------------------

    @on(Button.Pressed, "#import-all-button")
    def action_import_all(self) -> None:
        self._confirm(valid_only=False)

    @on(Button.Pressed, "#import-valid-button")
    def action_import_valid(self) -> None:
        self._confirm(valid_only=True)

    @on(Button.Pressed, "#import-cancel-button")
    def cancel_pressed(self) -> None:
        self.action_leave()

    def _confirm(self, *, valid_only: bool) -> None:
        preview = self.preview
        if preview is None or self.busy:
            return
        if self.store.read_only:
            self.notify(
                "数据库以只读方式打开，不能导入（可以预览）", title="只读", severity="warning"
            )
            return
        plan = preview.plan
        if plan.refused and not valid_only:
            self.notify(
                f"有 {plan.refused} 处问题，不能全部导入；可只导入有效行", severity="warning"
            )
            return
        if valid_only and not plan.refused:
            self.notify("没有有问题的行，请用「全部导入」", severity="warning")
            return
        writes = self._writes(plan)
        if not writes and not plan.refused:
            self.notify("没有需要写入的内容（文件中的都已在数据库中）", title="导入")
            return
        question = f"导入 {preview.path.name}？\n\n{self._write_words(plan)}"
        if valid_only:
            question += f"\n有问题的 {plan.refused} 处不导入，另存为 exports/ 中的「{preview.path.stem}-错误.xlsx」"
        question += "\n写入前会先备份数据库。"

        def answered(yes: bool | None) -> None:
            if yes and self.preview is preview:
                self._apply(preview, valid_only)

        self.app.push_screen(
            ConfirmDialog(question, confirm_label="只导入有效行" if valid_only else "导入"),
            answered,
        )

    def _apply(self, preview: _Preview, valid_only: bool) -> None:
        self._start("写入")
        self.writing = True
        self.query_one("#import-summary", Label).update(f"正在写入 {preview.path.name} …")
        keep = self.duibiao.config.backups_keep
        store = self.store
        if store.path is None:
            try:
                result = self._write(store, preview, valid_only, keep)
            except DuibiaoError as error:
                self._apply_failed(error)
                return
            self._applied(preview, result)
            return
        self._apply_in_thread(preview, valid_only, keep, store.path, store.officer, store.clock)

    @work(thread=True, exclusive=True, group="import-write")
    def _apply_in_thread(
        self,
        preview: _Preview,
        valid_only: bool,
        keep: int,
        db_path: Path,
        officer: str,
        clock: Any,
    ) -> None:
        from duibiao_tui.store.store import Store

        try:
            store = Store.open(db_path, officer=officer, clock=clock, quick_check=False)
        except DuibiaoError as error:
            self.app.call_from_thread(self._apply_failed, error)
            return
        try:
            result = self._write(store, preview, valid_only, keep, threaded=True)
        except DuibiaoError as error:
            self.app.call_from_thread(self._apply_failed, error)
            return
        except Exception as error:  # noqa: BLE001 - rolled back by the store; shown briefly
            failure = DuibiaoError(f"写入时出错，已全部撤销（{type(error).__name__}）", "未导入")
            self.app.call_from_thread(self._apply_failed, failure)
            return
        finally:
            store.close()
        self.app.call_from_thread(self._applied, preview, result)

    def _write(
        self, store: Store, preview: _Preview, valid_only: bool, keep: int, threaded: bool = False
    ) -> Any:
        from duibiao_tui.excel.enterprise_import import ImportPlan, apply_enterprise_import
        from duibiao_tui.excel.form_import import apply_form_import

        def progress(done: int, total: int) -> None:
            if threaded:
                self.app.call_from_thread(self._progress, done, total)

        if isinstance(preview.plan, ImportPlan):
            return apply_enterprise_import(
                store, preview.plan, valid_only=valid_only, progress=progress, backup_keep=keep
            )
        return apply_form_import(
            store, preview.plan, valid_only=valid_only, progress=progress, backup_keep=keep
        )

    def _apply_failed(self, error: DuibiaoError) -> None:
        self.writing = False
        if not self.is_mounted:
            self.app.notify(error.message, title=error.title, severity="error", timeout=10)
            return
        self._stop()
        self._clear_preview(f"{error.title}：{error.message}")
        self.query_one("#import-summary", Label).add_class("-error")
        self.show_error(error)

    def _applied(self, preview: _Preview, result: Any) -> None:
        self.writing = False
        message = result.summary()
        if result.error_file is not None:
            message += f"\n错误表：{result.error_file}"
        self.app.notify(message, title="导入完成", timeout=10)
        if not self.is_mounted:
            return
        self._stop()
        self.preview = None
        self.query_one("#import-summary", Label).update(
            f"已导入 {preview.path.name}：{result.summary()}"
        )
        self.query_one("#import-all-button", Button).disabled = True
        self.query_one("#import-valid-button", Button).disabled = True
        self._refresh_files()
        self.refresh_bindings()
        lines = []
        if result.error_file is not None:
            lines.append(f"有问题的行已另存：{result.error_file}")
        if result.backup is not None:
            lines.append(f"导入前的备份：{result.backup.name}")
        result_label = self.query_one("#import-result", Label)
        result_label.update("\n".join(lines))
        result_label.display = bool(lines)

    def _refresh_files(self) -> None:
        """The folder may have a new error workbook: list the files again."""
        self._files = folder_files(Path.cwd())
        files = self.query_one("#import-files", OptionList)
        files.clear_options()
        files.add_options([Option(name, id=name) for name in self._files[:FILES_SHOWN]])
        files.display = bool(self._files)
        self.query_one("#import-path", Input).suggester = SuggestFromList(
            self._files, case_sensitive=False
        )

    def action_focus_files(self) -> None:
        """↓ in the path field goes down to the folder's files."""
        if self.focused is not self.query_one("#import-path", Input):
            return
        files = self.query_one("#import-files", OptionList)
        if files.display and files.option_count:
            files.focus()
            if files.highlighted is None:
                files.highlighted = 0

    # -- leaving ---------------------------------------------------------------------

    def action_leave(self) -> None:
        if self.writing:
            self.notify("正在写入，请等待完成", title="导入", severity="warning")
            return
        self._generation += 1  # a preview still being read is forgotten
        self.app.pop_screen()
