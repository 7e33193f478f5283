"""Folder names with #, ?, %, spaces and Chinese; files that are not databases; a FIFO.

Read-only connections used to be ``file:{path}?mode=ro``: a ``#`` ended the path, so the
"backup" copied a stray empty database created beside the real one, and so did the check
on open and the backup before an upgrade.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from duibiao_tui.errors import DuibiaoError, NotADatabaseError
from duibiao_tui.store.backup import BackupError, counts_of, restore_backup, take_backup
from duibiao_tui.store.merge import MergeRefused, read_source
from duibiao_tui.store.package import make_package, unpacked
from duibiao_tui.store.sqlite_files import open_read_only, read_only_uri
from duibiao_tui.store.store import Store, check_existing
from tests.conftest import SAMPLE, fixed_clock
from tests.reliability.faults import cli, sqlite_check

FOLDERS = ["京口#2", "a?b", "100%25 done", "with space", "中文 目录#?%", "#"]


def _fill(path: Path) -> None:
    from duibiao_tui.domain.models import EnterpriseInput

    store = Store.open(path, officer="王明", clock=fixed_clock)
    districts = {d.name: d.id for d in store.districts()}
    for name, district, *_ in SAMPLE[:3]:
        store.add_enterprise(EnterpriseInput(name=name, district_id=districts[district]))
    store.close()


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_read_only_reader_reads_the_real_file(tmp_path: Path, folder: str) -> None:
    base = tmp_path / "base"
    (base / folder).mkdir(parents=True)
    path = base / folder / "district.db"
    _fill(path)
    before = sorted(p.relative_to(base).as_posix() for p in base.rglob("*"))

    assert check_existing(path) == []
    backup = take_backup(path)
    assert counts_of(backup)["enterprise"] == 3
    assert sqlite_check(backup) == "ok"
    package = make_package(path, base / folder / "out.duibiao")
    with unpacked(package.path) as plain:  # a compressed package: what it holds
        assert package.enterprises == 3 and sqlite_check(plain) == "ok"
    assert len(read_source(package.path).tables["enterprise"]) == 3
    assert len(read_source(path).tables["enterprise"]) == 3
    conn = open_read_only(path)
    assert conn.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 3
    conn.close()
    assert restore_backup(backup, path) is not None
    assert counts_of(path)["enterprise"] == 3

    made = {"backups", "out.duibiao"}
    after = sorted(p.relative_to(base).as_posix() for p in base.rglob("*"))
    stray = [p for p in after if p not in before and not any(m in p for m in made)]
    assert stray == [], f"files created beside the database: {stray}"


def test_the_uri_is_percent_encoded() -> None:
    uri = read_only_uri(Path("/tmp/京口#2/a?b/100%/d.db"))
    assert uri == "file:///tmp/%E4%BA%AC%E5%8F%A3%232/a%3Fb/100%25/d.db?mode=ro"


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04" + b"\0" * 3000, "企业名称,信用代码\n".encode() * 200, b""]
)
def test_a_file_that_is_not_sqlite_is_our_error_everywhere(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "名单 #1.xlsx"
    path.write_bytes(content)
    if content:
        with pytest.raises(NotADatabaseError):
            open_read_only(path)
        with pytest.raises(NotADatabaseError):
            Store.open(path)
    with pytest.raises(BackupError):
        restore_backup(path, tmp_path / "live.db")
    with pytest.raises(MergeRefused):
        read_source(path)
    with pytest.raises(DuibiaoError):
        make_package(path, tmp_path / "p.duibiao")
    assert counts_of(path)["enterprise"] == 0
    assert path.read_bytes() == content
    assert not (tmp_path / "live.db").exists()


def test_another_programs_sqlite_file_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(NotADatabaseError, match="不是 duibiao"):
        Store.open(path)
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    conn.close()
    assert tables == ["notes"]  # no migrations applied to someone else's database


def test_a_fifo_as_db_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    with pytest.raises(NotADatabaseError, match="命名管道"):
        Store.open(fifo)
    with pytest.raises(NotADatabaseError):
        open_read_only(fifo)
    for args in ([], ["export", "summary"], ["backup"], ["package"], ["import", "form", "x"]):
        done = cli(*args, "--db", str(fifo), cwd=tmp_path)
        if args[:1] == ["import"]:
            continue  # the missing input file is named first (usage error)
        assert done.returncode == 1, (args, done.stderr)
        assert "命名管道" in done.stderr and "Traceback" not in done.stderr
