"""The command line, through click's CliRunner, and the click-free launch path."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from duibiao_tui.cli import main
from duibiao_tui.demo_file import fill_demo_if_empty
from duibiao_tui.launch import plain_open_args
from duibiao_tui.store.store import Store


def test_where_prints_the_chosen_file_and_why(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["where", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0
    assert result.stdout.strip() == str((tmp_path / "x.db").resolve())
    assert "来源：--db" in result.stderr and "尚未创建" in result.stderr


def test_where_uses_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUIBIAO_DB", str(tmp_path / "env.db"))
    result = CliRunner().invoke(main, ["where"])
    assert result.stdout.strip() == str((tmp_path / "env.db").resolve())
    assert "DUIBIAO_DB" in result.stderr


def test_default_location_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DUIBIAO_DB")
    first = CliRunner().invoke(main, ["where"]).stdout
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["where"]).stdout == first
    assert first.strip().endswith("duibiao.db")


def test_demo_writes_and_never_overwrites_without_force(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    runner = CliRunner()
    result = runner.invoke(main, ["demo", "--db", str(db), "--enterprises", "12"])
    assert result.exit_code == 0, result.output
    store = Store.open(db)
    assert store.count_enterprises() == 12
    store.close()
    again = runner.invoke(main, ["demo", "--db", str(db), "--enterprises", "5"])
    assert again.exit_code == 1
    assert "--force" in again.stderr
    forced = runner.invoke(main, ["demo", "--db", str(db), "--enterprises", "5", "--force"])
    assert forced.exit_code == 0
    store = Store.open(db)
    assert store.count_enterprises() == 5
    store.close()


def test_demo_if_empty_leaves_real_data_alone(tmp_path: Path) -> None:
    db = tmp_path / "mine.db"
    fill_demo_if_empty(db)
    store = Store.open(db)
    count = store.count_enterprises()
    store.close()
    assert count > 0
    fill_demo_if_empty(db)  # a second run must not add more
    store = Store.open(db)
    assert store.count_enterprises() == count
    store.close()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (None, False)),
        (["--db", "a.db"], ("a.db", False)),
        (["--db=a.db", "--demo"], ("a.db", True)),
        (["--demo", "--db", "a.db"], ("a.db", True)),
        (["where"], None),
        (["--help"], None),
        (["--db"], None),
        (["--db", "--demo"], None),
        (["demo", "--db", "x"], None),
    ],
)
def test_plain_open_is_recognised_without_click(
    args: list[str], expected: tuple[str | None, bool] | None
) -> None:
    assert plain_open_args(args) == expected


def test_a_newer_schema_is_refused_on_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    store = Store.open(db)
    store.conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('duibiao', '0099_future', 'x')"
    )
    store.conn.commit()
    store.close()
    result = CliRunner().invoke(main, ["open", "--db", str(db)])
    assert result.exit_code == 1
    assert "更新版本" in result.stderr
