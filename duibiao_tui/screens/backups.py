"""The backups of the open database: when, why, how much; take one now or restore one.

Restoring replaces the file the app has open, so the app closes it first: the officer
confirms, the app exits with the chosen backup, ``run_app`` restores it (backing the
current file up before) and opens the app again.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from duibiao_tui.screens.base import DuibiaoScreen
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.widgets.key_footer import KeyFooter
from duibiao_tui.widgets.title_bar import TitleBar
from duibiao_tui.widgets.virtual_table import Column, VirtualTable

COLUMNS = [
    Column("at", "备份时间", 19),
    Column("reason", "原因", 8),
    Column("size", "大小", 9),
    Column("enterprises", "企业", 6),
    Column("items", "对标行", 8),
    Column("audit", "修改记录", 9),
    Column("file", "文件"),
]
RESTORE_PREFIX = "restore:"


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


class BackupsScreen(DuibiaoScreen):
    DEFAULT_CSS = """
    BackupsScreen #backup-table { height: 1fr; margin: 0 1; }
    BackupsScreen #backup-status { color: $text-muted; padding: 0 1; }
    """
    HELP_TEXT = (
        "数据库备份：每天第一次打开程序、升级数据结构前、每次导入前自动备份，保留最近 10 份"
        "（可在配置文件中用 backups_keep 修改）。b 立即备份；Enter 用所选备份恢复——程序会先"
        "把当前文件另存一份备份，再恢复并重新打开。命令行：duibiao-tui backup / restore。"
    )
    BINDINGS = [
        Binding("b", "backup_now", "立即备份", id="backups-take"),
        Binding("enter", "restore", "恢复所选", id="backups-restore"),
        Binding("escape", "app.pop_screen", "返回", id="backups-back"),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Label("数据库备份", classes="screen-title")
        yield Label("", id="backup-status")
        yield VirtualTable(COLUMNS, id="backup-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(VirtualTable).focus()

    def reload(self) -> None:
        from duibiao_tui.store.backup import backup_dir, list_backups

        path = self.store.path
        table = self.query_one(VirtualTable)
        if path is None:
            self.query_one("#backup-status", Label).update("内存数据库没有备份")
            return
        infos = list_backups(path)
        table.set_rows(
            [str(i.path) for i in infos],
            [
                (
                    i.taken_at.strftime("%Y-%m-%d %H:%M:%S"),
                    i.reason,
                    _size(i.size),
                    str(i.counts["enterprise"]),
                    str(i.counts["benchmark_item"]),
                    str(i.counts["audit_log"]),
                    i.path.name,
                )
                for i in infos
            ],
        )
        self.query_one("#backup-status", Label).update(
            f"共 {len(infos)} 份，位于 {backup_dir(path)}"
        )

    def action_backup_now(self) -> None:
        if self.store.path is None:
            return
        self.notify("正在备份…")
        self._take()

    @work(thread=True, exclusive=True)
    def _take(self) -> None:
        from duibiao_tui.store.backup import take_backup

        assert self.store.path is not None
        try:
            made = take_backup(self.store.path, "手动", keep=self.duibiao.config.backups_keep)
        except Exception as error:
            self.app.call_from_thread(self.notify, str(error), title="备份失败", severity="error")
            return
        self.app.call_from_thread(self._taken, made.name)

    def _taken(self, name: str) -> None:
        self.reload()
        self.notify(f"已备份：{name}", title="备份")

    @on(VirtualTable.RowSelected)
    def selected(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        chosen = self.query_one(VirtualTable).cursor_key
        if not chosen:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit(result=f"{RESTORE_PREFIX}{chosen}")

        self.app.push_screen(
            ConfirmDialog(
                f"用此备份替换当前数据库？\n{chosen}\n\n当前文件会先另存为一份备份；"
                "程序将关闭文件、恢复并重新打开。",
                confirm_label="恢复",
                danger=True,
            ),
            answered,
        )
