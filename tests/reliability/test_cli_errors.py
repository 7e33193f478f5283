"""One error boundary for every command: a line in Chinese, exit 1, never a traceback.

Seen before: export, import and package on a non-database, damaged or newer-schema
``--db`` raised tracebacks (the store was opened outside the error handling), as did an
export on a full disk; "Exception ignored … Traceback" followed the over-long-cell message.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from duibiao_tui.cli import main
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.store import Store
from tests.reliability.faults import cli

COMMANDS = [
    ["export", "form", "--all"],
    ["export", "summary"],
    ["export", "public"],
    ["export", "csv"],
    ["import", "enterprises", "{csv}"],
    ["import", "form", "{xlsx}"],
    ["package"],
    ["backup"],
    ["backup", "--list"],
    ["restore", "--latest", "--yes"],
    ["merge", "{district}"],
]


def _district(path: Path) -> Path:
    store = Store.open(path, officer="王明")
    store.add_enterprise(EnterpriseInput(name="镇江市长江电器设备厂"))
    store.close()
    return path


def _bad(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.db"
    if kind == "not-a-database":
        path.write_bytes(b"PK\x03\x04" + os.urandom(5000))
    elif kind == "damaged":
        _district(path)
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.seek(size // 2)
            handle.write(os.urandom(16384))
    else:
        _district(path)
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('duibiao', '9999_future', '2030-01-01')"
        )
        conn.commit()
        conn.close()
    return path


@pytest.mark.parametrize("kind", ["not-a-database", "damaged", "newer"])
def test_every_command_on_a_bad_database_says_one_line(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = _bad(kind, tmp_path)
    names = {
        "csv": str(tmp_path / "名单.csv"),
        "xlsx": str(tmp_path / "情况表.xlsx"),
        "district": str(_district(tmp_path / "jingkou.db")),
    }
    Path(names["csv"]).write_text("企业名称\n镇江市新企业\n", encoding="utf-8")
    Path(names["xlsx"]).write_bytes(b"PK\x03\x04")
    runner = CliRunner()
    for command in COMMANDS:
        args = [a.format(**names) for a in command]
        result = runner.invoke(main, [*args, "--db", str(db)])
        where = f"{args} on {kind}: {result.stderr!r} {result.exception!r}"
        if command == ["backup", "--list"] or (command == ["backup"] and kind == "newer"):
            assert result.exit_code == 0, where  # a consistent copy of any duibiao file
            continue
        assert result.exit_code == 1, where
        assert isinstance(result.exception, SystemExit), where
        last = result.stderr.strip().splitlines()[-1]
        assert "：" in last and "Traceback" not in result.stderr, where
        assert "意外错误" not in result.stderr, where


def test_an_unforeseen_error_writes_the_crash_log_and_prints_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DUIBIAO_LOG_DIR", str(tmp_path / "logs"))
    db = _district(tmp_path / "district.db")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("王明 13912345678")  # people's data must not reach the terminal

    monkeypatch.setattr("duibiao_tui.excel.summary_export.export_summary", broken)
    result = CliRunner().invoke(main, ["export", "summary", "--db", str(db)])
    assert result.exit_code == 1
    assert "意外错误" in result.stderr and "13912345678" not in result.stderr
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and str(logs[0]) in result.stderr
    assert "RuntimeError" in logs[0].read_text(encoding="utf-8")
    assert oct(logs[0].stat().st_mode & 0o777) == "0o600"


def test_the_over_long_cell_message_is_all_the_officer_sees(tmp_path: Path) -> None:
    from duibiao_tui.domain.item_rules import ItemInput

    path = tmp_path / "district.db"
    store = Store.open(path, officer="王明")
    enterprise = store.add_enterprise(EnterpriseInput(name="镇江市长江电器设备厂"))
    item = store.add_item(enterprise.id, ItemInput(aspect="设备", indicator="数控化率"))
    store.close()
    conn = sqlite3.connect(path)  # as an older release or another tool may have stored it
    conn.execute("UPDATE benchmark_item SET indicator = ? WHERE id = ?", ["长" * 40_000, item.id])
    conn.commit()
    conn.close()
    for args in (["export", "form", "--all"], ["export", "summary"], ["export", "csv"]):
        done = cli(*args, "--db", str(path), "-o", str(tmp_path / "out") + "/", cwd=tmp_path)
        if done.returncode == 0:
            continue  # this export keeps long text (CSV has no cell limit)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, (
            args,
            done.stderr,
        )
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
