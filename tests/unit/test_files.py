"""The one atomic-write helper: whole or nothing, 0600 from the first byte, synced, leftovers go."""

from __future__ import annotations

import ast
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import duibiao_tui.files as files
from duibiao_tui.errors import DuibiaoError, FileExistsRefused
from duibiao_tui.files import (
    atomic_open,
    atomic_path,
    clean_stale_temps,
    create_private,
    prepare_folder,
    temp_path,
    write_text_atomically,
)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_module_imports_nothing_of_ours_but_errors() -> None:
    tree = ast.parse(Path(files.__file__).read_text(encoding="utf-8"))
    ours = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("duibiao")
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("duibiao")
    }
    assert ours == {"duibiao_tui.errors"}


def test_success_renames_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.db"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".out.db.")
        tmp.write_bytes(b"whole")
        assert not target.exists()  # not before it is complete
    assert target.read_bytes() == b"whole"
    assert _names(tmp_path) == ["out.db"]


@pytest.mark.parametrize("existing", [None, b"old"])
def test_an_exception_leaves_the_target_as_it_was(tmp_path: Path, existing: bytes | None) -> None:
    target = tmp_path / "out.csv"
    if existing is not None:
        target.write_bytes(existing)
    with pytest.raises(RuntimeError), atomic_path(target, force=True, private=True) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("killed writer")
    assert (target.read_bytes() if target.exists() else None) == existing
    assert _names(tmp_path) == ([] if existing is None else ["out.csv"])


def test_a_failing_text_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError), atomic_open(target, force=True, encoding="utf-8") as handle:
        handle.write("new, but half")
        raise ValueError
    assert target.read_text(encoding="utf-8") == "old"
    assert _names(tmp_path) == ["settings.json"]


def test_private_files_are_0600_before_the_first_byte_and_after(tmp_path: Path) -> None:
    old = os.umask(0)  # nothing but the helper keeps others out
    try:
        target = tmp_path / "名单.xlsx"
        with atomic_path(target, private=True) as tmp:
            assert _mode(tmp) == 0o600 and tmp.stat().st_size == 0
            with open(tmp, "w", encoding="utf-8") as handle:  # writers truncate, keep the mode
                handle.write("张三 13800000000")
        assert _mode(target) == 0o600
        write_text_atomically(tmp_path / "x.sha256", "abc\n", private=True)
        assert _mode(tmp_path / "x.sha256") == 0o600
        public = tmp_path / "公开版.csv"
        with atomic_open(public, encoding="utf-8") as handle:
            handle.write("x")
        assert _mode(public) == 0o666  # not private: as any file the umask allows
    finally:
        os.umask(old)


def test_create_private_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_text("someone's", encoding="utf-8")
    with pytest.raises(FileExistsError):
        create_private(path)
    assert path.read_text(encoding="utf-8") == "someone's"


def test_the_file_is_synced_before_the_rename_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, object]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        events.append(("fsync-dir" if stat.S_ISDIR(info.st_mode) else "fsync", info.st_ino))
        real_fsync(fd)

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        events.append(("replace", os.stat(src).st_ino))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    target = tmp_path / "备份.db"
    target.write_bytes(b"old")
    with atomic_path(target, force=True) as tmp:
        tmp.write_bytes(b"new")
    written = target.stat().st_ino
    assert events == [
        ("fsync", written),
        ("replace", written),
        ("fsync-dir", tmp_path.stat().st_ino),
    ]


def test_without_force_a_file_made_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(FileExistsRefused) as caught, atomic_path(target) as tmp:
        tmp.write_bytes(b"mine")
        target.write_bytes(b"theirs")
    assert caught.value.path == target  # type: ignore[attr-defined]
    assert target.read_bytes() == b"theirs"
    assert _names(tmp_path) == ["out.csv"]


@pytest.mark.parametrize(
    "name", ["情况表.xlsx", "企业名单.csv", "d.db", "京口区.duibiao", "d.db.sha256"]
)
@pytest.mark.parametrize("suffix", [".tmp", ".part"])
def test_every_temporary_name_we_make_is_one_the_cleaner_knows(
    tmp_path: Path, name: str, suffix: str
) -> None:
    left = temp_path(tmp_path / name, suffix)
    left.write_bytes(b"")
    assert clean_stale_temps(tmp_path, now=time.time() + 3600) == []  # ours: alive
    renamed = left.with_name(left.name.replace(f".{os.getpid()}-", f".{_dead_pid()}-"))
    left.rename(renamed)
    assert clean_stale_temps(tmp_path, now=time.time() + 3600) == [renamed]


def test_stale_cleaning_takes_only_dead_runs_leftovers(tmp_path: Path) -> None:
    dead = _dead_pid()
    gone = [
        f".情况表.xlsx.{dead}-0a1b2c3d.tmp",
        f".京口区.duibiao.{dead}.part",  # earlier releases' names
        f".district.db.restore-{dead}.tmp",
        ".district-20091008-093000.db.k2j_8x0a.tmp",
    ]
    kept = [
        f".情况表.xlsx.{os.getpid()}-0a1b2c3d.tmp",  # a live process's
        ".notes.txt.0a1b2c3d.tmp",  # not a name we make
        "情况表.xlsx",
    ]
    for name in gone + kept:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / f".dir.csv.{dead}-0a1b2c3d.tmp").mkdir()  # a folder: never
    now = time.time()
    assert clean_stale_temps(tmp_path, now=now + 30) == []  # too recent to judge
    removed = clean_stale_temps(tmp_path, now=now + 16 * 60)
    assert sorted(p.name for p in removed) == sorted(gone)
    assert _names(tmp_path) == sorted([*kept, f".dir.csv.{dead}-0a1b2c3d.tmp"])


def test_prepare_folder_makes_it_and_cleans_it(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "exports"
    prepare_folder(folder)
    assert folder.is_dir()
    left = folder / f".汇总.xlsx.{_dead_pid()}-0a1b2c3d.tmp"
    left.write_bytes(b"x")
    os.utime(left, (time.time() - 3600, time.time() - 3600))
    prepare_folder(folder)
    assert _names(folder) == []


def test_prepare_folder_says_why_a_folder_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(DuibiaoError, match="无法创建文件夹") as caught:
        prepare_folder(tmp_path / "file" / "sub", "无法打包")
    assert caught.value.title == "无法打包"
