"""The smaller faults: same-second backups, leftovers of killed runs, previews that created
files, and an import that ignored ``backups_keep``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from duibiao_tui.cli import main
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.excel.atomic import clean_stale_temps
from duibiao_tui.store.backup import list_backups, prune, take_backup
from duibiao_tui.store.store import Store
from tests.reliability.faults import sqlite_check

T0 = datetime(2009, 10, 8, 9, 30)


def _district(path: Path) -> Path:
    store = Store.open(path, officer="王明")
    store.add_enterprise(EnterpriseInput(name="镇江市长江电器设备厂"))
    store.close()
    return path


def test_backups_within_one_second_sort_in_the_order_taken(tmp_path: Path) -> None:
    db = _district(tmp_path / "district.db")
    taken = [take_backup(db, f"第{n}份", now=T0, keep=20) for n in range(1, 12)]
    assert [p.name for p in taken[:3]] == [
        "district-20091008-093000.db",
        "district-20091008-093000-2.db",
        "district-20091008-093000-3.db",
    ]
    listed = list_backups(db)
    assert [i.reason for i in listed] == [f"第{n}份" for n in range(11, 0, -1)]  # newest first
    prune(db, keep=3)  # the oldest go, "-10" sorting after "-9"
    assert [i.reason for i in list_backups(db)] == ["第11份", "第10份", "第9份"]
    assert all(sqlite_check(i.path) == "ok" for i in list_backups(db))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_runs_are_removed_and_nothing_else(tmp_path: Path) -> None:
    dead, old = _dead_pid(), time.time() - 3600
    ours_stale = [
        f".情况表-全部企业.xlsx.{dead}-0a1b2c3d.tmp",  # atomic_path of a killed export
        ".汇总-全市.xlsx.0a1b2c3d.tmp",  # the same, before names carried the pid
        ".district-20091008-093000.db.k2j_8x0a.tmp",  # a killed backup (mkstemp)
        f".京口区-20091020.duibiao.{dead}.part",  # a killed package
        f".district.db.restore-{dead}.tmp",  # a killed restore
    ]
    kept = [
        f".情况表-x.xlsx.{os.getpid()}-0a1b2c3d.tmp",  # a live process's (ours)
        ".notes.txt.0a1b2c3d.tmp",  # not a name we make
        "情况表.xlsx",
        ".fresh.csv.0a1b2c3d.tmp",  # no pid, written a minute ago: may be in progress
    ]
    for name in ours_stale + kept:
        (tmp_path / name).write_bytes(b"x" * 1000)
        os.utime(tmp_path / name, (old, old))
    os.utime(tmp_path / ".fresh.csv.0a1b2c3d.tmp")
    removed = clean_stale_temps(tmp_path)
    assert sorted(p.name for p in removed) == sorted(ours_stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_commands_clean_leftovers_beside_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = _district(tmp_path / "district.db")
    exports = tmp_path / "exports"
    exports.mkdir()
    left = exports / ".汇总-全市.xlsx.0a1b2c3d.tmp"
    left.write_bytes(b"\0" * 100_000)
    old = time.time() - 3600
    os.utime(left, (old, old))
    result = CliRunner().invoke(main, ["backup", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    assert not left.exists()


def test_merge_dry_run_creates_nothing(tmp_path: Path) -> None:
    district = _district(tmp_path / "jingkou.db")
    city = tmp_path / "市局" / "city.db"
    result = CliRunner().invoke(main, ["merge", str(district), "--db", str(city), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "预览" in result.stderr
    assert not city.exists() and not city.parent.exists()


def test_import_enterprises_keeps_backups_keep_backups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path(os.environ["DUIBIAO_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"officer": "王明", "backups_keep": 2}), encoding="utf-8")
    db = _district(tmp_path / "district.db")
    runner = CliRunner()
    for n in range(4):
        names = tmp_path / f"名单{n}.csv"
        names.write_text(f"企业名称\n镇江市第{n}机械厂\n", encoding="utf-8")
        result = runner.invoke(main, ["import", "enterprises", str(names), "--db", str(db)])
        assert result.exit_code == 0, result.stderr
    assert [i.reason for i in list_backups(db)] == ["导入前", "导入前"]
