"""Opening a row and saving it untouched changes nothing: above all its benchmark link."""

from __future__ import annotations

from pathlib import Path

import pytest

from .database import enterprise_id, item, live_items
from .officer import EDIT_ROW_TITLE, PAGE_HEADER, open_enterprise, open_list
from .terminal import Launch

LINKED_PAGE = "丹阳市天元眼镜架厂"
"""Every one of its demo rows points at the benchmark library and has no free text."""
BOOKKEEPING = {"updated_at", "updated_by", "version"}
"""Columns a save may stamp even when nothing changed."""


@pytest.mark.parametrize("key", ["enter", "e"])
def test_saving_an_untouched_row_keeps_it_byte_identical(
    launch: Launch, db: Path, key: str
) -> None:
    first = live_items(db, enterprise_id(db, LINKED_PAGE))[0]
    assert first["benchmark_id"] is not None and first["benchmark_text"] == "", first
    t = launch()
    open_list(t)
    open_enterprise(t, LINKED_PAGE)

    t.send(key)
    t.wait_for(EDIT_ROW_TITLE)
    t.wait_idle()
    t.send("ctrl+s")
    t.wait_gone(EDIT_ROW_TITLE)
    t.wait_for(PAGE_HEADER)
    t.wait_idle()

    after = item(db, first["id"])
    changed = {
        column: (first[column], after[column])
        for column in first
        if column not in BOOKKEEPING and first[column] != after[column]
    }
    assert after["benchmark_id"] == first["benchmark_id"], (
        f"benchmark_id {first['benchmark_id']!r} → {after['benchmark_id']!r}; "
        f"changed: {changed}{t.describe()}"
    )
    assert not changed, f"changed (before, after): {changed}{t.describe()}"
