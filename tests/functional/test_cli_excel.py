"""``duibiao-tui export form`` and ``duibiao-tui import enterprises`` through click's CliRunner:
exit codes, stdout, and one stderr line per problem."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from duibiao_tui.cli import main
from duibiao_tui.store.store import Store


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def db_checksum(path: Path) -> str:
    store = Store.open(path)
    try:
        return hashlib.sha256("\n".join(store.conn.iterdump()).encode()).hexdigest()
    finally:
        store.close()


# -- export form -------------------------------------------------------------------------


def test_export_one_enterprise_by_name(db_path: Path, seeded: dict[str, str], in_tmp: Path) -> None:
    result = run("export", "form", "镇江市长江电器设备厂", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    expected = in_tmp / "exports" / "情况表-镇江市长江电器设备厂.xlsx"
    assert result.stdout.strip() == str(expected)
    workbook = openpyxl.load_workbook(expected)
    assert workbook.sheetnames == ["镇江市长江电器设备厂"]
    assert workbook.active["A1"].value == "镇江市工业企业质量标杆对比活动情况表"
    assert "已导出 1 家企业" in result.stderr
    assert "导出情况表" not in result.stderr  # no progress bar when not on a terminal


def test_export_by_credit_code_and_fragment(
    db_path: Path, seeded: dict[str, str], in_tmp: Path
) -> None:
    result = run("export", "form", "91321102MA1XXXXX07", "恒顺", "-o", "两家", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(in_tmp / "两家.xlsx")
    assert openpyxl.load_workbook(in_tmp / "两家.xlsx").sheetnames == [
        "镇江市长江电器设备厂",
        "江苏恒顺醋业股份有限公司",
    ]


def test_ambiguous_and_unknown_names(db_path: Path, seeded: dict[str, str], in_tmp: Path) -> None:
    result = run("export", "form", "有限公司", "不存在的厂", "--db", str(db_path))
    assert result.exit_code == 1
    assert "「有限公司」对应" in result.stderr
    assert "丹阳市华通光学眼镜有限公司（丹阳市" in result.stderr  # candidates listed
    assert "没有找到企业「不存在的厂」" in result.stderr
    assert not (in_tmp / "exports").exists() or not any((in_tmp / "exports").iterdir())


def test_existing_file_needs_force(db_path: Path, seeded: dict[str, str], in_tmp: Path) -> None:
    args = ["export", "form", "恒顺", "-o", "out.xlsx", "--db", str(db_path)]
    assert run(*args).exit_code == 0
    (in_tmp / "out.xlsx").write_bytes(b"officer's own file")
    refused = run(*args)
    assert refused.exit_code == 1
    assert "已存在" in refused.stderr and "--force" in refused.stderr
    assert (in_tmp / "out.xlsx").read_bytes() == b"officer's own file"
    forced = run(*args, "--force")
    assert forced.exit_code == 0
    assert openpyxl.load_workbook(in_tmp / "out.xlsx").sheetnames == ["江苏恒顺醋业股份有限公司"]


def test_export_a_district_and_everything(
    db_path: Path, seeded: dict[str, str], in_tmp: Path
) -> None:
    district = run("export", "form", "--district", "京口", "--db", str(db_path), "-o", "out/")
    assert district.exit_code == 0, district.output
    path = Path(district.stdout.strip())
    assert path == in_tmp / "out" / "情况表-京口区.xlsx"
    assert openpyxl.load_workbook(path).sheetnames == ["镇江市长江电器设备厂"]
    everything = run("export", "form", "--all", "--db", str(db_path))
    assert everything.exit_code == 0
    names = openpyxl.load_workbook(everything.stdout.strip()).sheetnames
    assert sorted(names) == sorted(seeded)


def test_unknown_district(db_path: Path, seeded: dict[str, str], in_tmp: Path) -> None:
    result = run("export", "form", "--district", "火星", "--db", str(db_path))
    assert result.exit_code == 1
    assert "火星" in result.stderr and "京口区" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["甲", "--all"],
        ["--all", "--district", "京口区"],
        ["恒顺", "-o", "out.xls"],
    ],
)
def test_usage_errors_exit_2(db_path: Path, seeded: dict[str, str], args: list[str]) -> None:
    assert run("export", "form", *args, "--db", str(db_path)).exit_code == 2


def test_a_missing_database_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = run("export", "form", "--all", "--db", str(missing))
    assert result.exit_code == 1 and "不存在" in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize(
    "command", [["export"], ["export", "form"], ["import"], ["import", "enterprises"]]
)
def test_help_everywhere(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    if len(command) == 2:
        assert "例：" in result.stdout and "duibiao-tui " + " ".join(command) in result.stdout


# -- import enterprises -----------------------------------------------------------------

HEADER = ["序号", "企业名称", "统一社会信用代码", "辖市区", "主导产品"]


def write_list(path: Path, rows: list[list[str]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "企业名单"
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


GOOD = [
    ["1", "镇江市华东电力设备有限公司", "91110000600037341L", "京口区", "变压器"],
    ["2", "丹阳市光明眼镜厂", "", "丹阳", "镜片"],
    ["3", "句容市新型建材厂", "", "句容市", "砌块"],
]
BAD = ["4", "坏代码企业", "91110000600037341N", "京口区", ""]


def count(db_path: Path) -> int:
    store = Store.open(db_path)
    try:
        return store.count_enterprises()
    finally:
        store.close()


def test_import_a_good_list(db_path: Path, store: Store, tmp_path: Path) -> None:
    path = write_list(tmp_path / "名单.xlsx", GOOD)
    result = run("import", "enterprises", str(path), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "新增 3 家" in result.stdout
    assert count(db_path) == 3


def test_a_refused_row_stops_everything(db_path: Path, store: Store, tmp_path: Path) -> None:
    path = write_list(tmp_path / "名单.xlsx", [*GOOD, BAD])
    before = db_checksum(db_path)
    result = run("import", "enterprises", str(path), "--db", str(db_path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "名单.xlsx 工作表「企业名单」 第5行 统一社会信用代码 (C5): 校验位应为 L" in lines
    assert any("没有导入任何数据" in line for line in lines)
    assert db_checksum(db_path) == before


def test_dry_run_writes_nothing(db_path: Path, store: Store, tmp_path: Path) -> None:
    path = write_list(tmp_path / "名单.xlsx", GOOD)
    before = db_checksum(db_path)
    result = run("import", "enterprises", str(path), "--dry-run", "--db", str(db_path))
    assert result.exit_code == 0
    assert "预览（未写入）" in result.stdout and "新增 3 家" in result.stdout
    assert db_checksum(db_path) == before
    bad = write_list(tmp_path / "坏.xlsx", [*GOOD, BAD])
    refused = run("import", "enterprises", str(bad), "--dry-run", "--db", str(db_path))
    assert refused.exit_code == 1
    assert "坏.xlsx 工作表「企业名单」 第5行 统一社会信用代码 (C5): 校验位应为 L" in refused.stderr
    assert db_checksum(db_path) == before


def test_valid_only(
    db_path: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write_list(tmp_path / "名单.xlsx", [*GOOD, BAD])
    result = run("import", "enterprises", str(path), "--valid-only", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert count(db_path) == 3
    error_file = tmp_path / "exports" / "名单-错误.xlsx"  # never beside the input
    assert str(error_file) in result.stderr
    assert error_file.stat().st_mode & 0o777 == 0o600
    ws = openpyxl.load_workbook(error_file).active
    assert ws["C2"].value == "坏代码企业"


def test_existing_enterprises_skip_by_default_update_on_request(
    db_path: Path, seeded: dict[str, str], tmp_path: Path
) -> None:
    path = write_list(
        tmp_path / "名单.xlsx", [["1", "镇江市长江电器设备厂", "91321102MA1XXXXX07", "", "新产品"]]
    )
    before = db_checksum(db_path)
    skipped = run("import", "enterprises", str(path), "--db", str(db_path))
    assert skipped.exit_code == 0
    assert "已存在跳过 1 家" in skipped.stdout and "--update" in skipped.stderr
    assert db_checksum(db_path) == before
    updated = run("import", "enterprises", str(path), "--update", "--db", str(db_path))
    assert updated.exit_code == 0 and "更新 1 家" in updated.stdout
    assert count(db_path) == len(seeded)
    store = Store.open(db_path)
    assert store.get_enterprise(seeded["镇江市长江电器设备厂"]).main_products == "新产品"
    store.close()


def test_unreadable_file_exit_1(db_path: Path, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"\x00\x01garbage" * 100)
    result = run("import", "enterprises", str(path), "--db", str(db_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("无法读取文件：名单.xlsx：")
    assert "Traceback" not in result.output


def test_missing_column_exit_1(db_path: Path, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("信用代码,地址\n91110000600037341L,x\n", encoding="utf-8-sig")
    result = run("import", "enterprises", str(path), "--db", str(db_path))
    assert result.exit_code == 1
    assert "list.csv" in result.stderr and "企业名称" in result.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("import", "enterprises", str(tmp_path / "nope.xlsx"))
    assert result.exit_code == 2


def test_import_enterprises_says_what_it_skipped_and_flagged(tmp_path: Path) -> None:
    """Totals rows, hidden rows, formulas without results and look-alike columns are said
    on the command line as in the F7 preview."""
    listing = Path(__file__).parents[1] / "fixtures" / "forms" / "real" / "real_list.xlsx"
    result = run("import", "enterprises", str(listing), "--dry-run", "--db", str(tmp_path / "d.db"))
    said = result.stderr if hasattr(result, "stderr") else result.output
    assert "合计行，未导入" in said
    assert "隐藏行，未导入" in said
    assert "是公式" in said
    assert "看起来是「辖市区」" in said
