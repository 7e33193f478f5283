"""Typing ahead: an officer types a field, Tab, the next field, without looking up.

Every key of a burst must land in the field that has the focus *after* the keys before it,
however fast they come.
"""

from __future__ import annotations

from pathlib import Path

from .database import enterprise, enterprise_id, live_items, read_one
from .officer import (
    EDIT_ROW_TITLE,
    LIST_TITLE,
    NEW_ENTERPRISE_TITLE,
    NEW_ROW_TITLE,
    PAGE_HEADER,
    click_field,
    open_enterprise,
    open_list,
    wait_focus,
)
from .terminal import Launch, Terminal

CODE = "91321100MA1ABCDE1U"
"""A valid 统一社会信用代码 (check character U) of a Zhenjiang enterprise."""
EMPTY_PAGE = "丹阳市正昌电器有限公司"
"""A demo enterprise with no rows yet."""
ROWS_PAGE = "丹阳市天元眼镜架厂"
"""A demo enterprise with 19 rows, every one linked to the benchmark library."""


def _new_enterprise_form(t: Terminal) -> None:
    open_list(t)
    t.send("ctrl+n")
    t.wait_for(NEW_ENTERPRISE_TITLE)
    wait_focus(t, "名称")
    t.wait_idle()


def _new_row_editor(t: Terminal, name: str = EMPTY_PAGE) -> None:
    open_list(t)
    open_enterprise(t, name)
    t.send("n")
    t.wait_for(NEW_ROW_TITLE)
    wait_focus(t, "标杆企业")
    t.wait_idle()


def _saved_and_closed(t: Terminal, title: str, back_to: str) -> None:
    t.send("ctrl+s")
    t.wait_gone(title)
    t.wait_for(back_to)
    t.wait_idle()


# -- the enterprise form ----------------------------------------------------------------


def test_enterprise_form_name_tab_code_burst(launch: Launch, db: Path) -> None:
    t = launch()
    _new_enterprise_form(t)

    t.send("测试企业甲", "tab", CODE)
    t.wait_for(CODE)
    t.wait_idle()

    name, code = t.field("名称"), t.field("统一社会信用代码")
    assert (name, code) == ("测试企业甲", CODE), (
        f"名称 shows {name!r}, 统一社会信用代码 shows {code!r}{t.describe()}"
    )
    _saved_and_closed(t, NEW_ENTERPRISE_TITLE, LIST_TITLE)
    saved = enterprise(db, "测试企业甲")
    assert saved is not None and saved["uscc"] == CODE, f"saved: {saved}{t.describe()}"


def test_enterprise_form_shift_tab_back_to_the_name(launch: Launch, db: Path) -> None:
    t = launch()
    _new_enterprise_form(t)

    t.send("测试企业乙", "tab", CODE, "shift+tab", "end", "有限公司")
    t.wait_for("有限公司")
    t.wait_idle()

    name, code = t.field("名称"), t.field("统一社会信用代码")
    assert (name, code) == ("测试企业乙有限公司", CODE), (
        f"名称 shows {name!r}, 统一社会信用代码 shows {code!r}{t.describe()}"
    )
    _saved_and_closed(t, NEW_ENTERPRISE_TITLE, LIST_TITLE)
    saved = enterprise(db, "测试企业乙有限公司")
    assert saved is not None and saved["uscc"] == CODE, f"saved: {saved}{t.describe()}"


# -- the row editor ---------------------------------------------------------------------


def test_row_editor_burst_through_the_fields(launch: Launch, db: Path) -> None:
    t = launch()
    _new_row_editor(t)

    t.send(
        "镇江标杆厂",
        "tab",
        "镇江市丹徒区谷阳路1号",
        "tab",  # 标杆类别 (a pick list)
        "tab",
        "sb",
        "tab",
        "产品一次交验合格率",
        "tab",
        "99.5%",
        "tab",
        "低 2.3 个百分点",  # not the placeholder's 低 2.1
    )
    t.wait_for("低 2.3 个百分点")
    t.wait_idle()

    shown = {
        label: t.field(label)
        for label in ("标杆企业", "标杆地址", "项目", "指标内容", "标杆水平", "对比结果")
    }
    expected = {
        "标杆企业": "镇江标杆厂",
        "标杆地址": "镇江市丹徒区谷阳路1号",
        "项目": "设备",  # sb, resolved when the cursor left the field
        "指标内容": "产品一次交验合格率",
        "标杆水平": "99.5%",
        "对比结果": "低 2.3 个百分点",
    }
    assert shown == expected, f"fields: {shown}{t.describe()}"

    _saved_and_closed(t, NEW_ROW_TITLE, PAGE_HEADER)
    rows = live_items(db, enterprise_id(db, EMPTY_PAGE))
    assert len(rows) == 1, f"rows: {rows}{t.describe()}"
    row = rows[0]
    library = read_one(db, "SELECT * FROM benchmark_enterprise WHERE id = ?", row["benchmark_id"])
    assert library is not None and library["name"] == "镇江标杆厂", (
        f"row: {row}, library: {library}"
    )
    assert library["address"] == "镇江市丹徒区谷阳路1号", library
    assert (row["aspect"], row["indicator"], row["benchmark_level"], row["result_text"]) == (
        "设备",
        "产品一次交验合格率",
        "99.5%",
        "低 2.3 个百分点",
    ), row


def test_row_editor_shift_tab_back_to_the_benchmark(launch: Launch, db: Path) -> None:
    t = launch()
    _new_row_editor(t)

    t.send("镇江标杆厂", "tab", "地址甲", "shift+tab", "end", "二分厂")
    t.wait_for("二分厂")
    t.wait_idle()

    benchmark, address = t.field("标杆企业"), t.field("标杆地址")
    assert (benchmark, address) == ("镇江标杆厂二分厂", "地址甲"), (
        f"标杆企业 shows {benchmark!r}, 标杆地址 shows {address!r}{t.describe()}"
    )


def test_row_editor_date_retyped_in_one_burst(launch: Launch, db: Path) -> None:
    """完成时间: End, ten backspaces and a new date, as one burst, reads exactly that date."""
    first = live_items(db, enterprise_id(db, ROWS_PAGE))[0]
    assert 0 < len(first["due_text"]) <= 10, first["due_text"]  # ten backspaces clear it
    t = launch()
    open_list(t)
    open_enterprise(t, ROWS_PAGE)
    t.send("enter")
    t.wait_for(EDIT_ROW_TITLE)
    t.wait_idle()
    click_field(t, "完成时间")

    t.send("end", *["backspace"] * 10, "2009-10-15")
    t.wait_for("2009-10-15")
    t.wait_idle()

    due = t.field("完成时间")
    assert due == "2009-10-15", f"完成时间 shows {due!r}{t.describe()}"
    _saved_and_closed(t, EDIT_ROW_TITLE, PAGE_HEADER)
    row = read_one(db, "SELECT * FROM benchmark_item WHERE id = ?", first["id"])
    assert row is not None and (row["due_text"], row["due_date"]) == (
        "2009-10-15",
        "2009-10-15",
    ), f"row: {row}{t.describe()}"


def test_row_editor_shift_tab_from_the_first_field_reaches_the_last(
    launch: Launch, db: Path
) -> None:
    """Shift+Tab from 标杆企业 goes round to 备注: once it stopped on the box around the
    fields, and what was typed next went nowhere (the save then changed nothing)."""
    first = live_items(db, enterprise_id(db, ROWS_PAGE))[0]
    t = launch()
    open_list(t)
    open_enterprise(t, ROWS_PAGE)
    t.send("enter")
    t.wait_for(EDIT_ROW_TITLE)
    wait_focus(t, "标杆企业")
    t.wait_idle()

    t.send("shift+tab", "end", "（已核）", "ctrl+s")
    t.wait_gone(EDIT_ROW_TITLE)
    t.wait_idle()

    saved = next(i for i in live_items(db, enterprise_id(db, ROWS_PAGE)) if i["id"] == first["id"])
    assert saved["remarks"] == first["remarks"] + "（已核）", f"{saved['remarks']!r}{t.describe()}"
