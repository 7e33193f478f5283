"""Two processes writing one file: every insert lands, nobody sees "database is locked"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.store.store import Store

PER_WRITER = 500
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


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
    pids = []
    for tag in ("甲", "乙"):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            _writer(db_path, enterprise_id, tag)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    assert codes == [0, 0], "a writer failed (see stderr): database is locked?"
    check = Store.open(db_path)
    items = check.items_for(enterprise_id)
    assert len(items) == 2 * PER_WRITER
    assert [i.seq for i in items] == list(range(1, 2 * PER_WRITER + 1))
    assert {i.updated_by for i in items} == {"甲", "乙"}
    check.close()
