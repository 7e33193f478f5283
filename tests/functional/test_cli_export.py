"""``duibiao-tui export summary | public | csv`` through click's CliRunner: exit codes,
stdout (the paths written), stderr lines, refusing to overwrite."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from duibiao_tui.cli import main
from duibiao_tui.cli.exports import REVIEW_STATUS_CHOICES
from duibiao_tui.domain.reference import REVIEW_STATUSES
from duibiao_tui.store.store import Store
from tests.functional.test_measures_keys import CHANGJIANG
from tests.unit.test_excel_summary import PEOPLE, SHEETS, every_text, with_review


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def reviewed(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    return with_review(store, seeded)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_summary_to_the_default_folder(
    db_path: Path, reviewed: dict[str, str], in_tmp: Path
) -> None:
    result = run("export", "summary", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    expected = in_tmp / "exports" / "汇总-全市.xlsx"
    assert result.stdout.strip() == str(expected)
    assert "已导出汇总：企业 7 家，对标项目 8 行，提升措施 7 条，推介与推荐 2 条" in result.stderr
    assert "导出汇总 [" not in result.stderr  # no progress bar when not on a terminal
    workbook = openpyxl.load_workbook(expected)
    assert workbook.sheetnames == SHEETS


def test_summary_with_filters(db_path: Path, reviewed: dict[str, str], in_tmp: Path) -> None:
    result = run(
        "export",
        "summary",
        "-d",
        "京口",
        "--status",
        "退回修改",
        "-o",
        "out/",
        "--db",
        str(db_path),
    )
    assert result.exit_code == 0, result.output
    path = in_tmp / "out" / "汇总-京口区-退回修改.xlsx"
    assert result.stdout.strip() == str(path)
    workbook = openpyxl.load_workbook(path)
    names = [row[0] for row in workbook["企业名单"].iter_rows(min_row=2, values_only=True)]
    assert names == [CHANGJIANG]
    campaign = run("export", "summary", "--campaign", "2009", "-o", "c.xlsx", "--db", str(db_path))
    assert campaign.exit_code == 0, campaign.output
    assert (in_tmp / "c.xlsx").exists()


def test_unknown_filters(db_path: Path, reviewed: dict[str, str], in_tmp: Path) -> None:
    district = run("export", "summary", "--district", "火星", "--db", str(db_path))
    assert district.exit_code == 1
    assert "没有辖市区「火星」" in district.stderr and "京口区" in district.stderr
    campaign = run("export", "summary", "--campaign", "1999", "--db", str(db_path))
    assert campaign.exit_code == 1
    assert "没有活动「1999」" in campaign.stderr
    status = run("export", "summary", "--status", "通过", "--db", str(db_path))
    assert status.exit_code == 2
    assert "已通过" in status.stderr  # the choices are listed
    assert not (in_tmp / "exports").exists() or not any((in_tmp / "exports").iterdir())


@pytest.mark.parametrize("command", ["summary", "public"])
def test_existing_file_needs_force(
    db_path: Path, reviewed: dict[str, str], in_tmp: Path, command: str
) -> None:
    (in_tmp / "out.xlsx").write_bytes(b"officer's own file")
    args = ["export", command, "-o", "out.xlsx", "--db", str(db_path)]
    refused = run(*args)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("没有覆盖：")
    assert refused.stderr.count("已存在") == 1  # said once, not in the title and again
    assert "--force" in refused.stderr
    assert (in_tmp / "out.xlsx").read_bytes() == b"officer's own file"
    forced = run(*args, "--force")
    assert forced.exit_code == 0, forced.output
    assert openpyxl.load_workbook(in_tmp / "out.xlsx").sheetnames == SHEETS


def test_public_has_no_personal_data(db_path: Path, reviewed: dict[str, str], in_tmp: Path) -> None:
    result = run("export", "public", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    path = in_tmp / "exports" / "公开版-全市.xlsx"
    assert result.stdout.strip() == str(path)
    assert "公开版（不含个人信息）" in result.stderr
    text = every_text(openpyxl.load_workbook(path))
    for value in PEOPLE.values():
        assert value not in text, value
    assert CHANGJIANG in text


def test_csv(db_path: Path, reviewed: dict[str, str], in_tmp: Path) -> None:
    result = run("export", "csv", "-o", "表格", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    folder = in_tmp / "表格"
    paths = result.stdout.strip().splitlines()
    assert paths == [str(folder / n) for n in ("企业名单.csv", "对标项目.csv", "提升措施跟踪.csv")]
    assert "已导出 CSV：企业名单 7 行，对标项目 8 行，提升措施跟踪 7 行" in result.stderr
    raw = (folder / "企业名单.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(folder / "企业名单.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "企业名称" and len(rows) == 8

    again = run("export", "csv", "-o", "表格", "--db", str(db_path))
    assert again.exit_code == 1
    assert "企业名单.csv 已存在" in again.stderr and "--force" in again.stderr
    assert (folder / "企业名单.csv").read_bytes() == raw
    assert run("export", "csv", "-o", "表格", "--force", "--db", str(db_path)).exit_code == 0


def test_csv_default_folder_and_public(
    db_path: Path, reviewed: dict[str, str], in_tmp: Path
) -> None:
    result = run("export", "csv", "--public", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    first = in_tmp / "exports" / "公开版-企业名单.csv"
    assert result.stdout.splitlines()[0] == str(first)
    text = first.read_text(encoding="utf-8-sig")
    assert PEOPLE["contact"] not in text and "电话" not in text


@pytest.mark.parametrize(
    "args",
    [
        ["export", "summary", "-o", "out.xls"],
        ["export", "public", "-o", "out.csv"],
        ["export", "summary", "--bogus"],
        ["export", "csv", "--status", "done"],
    ],
)
def test_usage_errors_exit_2(db_path: Path, seeded: dict[str, str], args: list[str]) -> None:
    assert run(*args, "--db", str(db_path)).exit_code == 2


def test_csv_output_must_be_a_folder(db_path: Path, seeded: dict[str, str], in_tmp: Path) -> None:
    (in_tmp / "file.txt").write_text("x")
    result = run("export", "csv", "-o", "file.txt", "--db", str(db_path))
    assert result.exit_code == 2
    assert "应为文件夹" in result.stderr


@pytest.mark.parametrize("command", ["summary", "public", "csv"])
def test_a_missing_database_is_not_created(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "typo.db"
    result = run("export", command, "--db", str(missing))
    assert result.exit_code == 1
    assert "找不到数据库" in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize("command", ["summary", "public", "csv"])
def test_help_with_an_example(command: str) -> None:
    result = run("export", command, "--help")
    assert result.exit_code == 0
    assert "例：" in result.output and f"duibiao-tui export {command}" in result.output
    assert "--db" in result.output and "--force" in result.output


def test_status_choices_follow_the_domain() -> None:
    assert REVIEW_STATUS_CHOICES == REVIEW_STATUSES
