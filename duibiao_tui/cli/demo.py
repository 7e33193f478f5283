"""``duibiao-tui demo``: write a demo database from the shell, never over a file by accident."""

from __future__ import annotations

from pathlib import Path

import click

from duibiao_tui.cli.common import DB_OPTION_HELP, GuardedCommand
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.paths import resolve_db_path

__all__ = ["DEMO_OPTION_HELP", "demo"]

DEMO_OPTION_HELP = "数据库里还没有企业时，先填入演示数据（首次试用）。"
"""The help of ``--demo`` on the top group and on ``open``."""


@click.command("demo", cls=GuardedCommand)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
@click.option("--enterprises", default=None, type=click.IntRange(1, 100_000), help="企业数量")
@click.option(
    "--seed", default=2009, show_default=True, type=int, help="随机种子（同一种子，同一数据）"
)
@click.option("--force", is_flag=True, help="文件已存在时删除并重建")
def demo(db_path: str | None, enterprises: int | None, seed: int, force: bool) -> None:
    """写入演示数据库（不会覆盖已有文件，除非 --force）。"""
    from duibiao_tui.demo import DEFAULT_ENTERPRISES
    from duibiao_tui.demo_file import write_demo_file

    path = resolve_db_path(db_path).path
    if path.exists() and not force:
        raise DuibiaoError(f"{path} 已存在；要重建演示数据库请加 --force", "没有覆盖")
    if path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    count = write_demo_file(path, enterprises or DEFAULT_ENTERPRISES, seed)
    click.echo(f"已写入演示数据：{count} 家企业 → {path}")
