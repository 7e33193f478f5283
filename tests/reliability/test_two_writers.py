"""Two processes writing one file: every insert lands, nobody sees "database is locked";
also when the file does not exist yet and both create it at once."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path
from typing import Any

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.store import Store
from tests.reliability.faults import sqlite_check

PER_WRITER = 500
SPAWN = multiprocessing.get_context("spawn")
"""The writers are fresh interpreters: forking an xdist worker (its threads, its open
connections) could copy a held lock into the child; nothing here needs the parent's memory."""


def _writer(path: Path, enterprise_id: str, tag: str) -> None:
    code = 1
    try:
        store = Store.open(path, officer=tag, quick_check=False)
        store.conn.execute("PRAGMA synchronous = NORMAL")  # speed only; WAL keeps it atomic
        for n in range(PER_WRITER):
            store.add_item(enterprise_id, ItemInput(aspect="工艺", indicator=f"{tag}-{n}"))
        store.close()
        code = 0
    except BaseException as error:  # report to the parent through the exit code and stderr
        os.write(2, f"{tag}: {error!r}\n".encode())
    finally:
        os._exit(code)


def test_two_processes_insert_concurrently(
    store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    enterprise_id = next(iter(seeded.values()))
    store.close()
    writers = [
        SPAWN.Process(target=_writer, args=(db_path, enterprise_id, tag)) for tag in ("甲", "乙")
    ]
    for writer in writers:
        writer.start()
    codes = [_exit_code(writer) for writer in writers]
    assert codes == [0, 0], "a writer failed (see stderr): database is locked?"
    check = Store.open(db_path)
    items = check.items_for(enterprise_id)
    assert len(items) == 2 * PER_WRITER
    assert [i.seq for i in items] == list(range(1, 2 * PER_WRITER + 1))
    assert {i.updated_by for i in items} == {"甲", "乙"}
    check.close()


NEW_FILE_ROWS = 150


def _exit_code(process: Any) -> int | None:
    process.join(300)
    return process.exitcode  # type: ignore[no-any-return]


def _new_file_writer(path: Path, tag: str, ready: Any, go: Any) -> None:
    code = 1
    try:
        ready.put(tag)
        go.wait(120)  # both start at the same instant, on a file that does not exist
        store = Store.open(path, officer=tag, quick_check=False)
        enterprise = store.add_enterprise(EnterpriseInput(name=f"镇江市{tag}机械有限公司"))
        for n in range(NEW_FILE_ROWS):
            store.add_item(enterprise.id, ItemInput(aspect="工艺", indicator=f"{tag}-{n}"))
        store.close()
        code = 0
    except BaseException as error:
        os.write(2, f"{tag}: {error!r}\n".encode())
    finally:
        os._exit(code)


def test_two_processes_race_on_a_brand_new_file(tmp_path: Path) -> None:
    """Both create, migrate and write one file that did not exist: neither fails, each
    migration is applied once, every row lands."""
    path = tmp_path / "新建" / "district.db"
    ready, go = SPAWN.Queue(), SPAWN.Event()
    writers = [
        SPAWN.Process(target=_new_file_writer, args=(path, tag, ready, go)) for tag in ("甲", "乙")
    ]
    for writer in writers:
        writer.start()
    for _ in writers:  # both have imported the app and wait for the word
        ready.get(timeout=120)
    go.set()
    codes = [_exit_code(writer) for writer in writers]
    assert codes == [0, 0], "a writer failed on the new file (see stderr)"
    assert sqlite_check(path) == "ok" and sqlite_check(path, "quick_check") == "ok"
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
        assert len(names) == len(set(names)) and len(names) >= 6  # each applied once
        per_firm = conn.execute(
            "SELECT count(*), min(seq), max(seq) FROM benchmark_item GROUP BY enterprise_id"
        ).fetchall()
        assert per_firm == [(NEW_FILE_ROWS, 1, NEW_FILE_ROWS)] * 2
    finally:
        conn.close()
