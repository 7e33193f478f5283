"""``duibiao-tui backup`` and ``duibiao-tui restore``: consistent copies from the shell.

A backup is taken with SQLite's backup API, so it is safe while the app is open; a restore
first backs up the file it replaces, and must not run while the app has the file open.
``restore --latest`` is for a damaged file: one that passes quick_check is left alone
unless ``--force``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from duibiao_tui.cli.common import DB_OPTION_HELP as DB_HELP
from duibiao_tui.cli.common import GuardedCommand, cli_config, db_file, tidy_temps
from duibiao_tui.errors import DuibiaoError

__all__ = ["backup_command", "restore_command"]


@click.command("backup", cls=GuardedCommand)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="备份到此文件"
)
@click.option("--force", is_flag=True, help="目标文件已存在时覆盖")
@click.option("--list", "listing", is_flag=True, help="列出已有的备份")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_HELP)
def backup_command(output: Path | None, force: bool, listing: bool, db_path: str | None) -> None:
    """备份数据库（程序打开时也可以备份）。

    不加 -o 时备份到数据库旁的 backups/ 文件夹，按时间命名，保留最近 10 份。

    \b
    示例：
      duibiao-tui backup
      duibiao-tui backup -o /media/u盘/京口区-20091020.db
      duibiao-tui backup --list
    """
    from duibiao_tui.store.backup import backup_file, list_backups, take_backup

    path = db_file(db_path)
    if not path.exists():
        raise DuibiaoError(f"{path} 不存在", "找不到数据库")
    if listing:
        for info in list_backups(path):
            counts = info.counts
            click.echo(
                f"{info.taken_at:%Y-%m-%d %H:%M:%S}  {info.reason:4}  "
                f"企业 {counts['enterprise']:>5}  对标行 {counts['benchmark_item']:>6}  "
                f"{info.path}"
            )
        return
    if output is not None:
        made = backup_file(path, output, force=force)
    else:
        tidy_temps(path)
        made = take_backup(path, "手动", keep=cli_config().backups_keep)
    click.echo(str(made))


@click.command("restore", cls=GuardedCommand)
@click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False
)
@click.option("--latest", is_flag=True, help="用最新的可用备份恢复（用于已损坏的数据库）")
@click.option(
    "--force", is_flag=True, help="与 --latest 同用：数据库完好也替换（当前文件先另存一份备份）"
)
@click.option("--yes", is_flag=True, help="不再询问")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_HELP)
def restore_command(
    file: Path | None, latest: bool, force: bool, yes: bool, db_path: str | None
) -> None:
    """用备份替换数据库（当前文件会先另存一份备份）。请先退出程序。

    只接受本版本能打开的 duibiao 数据库，并核对备份时记下的校验和；先检查磁盘空间。
    --latest 用于已损坏的数据库：数据库完好（通过完整性检查）时不替换，除非加 --force。

    \b
    示例：
      duibiao-tui restore --latest
      duibiao-tui restore ~/.local/share/duibiao-tui/backups/duibiao-20091020-093000.db
    """
    from duibiao_tui.store.backup import restore_backup, restore_latest

    if (file is None) == (not latest):
        raise click.UsageError("请给出备份文件，或使用 --latest（二者选一）")
    path = db_file(db_path)
    keep = cli_config().backups_keep
    if not yes and sys.stdin.isatty():
        click.confirm(f"用备份替换 {path}？", abort=True)
    tidy_temps(path)
    if latest:
        used = restore_latest(path, keep=keep, force=force)
        before = None
    else:
        assert file is not None
        before = restore_backup(file, path, keep=keep)
        used = file
    kept = f"；恢复前的文件已另存为 {before}" if before is not None else ""
    click.echo(f"已用 {used} 恢复 {path}{kept or '；恢复前的文件已另存到 backups/'}")
