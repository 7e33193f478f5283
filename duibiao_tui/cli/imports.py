"""``duibiao-tui import …``: enterprise lists and filled 情况表, read from the shell.

Both commands plan first and show every problem on stderr (file, sheet, row, column), then
write all or nothing unless ``--valid-only``; ``--dry-run`` stops after the plan.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from duibiao_tui.cli.common import (
    DB_OPTION_HELP,
    GuardedGroup,
    cli_config,
    open_store,
    progress_bar,
)

__all__ = ["form_command", "import_enterprises", "import_group"]

_ACTIONS = {
    "new": "新增",
    "update": "更新",
    "unchanged": "无变化",
    "skip": "保留",
    "refused": "拒绝",
}


@click.group("import", cls=GuardedGroup)
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
    from duibiao_tui.excel.enterprise_import import apply_enterprise_import, plan_enterprise_import

    store = open_store(db_path, must_exist=False)
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
        with progress_bar("写入", len(plan.to_write)) as progress:
            result = apply_enterprise_import(
                store,
                plan,
                valid_only=valid_only,
                progress=progress,
                backup_keep=cli_config().backups_keep,
            )
    finally:
        store.close()
    click.echo(f"已导入：{plan.summary()}")
    if plan.skipped:
        click.echo(f"{plan.skipped} 家已登记且内容不同，未更新；要更新请加 --update", err=True)
    if result.error_file is not None:
        click.echo(f"有问题的行已写入：{result.error_file.resolve()}", err=True)


@import_group.command("form")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="只预览：显示每家企业和每行将新增、更新或拒绝，不写入"
)
@click.option(
    "--valid-only",
    is_flag=True,
    help="只导入没有问题的企业和行；有问题的行写入 exports/<文件名>-错误.xlsx（仅本人可读）",
)
@click.option(
    "--update/--keep-registered",
    "update",
    default=True,
    help="已登记企业的表头信息（地址、行业、产品、填报人、电话）：按表更新（默认）/ 保留不动",
)
@click.option(
    "--enterprise",
    "enterprise",
    metavar="名称|信用代码",
    help="这份表是哪家已登记企业的（表上没有「对标单位」时必须指定；表头写了别的企业则拒绝）",
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
def form_command(
    file: Path,
    dry_run: bool,
    valid_only: bool,
    update: bool,
    enterprise: str | None,
    db_path: str | None,
) -> None:
    """导入填好的情况表（.xlsx、.xls；一个工作表一家企业，可有多个工作表）。

    本程序导出的情况表和企业自己重打的表都能读：表头（对标单位、地址、所在行业、主导产品，冒号可全角可半角，值可在同一格或下一格）和表格（十列，列名可用常见写法，可不从 A1 开始）在哪里都能找到；表尾的 单位填报人、电话 记为企业的联系人和电话。

    企业按信用代码或（同一辖市区的）名称认出，没有登记的新建；行按内容、项目+指标、序号对上已有的行，重复导入同一份表不会重复添加，数据库中不在文件里的行保留不动。

    默认全部或全不：任何一处有问题就不写入，每个问题在标准错误输出一行（文件、工作表、行号、列）。写入前自动备份数据库。

    \b
    例：
      duibiao-tui import form 情况表-镇江市长江电器设备厂.xlsx --dry-run
      duibiao-tui import form 京口区情况表.xls
      duibiao-tui import form 回收的情况表.xlsx --valid-only --db district.db
      duibiao-tui import form 没有表头的表.xlsx --enterprise 镇江市长江电器设备厂
    """
    from duibiao_tui.excel.form_import import apply_form_import, plan_form_import

    store = open_store(db_path, must_exist=False)
    try:
        from duibiao_tui.excel.lookup import resolve_enterprise

        enterprise_id = resolve_enterprise(store, enterprise) if enterprise else None
        plan = plan_form_import(
            store, file, mode="update" if update else "skip", enterprise_id=enterprise_id
        )
        for sheet in plan.ignored_sheets:
            click.echo(f"提示：{file.name} 工作表「{sheet}」不是情况表，未读取", err=True)
        for problem in plan.problems:
            click.echo(problem.line(file.name), err=True)
        for warning in plan.warnings:
            click.echo(f"提示：{file.name} {warning}", err=True)
        if dry_run:
            for form in plan.forms:
                _describe(form)
            click.echo(f"预览（未写入，活动：{plan.campaign_name}）：{plan.summary()}")
            if plan.refused and not valid_only:
                sys.exit(1)
            return
        keep = cli_config().backups_keep
        with progress_bar("写入", plan.writes) as progress:
            result = apply_form_import(
                store, plan, valid_only=valid_only, progress=progress, backup_keep=keep
            )
    finally:
        store.close()
    click.echo(f"已导入（活动：{plan.campaign_name}）：{result.summary()}")
    if result.backup is not None:
        click.echo(f"导入前的数据库已备份：{result.backup.resolve()}", err=True)
    if result.error_file is not None:
        click.echo(f"有问题的行已写入：{result.error_file.resolve()}", err=True)


def _describe(form: object) -> None:
    """One line per enterprise of the preview, then its rows that change."""
    from duibiao_tui.excel.form_import import PlannedForm

    assert isinstance(form, PlannedForm)
    sheets = "、".join(form.sheets)
    line = f"{_ACTIONS[form.action]}企业 {form.name or '（无名称）'}（工作表 {sheets}）"
    if form.changes:
        line += "：" + "、".join(form.changes)
    counts = "，".join(
        f"{_ACTIONS[action]} {n} 行"
        for action in ("new", "update", "unchanged", "refused")
        if (n := form.count(action))
    )
    click.echo(f"{line}；{counts or '没有对标行'}")
    if form.filled_on_text:
        click.echo(f"  填报日期：{form.filled_on_text}")
    for item in form.items:
        if item.action == "update":
            click.echo(f"  更新 {item.sheet} 第{item.row}行：{'、'.join(item.changes)}")
