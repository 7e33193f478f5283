"""Saving a row another officer saved meanwhile: both versions shown, chosen by keys."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.screens.conflict_dialog import ConflictDialog
from duibiao_tui.screens.item_editor import ItemEditorScreen
from duibiao_tui.store.store import Store
from tests.functional.test_item_editor_keys import TARGET, open_page
from tests.helpers import SIZE, screen_ready, type_text


async def test_conflict_is_shown_and_resolved_field_by_field(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    eid = seeded[TARGET]
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率", remarks="原备注"))
    async with app.run_test(size=SIZE) as pilot:
        await open_page(pilot, eid)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditorScreen)
        # Meanwhile, in another window: 李华 changes 备注 and 落实部门.
        other = Store.open(db_path, officer="李华")
        other.update_item(
            item.id,
            dataclasses.replace(item.to_input(), remarks="李华的备注", department="设备部"),
        )
        other.close()
        # Here: change 备注 too (a clash) and 指标内容 (only ours).
        remarks = app.screen.query_one("#f-remarks", Input)
        remarks.value = ""
        remarks.focus()
        await type_text(pilot, "我的备注")
        indicator = app.screen.query_one("#f-indicator", Input)
        indicator.value = "数控化率（%）"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        assert [c.field for c in app.screen.error.clashes] == ["remarks"]
        assert store.get_item(item.id).remarks == "李华的备注"  # nothing written yet
        await pilot.press("down", "space")  # take 李华's 备注
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, ItemEditorScreen)
        assert editor.query_one("#f-remarks", Input).value == "李华的备注"
        assert editor.query_one("#f-department", Input).value == "设备部"
        await pilot.press("ctrl+s")
        await pilot.pause()
    final = store.get_item(item.id)
    assert (final.indicator, final.remarks, final.department) == (
        "数控化率（%）",
        "李华的备注",
        "设备部",
    )


async def test_enterprise_form_merges_and_asks(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    from duibiao_tui.screens.enterprise_form import EnterpriseFormScreen
    from duibiao_tui.widgets.virtual_table import VirtualTable

    name = "句容市宝华建材有限公司"
    eid = seeded[name]
    async with app.run_test(size=SIZE) as pilot:
        await screen_ready(pilot)
        assert app.screen.query_one(VirtualTable).move_cursor_to_key(eid)
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, EnterpriseFormScreen)
        other = Store.open(db_path, officer="李华")
        theirs = dataclasses.replace(
            other.get_enterprise(eid).to_input(), address="宝华镇仙林路1号", contact_name="赵敏"
        )
        other.update_enterprise(eid, theirs)
        other.close()
        app.screen.query_one("#f-address", Input).value = "宝华镇东路8号"
        app.screen.query_one("#f-main_products", Input).value = "加气混凝土砌块"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("ctrl+s")  # keep mine (the default) for 地址
        await pilot.pause()
        assert app.screen.query_one("#f-contact_name", Input).value == "赵敏"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = store.get_enterprise(eid)
    assert (saved.address, saved.contact_name, saved.main_products) == (
        "宝华镇东路8号",
        "赵敏",
        "加气混凝土砌块",
    )
