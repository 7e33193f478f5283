"""The desk keys (F2–F5) lead to the desk, wherever the officer is."""

from __future__ import annotations

from pathlib import Path

from .database import enterprise_id, live_item_count, live_items
from .officer import LIST_TITLE, open_enterprise, open_list
from .terminal import Launch

PAGE = "镇江市长江电器设备厂"
"""A demo enterprise with rows: a letter typed on its page by mistake could change them."""


def test_f3_after_f4_from_a_page_lands_on_the_list(launch: Launch, db: Path) -> None:
    rows_before = live_item_count(db)
    page_rows = len(live_items(db, enterprise_id(db, PAGE)))
    assert page_rows > 0
    t = launch()
    open_list(t)
    open_enterprise(t, PAGE)

    t.send("f4")
    t.wait_for("审核台")
    t.wait_gone("对标单位")
    t.wait_idle()
    t.send("f3")
    t.wait_gone("审核台")
    t.wait_idle()
    on_list = LIST_TITLE in t.screen_text()
    landed = "\n".join(t.screen_lines()[:12])
    # Whatever the search box held, the officer clears it (Ctrl+U: nothing on a page) and
    # types the README's example.
    t.send("ctrl+u")
    t.wait_idle()
    t.send("zjdq")
    t.wait_idle(0.8)

    problems = []
    if live_item_count(db) != rows_before:
        problems.append(
            f"live rows {rows_before} → {live_item_count(db)} "
            f"({PAGE}: {page_rows} → {len(live_items(db, enterprise_id(db, PAGE)))})"
        )
    if not on_list:
        problems.append("F3 did not show the 企业名录; its top lines were:\n" + landed)
    screen = t.screen_text()
    if PAGE not in screen or "显示 60 家" in screen or LIST_TITLE not in screen:
        problems.append("typing zjdq did not filter the list")
    assert not problems, "; ".join(problems) + t.describe()
