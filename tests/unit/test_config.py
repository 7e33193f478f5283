"""The officer's settings are saved through the one atomic helper: whole, owner only."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

import duibiao_tui.config as config_module
from duibiao_tui.config import Config, load_config, save_config


def test_saved_settings_read_back_and_are_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "duibiao-tui" / "config.json"
    old = os.umask(0)
    try:
        save_config(Config(officer="王科长", default_district_id="d1", backups_keep=5), path)
    finally:
        os.umask(old)
    assert load_config(path) == Config(
        officer="王科长", default_district_id="d1", backups_keep=5, start_screen="dashboard"
    )
    assert "王科长" in path.read_text(encoding="utf-8")  # ensure_ascii=False, as before
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.json"]


def test_a_save_that_fails_keeps_the_old_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.json"
    save_config(Config(officer="王科长"), path)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(config_module.json, "dump", broken)
    with pytest.raises(OSError):
        save_config(Config(officer="李四"), path)
    monkeypatch.undo()
    assert json.loads(path.read_text(encoding="utf-8"))["officer"] == "王科长"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json"]


def test_a_save_is_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    save_config(Config(officer="王科长"), tmp_path / "config.json")
    assert len(synced) == 2  # the file, then its folder
