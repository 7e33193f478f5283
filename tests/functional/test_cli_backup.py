"""backup and restore from the shell."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from duibiao_tui.cli.backup import backup_command, restore_command
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.store.backup import list_backups
from duibiao_tui.store.store import Store
from tests.reliability.faults import sqlite_check


def test_backup_list_and_restore(store: Store, seeded: dict[str, str], db_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(backup_command, ["--db", str(db_path)])
    assert result.exit_code == 0, result.output
    made = Path(result.output.strip())
    assert made.exists() and made.parent.name == "backups"
    assert sqlite_check(made) == "ok"  # integrity_check and quick_check, by sqlite3 itself
    listing = runner.invoke(backup_command, ["--db", str(db_path), "--list"])
    assert "手动" in listing.output and "企业     6" in listing.output
    eid = next(iter(seeded.values()))
    store.add_item(eid, ItemInput(aspect="设备", indicator="备份后新增"))
    store.close()
    restored = runner.invoke(restore_command, ["--db", str(db_path), str(made), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert sqlite_check(db_path) == "ok"  # the restored file, before the app opens it
    again = Store.open(db_path)
    assert again.item_count(eid) == 0
    again.close()
    assert len(list_backups(db_path)) == 2  # the state before restoring was kept
    assert all(sqlite_check(b.path) == "ok" for b in list_backups(db_path))


def test_backup_to_a_file_refuses_overwrite(store: Store, db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "u盘" / "京口区.db"
    runner = CliRunner()
    assert runner.invoke(backup_command, ["--db", str(db_path), "-o", str(target)]).exit_code == 0
    assert sqlite_check(target) == "ok"
    again = runner.invoke(backup_command, ["--db", str(db_path), "-o", str(target)])
    assert again.exit_code == 1 and "已存在" in again.output
    assert (
        runner.invoke(
            backup_command, ["--db", str(db_path), "-o", str(target), "--force"]
        ).exit_code
        == 0
    )


def test_restore_needs_a_file_or_latest(db_path: Path, store: Store) -> None:
    result = CliRunner().invoke(restore_command, ["--db", str(db_path)])
    assert result.exit_code == 2


def test_missing_database_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(backup_command, ["--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "不存在" in result.output
