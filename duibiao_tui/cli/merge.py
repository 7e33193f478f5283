"""``duibiao-tui package`` and ``duibiao-tui merge``: district files to the city and back.

Registered on the top group by ``duibiao_tui.cli``.

Exit codes of ``merge``: 0 merged, nothing waiting; 1 refused (a file is not a duibiao
database or package, is damaged, comes from a newer version, or is this database itself:
nothing was written); 3 merged, but conflicts or duplicate enterprises wait for the officer
(the clean part was written; the rest is listed and stored for the app's merge screen).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from duibiao_tui.cli.common import (
    DB_OPTION_HELP,
    EXIT_REFUSED,
    GuardedCommand,
    cli_config,
    db_file,
    open_store,
    tidy_temps,
)
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.paths import resolve_db_path

if TYPE_CHECKING:
    from duibiao_tui.domain.merge import MergeReport
    from duibiao_tui.store.store import Store

__all__ = ["EXIT_OK", "EXIT_REFUSED", "EXIT_UNRESOLVED", "merge", "package"]

EXIT_OK, EXIT_UNRESOLVED = 0, 3
CONFLICTS_SHOWN = 50


def _config() -> tuple[str, int]:
    config = cli_config()
    return config.officer or "命令行", config.backups_keep


@click.command("package", cls=GuardedCommand)
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="数据包文件或文件夹；默认 exports/<辖市区>-<日期>.duibiao",
)
@click.option("--district", "-d", metavar="D", help="只打包一个辖市区的企业，如 京口区 或 京口")
@click.option("--force", is_flag=True, help="文件已存在时覆盖")
def package(db_path: str | None, output: str | None, district: str | None, force: bool) -> None:
    """把数据库打包成一个压缩文件（.duibiao），寄给市局或拷到 U 盘（程序开着也可以打包）。

    数据包是数据库的一致副本（SQLite 备份接口），经过压缩，不含未保存的草稿，
    也不含市局合并时自己重建的索引和检索键（每家企业约 10 千字节）；
    --district 只保留该辖市区的企业及其情况表、报送审核、推介推荐和修改记录。
    文件只有本人可读（0600）。市局用 duibiao-tui merge 合并（自动解压）。

    \b
    例：
      duibiao-tui package
      duibiao-tui package --district 京口区 -o 京口区.duibiao
    """
    from duibiao_tui.excel.atomic import export_dir
    from duibiao_tui.excel.lookup import match_district
    from duibiao_tui.store.package import (
        default_package_name,
        make_package,
        package_label,
        source_districts,
    )

    path = db_file(db_path)
    if not path.is_file():
        raise DuibiaoError(f"{path} 不存在（可用 --db 指定数据库文件）", "找不到数据库")
    tidy_temps(path)
    chosen = None
    if district is not None:
        districts = source_districts(path)
        chosen = match_district(districts, district)
        if chosen is None:
            names = "、".join(d.name for d in districts)
            raise DuibiaoError(f"没有辖市区「{district}」；可选：{names}", "未找到")
    name = default_package_name(package_label(path, chosen))
    if output is None:
        target = export_dir() / name
    else:
        target = Path(output)
        if target.is_dir() or output.endswith(("/", "\\")):
            target.mkdir(parents=True, exist_ok=True)
            target = target / name
    info = make_package(path, target, district=chosen, force=force)
    size = f"{info.size / 1_048_576:.1f} MB"
    click.echo(
        f"已打包{info.district}：{info.enterprises} 家企业、{info.items} 行情况表，{size}",
        err=True,
    )
    click.echo(str(info.path.resolve()))


def _city_store(db_path: str | None, *, dry_run: bool = False) -> Store:
    """The city's database; for a dry run on one that does not exist yet, an empty one in
    memory (the preview creates nothing)."""
    from duibiao_tui.store.store import Store

    path = resolve_db_path(db_path).path
    if dry_run and not path.exists():
        click.echo(f"{path} 尚不存在：按空数据库预览（不会创建文件）", err=True)
        officer, _ = _config()
        return Store.memory(officer=officer)
    return open_store(db_path, must_exist=False, announce_new=True)


def _print_report(store: Store, report: MergeReport) -> None:
    for source in report.sources:
        click.echo(f"来件：{Path(source.path).name}（{source.label}）")
    order = [d.name for d in store.districts()]
    for line in report.lines(order):
        click.echo(line)
    if report.conflicts:
        click.echo("")
        click.echo(
            f"待处理 {len(report.conflicts)} 项（未写入；在程序中打开「合并辖区数据库」处理）："
        )
        for record in report.conflicts[:CONFLICTS_SHOWN]:
            click.echo(
                f"  {record.kind_label} {record.table_label}「{record.title}」"
                f"（{record.district}）{record.reason}"
            )
            click.echo(f"    本库：{record.local_stamp}；来件：{record.incoming_stamp}")
            if record.is_duplicate:
                if record.waiting:
                    click.echo(f"    其情况表等 {record.waiting} 行待确认后写入")
            else:
                for diff in record.differences()[:6]:
                    click.echo(
                        f"    {diff.label}：本库「{diff.local_text}」 来件「{diff.incoming_text}」"
                    )
        if len(report.conflicts) > CONFLICTS_SHOWN:
            click.echo(f"  ……另有 {len(report.conflicts) - CONFLICTS_SHOWN} 项")


@click.command("merge", cls=GuardedCommand)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--db", "db_path", type=click.Path(dir_okay=False), help=DB_OPTION_HELP)
@click.option("--dry-run", is_flag=True, help="只预览：显示将新增、更新、冲突的行，不写入")
def merge(files: tuple[Path, ...], db_path: str | None, dry_run: bool) -> None:
    """把辖市区的数据包（.duibiao，压缩的）或数据库合并到本数据库（市局）。

    数据包自动解压读取；早期版本的 .db 数据包和辖市区数据库本身也可以合并。
    不完整或已损坏的数据包（附件没传完整）被拒绝，本库不变。

    按 UUID 对应同一条记录；只有一方修改过的，取修改后的；上次合并后双方都改过的列为冲突，
    两次登记的同一企业（信用代码相同，或同一辖市区同名）列为待确认——这两类都不写入，
    留在程序的「合并辖区数据库」屏幕里逐条处理，其余照常合并。审核记录和修改记录两边都保留。
    整个合并是一个事务，有改动时提交前自动备份本库（合并前的状态）；
    同一文件再合并一次不会有任何改变，也不备份。

    \b
    退出码：0 合并完成；1 文件被拒绝（不是 duibiao 文件、已损坏、版本更新、或就是本库），
    未写入任何内容；3 已合并，但有冲突或待确认的企业（--dry-run 时：将会有）。

    \b
    例：
      duibiao-tui merge 京口区-20091020.duibiao 丹阳市-20091021.duibiao --dry-run
      duibiao-tui merge exports/*.duibiao --db 市局.db
    """
    from duibiao_tui.store.merge import merge_files, read_source
    from duibiao_tui.store.merge.digests import reuse_from

    sources = []  # every file is checked before this database is opened (or created)
    try:
        with reuse_from(resolve_db_path(db_path).path) as reuse:  # what it merged unchanged
            for file in files:
                click.echo(f"读取 {file.name}", err=True)
                sources.append(read_source(file, reuse))
        store = _city_store(db_path, dry_run=dry_run)
        try:
            _, keep = _config()
            report = merge_files(
                store,
                sources,
                dry_run=dry_run,
                keep=keep,
                progress=lambda text: click.echo(text, err=True),
            )
            _print_report(store, report)
        finally:
            store.close()
    finally:  # packages unpacked for the merge go, whatever happened
        for incoming in sources:
            incoming.close()
    if report.backup:
        click.echo(f"合并前的备份：{report.backup}", err=True)
    click.echo(report.summary(), err=True)
    if report.conflicts:
        sys.exit(EXIT_UNRESOLVED)
