"""``duibiao-tui package`` and ``duibiao-tui merge`` as an officer runs them.

The commands are invoked as click command objects (``duibiao_tui.cli`` registers them), on real
database files under ``tmp_path``; the exit codes are part of the contract (0 merged,
1 refused, 3 conflicts or duplicates wait).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from duibiao_tui.cli.merge import EXIT_REFUSED, EXIT_UNRESOLVED, merge, package
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.package import unpacked
from duibiao_tui.store.store import Store
from tests.reliability.faults import sqlite_check

CODE = "91321102MA1XXXXX07"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def district_db(path: Path, officer: str, rows: list[tuple[str, str, str]]) -> Path:
    """A district database with (name, district, credit code) enterprises, a row each."""
    store = Store.open(path, officer=officer)
    ids = {d.name: d.id for d in store.districts()}
    for name, district, code in rows:
        eid = store.add_enterprise(
            EnterpriseInput(name=name, credit_code=code, district_id=ids[district])
        ).id
        store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    store.close()
    return path


@pytest.fixture
def two_districts(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    yield (
        district_db(
            tmp_path / "jk.db",
            "李京口",
            [("镇江市京口阀门厂", "京口区", ""), ("镇江市长江电器设备厂", "京口区", CODE)],
        ),
        district_db(tmp_path / "dy.db", "赵丹阳", [("丹阳市华通光学眼镜有限公司", "丹阳市", "")]),
    )


def count(path: Path, sql: str) -> int:
    with unpacked(path) as plain:  # a package is compressed; a database is itself
        conn = sqlite3.connect(plain)
        try:
            return int(conn.execute(sql).fetchone()[0])
        finally:
            conn.close()


def package_check(path: Path) -> str:
    """``sqlite_check`` of what a compressed package holds."""
    with unpacked(path) as plain:
        assert plain != path, "a package is compressed"
        return sqlite_check(plain)


def test_package_writes_a_private_file_named_after_the_district(
    runner: CliRunner, two_districts: tuple[Path, Path], tmp_path: Path
) -> None:
    jk, _ = two_districts
    result = runner.invoke(package, ["--db", str(jk), "--district", "京口"])
    assert result.exit_code == 0, result.output
    made = Path(result.stdout.strip())
    assert made.parent == tmp_path / "exports"
    assert made.name.startswith("京口区-数据包-") and made.suffix == ".duibiao"
    assert os.stat(made).st_mode & 0o777 == 0o600
    assert package_check(made) == "ok"  # integrity_check and quick_check, by sqlite3 itself
    assert "2 家企业" in result.stderr
    again = runner.invoke(package, ["--db", str(jk), "--district", "京口区"])
    assert again.exit_code == 1 and "已存在" in again.stderr  # never overwritten silently
    forced = runner.invoke(package, ["--db", str(jk), "--district", "京口区", "--force"])
    assert forced.exit_code == 0 and package_check(made) == "ok"
    unknown = runner.invoke(package, ["--db", str(jk), "--district", "南京"])
    assert unknown.exit_code == 1 and "没有辖市区「南京」" in unknown.stderr


def test_package_of_a_whole_database_to_a_chosen_file(
    runner: CliRunner, two_districts: tuple[Path, Path], tmp_path: Path
) -> None:
    _, dy = two_districts
    result = runner.invoke(package, ["--db", str(dy), "-o", "out/"])
    assert result.exit_code == 0, result.output
    made = Path(result.stdout.strip())
    assert made.parent == (tmp_path / "out").resolve() and made.name.startswith("丹阳市-")
    assert count(made, "SELECT count(*) FROM enterprise") == 1 and package_check(made) == "ok"
    missing = runner.invoke(package, ["--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "不存在" in missing.stderr


def test_merge_prints_the_report_and_a_second_merge_changes_nothing(
    runner: CliRunner, two_districts: tuple[Path, Path], tmp_path: Path
) -> None:
    city = tmp_path / "city.db"
    jk, dy = two_districts
    preview = runner.invoke(merge, [str(jk), str(dy), "--db", str(city), "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert "预览（未写入）" in preview.stderr
    lines = preview.stdout.splitlines()
    assert any(line.split()[:3] == ["京口区", "企业", "2"] for line in lines), preview.stdout
    assert any(line.split()[:3] == ["丹阳市", "企业", "1"] for line in lines)
    assert not city.exists()  # a preview creates nothing, not even the city's file

    done = runner.invoke(merge, [str(jk), str(dy), "--db", str(city)])
    assert done.exit_code == 0, done.output
    assert "合并前的备份" in done.stderr
    assert count(city, "SELECT count(*) FROM enterprise") == 3
    assert count(city, "SELECT count(*) FROM benchmark_item") == 3
    assert sqlite_check(city) == "ok"
    assert all(sqlite_check(b) == "ok" for b in (city.parent / "backups").glob("*.db"))

    again = runner.invoke(merge, [str(jk), str(dy), "--db", str(city)])
    assert again.exit_code == 0
    assert "新增 0，更新 0" in again.stderr and "修改记录新增 0" in again.stderr


def test_merge_exits_3_when_a_duplicate_waits(
    runner: CliRunner, two_districts: tuple[Path, Path], tmp_path: Path
) -> None:
    city = district_db(tmp_path / "city.db", "王明", [("镇江长江电器设备厂", "京口区", CODE)])
    jk, _ = two_districts
    result = runner.invoke(merge, [str(jk), "--db", str(city)])
    assert result.exit_code == EXIT_UNRESOLVED, result.output
    assert "重复企业 企业「镇江市长江电器设备厂」（京口区）统一社会信用代码相同" in result.stdout
    assert "其情况表等 1 行待确认后写入" in result.stdout
    # The clean part is in; the duplicate and its row wait.
    assert count(city, "SELECT count(*) FROM enterprise") == 2
    assert count(city, "SELECT count(*) FROM merge_conflict WHERE resolved_at IS NULL") == 1


@pytest.mark.parametrize("kind", ["text", "newer", "missing"])
def test_merge_refuses_what_is_not_a_district_file(
    runner: CliRunner, two_districts: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    city = tmp_path / "city.db"
    jk, _ = two_districts
    bad = tmp_path / "bad.duibiao"
    if kind == "text":
        bad.write_text("不是数据库", encoding="utf-8")
    elif kind == "newer":
        bad.write_bytes(jk.read_bytes())
        conn = sqlite3.connect(bad)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('duibiao', '9999_future', '2030-01-01')"
        )
        conn.commit()
        conn.close()
    else:
        bad = tmp_path / "nowhere.duibiao"
    result = runner.invoke(merge, [str(jk), str(bad), "--db", str(city)])
    assert result.exit_code == EXIT_REFUSED
    assert "无法合并：" in result.stderr or "数据库版本过新" in result.stderr
    assert not city.exists()  # refused before the city's file was even opened
    district_db(city, "王明", [])
    itself = runner.invoke(merge, [str(city), "--db", str(city)])
    assert itself.exit_code == EXIT_REFUSED and "不能合并到自身" in itself.stderr


@pytest.mark.parametrize("damage", ["cut off", "flipped"])
def test_a_damaged_package_is_refused_and_the_city_is_unchanged(
    runner: CliRunner, two_districts: tuple[Path, Path], tmp_path: Path, damage: str
) -> None:
    city = tmp_path / "city.db"
    jk, dy = two_districts
    assert runner.invoke(merge, [str(jk), "--db", str(city)]).exit_code == 0
    made = runner.invoke(package, ["--db", str(dy), "-o", str(tmp_path / "dy.duibiao")])
    assert made.exit_code == 0, made.output
    packed = tmp_path / "dy.duibiao"
    data = bytearray(packed.read_bytes())
    if damage == "cut off":  # a mail attachment that did not arrive whole
        del data[len(data) // 2 :]
    else:  # a byte changed inside the compressed data
        data[len(data) // 2] ^= 0xFF
    packed.write_bytes(bytes(data))
    before = city.read_bytes()
    backups = sorted((city.parent / "backups").glob("*.db"))
    result = runner.invoke(merge, [str(packed), "--db", str(city)])
    assert result.exit_code == EXIT_REFUSED, result.output
    message = result.stderr.split("\n", 1)[1]  # after 读取 dy.duibiao
    assert "dy.duibiao 已损坏或不完整" in message and "重新打包" in message, message
    assert not re.search("[A-Za-z]{3,}", message.replace("dy.duibiao", "")), message
    assert city.read_bytes() == before  # not a byte of the city file changed
    assert sorted((city.parent / "backups").glob("*.db")) == backups
