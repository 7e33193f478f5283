"""Command line: ``duibiao-tui`` opens the app; subcommands do one job each from the shell.

``duibiao_tui.launch`` handles the plain open without importing this module (click); the
``open`` command here is the same action for ``duibiao-tui open --help`` and friends.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click_default_group import DefaultGroup

from duibiao_tui.errors import DuibiaoError
from duibiao_tui.paths import resolve_db_path

DB_OPTION_HELP = "数据库文件（默认：$DUIBIAO_DB，否则用户数据目录下的 duibiao.db）"


def _fail(error: DuibiaoError) -> None:
    click.echo(f"{error.title}：{error.message}", err=True)
    sys.exit(1)


@click.group(cls=DefaultGroup, default="open", default_if_no_args=True)
@click.version_option(package_name="duibiao-tui")
def main() -> None:
    """质量标杆对比活动 — 企业登记、情况表录入、审核与导出。"""


@main.command("open")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
@click.option(
    "--demo",
    is_flag=True,
    help="数据库里还没有企业时，先填入演示数据（首次试用）。",
)
def open_command(db_path: str | None, demo: bool) -> None:
    """打开程序（默认命令）。"""
    from duibiao_tui.launch import open_app

    open_app(db_path, demo)


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def where(db_path: str | None) -> None:
    """显示正在使用的数据库文件及其来源。"""
    location = resolve_db_path(db_path)
    state = "存在" if location.path.exists() else "尚未创建"
    click.echo(str(location.path))
    click.echo(f"来源：{location.source}；文件{state}", err=True)


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
@click.option("--enterprises", default=None, type=click.IntRange(1, 100_000), help="企业数量")
@click.option(
    "--seed", default=2009, show_default=True, type=int, help="随机种子（同一种子，同一数据）"
)
@click.option("--force", is_flag=True, help="文件已存在时删除并重建")
def demo(db_path: str | None, enterprises: int | None, seed: int, force: bool) -> None:
    """写入演示数据库（不会覆盖已有文件，除非 --force）。"""
    from duibiao_tui.demo import DEFAULT_ENTERPRISES

    location = resolve_db_path(db_path)
    path = location.path
    if path.exists() and not force:
        _fail(DuibiaoError(f"{path} 已存在；要重建演示数据库请加 --force", "文件已存在"))
    if path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    count = _write_demo(path, enterprises or DEFAULT_ENTERPRISES, seed)
    click.echo(f"已写入演示数据：{count} 家企业 → {path}")


def _write_demo(path: Path, enterprises: int, seed: int) -> int:
    from duibiao_tui.demo import fill_demo
    from duibiao_tui.store.store import Store

    store = Store.open(path, officer="演示数据")
    try:
        with click.progressbar(length=enterprises, label="生成演示数据", file=sys.stderr) as bar:
            done_so_far = 0

            def progress(done: int, total: int) -> None:
                nonlocal done_so_far
                bar.update(done - done_so_far)
                done_so_far = done

            return fill_demo(store, enterprises=enterprises, seed=seed, progress=progress)
    finally:
        store.close()


def fill_demo_if_empty(path: Path) -> None:
    """For the README's first command: a new user lands on data, an existing one on theirs."""
    from duibiao_tui.demo import DEFAULT_ENTERPRISES
    from duibiao_tui.store.store import Store

    if path.exists():
        store = Store.open(path)
        try:
            if store.count_enterprises() or store.count_enterprises(removed=True):
                return
        finally:
            store.close()
    _write_demo(path, DEFAULT_ENTERPRISES, 2009)


if __name__ == "__main__":  # pragma: no cover
    main()
