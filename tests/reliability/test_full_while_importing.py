"""A database that cannot grow (SQLITE_FULL) during a form import: all or nothing, a message
in words, and the same connection goes on working once there is room again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from duibiao_tui.errors import DiskFullError
from duibiao_tui.excel.form_import import apply_form_import, plan_form_import
from duibiao_tui.store.store import Store

FORM = Path(__file__).parents[1] / "fixtures" / "forms" / "handmade.xlsx"


def counts(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM enterprise").fetchone()[0],
            conn.execute("SELECT count(*) FROM benchmark_item").fetchone()[0],
        )
    finally:
        conn.close()


def test_a_full_database_during_an_import_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    store = Store.open(path, officer="王明")
    plan = plan_form_import(store, FORM)
    before = counts(path)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(DiskFullError, match="磁盘已满"):
        apply_form_import(store, plan, backup_keep=0)
    assert not store.conn.in_transaction
    assert counts(path) == before
    store.conn.execute(f"PRAGMA max_page_count = {pages + 100_000}")
    result = apply_form_import(store, plan_form_import(store, FORM), backup_keep=0)
    assert counts(path) != before, result
    store.close()
