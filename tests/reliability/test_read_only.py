"""A healthy file in a folder we may not write opens read-only, never as "已损坏".

Seen before: the check on open could not create the WAL's -shm in the folder, and the
error was reported as damage with advice to restore. These tests really lack the
permission: as root they drop to the user ``nobody`` in a child process (root may write
anything, so chmod alone proves nothing); as another user, chmod is enough.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.store import Store
from tests.reliability.faults import ROOT, digest, run_as_nobody

OPEN_AND_REPORT = """
from pathlib import Path
from duibiao_tui.store.store import Store, check_existing
from duibiao_tui.errors import DuibiaoError, ReadOnlyError
from duibiao_tui.domain.item_rules import ItemInput
path = Path(sys.argv[1] if len(sys.argv) > 1 else {path!r})
out = {{}}
try:
    out["pending"] = check_existing(path)
    store = Store.open(path)
    out["read_only"] = store.read_only
    out["count"] = store.count_enterprises()
    try:
        store.add_item(store.first_enterprises(1)[0].id, ItemInput(aspect="设备", indicator="x"))
    except ReadOnlyError as error:
        out["write"] = error.message
    store.close()
except DuibiaoError as error:
    out["error"] = f"{{error.title}}：{{error.message}}"
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture
def locked_folder(tmp_path: Path) -> Path:
    """A district file (healthy, WAL, no -shm left) in a folder only its owner could write."""
    folder = tmp_path / "只读 文件夹#1"
    folder.mkdir()
    path = folder / "district.db"
    store = Store.open(path, officer="王明")
    store.add_enterprise(EnterpriseInput(name="镇江市长江电器设备厂"))
    store.close()
    assert not Path(f"{path}-shm").exists()
    os.chmod(tmp_path, 0o755)
    os.chmod(tmp_path.parent, 0o755)
    os.chmod(folder, 0o555)
    os.chmod(path, 0o644)
    yield path
    os.chmod(folder, 0o755)


def _as_another_user(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a child that really may not write: as root it drops to nobody; as any
    other user the permissions already bind it."""
    if ROOT:
        return run_as_nobody(code)
    return subprocess.run(
        [sys.executable, "-c", "import json, os, sys\n" + code],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _run(path: Path) -> dict[str, object]:
    done = _as_another_user(OPEN_AND_REPORT.format(path=str(path)))
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _open_path_for_nobody(path: Path) -> None:
    """Every folder above must be searchable by nobody (pytest's tmp is 0700)."""
    for parent in path.parents:
        if parent == Path("/"):
            break
        mode = parent.stat().st_mode & 0o777
        if mode & 0o005 != 0o005:
            os.chmod(parent, mode | 0o005)


def test_a_healthy_file_in_a_read_only_folder_opens_read_only(locked_folder: Path) -> None:
    _open_path_for_nobody(locked_folder)
    before = digest(locked_folder)
    out = _run(locked_folder)
    assert "error" not in out, out
    assert out["read_only"] is True and out["count"] == 1 and out["pending"] == []
    assert "只读" in str(out["write"])
    assert digest(locked_folder) == before
    assert not Path(f"{locked_folder}-shm").exists()


def test_restore_onto_a_read_only_file_is_refused_in_words(locked_folder: Path) -> None:
    from duibiao_tui.store.backup import backup_file

    _open_path_for_nobody(locked_folder)
    backup = backup_file(locked_folder, locked_folder.parent.parent / "copy.db")
    os.chmod(backup, 0o644)
    os.chmod(Path(f"{backup}.sha256"), 0o644)
    code = f"""
from click.testing import CliRunner
from duibiao_tui.cli.backup import restore_command
result = CliRunner().invoke(restore_command, ["--db", {str(locked_folder)!r}, {str(backup)!r}, "--yes"])
print(json.dumps({{"code": result.exit_code, "err": result.stderr,
                   "exc": repr(result.exception)}}, ensure_ascii=False))
"""
    done = _as_another_user(code)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["code"] == 1 and "只读" in out["err"] and "Traceback" not in out["err"], out


def test_a_read_only_file_opens_read_only(tmp_path: Path) -> None:
    """A file (not its folder) we may not write: 【只读】, all rows, writes refused in words
    (the unit test of this is skipped under root; this one drops privileges instead)."""
    path = tmp_path / "district.db"
    store = Store.open(path, officer="王明")
    store.add_enterprise(EnterpriseInput(name="镇江市长江电器设备厂"))
    store.close()
    os.chmod(path, 0o444)
    _open_path_for_nobody(path)
    before = digest(path)
    out = _run(path)
    assert "error" not in out, out
    assert out["read_only"] is True and out["count"] == 1
    assert "只读" in str(out["write"])
    assert digest(path) == before
