"""Restore takes only a whole duibiao database this release can open, checked by checksum.

Seen before: any SQLite file was restored (a newer schema, another program's database),
after which ``--latest`` found "没有可用的备份"; a byte flipped inside a record passed
``integrity_check`` and was restored silently.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.backup import (
    BackupError,
    checksum_path,
    list_backups,
    restore_backup,
    restore_latest,
    take_backup,
    verify_backup,
)
from duibiao_tui.store.store import Store
from tests.reliability.faults import digest, sqlite_check

T0 = datetime(2009, 10, 8, 9, 30)
NAME = "镇江市长江电器设备厂"


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "district.db"
    store = Store.open(path, officer="王明")
    store.add_enterprise(EnterpriseInput(name=NAME))
    store.close()
    return path


def _refused(backup: Path, live: Path, match: str) -> None:
    before = digest(live)
    with pytest.raises(BackupError, match=match):
        restore_backup(backup, live)
    assert digest(live) == before
    assert [i.reason for i in list_backups(live) if i.reason == "恢复前"] == []


def test_a_byte_flipped_inside_a_record_is_caught_by_the_checksum(live: Path) -> None:
    backup = take_backup(live, now=T0)
    assert checksum_path(backup).read_text().split()[0] and sqlite_check(backup) == "ok"
    data = bytearray(backup.read_bytes())
    at = data.index(NAME.encode())
    data[at + 3] ^= 0x01  # 长 → another character: the page is still well formed
    backup.write_bytes(bytes(data))
    assert sqlite_check(backup) == "ok"  # integrity_check cannot see it
    _refused(backup, live, "校验和不符")


def test_a_newer_schema_is_refused(live: Path, tmp_path: Path) -> None:
    backup = take_backup(live, now=T0)
    newer = tmp_path / "newer.db"
    newer.write_bytes(backup.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('duibiao', '9999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    _refused(newer, live, "更新版本")


def test_another_programs_database_is_refused(live: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    _refused(other, live, "不是 duibiao 数据库")
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    _refused(empty, live, "不是")


def test_the_copy_taken_before_a_restore_is_a_backup_restore_latest_can_use(
    live: Path,
) -> None:
    first = take_backup(live, now=T0)
    store = Store.open(live)
    store.add_enterprise(EnterpriseInput(name="恢复前才登记的企业"))
    store.close()
    kept = restore_backup(first, live, now=T0 + timedelta(minutes=1))
    assert kept is not None
    infos = list_backups(live)
    assert [i.reason for i in infos] == ["恢复前", "手动"]
    assert infos[0].counts["enterprise"] == 2
    verify_backup(infos[0].path)  # with its own checksum
    assert sqlite_check(infos[0].path) == "ok" and sqlite_check(live) == "ok"  # restored
    # The live file is now damaged: --latest takes the newest backup, the pre-restore one.
    with open(live, "r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xff" * 8192)
    assert restore_latest(live) == infos[0].path
    assert sqlite_check(live) == "ok"
    store = Store.open(live)
    assert store.count_enterprises() == 2
    store.close()
    assert any("damaged" in p.name for p in (live.parent / "backups").iterdir())


def test_restore_latest_skips_backups_that_fail_their_checks(live: Path) -> None:
    good = take_backup(live, now=T0)
    bad = take_backup(live, now=T0 + timedelta(minutes=1))
    data = bytearray(bad.read_bytes())
    data[data.index(NAME.encode()) + 3] ^= 0x01
    bad.write_bytes(bytes(data))
    live.write_bytes(b"\0" * 8192)  # the live file is no database any more
    assert restore_latest(live) == good
    assert sqlite_check(live) == "ok"
