"""Command line: ``duibiao-tui`` opens the app; subcommands do one job each from the shell.

This module is the top: the ``main`` group, its ``--db``/``--demo`` handed down to the
command run below it, the default ``open`` and ``where``. Each other command lives in a
module of its own and is registered here: ``exports`` (export form/summary/public/csv),
``imports`` (import enterprises/form), ``backup`` (backup, restore), ``merge`` (package,
merge), ``demo``. Every command runs inside one error boundary and opens the database one
way (``common``); ``zh`` puts click's own words in Chinese.

``duibiao_tui.launch`` handles the plain open without importing this package (click); both
it and ``open`` run ``duibiao_tui.opening.open_app``.
"""

from __future__ import annotations

from typing import Any

import click
from click_default_group import DefaultGroup

from duibiao_tui.cli import zh

zh.install()  # before the commands below are built: click's own words in Chinese

from duibiao_tui.cli.backup import backup_command, restore_command  # noqa: E402 - after install
from duibiao_tui.cli.common import (  # noqa: E402
    DB_OPTION_HELP,
    GuardedCommand,
    GuardedGroup,
    error_boundary,
)
from duibiao_tui.cli.demo import DEMO_OPTION_HELP, demo  # noqa: E402
from duibiao_tui.cli.exports import export_group  # noqa: E402
from duibiao_tui.cli.imports import import_group  # noqa: E402
from duibiao_tui.cli.merge import merge, package  # noqa: E402
from duibiao_tui.paths import resolve_db_path  # noqa: E402

__all__ = ["main"]


class MainGroup(DefaultGroup):
    """The top group: ``open`` by default, every command and subgroup guarded."""

    command_class = GuardedCommand
    group_class = GuardedGroup

    def invoke(self, ctx: click.Context) -> Any:
        with error_boundary():
            return super().invoke(ctx)


@click.group(cls=MainGroup, default="open", default_if_no_args=True, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help=f"{DB_OPTION_HELP}；也对其后的命令有效",
)
@click.option("--demo", is_flag=True, help=DEMO_OPTION_HELP)
@click.version_option(package_name="duibiao-tui")
@click.pass_context
def main(ctx: click.Context, db_path: str | None, demo: bool) -> None:
    """质量标杆对比活动 — 企业登记、情况表录入、审核与导出。

    不带命令时打开程序（open）。

    \b
    例：
      duibiao-tui --demo
      duibiao-tui --db district.db
      duibiao-tui --db district.db export summary
    """
    if ctx.invoked_subcommand is None:  # only --db / --demo: open the app
        ctx.invoke(open_command, db_path=db_path, demo=demo)
        return
    if demo and ctx.invoked_subcommand != "open":
        raise click.UsageError("--demo 只用于打开程序：duibiao-tui --demo")
    if db_path is not None or demo:
        ctx.default_map = _defaults(ctx.command, db_path, demo)


def _defaults(command: click.Command, db_path: str | None, demo: bool) -> dict[str, Any]:
    """click's ``default_map`` that hands the top-level --db (and --demo) to the command
    run below it, unless that command is given its own."""
    if not isinstance(command, click.Group):
        names = {param.name for param in command.params}
        given: dict[str, Any] = {"db_path": db_path} if db_path is not None else {}
        if demo:
            given["demo"] = True
        return {name: value for name, value in given.items() if name in names}
    return {name: _defaults(sub, db_path, demo) for name, sub in command.commands.items()}


@main.command("open")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
@click.option("--demo", is_flag=True, help=DEMO_OPTION_HELP)
def open_command(db_path: str | None, demo: bool) -> None:
    """打开程序（默认命令）。"""
    from duibiao_tui.opening import open_app

    open_app(db_path, demo)


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def where(db_path: str | None) -> None:
    """显示正在使用的数据库文件及其来源。"""
    location = resolve_db_path(db_path)
    state = "存在" if location.path.exists() else "尚未创建"
    click.echo(str(location.path))
    click.echo(f"来源：{location.source}；文件{state}", err=True)


for _command in (demo, export_group, import_group, backup_command, restore_command, package, merge):
    main.add_command(_command)
zh.localise(main)
