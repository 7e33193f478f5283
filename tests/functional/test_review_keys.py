"""The review desk, the status dialog, flags and recognitions driven by keys, checked in
the database."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Select, Static

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.recognition import RECOMMENDATION, RecognitionInput
from duibiao_tui.domain.review import Receipt, ReviewQuery
from duibiao_tui.screens.dialogs import ConfirmDialog
from duibiao_tui.screens.enterprise_page import EnterprisePageScreen
from duibiao_tui.screens.item_editor import ItemEditorScreen
from duibiao_tui.screens.recognition_dialog import RecognitionDialog, RecognitionEditDialog
from duibiao_tui.screens.review import FlaggedListDialog, ReviewDeskScreen
from duibiao_tui.screens.status_dialog import FlagDialog, HistoryDialog, StatusDialog
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable
from tests.helpers import SIZE, type_text

TARGET = "镇江市长江电器设备厂"
OTHER = "句容市宝华建材有限公司"


def shown(widget: Widget) -> str:
    """The text a Label or Static shows (rich tables included), as plain text."""
    content = widget.content if isinstance(widget, Static) else widget.render()
    console = Console(width=200, record=True, color_system=None)
    with console.capture() as capture:
        console.print(content)
    return capture.get()


async def open_desk(pilot: Pilot[Any]) -> ReviewDeskScreen:
    await pilot.press("f4")
    await pilot.pause()
    desk = pilot.app.screen
    assert isinstance(desk, ReviewDeskScreen)
    assert desk.focused is desk.query_one("#review-table"), "the table has the focus"
    return desk


async def status_dialog(pilot: Pilot[Any]) -> StatusDialog:
    await pilot.press("s")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, StatusDialog)
    return dialog


async def choose(pilot: Pilot[Any], dialog: StatusDialog, target: str) -> None:
    """Arrow down the list of steps to ``target`` (the list has the focus)."""
    targets = [c.target for c in dialog.choices]
    assert target in targets, f"{target} offered among {targets}"
    options = dialog.query_one("#f-target", OptionList)
    assert dialog.focused is options
    for _ in range(targets.index(target) - (options.highlighted or 0)):
        await pilot.press("down")
    await pilot.pause()
    assert dialog.choices[options.highlighted or 0].target == target


def cursor_to(desk: ReviewDeskScreen, enterprise_id: str) -> None:
    assert desk.query_one(VirtualTable).move_cursor_to_key(enterprise_id)


async def test_hand_in_approve_return_resubmit(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    first, second = seeded[TARGET], seeded[OTHER]
    async with app.run_test(size=SIZE) as pilot:
        desk = await open_desk(pilot)
        cursor_to(desk, first)
        dialog = await status_dialog(pilot)
        assert [c.target for c in dialog.choices] == ["已报送"]
        assert dialog.query_one("#receipt").display, "a hand-in asks for the receipt"
        assert dialog.query_one("#f-received", Input).value == "2009-10-08", "today"
        await pilot.press("tab", "tab")  # 意见 → 收到日期 (its text selected)
        await type_text(pilot, "2009-10-07")
        await pilot.press("tab")
        await type_text(pilot, "张华")
        await pilot.press("tab", "space", "tab", "space")  # both copies arrived
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is desk
        got = store.submission(first)
        assert (got.status, got.received_date, got.handed_in_by) == ("已报送", "2009-10-07", "张华")
        assert got.copy_city and got.copy_district
        assert got.reviewer == "王明"
        assert desk.query_one(VirtualTable).get_row(first)[3] == "已报送"

        # approve it: Enter on the step moves to the comment, Ctrl+S saves
        dialog = await status_dialog(pilot)
        await choose(pilot, dialog, "已通过")
        assert not dialog.query_one("#receipt").display
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert store.submission(first).status == "已通过"
        assert store.submission(first).received_date == "2009-10-07", "receipt kept"

        # the second form: hand it in, then return it — the comment is required
        cursor_to(desk, second)
        dialog = await status_dialog(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.submission(second).status == "已报送"
        dialog = await status_dialog(pilot)
        await choose(pilot, dialog, "退回修改")
        assert "意见*" in str(dialog.query_one("#label-comment", Label).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog, "not closed without a comment"
        error = dialog.query_one("#err-comment", Label)
        assert error.has_class("-shown") and "须填写意见" in str(error.render())
        assert dialog.focused is dialog.query_one("#f-comment")
        assert store.submission(second).status == "已报送", "nothing changed"
        await type_text(pilot, "完成时间不明确")
        await pilot.press("enter")
        await pilot.pause()
        returned = store.submission(second)
        assert (returned.status, returned.last_comment) == ("退回修改", "完成时间不明确")

        # resubmitted: the only step from 退回修改, with a new receipt
        dialog = await status_dialog(pilot)
        assert [c.target for c in dialog.choices] == ["已报送"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.submission(second).status == "已报送"

        # the history, newest last, from the desk with y
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HistoryDialog)
        await pilot.press("escape")
    steps = [(e.source, e.target, e.comment) for e in store.review_history(second)]
    assert steps == [
        ("未报送", "已报送", ""),
        ("已报送", "退回修改", "完成时间不明确"),
        ("退回修改", "已报送", ""),
    ]
    assert [e.officer for e in store.review_history(first)] == ["王明", "王明"]


async def test_bulk_change_on_a_district_filter(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    jurong = districts["句容市"]
    extra = [
        store.add_enterprise(EnterpriseInput(name=name, district_id=jurong)).id
        for name in ("句容市华阳水泥有限公司", "句容市茅山茶叶有限公司", "句容市天王机械厂")
    ]
    in_jurong = [seeded[OTHER], *extra]
    handed_in = in_jurong[:3]  # the last one stays 未报送 and is skipped
    elsewhere = [seeded[TARGET], seeded["丹阳市华通光学眼镜有限公司"]]
    store.change_status([*handed_in, *elsewhere], "已报送", receipt=Receipt(store.today()))
    async with app.run_test(size=SIZE) as pilot:
        desk = await open_desk(pilot)
        # the district filter by keys: / to the search, Tab to the district list
        await pilot.press("slash", "tab", "enter")
        await pilot.pause()
        names = [d.id for d in store.districts()]
        for _ in range(names.index(jurong) + 1):  # past the blank 全部辖市区
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert desk.query_state.district_id == jurong
        assert sorted(r.enterprise_id for r in desk.rows) == sorted(in_jurong)
        await pilot.press("escape")  # back to the table
        assert desk.focused is desk.query_one("#review-table")
        await pilot.press("a")
        await pilot.pause()
        assert desk.selected == set(in_jurong)
        assert all(desk.query_one(VirtualTable).get_row(k)[0] == "✓" for k in in_jurong)
        dialog = await status_dialog(pilot)
        approve = next(c for c in dialog.choices if c.target == "已通过")
        assert sorted(approve.able) == sorted(handed_in)
        await choose(pilot, dialog, "已通过")
        await pilot.press("ctrl+s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert confirm.question == (
            "将 3 家企业改为「已通过」？（另有 1 家状态为未报送，不能改，将跳过）"
        )
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is desk
        assert desk.selected == set(), "selection cleared after the change"
    statuses = store.statuses()
    assert {k: statuses.get(k) for k in in_jurong} == {
        **dict.fromkeys(handed_in, "已通过"),
        in_jurong[3]: None,
    }
    assert all(statuses[k] == "已报送" for k in elsewhere), "other districts untouched"
    assert all(len(store.review_history(k)) == 2 for k in handed_in)


async def test_bulk_cancelled_changes_nothing_and_a_toggles(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    ids = list(seeded.values())
    store.change_status(ids, "已报送")
    async with app.run_test(size=SIZE) as pilot:
        desk = await open_desk(pilot)
        await pilot.press("space", "space")  # marks two rows, the cursor moves down
        assert len(desk.selected) == 2
        await pilot.press("a")
        assert desk.selected == set(ids)
        await pilot.press("a")
        assert desk.selected == set(), "a again clears"
        await pilot.press("a")
        dialog = await status_dialog(pilot)
        await choose(pilot, dialog, "已通过")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == f"将 {len(ids)} 家企业改为「已通过」？"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is dialog
    assert set(store.statuses().values()) == {"已报送"}


async def test_search_is_reached_with_slash(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        desk = await open_desk(pilot)
        await pilot.press("slash")
        assert desk.focused is desk.query_one("#review-search")
        await type_text(pilot, "jrs")  # letters are text here, not keys (s: status)
        await pilot.pause()
        assert not isinstance(app.screen, StatusDialog)
        assert [r.name for r in desk.rows] == [OTHER]
        await pilot.press("escape")
        assert desk.focused is desk.query_one("#review-table")
        await pilot.press("escape")  # the desk is a mode here: Esc does nothing more
        assert app.screen is desk


async def test_pushed_by_the_dashboard_with_ids_or_a_query(
    app: DuibiaoApp, store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    store.change_status([seeded[TARGET]], "已报送")
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        wanted = [seeded[TARGET], seeded[OTHER]]
        app.push_screen(ReviewDeskScreen(enterprise_ids=wanted))
        await pilot.pause()
        desk = app.screen
        assert isinstance(desk, ReviewDeskScreen)
        assert sorted(r.enterprise_id for r in desk.rows) == sorted(wanted)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home
        app.push_screen(ReviewDeskScreen(ReviewQuery(status="已报送")))
        await pilot.pause()
        desk = app.screen
        assert isinstance(desk, ReviewDeskScreen)
        assert [r.enterprise_id for r in desk.rows] == [seeded[TARGET]]
        assert desk.query_one("#review-status", Select).value == "已报送"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home


def with_rows(store: Store, enterprise_id: str) -> list[str]:
    return [
        store.add_item(
            enterprise_id,
            ItemInput(
                aspect="工艺",
                indicator=indicator,
                benchmark_text="正泰集团股份有限公司",
                benchmark_level="99%",
                result_text="低 1 个百分点",
                verdict="落后",
                measures="引进设备",
                department="质量部",
                due_text="2010-06-30",
            ),
        ).id
        for indicator in ("产品一次交验合格率", "工艺纪律执行率")
    ]


async def open_page_from_desk(pilot: Pilot[Any], enterprise_id: str) -> EnterprisePageScreen:
    desk = await open_desk(pilot)
    cursor_to(desk, enterprise_id)
    await pilot.press("enter")
    await pilot.pause()
    page = pilot.app.screen
    assert isinstance(page, EnterprisePageScreen)
    return page


async def test_flag_a_row_and_find_it_in_the_flagged_list(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    rows = with_rows(store, enterprise_id)
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page_from_desk(pilot, enterprise_id)
        table = page.query_one(VirtualTable)
        table.move_cursor_to_key(rows[1])
        await pilot.press("exclamation_mark")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FlagDialog)
        await pilot.press("enter")  # empty: refused under the field
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.query_one("#err-flag_comment", Label).has_class("-shown")
        assert store.flagged_items() == []
        await type_text(pilot, "标杆水平无出处")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is page
        flagged = store.flagged_items()
        assert [(f.item_id, f.comment) for f in flagged] == [(rows[1], "标杆水平无出处")]
        assert table.get_row(rows[1])[1] == "⚑"
        assert table.get_row(rows[0])[1] == ""
        assert "标杆水平无出处" in shown(page.query_one("#item-detail"))
        await pilot.press("escape")  # back to the desk, which counts the flag
        await pilot.pause()
        desk = app.screen
        assert isinstance(desk, ReviewDeskScreen)
        assert desk.query_one(VirtualTable).get_row(enterprise_id)[6] == "⚑1"
        await pilot.press("exclamation_mark")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, FlaggedListDialog)
        assert listing.query_one(VirtualTable).get_row(rows[1])[4] == "标杆水平无出处"
        await pilot.press("enter")
        await pilot.pause()
        page = app.screen
        assert isinstance(page, EnterprisePageScreen)
        assert page.query_one(VirtualTable).cursor_key == rows[1], "the row is highlighted"
        # unflag: asks first
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is page
        assert page.query_one(VirtualTable).get_row(rows[1])[1] == ""
    assert store.flagged_items() == []


async def test_editing_an_approved_form_shows_changed(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    with_rows(store, enterprise_id)
    store.change_status([enterprise_id], "已报送")
    store.change_status([enterprise_id], "已通过")
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page_from_desk(pilot, enterprise_id)
        review = page.query_one("#page-review", Label)
        assert "报送状态：已通过" in str(review.render())
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ItemEditorScreen)
        app.screen.query_one("#f-remarks", Input).focus()
        await type_text(pilot, "已复核")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is page
        assert "报送状态：已修改" in str(review.render())
        await pilot.press("escape")
        await pilot.pause()
        desk = app.screen
        assert isinstance(desk, ReviewDeskScreen)
        assert desk.query_one(VirtualTable).get_row(enterprise_id)[3] == "已修改"
    assert store.submission(enterprise_id).status == "已修改"


async def test_status_from_the_page(app: DuibiaoApp, store: Store, seeded: dict[str, str]) -> None:
    enterprise_id = seeded[TARGET]
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page_from_desk(pilot, enterprise_id)
        assert "未报送（s 登记报送）" in str(page.query_one("#page-review", Label).render())
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatusDialog)
        await pilot.press("tab", "tab", "tab")
        await type_text(pilot, "李强")
        await pilot.press("tab", "space", "ctrl+s")
        await pilot.pause()
        assert app.screen is page
        line = str(page.query_one("#page-review", Label).render())
        assert "已报送" in line and "收到 2009-10-08（市质量处，报送人 李强）" in line
        assert "审核人 王明" in line
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HistoryDialog)
        assert "未报送 → 已报送" in shown(app.screen.query_one("#history-table"))
    got = store.submission(enterprise_id)
    assert (got.copy_city, got.copy_district, got.handed_in_by) == (True, False, "李强")


async def test_recognitions_add_edit_delete(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page_from_desk(pilot, enterprise_id)
        await pilot.press("r")
        await pilot.pause()
        listing = app.screen
        assert isinstance(listing, RecognitionDialog)

        # 推介: method from the list, a date, a note
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecognitionEditDialog)
        assert form.focused is form.query_one("#f-method")  # n said 推介: its first field
        await pilot.press("enter", "down", "down", "enter")  # 推介方式 → 座谈
        await pilot.pause()
        assert form.query_one("#f-method", Select).value == "座谈"
        await pilot.press("tab")
        await type_text(pilot, "2009年11月5日")
        await pilot.press("tab")
        await type_text(pilot, "全市质量工作座谈会交流")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is listing
        (promoted,) = store.recognitions_for(enterprise_id)
        assert (promoted.kind, promoted.method, promoted.event_date, promoted.note) == (
            "推介",
            "座谈",
            "2009-11-05",
            "全市质量工作座谈会交流",
        )

        # 推荐申报: the year is required; scores add up as typed
        await pilot.press("m")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecognitionEditDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#err-award_year", Label).has_class("-shown")
        assert form.focused is form.query_one("#f-award_year")
        await type_text(pilot, "2010")
        await pilot.press("tab")
        await type_text(pilot, "已推荐")
        form.query_one("#f-s41", Input).focus()
        await type_text(pilot, "85")
        await pilot.press("tab")
        await type_text(pilot, "60.5")
        await pilot.press("tab")
        await type_text(pilot, "95")  # over the 90 points of 4.3
        await pilot.pause()
        assert "自评合计 240.5 分" in str(form.query_one("#score-total", Label).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "0–90" in str(form.query_one("#err-s43", Label).render())
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "70")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is listing
        recommended = next(r for r in store.recognitions_for(enterprise_id) if r.kind != "推介")
        assert (recommended.award_year, recommended.outcome) == (2010, "已推荐")
        assert recommended.edition == "GB/T 19580-2004"
        assert recommended.scores == {"4.1": 85, "4.2": 60.5, "4.3": 70}

        # edit: Enter on the row, change the outcome
        listing.query_one(VirtualTable).move_cursor_to_key(recommended.id)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecognitionEditDialog)
        form.query_one("#f-outcome", Input).focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "获奖")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is listing
        assert store.get_recognition(recommended.id).outcome == "获奖"
        assert store.get_recognition(recommended.id).scores["4.3"] == 70

        # delete asks first, u undoes
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert [r.id for r in store.recognitions_for(enterprise_id)] == [promoted.id]
        await pilot.press("u")
        await pilot.pause()
        assert len(store.recognitions_for(enterprise_id)) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is page
        assert "推介 1、推荐申报 1" in str(page.query_one("#page-review", Label).render())


async def test_recognition_kind_switch_shows_its_fields(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    enterprise_id = seeded[TARGET]
    existing = store.add_recognition(
        enterprise_id,
        RecognitionInput(
            kind=RECOMMENDATION,
            award_year="2010",
            edition="GB/T 19580-2012",
            scores={"4.7": "300"},
        ),
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_page_from_desk(pilot, enterprise_id)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecognitionEditDialog)
        assert form.query_one("#f-s47", Input).value == "300"
        assert "满分 400" in str(form.query_one("#max-s47", Label).render())
        assert "4.7 结果" in str(form.query_one("#label-s47", Label).render())
        assert not form.query_one("#promotion-fields").display
        assert form.focused is form.query_one("#f-award_year")
        await pilot.press("shift+tab", "enter", "up", "enter")  # 类别 → 推介
        await pilot.pause()
        assert form.query_one("#promotion-fields").display
        assert not form.query_one("#assessment-fields").display
        await pilot.press("escape")
        await pilot.pause()
    assert store.get_recognition(existing.id).kind == RECOMMENDATION


def status_counts_shown(desk: ReviewDeskScreen) -> dict[str, int]:
    """Status → the count the 状态 filter's list shows beside it."""
    import re

    select = desk.query_one("#review-status", Select)
    counts = {}
    for prompt, value in select._options:
        if isinstance(value, str):
            found = re.fullmatch(rf"{value}（(\d+)）", str(prompt))
            assert found, prompt
            counts[value] = int(found[1])
    return counts


async def test_status_filter_counts_are_right_on_the_first_f4(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """The counts were set while the desk was mounting (when a Select cannot yet be
    updated) and then never again, so the first F4 showed every count as 0."""
    store.change_status([seeded[TARGET], seeded[OTHER]], "已报送")
    async with app.run_test(size=SIZE) as pilot:
        desk = await open_desk(pilot)
        counts = status_counts_shown(desk)
        assert counts["已报送"] == 2
        assert counts["未报送"] == len(seeded) - 2
        assert sum(counts.values()) == len(desk.rows)


async def test_status_filter_counts_when_opened_from_the_dashboard(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    store.change_status([seeded[TARGET], seeded[OTHER]], "已报送")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ReviewDeskScreen(query=ReviewQuery(status="已报送")))
        await pilot.pause()
        desk = app.screen
        assert isinstance(desk, ReviewDeskScreen)
        counts = status_counts_shown(desk)
        assert counts["已报送"] == 2
        assert sum(counts.values()) == len(seeded)


async def test_page_last_change_follows_row_delete_and_move(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """最近修改 showed the enterprise's own updated_at, which no row write touches."""
    rows = with_rows(store, seeded[TARGET])
    async with app.run_test(size=SIZE) as pilot:
        page = await open_page_from_desk(pilot, seeded[TARGET])
        page.query_one(VirtualTable).move_cursor_to_key(rows[1])
        store.clock = lambda: "2009-10-09T14:05:00+08:00"
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert "最近修改 2009-10-09 14:05 王明" in shown(page.query_one("#page-status"))
        store.clock = lambda: "2009-10-10T08:15:00+08:00"
        await pilot.press("delete")
        await pilot.pause()
        assert "最近修改 2009-10-10 08:15 王明" in shown(page.query_one("#page-status"))


async def test_typing_on_the_list_of_steps_writes_the_comment(
    app: DuibiaoApp, store: Store, seeded: dict[str, str]
) -> None:
    """The dialog opens on its list of steps; an officer who types at once is writing the
    comment. The list used to swallow every letter, and the save was refused for 意见."""
    from tests.functional.test_core_loop import burst

    eid = seeded[TARGET]
    store.change_status([eid], "已报送")
    async with app.run_test(size=SIZE) as pilot:
        desk = await open_desk(pilot)
        cursor_to(desk, eid)
        dialog = await status_dialog(pilot)
        assert dialog.focused is dialog.query_one("#f-target", OptionList)
        choice = dialog.choices[dialog.query_one("#f-target", OptionList).highlighted or 0]
        await burst(pilot, "措施不具体，请细化", "ctrl+s")
        assert app.screen is desk, "saved and closed"
    got = store.submission(eid)
    assert (got.status, got.last_comment) == (choice.target, "措施不具体，请细化")
