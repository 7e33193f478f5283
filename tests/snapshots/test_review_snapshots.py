"""Pictures of the review desk and the status dialog, compared with the approved SVGs.

Update after a deliberate change with ``pytest tests/snapshots --snapshot-update`` and look
at the pictures first.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.review import Receipt
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.virtual_table import VirtualTable


def review_states(store: Store, ids: dict[str, str]) -> None:
    """Six forms in five states, with rows, a flagged row and an overdue measure."""
    target = ids["镇江市长江电器设备厂"]
    for indicator, due in (("关键工序数控化率", "2009-06-30"), ("出厂检验合格率", "2010-06-30")):
        store.add_item(
            target,
            ItemInput(
                benchmark_text="正泰集团股份有限公司",
                aspect="设备",
                indicator=indicator,
                benchmark_level="95%",
                result_text="低 5 个百分点",
                verdict="落后",
                measures="引进数控设备",
                department="设备部",
                due_text=due,
            ),
        )
    store.flag_item(store.items_for(target)[1].id, True, "标杆水平无出处")
    receipt = Receipt(store.today(), "企业质量部 张华", copy_city=True, copy_district=True)
    handed = [
        target,
        ids["丹阳市华通光学眼镜有限公司"],
        ids["扬中市新坝电气股份有限公司"],
        ids["江苏恒顺醋业股份有限公司"],
        ids["镇江市重机机械有限公司"],
    ]
    store.change_status(handed, "已报送", receipt=receipt)
    store.change_status([handed[1]], "已通过", "材料齐全，同意")
    store.change_status([handed[2]], "退回修改", "提升措施过于笼统，请按年度细化")
    store.change_status([handed[3]], "审核中")


async def desk_ready(pilot: Pilot[Any]) -> None:
    await pilot.press("f4")
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


class TestReviewDesk:
    def test_desk(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """Statuses, received dates, counts, reviewer and comment; two rows selected."""
        review_states(store, seeded)

        async def run(pilot: Pilot[Any]) -> None:
            await desk_ready(pilot)
            await pilot.press("space", "space")

        assert snap_compare(app, terminal_size=(120, 30), run_before=run)

    def test_status_dialog_bulk(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """Every form selected: the steps possible from their statuses, how many can take
        each, the comment marked required for 退回修改."""
        review_states(store, seeded)

        async def run(pilot: Pilot[Any]) -> None:
            await desk_ready(pilot)
            pilot.app.screen.query_one(VirtualTable).move_cursor_to_key(
                seeded["镇江市长江电器设备厂"]
            )
            await pilot.press("a", "s")
            await pilot.pause()
            await pilot.press("down", "down", "down")  # 退回修改
            for widget in pilot.app.screen.query(Input):
                widget.cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=run)
