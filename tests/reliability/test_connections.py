"""Every connection the app opens runs with the settings its promises rest on.

A SIGKILL test cannot tell ``synchronous = OFF`` from ``FULL`` (the OS still writes what a
killed process left in its cache), so the settings themselves are checked: every
``sqlite3.connect`` made while the app runs (its own connection, the workers' in their
threads, the file check and the day's backup after the first paint) and while the command
line backs up, restores, packages, merges and exports is recorded, and at its first
statement (in its own thread) the settings in force are read from it:

- a connection that writes the database: ``journal_mode = wal``, ``synchronous = FULL``,
  ``foreign_keys`` on, and a busy wait (5 s; UI_BUSY_WAIT_S for the screen's own);
- every connection: ``synchronous`` FULL or stronger (backup copies and packages too),
  and a busy wait for those that read the database.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.cli import main
from duibiao_tui.config import Config
from duibiao_tui.screens.base import UI_BUSY_WAIT_S
from duibiao_tui.store.package import unpacked
from duibiao_tui.store.store import BUSY_TIMEOUT_S, Store
from tests.conftest import SAMPLE
from tests.helpers import settle
from tests.reliability.faults import sqlite_check

FULL = 2
PRAGMAS = ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")


class Record:
    def __init__(self, target: str, read_only: bool) -> None:
        self.target = target
        self.read_only = read_only
        self.thread = ""
        self.settings: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"<{self.target} ro={self.read_only} {self.thread} {self.settings}>"


class Probe(sqlite3.Connection):
    """A connection that reads its own settings at its first real statement."""

    record: Record

    def _look(self, sql: str | None) -> None:
        if self.record.settings is not None:
            return
        if sql is not None and sql.lstrip().upper().startswith("PRAGMA"):
            return  # the connection is still being set up
        self.record.thread = threading.current_thread().name
        self.record.settings = {
            p: super(Probe, self).execute(f"PRAGMA {p}").fetchone()[0] for p in PRAGMAS
        }

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self._look(sql)
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self._look(sql)
        return super().executemany(sql, *args)

    def cursor(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        self._look(None)
        return super().cursor(*args)

    def backup(self, target: sqlite3.Connection, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._look(None)
        if isinstance(target, Probe):
            target._look(None)
        super().backup(target, *args, **kwargs)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[Record]:
    records: list[Record] = []
    real = sqlite3.connect

    def connect(database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", Probe)
        conn = real(database, *args, **kwargs)
        if isinstance(conn, Probe):
            text = str(database)
            read_only = kwargs.get("uri", False) and ("mode=ro" in text or "immutable=1" in text)
            conn.record = Record(text, bool(read_only))
            records.append(conn.record)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return records


def _is(record: Record, path: Path) -> bool:
    target = record.target
    if target.startswith("file:"):
        from urllib.parse import unquote, urlparse

        target = unquote(urlparse(target).path)
    try:
        return Path(target).resolve() == path.resolve()
    except OSError:
        return False


def _check(records: list[Record], db: Path) -> list[Record]:
    """Assert the rules of the module on every used connection; returns those to ``db``."""
    used = [r for r in records if r.settings is not None]
    assert used, "no connection was recorded"
    for record in used:
        settings = record.settings
        assert settings is not None
        assert settings["synchronous"] >= FULL, record
        if _is(record, db):
            assert settings["busy_timeout"] > 0, record
            if not record.read_only:
                assert settings["journal_mode"] == "wal", record
                assert settings["foreign_keys"] == 1, record
    return [r for r in used if _is(r, db)]


def _fill(path: Path) -> None:
    from duibiao_tui.domain.models import EnterpriseInput

    store = Store.open(path, officer="王明")
    for name, *_ in SAMPLE:
        store.add_enterprise(EnterpriseInput(name=name))
    store.close()


async def test_every_connection_of_a_session_is_durable(
    recorded: list[Record],
    db_path: Path,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from duibiao_tui.screens import dashboard, measures

    monkeypatch.setattr(dashboard, "COUNT_IN_BACKGROUND", -1)  # a city's size: in workers
    monkeypatch.setattr(measures, "READ_IN_BACKGROUND", -1)
    _fill(db_path)
    recorded.clear()
    store = Store.open(db_path, officer="王明", quick_check=False)
    app = DuibiaoApp(
        store,
        config=config,
        config_file=tmp_path / "config.json",
        db_label="测试.db",
        check_on_start=True,  # the file check and the day's backup, in workers
        start_mode="dashboard",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("f2", "f3", "f4", "f5", "f2"):
            await pilot.press(key)
            for _ in range(3):
                await pilot.pause()
                await app.workers.wait_for_complete()
        await settle(pilot)
        in_force = store.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        assert in_force == UI_BUSY_WAIT_S * 1000  # the screen's own saves: short, retried
    store.close()
    to_db = _check(recorded, db_path)
    writers = [r for r in to_db if not r.read_only]
    main_thread = threading.main_thread().name
    assert any(r.thread != main_thread for r in to_db), f"no worker connection: {to_db}"
    workers = [r for r in writers if r.thread != main_thread]
    assert workers, f"no worker opened the database: {to_db}"
    assert all(r.settings and r.settings["busy_timeout"] == BUSY_TIMEOUT_S * 1000 for r in workers)
    backups = list((db_path.parent / "backups").glob("*.db"))
    assert backups, "the day's backup was taken"
    for backup in backups:
        assert sqlite_check(backup) == "ok" and sqlite_check(backup, "quick_check") == "ok"


def test_every_connection_of_the_command_line_is_durable(
    recorded: list[Record], db_path: Path, tmp_path: Path
) -> None:
    _fill(db_path)
    city = tmp_path / "city.db"
    recorded.clear()
    runner = CliRunner()
    db = ["--db", str(db_path)]
    backup = tmp_path / "一份备份.db"
    package = tmp_path / "京口.duibiao"
    for args in (
        ["backup", "-o", str(backup), *db],
        ["restore", str(backup), "--yes", *db],
        ["package", "-o", str(package), *db],
        ["merge", str(package), "--db", str(city)],
        ["export", "csv", "-o", str(tmp_path / "csv"), *db],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output, result.exception)
    to_db = _check(recorded, db_path)
    assert any(not r.read_only for r in to_db)
    _check(recorded, city)
    with unpacked(package) as plain:  # a compressed package: what it holds
        assert plain != package
        for written in (backup, plain, city, db_path):
            assert sqlite_check(written) == "ok" and sqlite_check(written, "quick_check") == "ok"
