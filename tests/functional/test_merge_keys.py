"""The merge screen driven by keys: preview, merge, and settling what waits."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.merge import (
    FieldChoiceDialog,
    MergeScreen,
    TwoEnterprisesDialog,
    parse_paths,
)
from duibiao_tui.store.merge import merge_files, open_conflicts
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, wait_until

CODE = "91321102MA1XXXXX07"
JK_TIME = "2009-10-07T15:00:00+08:00"


def district(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "jingkou.db", officer="李京口", clock=lambda: JK_TIME)


def add(store: Store, name: str, code: str = "", **fields: str) -> str:
    jk = next(d.id for d in store.districts() if d.name == "京口区")
    return store.add_enterprise(
        EnterpriseInput(name=name, credit_code=code, district_id=jk, **fields)
    ).id


def edit(store: Store, eid: str, **changes: str) -> None:
    data = store.get_enterprise(eid).to_input()
    store.update_enterprise(eid, dataclasses.replace(data, **changes))


def rows(app: DuibiaoApp, selector: str) -> list[tuple[str, ...]]:
    table = app.screen.query_one(selector, VirtualTable)
    return [tuple(table.get_row(k) or ()) for k in table._keys]  # type: ignore[attr-defined]


@pytest.fixture
def waiting(store: Store, seeded: dict[str, str], tmp_path: Path) -> tuple[str, str, str]:
    return make_waiting(store, tmp_path)


def make_waiting(store: Store, tmp_path: Path) -> tuple[str, str, str]:
    """A conflict (an enterprise both sides edited) and a duplicate (same credit code as
    the conftest's 镇江市长江电器设备厂) wait in the city's database; returns (conflicting
    id, duplicate's id, its item id)."""
    jk = district(tmp_path)
    both = add(jk, "镇江市京口阀门厂", address="京口路1号")
    merge_files(store, [jk.path])  # type: ignore[list-item]
    edit(jk, both, address="京口路2号", contact_name="李四")
    edit(store, both, address="京口路9号")
    twin = add(jk, "镇江长江电器设备厂", CODE)
    row = jk.add_item(twin, ItemInput(aspect="设备", indicator="数控化率")).id
    report = merge_files(store, [jk.path])  # type: ignore[list-item]
    jk.close()
    assert sorted(c.kind for c in report.conflicts) == ["conflict", "duplicate"]
    return both, twin, row


async def open_screen(app: DuibiaoApp, pilot: object, screen: MergeScreen | None = None) -> None:
    app.push_screen(screen or MergeScreen())
    await pilot.pause()  # type: ignore[attr-defined]


async def test_a_duplicate_is_confirmed_and_a_conflict_taken_by_keys(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], waiting: tuple[str, str, str]
) -> None:
    both, _, row = waiting
    ours = seeded["镇江市长江电器设备厂"]
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot)
        listed = rows(app, "#merge-conflicts")
        assert [r[0] for r in listed] == ["重复企业", "冲突"]
        assert listed[1][4].startswith("王明 2009-10-08") and listed[1][5].startswith("李京口")
        detail = str(app.screen.query_one("#merge-detail").render())  # type: ignore[arg-type]
        assert detail  # the highlighted record is shown in full
        assert app.focused is app.screen.query_one("#merge-conflicts")
        await pilot.press("s")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert [i.id for i in store.items_for(ours)] == [row]
        assert [r[0] for r in rows(app, "#merge-conflicts")] == ["冲突"]
        await pilot.press("i")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        shown = store.get_enterprise(both)
        assert (shown.address, shown.contact_name) == ("京口路2号", "李四")
        assert rows(app, "#merge-conflicts") == []
        assert open_conflicts(store) == []


async def test_a_conflict_is_kept_or_picked_field_by_field(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], waiting: tuple[str, str, str]
) -> None:
    both, _, _ = waiting
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot)
        await pilot.press("down")  # the conflict
        await pilot.press("s")  # a duplicate's key does nothing on a conflict
        assert isinstance(app.screen, MergeScreen)
        await pilot.press("e")
        assert isinstance(app.screen, FieldChoiceDialog)
        # Fields in the table's order: address first, then contact_name.
        await pilot.press("down", "enter")  # address: take theirs (京口路2号)
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = store.get_enterprise(both)
        assert (shown.address, shown.contact_name) == ("京口路2号", "")
        assert [r[0] for r in rows(app, "#merge-conflicts")] == ["重复企业"]


async def test_keeping_the_local_row_and_adding_a_second_enterprise(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], waiting: tuple[str, str, str]
) -> None:
    both, twin, row = waiting
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot)
        await pilot.press("down", "l")
        await pilot.pause()
        assert store.get_enterprise(both).address == "京口路9号"
        await pilot.press("b")
        assert isinstance(app.screen, TwoEnterprisesDialog)
        await pilot.press("enter")  # unchanged: the code still clashes
        await pilot.pause()
        assert isinstance(app.screen, TwoEnterprisesDialog)
        error = app.screen.query_one("#err-uscc")
        assert "-shown" in error.classes
        app.screen.query_one("#f-uscc").value = ""  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MergeScreen)
        assert store.get_enterprise(twin).name == "镇江长江电器设备厂"
        assert [i.id for i in store.items_for(twin)] == [row]
        assert rows(app, "#merge-conflicts") == []


async def test_preview_then_merge_from_a_typed_path(
    app: DuibiaoApp, store: Store, tmp_path: Path
) -> None:
    jk = district(tmp_path)
    add(jk, "镇江市京口阀门厂")
    jk.close()
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot)
        assert app.focused is app.screen.query_one("#merge-files")
        await pilot.press("m")  # typed into the path box: nothing to merge yet
        await pilot.press("ctrl+a", "ctrl+k")
        for ch in str(tmp_path / "jingkou.db"):
            await pilot.press(ch)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(rows(app, "#merge-report")))
        assert ("京口区", "企业", "1", "0", "0", "0", "0") in rows(app, "#merge-report")
        assert store.count_enterprises() == 0  # a preview writes nothing
        await pilot.press("m")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: store.count_enterprises() == 1)
        await wait_until(
            pilot, lambda: "已合并" in str(app.screen.query_one("#merge-status").render())
        )
        assert rows(app, "#merge-conflicts") == []


async def test_a_missing_file_is_named(app: DuibiaoApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, MergeScreen())
        app.screen.query_one("#merge-files").value = str(tmp_path / "无此文件.duibiao")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert rows(app, "#merge-report") == []
        assert any("无此文件" in n.message for n in app._notifications)


def test_paths_typed_in_one_line() -> None:
    assert parse_paths('a.duibiao "京口 区.duibiao"  b.db') == [
        Path("a.duibiao"),
        Path("京口 区.duibiao"),
        Path("b.db"),
    ]
    assert parse_paths("   ") == []
