"""``duibiao-tui import form`` through click's CliRunner (the command object itself, as
``duibiao_tui.cli`` registers it): exit codes, stdout, one stderr line per problem, the database
unchanged whenever the input is refused."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from duibiao_tui.cli.imports import form_command
from duibiao_tui.store.store import Store

FORMS = Path(__file__).parents[1] / "fixtures" / "forms"


def run(*args: str) -> Result:
    return CliRunner().invoke(form_command, list(args))


def copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copy(FORMS / name, target)
    return target


def state(path: Path) -> tuple[str, int, int]:
    """Checksum of every table, enterprises, rows: what a refused import must not change."""
    store = Store.open(path)
    try:
        dump = hashlib.sha256("\n".join(store.conn.iterdump()).encode()).hexdigest()
        items = store.conn.execute("SELECT count(*) FROM benchmark_item").fetchone()[0]
        return dump, store.count_enterprises(), items
    finally:
        store.close()


def test_import_a_form(db_path: Path, store: Store, tmp_path: Path) -> None:
    store.close()
    path = copy("handmade.xlsx", tmp_path)
    result = run(str(path), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已导入（活动：2009年质量标杆对比活动）：企业新增 1 家")
    assert "对标行新增 4 行" in result.stdout
    assert "导入前的数据库已备份：" in result.stderr
    assert "提示：handmade.xlsx 工作表「情况表」 第9行：项目「检验」按「检验把关」导入" in (
        result.stderr.splitlines()
    )
    assert "写入" not in result.stderr  # no progress bar when not on a terminal
    assert state(db_path)[1:] == (1, 4)
    again = run(str(path), "--db", str(db_path))
    assert again.exit_code == 0 and "无变化 4 行" in again.stdout
    assert state(db_path)[1:] == (1, 4)


def test_refused_input_exit_1_one_line_per_problem(
    db_path: Path, seeded: dict[str, str], store: Store, tmp_path: Path
) -> None:
    store.close()
    before = state(db_path)
    result = run(str(copy("bad_dates.xlsx", tmp_path)), "--db", str(db_path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (  # 明年 and 12345 are free text, kept with a 提示; 13月 cannot exist
        "bad_dates.xlsx 工作表「情况表」 第5行 完成时间 (I5): 「2010年13月」的月份应为 1–12，"
        "请写成 2010-06-30、2010年6月 或 2010年底"
    ) in lines
    assert sum(line.startswith("bad_dates.xlsx 工作表「情况表」 第") for line in lines) == 1
    assert sum("不是日期，按原文保存，完成日期未定" in line for line in lines) == 2
    assert lines[-1].startswith("未导入：bad_dates.xlsx：1 处有问题，没有导入任何数据")
    assert state(db_path) == before


def test_a_bad_credit_code_in_the_header(db_path: Path, store: Store, tmp_path: Path) -> None:
    store.close()
    before = state(db_path)
    result = run(str(copy("bad_credit_code.xlsx", tmp_path)), "--db", str(db_path))
    assert result.exit_code == 1
    assert (
        "bad_credit_code.xlsx 工作表「情况表」 第3行 统一社会信用代码 (A3): 校验位应为 L"
        in result.stderr.splitlines()
    )
    assert state(db_path) == before


def test_dry_run(db_path: Path, store: Store, tmp_path: Path) -> None:
    store.close()
    before = state(db_path)
    result = run(str(copy("two_enterprises.xlsx", tmp_path)), "--dry-run", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "新增企业 镇江市华东电力设备有限公司（工作表 华东电力）；新增 2 行" in result.stdout
    assert "预览（未写入" in result.stdout
    assert state(db_path) == before
    refused = run(str(copy("duplicates.xlsx", tmp_path)), "--dry-run", "--db", str(db_path))
    assert refused.exit_code == 1
    assert "duplicates.xlsx 工作表「情况表」 第6行 序号 (A6): 序号 2 与第5行重复" in refused.stderr
    assert state(db_path) == before


def test_valid_only(
    db_path: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store.close()
    path = copy("duplicates.xlsx", tmp_path)
    result = run(str(path), "--valid-only", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "未导入有问题的 3 行" in result.stdout
    error_file = tmp_path / "exports" / "duplicates-错误.xlsx"  # never beside the input
    assert f"有问题的行已写入：{error_file}" in result.stderr
    assert error_file.exists()
    assert state(db_path)[1:] == (1, 2)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_a_spreadsheet.xlsx", "无法读取文件：not_a_spreadsheet.xlsx：这是 PDF 文件"),
        ("empty.xlsx", "无法读取文件：empty.xlsx：文件是空的"),
        ("truncated.xlsx", "无法读取文件：truncated.xlsx：文件已损坏或不完整"),
        ("csv_renamed.xlsx", "无法读取文件：csv_renamed.xlsx：内容是纯文本"),
        ("missing_column.xlsx", "缺少必需的列：missing_column.xlsx："),
        ("zip_bomb.xlsx", "无法读取文件：zip_bomb.xlsx：文件压缩比异常"),
    ],
)
def test_unreadable_files_exit_1(
    db_path: Path, store: Store, tmp_path: Path, name: str, message: str
) -> None:
    store.close()
    before = state(db_path)
    result = run(str(copy(name, tmp_path)), "--db", str(db_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.output
    assert state(db_path) == before


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(str(tmp_path / "nope.xlsx")).exit_code == 2
    assert run().exit_code == 2
    assert run(str(tmp_path), "--db", "x.db").exit_code == 2  # a folder, not a file


def test_help_with_examples() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "例：" in result.stdout
    assert "duibiao-tui import form 情况表-镇江市长江电器设备厂.xlsx --dry-run" in result.stdout
    assert "--valid-only" in result.stdout and "--dry-run" in result.stdout
