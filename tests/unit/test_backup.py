"""Backups and restores on real files; opening files that are not, or no longer, good."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from duibiao_tui.demo import fill_demo
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.errors import (
    CorruptDatabaseError,
    FileExistsRefused,
    NotADatabaseError,
    ReadOnlyError,
    SchemaTooNewError,
)
from duibiao_tui.store.backup import (
    backup_file,
    counts_of,
    daily_backup,
    list_backups,
    restore_backup,
    restore_latest,
    take_backup,
)
from duibiao_tui.store.store import Store

T0 = datetime(2009, 10, 8, 9, 30)


def table_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            )
        ]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "district.db"
    store = Store.open(path, officer="王明")
    fill_demo(store, enterprises=12)
    store.close()
    return path


def test_backup_is_private_complete_and_restorable(demo_file: Path, tmp_path: Path) -> None:
    before = table_dump(demo_file)
    taken = take_backup(demo_file, now=T0)
    assert taken.name == "district-20091008-093000.db"
    assert stat.S_IMODE(taken.stat().st_mode) == 0o600
    assert table_dump(taken) == before
    # Change the live file, then restore: the content is that of the backup again.
    store = Store.open(demo_file, officer="王明")
    eid = store.first_enterprises(1)[0].id
    store.add_item(eid, ItemInput(aspect="设备", indicator="备份之后加的"))
    store.close()
    assert table_dump(demo_file) != before
    kept = restore_backup(taken, demo_file, now=T0 + timedelta(minutes=1))
    assert kept is not None and kept.exists()  # the state before restoring is kept
    assert table_dump(demo_file) == before
    check = sqlite3.connect(demo_file)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_keeps_the_newest_ten(demo_file: Path) -> None:
    for minute in range(13):
        take_backup(demo_file, now=T0 + timedelta(minutes=minute))
    infos = list_backups(demo_file)
    assert len(infos) == 10
    assert infos[0].taken_at == T0 + timedelta(minutes=12)
    assert infos[-1].taken_at == T0 + timedelta(minutes=3)
    assert infos[0].counts["enterprise"] == 12 and infos[0].reason == "手动"


def test_daily_backup_once_a_day(demo_file: Path) -> None:
    assert daily_backup(demo_file, now=T0) is not None
    assert daily_backup(demo_file, now=T0 + timedelta(hours=3)) is None
    assert daily_backup(demo_file, now=T0 + timedelta(days=1)) is not None
    assert [i.reason for i in list_backups(demo_file)] == ["每日", "每日"]


def test_backup_refuses_to_overwrite(demo_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    backup_file(demo_file, target)
    with pytest.raises(FileExistsRefused):
        backup_file(demo_file, target)
    backup_file(demo_file, target, force=True)


def test_backup_while_another_process_writes_is_consistent(demo_file: Path, tmp_path: Path) -> None:
    """Backups taken during a stream of writes are committed states: integrity ok and
    every row's audit 'insert' present (no half transaction)."""
    stop = threading.Event()

    def writer() -> None:
        store = Store.open(demo_file, officer="李")
        eid = store.first_enterprises(1)[0].id
        n = 0
        while not stop.is_set():
            store.add_item(eid, ItemInput(aspect="工艺", indicator=f"并发{n}"))
            n += 1
        store.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [backup_file(demo_file, tmp_path / f"b{i}.db") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        orphans = conn.execute(
            "SELECT count(*) FROM benchmark_item i WHERE NOT EXISTS (SELECT 1 FROM audit_log a "
            "WHERE a.row_id = i.id AND a.action = 'insert')"
        ).fetchone()[0]
        conn.close()
        assert orphans == 0


def test_migration_is_preceded_by_a_backup(
    demo_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from duibiao_tui.store import versioning

    monkeypatch.setattr(versioning, "KNOWN_MIGRATIONS", (*versioning.KNOWN_MIGRATIONS, "0002_x"))
    monkeypatch.setattr("duibiao_tui.store.store.ensure_schema", lambda conn: ["0002_x"])
    Store.open(demo_file).close()
    assert [i.reason for i in list_backups(demo_file)] == ["升级前"]


# -- opening bad files ----------------------------------------------------------------------


def digest(path: Path) -> bytes:
    import hashlib

    return hashlib.sha256(path.read_bytes()).digest()


def test_not_a_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"PK\x03\x04" + os.urandom(3000))
    before = digest(path)
    with pytest.raises(NotADatabaseError, match="不是 duibiao 数据库"):
        Store.open(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_corrupt_file_is_refused_untouched_and_restorable(demo_file: Path) -> None:
    take_backup(demo_file, now=T0)
    size = demo_file.stat().st_size
    with open(demo_file, "r+b") as handle:  # damage pages in the middle, as a bad disk would
        handle.seek(size // 2)
        handle.write(os.urandom(8192))
    before = digest(demo_file)
    with pytest.raises(CorruptDatabaseError) as caught:
        Store.open(demo_file)
    assert caught.value.path == demo_file
    assert digest(demo_file) == before
    used = restore_latest(demo_file)
    assert used.name == "district-20091008-093000.db"
    assert counts_of(demo_file)["enterprise"] == 12
    assert any("damaged" in p.name for p in demo_file.parent.joinpath("backups").iterdir())


def test_newer_schema_is_refused(demo_file: Path) -> None:
    conn = sqlite3.connect(demo_file)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('duibiao', '9999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNewError):
        Store.open(demo_file)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any file")
def test_read_only_file_opens_read_only(demo_file: Path) -> None:
    demo_file.chmod(0o400)
    store = Store.open(demo_file)
    assert store.read_only and store.count_enterprises() == 12
    with pytest.raises(ReadOnlyError):
        store.add_item(store.first_enterprises(1)[0].id, ItemInput(aspect="设备", indicator="x"))
    store.close()


def test_read_only_flag_refuses_writes(demo_file: Path) -> None:
    """Root can write anything, so the read-only path is also tested by its flag."""
    store = Store._open_read_only(demo_file, "王明", lambda: "2009-10-08T09:30:00+08:00")
    before = digest(demo_file)
    with pytest.raises(ReadOnlyError):
        store.add_item(store.first_enterprises(1)[0].id, ItemInput(aspect="设备", indicator="x"))
    store.close()
    assert digest(demo_file) == before


def test_new_database_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
