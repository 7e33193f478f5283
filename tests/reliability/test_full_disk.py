"""A full disk is not damage: say 磁盘已满, change nothing, never replace a healthy file.

Seen before: with the disk full every open said "已损坏（disk I/O error）… restore
--latest" (a reader could not grow its -shm); following that advice moved the healthy file
aside as -damaged, failed with a traceback and left a 0-byte live file.

The disk is a real tmpfs of a few hundred KiB (``faults.small_disk``, skipped where it
cannot be mounted); exports also run under RLIMIT_FSIZE, which needs no privilege.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.errors import DiskFullError
from duibiao_tui.store.backup import (
    BackupError,
    list_backups,
    restore_backup,
    restore_latest,
    take_backup,
)
from duibiao_tui.store.store import Store, check_existing
from tests.conftest import SAMPLE, fixed_clock
from tests.reliability.faults import cli, digest, fill, small_disk, sqlite_check


def _district_file(path: Path, enterprises: int = 3) -> Path:
    store = Store.open(path, officer="王明", clock=fixed_clock)
    districts = {d.name: d.id for d in store.districts()}
    for n in range(enterprises):
        name, district, *_ = SAMPLE[n % len(SAMPLE)]
        store.add_enterprise(EnterpriseInput(name=f"{name}{n}", district_id=districts[district]))
    store.close()
    return path


def _files(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and p.name != "filler.bin"
    }


def test_open_on_a_full_disk_says_disk_full_and_changes_nothing(tmp_path: Path) -> None:
    with small_disk(tmp_path, 4096) as disk:
        path = _district_file(disk / "district.db")
        take_backup(path)
        Store.open(path).close()  # the last connection removes -wal and -shm
        assert not Path(f"{path}-shm").exists()
        fill(disk)  # now even a reader cannot make its -shm
        before, files = digest(path), _files(disk)
        for quick in (True, False):
            with pytest.raises(DiskFullError, match="磁盘已满") as caught:
                Store.open(path, quick_check=quick)
            assert "已损坏" not in caught.value.message
        with pytest.raises(DiskFullError):
            check_existing(path)
        done = cli("export", "summary", "--db", str(path), cwd=tmp_path)
        assert done.returncode == 1 and "磁盘已满" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "已损坏" not in done.stderr
        assert digest(path) == before
        assert {k: v for k, v in _files(disk).items() if not k.endswith(("-shm", "-wal"))} == {
            k: v for k, v in files.items() if not k.endswith(("-shm", "-wal"))
        }


def test_restore_latest_on_a_full_disk_leaves_the_healthy_file(tmp_path: Path) -> None:
    with small_disk(tmp_path, 4096) as disk:
        path = _district_file(disk / "district.db")
        take_backup(path)
        Store.open(path).close()
        filler = fill(disk)
        before, files = digest(path), _files(disk)
        with pytest.raises((BackupError, DiskFullError), match="完好|磁盘已满"):
            restore_latest(path)  # the app's advice for damage: not for a full disk
        with pytest.raises(DiskFullError, match="磁盘"):
            restore_latest(path, force=True)  # free space is checked before anything
        done = cli("restore", "--latest", "--force", "--yes", "--db", str(path), cwd=tmp_path)
        assert done.returncode == 1 and "磁盘" in done.stderr and "Traceback" not in done.stderr
        assert digest(path) == before and path.stat().st_size > 0
        assert _files(disk) == files
        assert not any("damaged" in name for name in _files(disk))
        filler.unlink()  # space freed: the same file opens, with everything in it
        store = Store.open(path)
        assert store.count_enterprises() == 3
        store.close()


def test_a_new_file_on_a_full_disk_leaves_nothing(tmp_path: Path) -> None:
    with small_disk(tmp_path, 256) as disk:
        fill(disk)
        with pytest.raises(DiskFullError):
            Store.open(disk / "new.db")
        assert sorted(_files(disk)) == []


def test_a_backup_on_a_full_disk_leaves_no_partial_copy(tmp_path: Path) -> None:
    with small_disk(tmp_path, 4096) as disk:
        path = _district_file(disk / "district.db")
        (disk / "backups").mkdir()
        fill(disk)
        with pytest.raises(DiskFullError):
            take_backup(path)
        assert list(os.scandir(disk / "backups")) == []
        done = cli("backup", "--db", str(path), cwd=tmp_path)
        assert done.returncode == 1 and "磁盘" in done.stderr and "Traceback" not in done.stderr


def test_restore_never_replaces_a_healthy_file_unless_asked(tmp_path: Path) -> None:
    path = _district_file(tmp_path / "district.db")
    backup = take_backup(path)
    store = Store.open(path)
    store.add_enterprise(EnterpriseInput(name="备份之后登记的企业"))
    store.close()
    before = digest(path)
    with pytest.raises(BackupError, match="完好"):
        restore_latest(path)
    assert digest(path) == before
    used = restore_latest(path, force=True)  # asked: the current file is backed up first
    assert used == backup and sqlite_check(path) == "ok"
    kept = [i for i in list_backups(path) if i.reason == "恢复前"]
    assert len(kept) == 1 and kept[0].counts["enterprise"] == 4
    assert sqlite_check(kept[0].path) == "ok"
    # The copy taken before the restore is a backup like any other: restorable.
    restore_backup(kept[0].path, path)
    assert sqlite_check(path) == "ok"
    store = Store.open(path)
    assert store.count_enterprises() == 4
    store.close()


@pytest.mark.parametrize("command", ["summary", "csv", "form"])
def test_an_export_past_the_file_size_limit_says_so(tmp_path: Path, command: str) -> None:
    """RLIMIT_FSIZE: every write past it fails with EFBIG, as a full disk fails."""
    path = _district_file(tmp_path / "district.db", enterprises=40)
    (tmp_path / "out").mkdir()
    args = ["export", command, "--db", str(path), "-o", str(tmp_path / "out") + "/"]
    if command == "form":
        args.append("--all")
    holder = sqlite3.connect(path)  # keeps the -shm in place: the child need not grow it
    holder.execute("SELECT count(*) FROM enterprise").fetchone()
    try:
        done = cli(*args, cwd=tmp_path, limit_bytes=3_000)
    finally:
        holder.close()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "磁盘已满" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert "Exception ignored" not in done.stderr
    assert list((tmp_path / "out").iterdir()) == []
