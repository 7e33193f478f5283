"""The export screen: what (情况表, 汇总, 公开版, CSV), for which enterprises, and where.

The officer picks what to export, narrows it by district, status and campaign, sees the
file that will be written, and presses Ctrl+S. The export runs in a thread worker with its
own read connection to the database (an sqlite3 connection belongs to the thread that
opened it), so the screen keeps answering and a progress bar moves; a file that already
exists is replaced only after a confirmation, and the full path is shown after.

Other screens can open it preset: ``ExportScreen(enterprise_id=…)`` offers that
enterprise's 情况表 first, ``ExportScreen(district_id=…, status=…)`` fills the filters.
The job it runs (``ExportJob``, ``job_targets``, ``run_export``) is ``excel.export_jobs``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import (
    Button,
    Input,
    Label,
    ProgressBar,
    RadioSet,
    Select,
    Static,
)

from duibiao_tui.domain.reference import REVIEW_STATUSES
from duibiao_tui.errors import DuibiaoError, FileExistsRefused
from duibiao_tui.excel.export_jobs import (
    CSV,
    FORM_DISTRICT,
    FORM_ONE,
    KINDS,
    SUMMARY,
    ExportJob,
    ExportOutcome,
    job_targets,
    run_export,
)
from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.text_input import TextInput
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.toggles import RadioButton

if TYPE_CHECKING:
    from textual.widgets import RadioButton as TextualRadioButton

    from duibiao_tui.store.store import Store

__all__ = ["ExportScreen"]

PROGRESS_INTERVAL = 0.1
"""Seconds between two progress messages from the worker thread."""


class ExportScreen(DuibiaoScreen):
    """Choose what to export, the filters and the folder; Ctrl+S exports."""

    CSS_PATH = "export_screen.tcss"
    AUTO_FOCUS = "#export-kind"
    HELP_TEXT = (
        "导出Excel与CSV文件。用↑↓选择导出内容，Enter选定：情况表（当前企业、一个辖市区或"
        "全部企业，每家企业一个工作表，可直接打印）、汇总（辖市区×审核状态及柱状图、"
        "企业名单、对标项目、提升措施跟踪、推介与推荐）、公开版（同汇总，不含单位填报人、"
        "电话、报送人、审核人与审核意见）或CSV。按Tab到筛选（辖市区、状态、活动）和文件夹"
        "（默认为当前目录下的exports，可修改）；下方显示将写入的文件。"
        "按Ctrl+S开始导出；文件已存在时先确认再覆盖；完成后显示文件的完整路径。"
    )
    BINDINGS = [
        Binding(
            "ctrl+s",
            "export",
            "导出",
            tooltip="按所选内容与筛选导出",
            id="export-run",
            priority=True,
        ),
        Binding("escape", "back", "返回", id="export-back"),
        Binding("question_mark", "app.help", "帮助", show=False),
    ]

    class Progressed(Message):
        """From the worker thread: rows (or enterprises) done so far."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

    class Finished(Message):
        """From the worker thread: the export ended (``outcome``) or failed (``error``)."""

        def __init__(
            self,
            job: ExportJob,
            outcome: ExportOutcome | None,
            error: DuibiaoError | OSError | None,
        ) -> None:
            super().__init__()
            self.job = job
            self.outcome = outcome
            self.error = error

    def __init__(
        self,
        *,
        enterprise_id: str | None = None,
        district_id: str | None = None,
        status: str = "",
        campaign_id: str | None = None,
        kind: str | None = None,
        folder: Path | str | None = None,
    ) -> None:
        super().__init__()
        self.enterprise_id = enterprise_id
        self.preset_district = district_id
        self.preset_status = status
        self.preset_campaign = campaign_id
        self.preset_kind = kind or (FORM_ONE if enterprise_id else SUMMARY)
        self.preset_folder = Path(folder) if folder is not None else Path.cwd() / "exports"
        self.running = False
        self.last_paths: tuple[Path, ...] = ()

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("导出", id="export-title", classes="screen-title")
        enterprise_name = ""
        if self.enterprise_id:
            try:
                enterprise_name = self.store.get_enterprise(self.enterprise_id).name
            except DuibiaoError:
                self.enterprise_id = None
        with Vertical(id="export-body"):
            with Horizontal(classes="export-row", id="export-kind-row"):
                yield Label("导出内容", classes="export-label")
                with RadioSet(id="export-kind", compact=True):
                    for key, text in KINDS:
                        if key == FORM_ONE:
                            text = (
                                f"情况表：{enterprise_name}"
                                if enterprise_name
                                else "情况表：当前企业（从企业页面打开时可用）"
                            )
                        yield RadioButton(
                            text,
                            value=key == self.preset_kind,
                            id=f"kind-{key}",
                            disabled=key == FORM_ONE and not self.enterprise_id,
                            compact=True,
                        )
            with Horizontal(classes="export-row", id="export-filters"):
                yield Label("筛选", classes="export-label")
                yield Select(
                    [(d.name, d.id) for d in self.store.districts()],
                    prompt="全部辖市区",
                    value=self._known(self.preset_district, [d.id for d in self.store.districts()]),
                    id="export-district",
                    compact=True,
                    tooltip="只导出该辖市区的企业",
                )
                yield Select(
                    [(s, s) for s in REVIEW_STATUSES],
                    prompt="全部状态",
                    value=self._known(self.preset_status, list(REVIEW_STATUSES)),
                    id="export-status",
                    compact=True,
                    tooltip="只导出处于该审核状态的企业",
                )
                campaigns = self.store.campaigns()
                active = self.store.active_campaign().id
                yield Select(
                    [(c.name, c.id) for c in campaigns],
                    allow_blank=False,
                    value=self._known(self.preset_campaign, [c.id for c in campaigns]) or active,
                    id="export-campaign",
                    compact=True,
                    tooltip="导出哪一次活动的情况表、状态与措施",
                )
            yield Static("", id="export-filter-error", classes="field-error")
            with Horizontal(classes="export-row", id="export-folder-row"):
                yield Label("文件夹", classes="export-label")
                yield TextInput(
                    str(self.preset_folder),
                    id="export-folder",
                    compact=True,
                    tooltip="导出文件写入的文件夹（不存在时新建）",
                )
            with Horizontal(classes="export-row", id="export-target-row"):
                yield Label("将写入", classes="export-label")
                yield Static("", id="export-target")
            with Horizontal(classes="export-row", id="export-run-row"):
                yield Label("", classes="export-label")
                yield Button("导出 (Ctrl+S)", id="export-button", variant="primary", compact=True)
                yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static("", id="export-result")
        yield KeyFooter()

    @staticmethod
    def _known(value: str | None, choices: list[str]) -> Any:
        return value if value in choices else Select.NULL

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
        self.update_form()
        self.call_after_refresh(self._highlight_pressed)

    def _highlight_pressed(self) -> None:
        """RadioSet highlights its first button on mount; start on the one chosen, so the
        arrows move from what is shown as selected."""
        radios = self.query_one("#export-kind", RadioSet)
        pressed = radios.pressed_button
        if pressed is not None:
            # Ours, as Textual's: pressed_button is typed as Textual's RadioButton. The
            # highlight starts on the first enabled button; the set's own "next" action
            # moves it on, skipping disabled ones, as the arrow keys do.
            buttons: list[TextualRadioButton] = list(radios.query(RadioButton))
            before = buttons[: buttons.index(pressed)]
            for _ in range(sum(1 for button in before if not button.disabled)):
                radios.action_next_button()

    # -- state -----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        pressed = self.query_one("#export-kind", RadioSet).pressed_button
        return (pressed.id or "").removeprefix("kind-") if pressed else SUMMARY

    def _select_value(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return value if isinstance(value, str) else None

    def job(self) -> ExportJob:
        kind = self.kind
        folder_text = self.query_one("#export-folder", Input).value.strip() or "exports"
        folder = Path(folder_text).expanduser()
        if not folder.is_absolute():
            folder = Path.cwd() / folder
        form_one = kind == FORM_ONE
        return ExportJob(
            kind=kind,
            folder=folder,
            enterprise_id=self.enterprise_id,
            district_id=None if form_one else self._select_value("export-district"),
            status="" if form_one else self._select_value("export-status") or "",
            campaign_id=self._select_value("export-campaign"),
        )

    def update_form(self) -> None:
        """Filters that do not apply are disabled; the target line follows every change."""
        kind = self.kind
        for widget_id in ("export-district", "export-status"):
            self.query_one(f"#{widget_id}", Select).disabled = kind == FORM_ONE
        self.show_filter_error("")
        self.update_target()

    def show_filter_error(self, message: str) -> None:
        error = self.query_one("#export-filter-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")

    def update_target(self) -> None:
        job = self.job()
        target = self.query_one("#export-target", Static)
        try:
            paths = job_targets(self.store, job)
        except DuibiaoError as error:
            target.update(error.message)
            return
        if not paths:
            hint = "请先选择辖市区" if job.kind == FORM_DISTRICT else "没有当前企业"
            target.update(hint)
            return
        if len(paths) == 1:
            target.update(str(paths[0]))
        else:
            names = "、".join(p.name for p in paths)
            target.update(f"{paths[0].parent}/ 下 {names}")

    @on(RadioSet.Changed, "#export-kind")
    def kind_changed(self) -> None:
        self.update_form()

    @on(Select.Changed)
    def filter_changed(self) -> None:
        if self.is_mounted:
            self.update_form()

    @on(Input.Changed, "#export-folder")
    def folder_changed(self) -> None:
        self.update_target()

    @on(Button.Pressed, "#export-button")
    def button_pressed(self) -> None:
        self.action_export()

    # -- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return not self.running
        if action == "back":
            return self.pushed and not self.running
        return True

    @property
    def pushed(self) -> bool:
        """Opened on top of another screen (F6, the palette, a page) rather than as a mode."""
        stack = self.app.screen_stack
        return self in stack and stack.index(self) > 0

    def action_back(self) -> None:
        if self.pushed and not self.running:
            self.dismiss(None)

    def action_export(self, force: bool = False) -> None:
        if self.running:
            return
        job = self.job()
        if job.kind == FORM_DISTRICT and not job.district_id:
            self.show_filter_error("请选择辖市区（导出一个辖市区的情况表）")
            self.query_one("#export-district", Select).focus()
            return
        self.show_filter_error("")
        self.start(job, force)

    def start(self, job: ExportJob, force: bool) -> None:
        self.running = True
        self.refresh_bindings()
        self.query_one("#export-button", Button).disabled = True
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#export-result", Static).update("正在导出……")
        path = self.store.path
        if path is None:  # an in-memory database: no second connection possible
            self.finish(self._run(self.store, job, force))
            return
        officer, clock = self.store.officer, self.store.clock
        self.run_worker(
            lambda: self._in_thread(path, officer, clock, job, force),
            thread=True,
            exclusive=True,
            group="export",
            name="export",
        )

    def _run(self, store: Store, job: ExportJob, force: bool) -> ExportScreen.Finished:
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL or done >= total:
                last = now
                self.post_message(self.Progressed(done, total))

        try:
            outcome = run_export(store, job, force=force, progress=progress)
        except (DuibiaoError, OSError) as error:
            return self.Finished(job, None, error)
        return self.Finished(job, outcome, None)

    def _in_thread(
        self, path: Path, officer: str, clock: Callable[[], str], job: ExportJob, force: bool
    ) -> None:
        """Worker thread: its own connection (sqlite3 objects belong to their thread)."""
        from duibiao_tui.store.store import Store

        try:
            store = Store.open(path, officer=officer, clock=clock, quick_check=False)
        except DuibiaoError as error:
            self.post_message(self.Finished(job, None, error))
            return
        try:
            message = self._run(store, job, force)
        finally:
            store.close()
        self.post_message(message)

    def on_export_screen_progressed(self, message: ExportScreen.Progressed) -> None:
        if self.running:
            self.query_one("#export-progress", ProgressBar).update(
                total=max(message.total, 1), progress=message.done
            )

    def on_export_screen_finished(self, message: ExportScreen.Finished) -> None:
        self.finish(message)

    def finish(self, message: ExportScreen.Finished) -> None:
        self.running = False
        self.refresh_bindings()
        self.query_one("#export-button", Button).disabled = False
        bar = self.query_one("#export-progress", ProgressBar)
        result = self.query_one("#export-result", Static)
        error = message.error
        if isinstance(error, FileExistsRefused):
            bar.display = False
            result.update("")
            self.ask_overwrite(message.job, error)
            return
        if error is not None:
            bar.display = False
            result.update("")
            if isinstance(error, DuibiaoError):
                self.show_error(error)
            else:
                self.show_error(DuibiaoError(f"无法写入：{error}", "导出失败"))
            return
        outcome = message.outcome
        assert outcome is not None
        bar.update(total=1, progress=1)
        self.last_paths = outcome.paths
        where = "\n".join(str(p) for p in outcome.paths)
        result.update(f"已导出{outcome.words}\n{where}")
        for warning in outcome.warnings:
            self.notify(warning, title="注意", severity="warning", timeout=10)
        self.notify(where, title=f"已导出{outcome.words}", timeout=12)
        self.update_target()

    def ask_overwrite(self, job: ExportJob, error: FileExistsRefused) -> None:
        from duibiao_tui.screens.dialogs import ConfirmDialog

        existing = getattr(error, "path", None)
        name = str(existing) if existing is not None else error.message
        others = ""
        if job.kind == CSV:
            others = "（同一文件夹中同名的 CSV 文件都会被替换）"

        def answered(yes: bool | None) -> None:
            if yes:
                self.start(replace(job), force=True)
            else:
                self.notify("没有导出，原文件未改动", title="已取消")

        self.app.push_screen(
            ConfirmDialog(
                f"{name}\n已存在。要用新导出的文件覆盖它吗？{others}",
                confirm_label="覆盖",
                cancel_label="取消",
                danger=True,
            ),
            answered,
        )
