"""Pictures of the dashboard (F2) and its campaign dialog on a small, fixed campaign.

The data is built here, not taken from the demo generator, so a change of the demo data
does not change these pictures. Update with ``pytest tests/snapshots --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from duibiao_tui.app import DuibiaoApp
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.store import Store
from tests.functional.test_dashboard_keys import build_campaign, item

MORE = [
    # name, district, statuses to walk through
    ("镇江市京口电气设备有限公司", "京口区", ["已报送"]),
    ("镇江市丹凤机械有限公司", "京口区", ["已报送", "审核中"]),
    ("丹阳市乐华汽车配件有限公司", "丹阳市", ["已报送", "已通过"]),
    ("丹阳市南山五金厂", "丹阳市", ["已报送", "已通过"]),
    ("丹阳市正昌眼镜有限公司", "丹阳市", []),
    ("江苏鼎盛机械设备有限公司", "镇江新区", ["已报送", "退回修改"]),
    ("句容市齐梁水泥股份有限公司", "句容市", ["已报送", "已通过"]),
]


def demo_like(store: Store, seeded: dict[str, str]) -> None:
    build_campaign(store, seeded)
    districts = {d.name: d.id for d in store.districts()}
    for name, district, steps in MORE:
        enterprise = store.add_enterprise(
            EnterpriseInput(name=name, district_id=districts[district])
        )
        store.add_item(enterprise.id, item("性能", "落后", "改进设计", "技术部", "2009年6月"))
        store.add_item(enterprise.id, item("标准水平", "持平"))
        for step in steps:
            store.change_status([enterprise.id], step, "缺完成时间" if step == "退回修改" else "")


async def dashboard(pilot: Pilot[Any]) -> None:
    await pilot.press("f2")
    await pilot.pause()


class TestDashboard:
    def test_dashboard_wide(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """120x40: tables beside the chart, every figure on one screen."""
        demo_like(store, seeded)
        assert snap_compare(app, terminal_size=(120, 40), run_before=dashboard)

    def test_dashboard_80x24(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """80x24: sections stacked and scrolled; the cursor on 丹阳市 · 已通过."""
        demo_like(store, seeded)

        async def run(pilot: Pilot[Any]) -> None:
            await dashboard(pilot)
            await pilot.press("down", "down", "down", "right", "right", "right", "right")

        assert snap_compare(app, terminal_size=(80, 24), run_before=run)

    def test_campaign_dialog(
        self, snap_compare: Any, app: DuibiaoApp, store: Store, seeded: dict[str, str]
    ) -> None:
        """c: the campaigns with the active one marked and its details."""
        demo_like(store, seeded)

        async def run(pilot: Pilot[Any]) -> None:
            await dashboard(pilot)
            await pilot.press("c")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 30), run_before=run)


def test_dashboard_on_demo_data(snap_compare: Any, app: DuibiaoApp, store: Store) -> None:
    """The demo generator's campaign (every status, flags, overdue and done measures,
    promotions and recommendations) as the officer first sees it; the clock is fixed."""
    from duibiao_tui.demo import fill_demo

    fill_demo(store, enterprises=40, seed=2009)
    assert snap_compare(app, terminal_size=(120, 40), run_before=dashboard)
