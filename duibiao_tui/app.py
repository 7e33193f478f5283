"""The Textual app: owns the store and the officer's settings; screens do the rest."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from duibiao_tui import textual_zh
from duibiao_tui.config import Config, load_config, save_config
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.paths import DbLocation, config_path
from duibiao_tui.store.store import Store

if TYPE_CHECKING:
    from textual.command import Provider

    from duibiao_tui.screens.enterprises import EnterpriseListScreen

textual_zh.install()  # before any widget exists: Textual's own key labels in Chinese


def _enterprise_commands() -> type[Provider]:
    """The palette's enterprise provider, imported when the palette first opens."""
    from duibiao_tui.commands import EnterpriseCommands

    return EnterpriseCommands


def _system_commands() -> type[Provider]:
    """``get_system_commands`` for the palette, matched by pinyin too."""
    from duibiao_tui.commands import SystemCommands

    return SystemCommands


def _is_damage(error: BaseException) -> bool:
    """SQLite found a damaged page while reading (not a bug of ours)."""
    import sqlite3

    text = str(error)
    return isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text
    )


def _dashboard() -> Screen[None]:
    from duibiao_tui.screens.dashboard import DashboardScreen

    return DashboardScreen()


def _enterprise_list_screen() -> Screen[None]:
    from duibiao_tui.screens.enterprises import EnterpriseListScreen

    return EnterpriseListScreen()


def _review_desk() -> Screen[None]:
    from duibiao_tui.screens.review import ReviewDeskScreen

    return ReviewDeskScreen()


def _measures() -> Screen[None]:
    from duibiao_tui.screens.measures import MeasuresScreen

    return MeasuresScreen()


START_CSS = {"dashboard": ("screens/dashboard.tcss",)}
"""The first screen's own stylesheet, read with the app's: Textual re-parses every
stylesheet from scratch when a screen brings one it has not read yet (~15 ms at start-up)."""

HELD_KEY_POLL_S = 0.02
HELD_KEY_POLLS = 100
"""Keys typed while a screen mounts wait for it at most this many polls (2 s), then go on."""
KEY_LANDING_WAIT_S = 1.0
"""A widget that went away before taking its key releases the next key after this long."""


class DuibiaoApp(App[str | None]):
    """质量标杆对比: an officer's register of enterprises and their benchmarking forms."""

    CSS_PATH = "duibiao.tcss"
    TITLE = "质量标杆对比"
    MODES = {
        "dashboard": _dashboard,
        "enterprises": _enterprise_list_screen,
        "review": _review_desk,
        "measures": _measures,
    }
    DEFAULT_MODE = "dashboard"
    """The campaign at a glance is the home screen; the desks are built on first visit (lazy
    imports keep start-up quick)."""
    COMMANDS = {_system_commands, _enterprise_commands}
    BINDINGS = [
        Binding("f1", "help", "帮助", tooltip="本屏的帮助与按键", id="app-help"),
        Binding("question_mark", "help", "帮助", show=False),
        Binding(
            "f2",
            "desk('dashboard')",
            "总览",
            tooltip="活动总览（首页）",
            id="mode-dashboard",
        ),
        Binding("f3", "desk('enterprises')", "企业", tooltip="企业名单", id="mode-enterprises"),
        Binding(
            "f4",
            "desk('review')",
            "审核",
            tooltip="审核台：报送与审核状态",
            id="mode-review",
        ),
        Binding("f5", "desk('measures')", "措施", tooltip="提升措施跟踪", id="mode-measures"),
        Binding("f6", "export", "导出", tooltip="导出情况表、汇总、公开版或 CSV", id="app-export"),
        Binding(
            "f7", "import_file", "导入", tooltip="导入企业名单或情况表（先预览）", id="app-import"
        ),
        Binding("ctrl+q", "quit", "退出", tooltip="退出程序", id="quit", priority=True),
        Binding(
            "ctrl+p",
            "command_palette",
            "命令",
            show=False,
            priority=True,
            tooltip="命令面板：按名称或拼音首字母找命令和企业",
        ),
        # Focus moves in the App's own turn, before the next key is routed: keys typed
        # right after Tab (a burst from a lagging laptop) land in the field Tab went to,
        # not in the one being left (the focused widget would handle Tab only later).
        Binding("tab", "focus_next", "下一栏", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "上一栏", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        config: Config | None = None,
        config_file: Path | None = None,
        db_label: str = "",
        check_on_start: bool = False,
        start_mode: str | None = None,
    ) -> None:
        if start_mode is not None:
            # Read by App.__init__ from the instance; Textual types it ClassVar only.
            self.DEFAULT_MODE = start_mode  # type: ignore[misc]
        start = self.DEFAULT_MODE
        if start in self.MODES:
            self.MODES = {**self.MODES, start: partial(self._start_screen, start)}  # type: ignore[misc]
        super().__init__(css_path=[self.CSS_PATH, *START_CSS.get(start, ())])
        self._start_styled = False
        self._held_keys: list[events.Key] = []
        self._key_in_flight: object | None = None
        self._poll_scheduled = False
        self._held_for = 0
        self.store = store
        self.config_file = config_file
        self.config = config if config is not None else Config()
        self.db_label = db_label or (str(store.path) if store.path else "内存数据库")
        store.officer = self.config.officer
        self.check_on_start = check_on_start
        """Run quick_check and the daily backup after the first paint (run_app)."""

    def _start_screen(self, desk: str) -> Screen[Any]:
        """The first desk's screen, styled by the stylesheet as it stands.

        Textual (8.2) re-parses every stylesheet and restyles the whole app when a mode's
        first screen is shown, because a new screen's private ``_css_update_count`` starts
        at -1 ("never styled"); for the first screen of all nothing has changed since the
        app parsed its CSS, and that pass cost ~40 ms of the first frame. Checked by
        tests/functional/test_start_styles.py (the pin in pyproject.toml keeps the name).
        """
        make = DuibiaoApp.MODES[desk]
        screen = make() if callable(make) else self.get_screen(make)
        if not self._start_styled:
            self._start_styled = True
            screen._css_update_count = self._css_update_count
        return screen

    # -- keys, in the order they were typed ------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Every key is routed in the order typed, each after the one before has landed.

        Textual forwards a key to the focused widget's own queue and resolves bindings only
        when an unhandled key has bubbled back up, so a burst from a lagging laptop comes
        out of order: letters typed after Tab went into the field being left, ``End``, ten
        ``BSpace``, ``2009-10-15`` gave ``202009-10-``, text typed after Ctrl+N went into
        the row being saved. Here a key the focused widget will not consume runs its binding
        in the App's own turn; a key it will consume is forwarded, and the next key waits
        until that widget has taken it; keys that arrive while a new screen mounts wait for
        the screen (and its focused field) instead of going to a screen not yet there.
        """
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            await self._route_held_keys()
            return
        await super().on_event(event)

    def _ready_for_keys(self) -> bool:
        """The screen on top has mounted, is not holding keys (``holds_keys``: a desk key's
        focus or its first rows on their way) and, if it can hold focus, holds it."""
        from duibiao_tui.screens.base import DuibiaoScreen  # loaded with the first screen

        try:
            screen = self.screen
        except Exception:  # no screen yet: Textual handles the key as usual
            return True
        if not screen.is_mounted:
            return False
        if isinstance(screen, DuibiaoScreen) and screen.holds_keys():
            return False
        return screen.focused is not None or not screen.focus_chain

    async def _route_held_keys(self) -> None:
        while self._held_keys:
            if self._key_in_flight is not None:
                return  # the widget that has the last key calls back when it took it
            if not self._ready_for_keys() and self._held_for < HELD_KEY_POLLS:
                self._held_for += 1
                if not self._poll_scheduled:
                    self._poll_scheduled = True
                    self.set_timer(HELD_KEY_POLL_S, self._poll_held_keys)
                return
            self._held_for = 0
            event = self._held_keys.pop(0)
            if await self._resolve_key_now(event):
                continue
            target = self.focused or self.screen
            await super().on_event(event)  # Textual forwards it to the focused widget
            token = object()
            self._key_in_flight = token
            target.call_later(self._key_landed, token)
            self.set_timer(KEY_LANDING_WAIT_S, partial(self._key_landed, token))

    async def _poll_held_keys(self) -> None:
        self._poll_scheduled = False
        await self._route_held_keys()

    def _key_landed(self, token: object) -> None:
        """The widget has handled the key forwarded to it (or it went away): next key."""
        if self._key_in_flight is token:
            self._key_in_flight = None
            self.call_later(self._route_held_keys)

    async def _resolve_key_now(self, event: events.Key) -> bool:
        """Run the key's binding now unless the focused widget consumes the key itself."""
        from textual.widgets import TextArea

        if await self._check_bindings(event.key, priority=True):
            return True
        focused = self.focused
        if focused is not None:
            if focused.check_consume_key(event.key, event.character):
                return False
            if isinstance(focused, TextArea) and event.key == "enter":
                return False  # a new line in a text area (Tab is a priority binding above)
        return await self._check_bindings(event.key)

    def on_mount(self) -> None:
        from duibiao_tui import start_gc
        from duibiao_tui.screens.base import UI_BUSY_WAIT_S

        # The first screen has mounted: collect again once its first frame is drawn.
        self.call_after_refresh(start_gc.resume)
        # Textual composes the first full frame inside its start-up batch and drops it
        # there (App._display writes nothing while batched), yet counts it as drawn: the
        # first frame a terminal got was then a partial one, without what had not changed
        # since (the home screen's status table came ~20 ms later, with the refresh timer).
        # The screen marked dirty as a whole makes the first update after the batch full.
        # A private set of Textual 8.2 (pinned; tests/functional/test_first_frame_full.py).
        dirty = getattr(self.screen, "_dirty_widgets", None)
        if isinstance(dirty, set):
            dirty.add(self.screen)

        if not self.store.read_only:
            self.store.busy_timeout = UI_BUSY_WAIT_S
        self.update_sub_title()
        if self.store.read_only:
            self.notify(
                "文件不可写，已以只读方式打开：可以查看和导出，不能修改。",
                title="只读",
                severity="warning",
                timeout=10,
            )
        elif self.store.path is not None and self.check_on_start:
            # After the first paint: quick_check reads every page of the file.
            self.set_timer(0.5, self._start_file_check)
        if not self.config.is_complete:
            from duibiao_tui.screens.settings import SettingsDialog

            self.push_screen(SettingsDialog(self.config, first_run=True), self.settings_saved)

    def update_sub_title(self) -> None:
        officer = self.config.officer or "未设置办事员"
        flag = "【只读】" if self.store.read_only else ""
        self.sub_title = f"{flag}{officer} · {self.db_label}"

    def _start_file_check(self) -> None:
        self.run_worker(self._check_file, thread=True, exclusive=True, group="file-check")

    def _check_file(self) -> None:
        """Worker thread: quick_check the file, then take the day's backup."""
        from duibiao_tui.errors import CorruptDatabaseError
        from duibiao_tui.store.backup import daily_backup
        from duibiao_tui.store.store import quick_check_file

        path = self.store.path
        assert path is not None
        try:
            quick_check_file(path)
        except CorruptDatabaseError as error:
            self.call_from_thread(self._file_damaged, error)
            return
        except DuibiaoError as error:  # a full disk or a busy file is not damage
            self.call_from_thread(
                self.notify, error.message, title=error.title, severity="warning", timeout=10
            )
            return
        try:
            daily_backup(path, keep=self.config.backups_keep)
        except Exception as error:  # a failed backup must not stop the officer's work
            self.call_from_thread(
                self.notify, f"今日备份未完成：{error}", title="备份", severity="warning"
            )

    def _file_damaged(self, error: DuibiaoError) -> None:
        from duibiao_tui.screens.dialogs import ConfirmDialog

        self.store.read_only = True
        self.update_sub_title()

        def answered(restore: bool | None) -> None:
            if restore:
                self.exit(result="restore-latest")

        self.push_screen(
            ConfirmDialog(
                f"{error.message}。\n\n程序已改为只读。要用最新的备份替换它吗？"
                "（损坏的文件会先另存一份）",
                confirm_label="恢复最新备份",
                cancel_label="只读查看",
                danger=True,
            ),
            answered,
        )

    def _handle_exception(self, error: Exception) -> None:
        """Our own errors (a busy database, a read-only file…) that a handler did not catch
        are told to the officer and the app goes on; anything else is a crash."""
        if isinstance(error, DuibiaoError):
            self.notify(error.message, title=error.title, severity="error", timeout=10)
            return
        if _is_damage(error):
            # SQLite met a damaged page mid-session: stop writing, say what to do, and leave
            # the restore to run_app / `duibiao-tui restore --latest` (no traceback).
            self.store.read_only = True
            self.exit(result="damaged", return_code=1)
            return
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """An unforeseen error: keep what is being typed, log the details to a file, and
        show a short message instead of a traceback with people's data in it."""
        from rich.text import Text

        from duibiao_tui.crash import write_crash_log

        try:
            self.keep_drafts()
        except Exception:  # the drafts are a courtesy; the log must still be written
            pass
        error = self._exception or RuntimeError("unknown error")
        try:
            screen = type(self.screen).__name__ if self.screen_stack else "（尚无屏幕）"
        except Exception:  # no screen yet: the error came before the first one mounted
            screen = "（尚无屏幕）"
        try:
            where = f"日志：{write_crash_log(error, context=screen)}"
        except OSError:
            where = "（日志无法写入）"
        self.bell()
        self._exit_renderables.append(
            Text(f"duibiao-tui 遇到意外错误，已退出。正在输入的内容已存为草稿。{where}")
        )
        self._close_messages_no_wait()

    def settings_saved(self, config: Config | None) -> None:
        if config is None:
            return
        self.config = config
        self.store.officer = config.officer
        if self.config_file is not None:
            save_config(config, self.config_file)
        self.update_sub_title()
        self.notify(f"办事员：{config.officer}", title="设置已保存")

    # -- actions reachable from every screen and the palette ---------------------------

    def action_help(self) -> None:
        from duibiao_tui.screens.dialogs import HelpDialog

        if isinstance(self.screen, HelpDialog):
            return
        self.push_screen(HelpDialog(self.screen))

    def keep_drafts(self) -> list[Screen[object]]:
        """Everything being typed, on every desk, becomes a draft before its form goes away
        (quit, crash, a desk key): each form offers its draft back when opened again.
        Returns the forms whose typing could not be written (disk full, file busy)."""
        from duibiao_tui.screens.drafts import keeps_draft

        stacks = [self.screen_stack, *getattr(self, "_screen_stacks", {}).values()]
        seen: set[int] = set()
        unsaved: list[Screen[object]] = []
        for stack in stacks:
            for screen in stack:
                if id(screen) not in seen and keeps_draft(screen):
                    seen.add(id(screen))
                    try:
                        screen.save_draft()
                    except DuibiaoError:
                        pass
                    if getattr(screen, "draft_unsaved", False):
                        unsaved.append(screen)
        return unsaved

    def action_desk(self, mode: str) -> None:
        """F2–F5: the desk itself — its list with its focus — never a page or form left open
        on it (letters there are commands). What was being typed there is kept as a draft."""
        from textual.screen import ModalScreen

        if isinstance(self.screen, ModalScreen):
            self.bell()
            self.notify("请先关闭当前对话框（Esc）", severity="warning")
            return
        self.keep_drafts()
        if self.current_mode != mode:
            self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        landing = getattr(self.screen, "land", None)
        if callable(landing):
            landing()

    async def action_quit(self) -> None:
        """Ctrl+Q: the typing of every open form is kept as a draft first; when that cannot
        be written (disk full), the officer is asked before anything is lost."""
        if not self.keep_drafts():
            self.exit()
            return
        from duibiao_tui.screens.dialogs import ConfirmDialog

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                "有正在输入的内容无法存为草稿（磁盘已满或数据库忙）。现在退出，这些内容会丢失。"
                "\n\n建议先腾出磁盘空间，再保存或退出。",
                confirm_label="仍然退出",
                cancel_label="返回",
                danger=True,
            ),
            answered,
        )

    def action_dashboard(self) -> None:
        self.action_desk("dashboard")

    def action_review(self) -> None:
        self.action_desk("review")

    def action_measures(self) -> None:
        self.action_desk("measures")

    def action_benchmarks(self) -> None:
        from duibiao_tui.screens.benchmarks import BenchmarkLibraryScreen

        self.push_screen(BenchmarkLibraryScreen())

    def action_settings(self) -> None:
        from duibiao_tui.screens.settings import SettingsDialog

        self.push_screen(SettingsDialog(self.config), self.settings_saved)

    def _enterprise_list(self) -> EnterpriseListScreen | None:
        from duibiao_tui.screens.enterprises import EnterpriseListScreen

        self.switch_mode("enterprises")
        for screen in self.screen_stack:
            if isinstance(screen, EnterpriseListScreen):
                return screen
        return None

    def action_add_enterprise(self) -> None:
        if (screen := self._enterprise_list()) and self.screen is screen:
            screen.action_add()

    def action_show_removed(self) -> None:
        if (screen := self._enterprise_list()) and self.screen is screen:
            screen.set_query(removed=True)

    def open_enterprise(self, enterprise_id: str) -> None:
        screen = self._enterprise_list()
        if screen is None:
            return
        self.keep_drafts()
        while self.screen is not screen:
            self.pop_screen()
        screen.jump_to(enterprise_id)

    def action_export(self) -> None:
        """F6 from anywhere; on an enterprise's page the export starts on that 情况表."""
        from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
        from duibiao_tui.screens.export_screen import ExportScreen

        if isinstance(self.screen, ExportScreen):
            return
        page = self.screen if isinstance(self.screen, EnterprisePageScreen) else None
        self.push_screen(ExportScreen(enterprise_id=page.enterprise_id if page else None))

    def action_import_file(self) -> None:
        from duibiao_tui.screens.import_screen import ImportScreen

        if not isinstance(self.screen, ImportScreen):
            self.push_screen(ImportScreen())

    def action_merge(self) -> None:
        from duibiao_tui.screens.merge import MergeScreen

        self.push_screen(MergeScreen())

    def action_backups(self) -> None:
        from duibiao_tui.screens.backups import BackupsScreen

        self.push_screen(BackupsScreen())

    def action_campaigns(self) -> None:
        from duibiao_tui.screens.campaign_dialog import CampaignDialog

        self.push_screen(CampaignDialog())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "总览: 活动总览（F2）", "各辖市区报送与审核、措施逾期", self.action_dashboard
        )
        yield SystemCommand("审核: 审核台（F4）", "报送登记、审核、退回", self.action_review)
        yield SystemCommand("措施: 提升措施跟踪（F5）", "逾期与到期的措施", self.action_measures)
        yield SystemCommand(
            "活动: 新建或切换活动", "下一年度的活动、结转未完成措施", self.action_campaigns
        )
        yield SystemCommand(
            "导出: 情况表、汇总、公开版、CSV（F6）", "导出 Excel 与 CSV", self.action_export
        )
        yield SystemCommand(
            "导入: 企业名单 / 情况表（F7）", "从 Excel/CSV 导入（先预览）", self.action_import_file
        )
        yield SystemCommand("备份: 查看、立即备份、恢复", "数据库备份列表", self.action_backups)
        yield SystemCommand(
            "合并: 合并辖区数据库",
            "合并辖市区的数据库或数据包，处理冲突与重复企业",
            self.action_merge,
        )
        yield SystemCommand("企业: 新增", "登记新企业", self.action_add_enterprise)
        yield SystemCommand(
            "企业: 已删除的企业", "查看并恢复已删除的企业", self.action_show_removed
        )
        yield SystemCommand(
            "设置: 办事员与默认辖市区", "修改办事员姓名与默认辖市区", self.action_settings
        )
        yield SystemCommand("帮助: 本屏按键", "显示当前屏幕的帮助", self.action_help)
        yield from self._textual_commands(screen)

    def _textual_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, in Chinese (its theme picker and screenshot,
        English throughout and of no use to an officer, are left out)."""
        yield SystemCommand(
            "退出: 退出程序（Ctrl+Q）", "正在输入的内容先存为草稿", self.action_quit
        )
        if screen.query("HelpPanel"):
            yield SystemCommand(
                "按键: 收起按键面板", "收起右侧的按键一览", self.action_hide_help_panel
            )
        else:
            yield SystemCommand(
                "按键: 按键面板", "在右侧列出本屏所有按键", self.action_show_help_panel
            )
        if screen.maximized is not None:
            yield SystemCommand("窗口: 还原", "把放大的部分还原", screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(
                "窗口: 放大当前部分", "把当前所在的部分放大到全屏", screen.action_maximize
            )

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette with a Chinese prompt (Textual's own is English)."""
        from textual.command import CommandPalette

        from duibiao_tui.commands import Palette

        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette())


def make_app(
    store: Store,
    *,
    config: Config | None = None,
    config_file: Path | None = None,
    db_label: str = "",
    start_mode: str | None = None,
) -> DuibiaoApp:
    """Build the app for the CLI and the tests alike."""
    return DuibiaoApp(
        store, config=config, config_file=config_file, db_label=db_label, start_mode=start_mode
    )


def run_app(location: DbLocation) -> None:
    """Open the database at ``location`` and run the app until the officer quits.

    The file's full check (quick_check) and the day's backup run after the first paint;
    when the check finds damage and the officer asks for it, the newest backup is restored
    here, after the app has closed the file, and the app opens again.
    """
    cfg_file = config_path()
    config = load_config(cfg_file)
    while True:
        store = Store.open(
            location.path,
            officer=config.officer,
            backups_keep=config.backups_keep,
            quick_check=False,
        )
        try:
            app = DuibiaoApp(
                store,
                config=config,
                config_file=cfg_file,
                db_label=str(location.path),
                check_on_start=True,
                start_mode=config.start_screen,
            )
            result = app.run()
            config = app.config
        finally:
            store.close()
        if result == "damaged":
            from duibiao_tui.store.store import RESTORE_HINT

            print(
                f"数据库文件 {location.path} 读取时发现损坏，程序已停止写入并退出。{RESTORE_HINT}。"
            )
            raise SystemExit(1)
        if not result or not result.startswith("restore"):
            return
        from duibiao_tui.store.backup import restore_backup, restore_latest

        if result == "restore-latest":
            restored = restore_latest(location.path, keep=config.backups_keep)
        else:
            restored = Path(result.removeprefix("restore:"))
            restore_backup(restored, location.path, keep=config.backups_keep)
        print(f"已用备份 {restored} 恢复数据库；恢复前的文件已另存到 backups/ 中。")
