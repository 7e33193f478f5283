"""``duibiao-tui export …``: the officer's workbooks and CSV files, written from the shell.

``form`` (情况表, one sheet an enterprise), ``summary`` and ``public`` (the same workbook,
the public one without personal data) and ``csv``. None overwrites a file unless
``--force``; each prints what it wrote on stdout, for scripts, and counts and warnings on
stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from duibiao_tui.cli.common import DB_OPTION_HELP, GuardedGroup, open_store, progress_bar
from duibiao_tui.errors import DuibiaoError, FileExistsRefused

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["REVIEW_STATUS_CHOICES", "export_group"]


def _overwrite_refused(error: FileExistsRefused) -> DuibiaoError:
    """A file in the way, with the option that overwrites it."""
    return DuibiaoError(f"{error.message}；要覆盖请加 --force", error.title)


@click.group("export", cls=GuardedGroup)
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
    from duibiao_tui.excel.atomic import export_dir
    from duibiao_tui.excel.export_jobs import (
        FORM_ALL,
        FORM_DISTRICT,
        FORM_ONE,
        ExportJob,
        job_targets,
        run_export,
    )
    from duibiao_tui.excel.lookup import find_district, live_enterprise_ids, resolve_enterprise

    chosen = sum((bool(names), district is not None, everything))
    if chosen != 1:
        raise click.UsageError("请给出企业名称/信用代码，或 --district，或 --all（三者选一）")
    store = open_store(db_path)
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
            job = ExportJob(FORM_ONE, export_dir(), enterprise_ids=tuple(ids))
        elif district is not None:
            found_district = find_district(store, district)
            ids = live_enterprise_ids(store, found_district.id)
            if not ids:
                raise DuibiaoError(f"{found_district.name}还没有登记企业", "无可导出")
            job = ExportJob(FORM_DISTRICT, export_dir(), district_id=found_district.id)
        else:
            ids = live_enterprise_ids(store)
            if not ids:
                raise DuibiaoError("数据库中还没有企业", "无可导出")
            job = ExportJob(FORM_ALL, export_dir())
        job = replace(job, target=_export_target(output, job_targets(store, job)[0].name))
        with progress_bar("导出情况表", len(ids)) as progress:
            result = run_export(store, job, force=force, progress=progress)
    except FileExistsRefused as error:
        raise _overwrite_refused(error) from error
    finally:
        store.close()
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    click.echo(f"已导出 {result.sheets} 家企业的情况表，共 {result.rows} 行", err=True)
    click.echo(str(result.paths[0].resolve()))


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
    from duibiao_tui.excel.atomic import export_dir
    from duibiao_tui.excel.export_jobs import PUBLIC, SUMMARY, ExportJob, job_targets, run_export

    store = open_store(db_path)
    try:
        district_id, campaign_id = _scope_ids(store, district, campaign)
        job = ExportJob(
            PUBLIC if public else SUMMARY,
            export_dir(),
            district_id=district_id,
            status=status or "",
            campaign_id=campaign_id,
        )
        job = replace(job, target=_export_target(output, job_targets(store, job)[0].name))
        with progress_bar("导出公开版" if public else "导出汇总") as progress:
            result = run_export(store, job, force=force, progress=progress)
    except FileExistsRefused as error:
        raise _overwrite_refused(error) from error
    finally:
        store.close()
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    kind = "公开版（不含个人信息）" if public else "汇总"
    click.echo(f"已导出{kind}：{result.detail}", err=True)
    click.echo(str(result.paths[0].resolve()))


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
    from duibiao_tui.excel.export_jobs import CSV, ExportJob, run_export

    if folder is None:
        target = export_dir()
    else:
        target = Path(folder)
        if target.exists() and not target.is_dir():
            raise click.BadParameter(f"应为文件夹：{folder}", param_hint="'-o'")
    store = open_store(db_path)
    try:
        district_id, campaign_id = _scope_ids(store, district, campaign)
        with progress_bar("导出 CSV") as progress:
            job = ExportJob(
                CSV,
                target,
                district_id=district_id,
                status=status or "",
                campaign_id=campaign_id,
                public=public,
            )
            result = run_export(store, job, force=force, progress=progress)
    except FileExistsRefused as error:
        raise _overwrite_refused(error) from error
    finally:
        store.close()
    for warning in result.warnings:
        click.echo(f"注意：{warning}", err=True)
    click.echo(f"已导出 CSV：{result.detail}", err=True)
    for path in result.paths:
        click.echo(str(path.resolve()))
