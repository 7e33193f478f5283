"""Atomic writes: no half files, no silent overwrites, file names that keep the Chinese."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.errors import DuibiaoError, FileExistsRefused
from duibiao_tui.excel.atomic import (
    atomic_open,
    atomic_path,
    export_dir,
    safe_filename,
    save_workbook,
)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "情况表.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "镇江"
    assert save_workbook(workbook, target) == target
    assert openpyxl.load_workbook(target).active["A1"].value == "镇江"
    assert _leftovers(tmp_path) == ["情况表.xlsx"]


def test_a_failing_writer_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"PK half a zip")
        raise RuntimeError("writer failed")
    assert _leftovers(tmp_path) == []


def test_a_failing_writer_keeps_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_open(target, force=True, encoding="utf-8") as f:
        f.write("new, but incomplete")
        raise RuntimeError
    assert target.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == ["out.csv"]


def test_an_existing_file_is_refused_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"keep me")
    with pytest.raises(FileExistsRefused) as caught:
        save_workbook(openpyxl.Workbook(), target)
    assert str(target) in caught.value.message
    assert target.read_bytes() == b"keep me"
    assert _leftovers(tmp_path) == ["out.xlsx"]


def test_a_file_created_while_writing_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(FileExistsRefused), atomic_open(target, encoding="utf-8") as f:
        f.write("mine")
        target.write_text("someone else's", encoding="utf-8")  # appears meanwhile
    assert target.read_text(encoding="utf-8") == "someone else's"
    assert _leftovers(tmp_path) == ["out.csv"]


def test_force_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with atomic_open(target, force=True, encoding="utf-8-sig", newline="") as f:
        f.write("企业名称\r\n")
    assert target.read_bytes() == "\ufeff企业名称\r\n".encode()


def test_a_folder_as_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DuibiaoError, match="文件夹"):
        save_workbook(openpyxl.Workbook(), tmp_path, force=True)


def test_missing_parent_folders_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.xlsx"
    save_workbook(openpyxl.Workbook(), target)
    assert target.is_file()


def test_export_dir_is_created_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = export_dir()
    assert folder == tmp_path / "exports" and folder.is_dir()
    assert export_dir() == folder  # a second call is fine


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("镇江市长江电器设备厂", "镇江市长江电器设备厂.xlsx"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j.xlsx"),
        ("情况表. ", "情况表.xlsx"),
        ("CON", "_CON.xlsx"),
        ("", "未命名.xlsx"),
        ("///", "_.xlsx"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name, ".xlsx") == expected


def test_safe_filename_is_short_enough_for_any_file_system(tmp_path: Path) -> None:
    name = safe_filename("镇" * 300, ".xlsx")
    assert len(name.encode()) < 255
    (tmp_path / name).write_bytes(b"")  # the OS accepts it
    assert os.path.exists(tmp_path / name)


def test_a_private_file_is_0600_before_anything_is_written_into_it(tmp_path: Path) -> None:
    """Names and phones are never readable by others, not even while the file is written."""
    seen: list[int] = []
    target = tmp_path / "汇总.xlsx"
    with atomic_path(target, private=True) as tmp:
        seen.append(tmp.stat().st_mode & 0o777)
        tmp.write_bytes(b"names and phones")
    assert seen == [0o600]
    assert target.stat().st_mode & 0o777 == 0o600
    with atomic_path(tmp_path / "public.xlsx") as tmp:
        assert not tmp.exists()  # an ordinary export: the writer creates it as usual
        tmp.write_bytes(b"public")
