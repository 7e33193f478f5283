"""Command line: ``duibiao-tui`` opens the app; subcommands do one job each from the shell.

``duibiao_tui.launch`` handles the plain open without importing this module (click); the
``open`` command here is the same action for ``duibiao-tui open --help`` and friends. Every
command runs inside one error boundary and opens the database one way (``cli_common``).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from click_default_group import DefaultGroup

from duibiao_tui import cli_zh

cli_zh.install()  # before the commands below are built: click's own words in Chinese

from duibiao_tui.cli_common import (  # noqa: E402 - after install, see above
    DB_OPTION_HELP,
    GuardedCommand,
    GuardedGroup,
    cli_config,
    error_boundary,
    fail,
    open_store,
)
from duibiao_tui.errors import DuibiaoError, FileExistsRefused  # noqa: E402
from duibiao_tui.paths import resolve_db_path  # noqa: E402

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store


def _fail(error: DuibiaoError) -> NoReturn:
    fail(error)


class MainGroup(DefaultGroup):
    """The top group: ``open`` by default, every command and subgroup guarded."""

    command_class = GuardedCommand
    group_class = GuardedGroup

    def invoke(self, ctx: click.Context) -> Any:
        with error_boundary():
            return super().invoke(ctx)


DEMO_OPTION_HELP = "数据库里还没有企业时，先填入演示数据（首次试用）。"


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
        _fail(DuibiaoError(f"{path} 已存在；要重建演示数据库请加 --force", "没有覆盖"))
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


# -- Excel: export and import ---------------------------------------------------------


def _open_store(db_path: str | None, *, must_exist: bool) -> Store:
    """``cli_common.open_store``: one way for every command."""
    return open_store(db_path, must_exist=must_exist)


def _progress(
    label: str, total: int | None = None
) -> contextlib.AbstractContextManager[Callable[[int, int], None]]:
    """A progress bar on stderr while stdout is a terminal; nothing when piped or in tests.

    Without ``total`` the bar starts at the first update, with the total it reports."""

    @contextlib.contextmanager
    def bar() -> Iterator[Callable[[int, int], None]]:
        if not sys.stdout.isatty() or (total is not None and total < 2):
            yield lambda done, total: None
            return
        with contextlib.ExitStack() as stack:
            shown: list[Any] = []
            last = 0

            def update(done: int, reported: int) -> None:
                nonlocal last
                if not shown:
                    length = total if total is not None else reported
                    shown.append(
                        stack.enter_context(
                            click.progressbar(length=length, label=label, file=sys.stderr)
                        )
                    )
                shown[0].update(done - last)
                last = done

            yield update

    return bar()


@main.group("export")
def export_group() -> None:
    """导出 Excel 文件（默认写入当前目录下的 exports/）。"""


def _export_target(output: str | None, filename: str) -> Path:
    """Where to write: ``filename`` in the default folder or in a folder given (existing, or
    written with a trailing slash), or a file, which must be .xlsx (".xlsx" is added when
    none is given)."""
    from duibiao_tui.excel.atomic import export_dir

    if output is None:
        return export_dir() / filename
    path = Path(output)
    if path.is_dir() or output.endswith(("/", "\\")):
        path.mkdir(parents=True, exist_ok=True)
        return path / filename
    if not path.suffix:
        return path.with_name(f"{path.name}.xlsx")
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"应以 .xlsx 结尾：{output}", param_hint="'-o'")
    return path


@export_group.command("form")
@click.argument("names", nargs=-1, metavar="[企业名称或信用代码]...")
@click.option("--district", "-d", metavar="D", help="导出一个辖市区的全部企业，如 京口区 或 京口")
@click.option("--all", "everything", is_flag=True, help="导出全部企业（每家一个工作表）")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="输出文件（.xlsx）或文件夹；默认 exports/情况表-<名称>.xlsx",
)
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def export_form(
    names: tuple[str, ...],
    district: str | None,
    everything: bool,
    output: str | None,
    force: bool,
    db_path: str | None,
) -> None:
    """导出情况表：按通知附件的格式，每家企业一个工作表（A4 横向，可直接打印）。

    企业名称可以是全称或能唯一确定的片段，也可以给统一社会信用代码。

    \b
    例：
      duibiao-tui export form 镇江市长江电器设备厂
      duibiao-tui export form 91321102MA1X4QEE5C -o 长江电器.xlsx
      duibiao-tui export form --district 京口区 -o exports/
      duibiao-tui export form --all --force
    """
    from duibiao_tui.excel.form_export import export_forms, form_filename
    from duibiao_tui.excel.lookup import find_district, live_enterprise_ids, resolve_enterprise

    chosen = sum((bool(names), district is not None, everything))
    if chosen != 1:
        raise click.UsageError("请给出企业名称/信用代码，或 --district，或 --all（三者选一）")
    store = _open_store(db_path, must_exist=True)
    try:
        if names:
            ids: list[str] = []
            failed = False
            for name in names:
                try:
                    found = resolve_enterprise(store, name)
                except DuibiaoError as error:
                    click.echo(f"{error.title}：{error.message}", err=True)
                    failed = True
                    continue
                if found not in ids:
                    ids.append(found)
            if failed:
                sys.exit(1)
            first = store.get_enterprise(ids[0]).name
            label = first if len(ids) == 1 else f"{first}等{len(ids)}家"
        elif district is not None:
            found_district = find_district(store, district)
            ids = live_enterprise_ids(store, found_district.id)
            if not ids:
                _fail(DuibiaoError(f"{found_district.name}还没有登记企业", "无可导出"))
            label = found_district.name
        else:
            ids = live_enterprise_ids(store)
            if not ids:
                _fail(DuibiaoError("数据库中还没有企业", "无可导出"))
            label = "全部企业"
        target = _export_target(output, form_filename(label))
        with _progress("导出情况表", len(ids)) as progress:
            result = export_forms(store, ids, target, force=force, progress=progress)
    except FileExistsRefused as error:
        _fail(DuibiaoError(f"{error.message}；要覆盖请加 --force", error.title))
    except DuibiaoError as error:
        _fail(error)
    finally:
        store.close()
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    click.echo(f"已导出 {result.sheets} 家企业的情况表，共 {result.rows} 行", err=True)
    click.echo(str(result.path.resolve()))


REVIEW_STATUS_CHOICES = ("未报送", "已报送", "审核中", "已通过", "退回修改", "已修改")
"""domain.reference.REVIEW_STATUSES, written out so ``--help`` needs no domain import (a test
keeps the two equal)."""


def _scope_options(function: Callable[..., None]) -> Callable[..., None]:
    """--district, --status, --campaign: the filters of the summary, public and CSV exports."""
    for option in reversed(
        (
            click.option(
                "--district", "-d", metavar="D", help="只导出一个辖市区，如 京口区 或 京口"
            ),
            click.option(
                "--status",
                "-s",
                type=click.Choice(REVIEW_STATUS_CHOICES),
                help="只导出处于该审核状态的企业",
            ),
            click.option(
                "--campaign",
                "-c",
                metavar="C",
                help="活动名称、文号或年份（默认：当前活动）",
            ),
        )
    ):
        function = option(function)
    return function


def _scope_ids(
    store: Store, district: str | None, campaign: str | None
) -> tuple[str | None, str | None]:
    """The district and campaign ids the options name (DuibiaoError listing the choices)."""
    from duibiao_tui.excel.lookup import find_district
    from duibiao_tui.excel.queries import find_campaign

    district_id = find_district(store, district).id if district is not None else None
    campaign_id = find_campaign(store, campaign).id if campaign is not None else None
    return district_id, campaign_id


def _export_summary(
    *,
    public: bool,
    output: str | None,
    district: str | None,
    status: str | None,
    campaign: str | None,
    force: bool,
    db_path: str | None,
) -> None:
    """The summary and public exports: same sheets, the public one without personal data."""
    from duibiao_tui.excel.queries import make_scope
    from duibiao_tui.excel.summary_export import export_summary, summary_filename

    store = _open_store(db_path, must_exist=True)
    try:
        district_id, campaign_id = _scope_ids(store, district, campaign)
        scope = make_scope(store, district_id=district_id, status=status, campaign_id=campaign_id)
        target = _export_target(output, summary_filename(scope, public=public))
        with _progress("导出公开版" if public else "导出汇总") as progress:
            result = export_summary(
                store,
                target,
                district_id=district_id,
                status=status,
                campaign_id=campaign_id,
                public=public,
                force=force,
                progress=progress,
            )
    except FileExistsRefused as error:
        _fail(DuibiaoError(f"{error.message}；要覆盖请加 --force", error.title))
    except DuibiaoError as error:
        _fail(error)
    finally:
        store.close()
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    kind = "公开版（不含个人信息）" if public else "汇总"
    click.echo(f"已导出{kind}：{result.words}", err=True)
    click.echo(str(result.path.resolve()))


@export_group.command("summary")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="输出文件（.xlsx）或文件夹；默认 exports/汇总-<范围>.xlsx",
)
@_scope_options
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def export_summary_command(
    output: str | None,
    district: str | None,
    status: str | None,
    campaign: str | None,
    force: bool,
    db_path: str | None,
) -> None:
    """导出汇总工作簿：汇总（辖市区 × 审核状态，含柱状图）、企业名单、对标项目、
    提升措施跟踪、推介与推荐。筛选条件对每个工作表都适用。

    \b
    例：
      duibiao-tui export summary
      duibiao-tui export summary --district 京口区 --status 已通过 -o 京口已通过.xlsx
      duibiao-tui export summary --campaign 2009 --force
    """
    _export_summary(
        public=False,
        output=output,
        district=district,
        status=status,
        campaign=campaign,
        force=force,
        db_path=db_path,
    )


@export_group.command("public")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="输出文件（.xlsx）或文件夹；默认 exports/公开版-<范围>.xlsx",
)
@_scope_options
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def export_public_command(
    output: str | None,
    district: str | None,
    status: str | None,
    campaign: str | None,
    force: bool,
    db_path: str | None,
) -> None:
    """导出公开版（供简报、现场会）：与汇总相同，但不含个人信息——没有单位填报人、电话、
    报送人、审核人、审核意见和登记人。

    \b
    例：
      duibiao-tui export public
      duibiao-tui export public -o 简报/ --force
    """
    _export_summary(
        public=True,
        output=output,
        district=district,
        status=status,
        campaign=campaign,
        force=force,
        db_path=db_path,
    )


@export_group.command("csv")
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(),
    help="输出文件夹（不存在时新建）；默认 exports/",
)
@_scope_options
@click.option("--public", is_flag=True, help="不含个人信息（同 export public）")
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def export_csv_command(
    folder: str | None,
    district: str | None,
    status: str | None,
    campaign: str | None,
    public: bool,
    force: bool,
    db_path: str | None,
) -> None:
    """导出 CSV：企业名单、对标项目、提升措施跟踪各一个文件（UTF-8 带 BOM，Excel 可直接打开，
    中文不乱码）。写出的文件路径每行一个。

    \b
    例：
      duibiao-tui export csv
      duibiao-tui export csv -o 表格/ --district 丹阳市
      duibiao-tui export csv --force --db district.db
    """
    from duibiao_tui.excel.atomic import export_dir
    from duibiao_tui.excel.csv_export import export_csv

    if folder is None:
        target = export_dir()
    else:
        target = Path(folder)
        if target.exists() and not target.is_dir():
            raise click.BadParameter(f"应为文件夹：{folder}", param_hint="'-o'")
    store = _open_store(db_path, must_exist=True)
    try:
        district_id, campaign_id = _scope_ids(store, district, campaign)
        with _progress("导出 CSV") as progress:
            result = export_csv(
                store,
                target,
                district_id=district_id,
                status=status,
                campaign_id=campaign_id,
                public=public,
                force=force,
                progress=progress,
            )
    except FileExistsRefused as error:
        _fail(DuibiaoError(f"{error.message}；要覆盖请加 --force", error.title))
    except DuibiaoError as error:
        _fail(error)
    finally:
        store.close()
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    click.echo(f"已导出 CSV：{result.words}", err=True)
    for path in result.paths:
        click.echo(str(path.resolve()))


@main.group("import")
def import_group() -> None:
    """从 Excel / CSV 文件导入。"""


@import_group.command("enterprises")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只预览：显示将新增、更新、拒绝的行，不写入")
@click.option(
    "--valid-only",
    is_flag=True,
    help="只导入没有问题的行；有问题的行写入同目录的 <文件名>-错误.xlsx",
)
@click.option(
    "--update/--skip-existing",
    "update",
    default=False,
    help="已登记的企业（信用代码相同，或同一辖市区同名）：更新 / 跳过（默认跳过）",
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def import_enterprises(
    file: Path, dry_run: bool, valid_only: bool, update: bool, db_path: str | None
) -> None:
    """导入企业名单（.xlsx、.xls、.ods、.csv；CSV 可为 UTF-8 或 GBK）。

    表头可以不在第一行，列名可用常见写法（企业名称/单位名称，统一社会信用代码/信用代码，
    所属区域/辖市区，联系电话/电话……）。默认全部或全不：任何一行有问题就不写入，
    每个问题在标准错误输出一行（文件、工作表、行号、列）。

    \b
    例：
      duibiao-tui import enterprises 京口区企业名单.xlsx --dry-run
      duibiao-tui import enterprises 名单.xls --update
      duibiao-tui import enterprises 名单.csv --valid-only --db district.db
    """
    from duibiao_tui.excel.enterprise_import import (
        ImportRefused,
        apply_enterprise_import,
        plan_enterprise_import,
    )

    store = _open_store(db_path, must_exist=False)
    try:
        plan = plan_enterprise_import(store, file, mode="update" if update else "skip")
        for header in plan.headers:
            if header.unknown:
                ignored = "、".join(header.unknown)
                click.echo(
                    f"提示：工作表「{header.sheet}」未识别的列（不导入）：{ignored}", err=True
                )
        for note in plan.notes:  # skipped 合计/hidden rows, formulas, look-alike columns
            click.echo(f"提示：{file.name} {note}", err=True)
        for problem in plan.problems:
            click.echo(problem.line(file.name), err=True)
        for row in plan.rows:
            for warning in row.warnings:
                click.echo(
                    f"提示：{file.name} 工作表「{row.sheet}」 第{row.row}行: {warning}", err=True
                )
        if dry_run:
            for row in plan.rows:
                if row.action in ("update", "skip"):
                    verb = "更新" if row.action == "update" else "跳过"
                    fields = "、".join(row.changes)
                    click.echo(f"{verb} 第{row.row}行 {row.name}：{fields}")
            click.echo(f"预览（未写入）：{plan.summary()}")
            if plan.skipped:
                click.echo(f"{plan.skipped} 家已登记且内容不同；要更新请加 --update", err=True)
            if plan.refused and not valid_only:
                sys.exit(1)
            return
        with _progress("写入", len(plan.to_write)) as progress:
            result = apply_enterprise_import(
                store,
                plan,
                valid_only=valid_only,
                progress=progress,
                backup_keep=cli_config().backups_keep,
            )
    except ImportRefused as error:
        click.echo(f"{error.title}：{error.message}", err=True)
        sys.exit(1)
    except DuibiaoError as error:
        _fail(error)
    finally:
        store.close()
    click.echo(f"已导入：{plan.summary()}")
    if plan.skipped:
        click.echo(f"{plan.skipped} 家已登记且内容不同，未更新；要更新请加 --update", err=True)
    if result.error_file is not None:
        click.echo(f"有问题的行已写入：{result.error_file.resolve()}", err=True)


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


def _register_commands() -> None:
    """Commands that live in modules of their own (each one job), added to the groups."""
    from duibiao_tui.cli_backup import backup_command, restore_command
    from duibiao_tui.cli_import_form import form_command
    from duibiao_tui.cli_merge import merge as merge_command
    from duibiao_tui.cli_merge import package as package_command

    import_group.add_command(form_command)
    for command in (backup_command, restore_command, package_command, merge_command):
        main.add_command(command)


_register_commands()
cli_zh.localise(main)

if __name__ == "__main__":  # pragma: no cover
    main()
