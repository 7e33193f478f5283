"""The home screen shows the figures last counted at once (issue 16): current ones without
counting, old ones marked 正在更新… until the worker's count replaces them."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from duibiao_tui.app import make_app
from duibiao_tui.config import Config
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.screens.dashboard import DashboardScreen, Headline
from duibiao_tui.store import dashboard as dashboard_store
from duibiao_tui.store.store import Store
from duibiao_tui.widgets.figure_table import FigureTable
from tests.conftest import fixed_clock
from tests.helpers import SIZE, wait_until


@pytest.fixture
def counting_gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Counting always runs in the worker and waits for the test to open the gate, so
    what the screen shows before the count is there to be seen; counts are recorded."""
    from duibiao_tui.screens import dashboard

    monkeypatch.setattr(dashboard, "COUNT_IN_BACKGROUND", -1)
    gate = threading.Event()
    original = dashboard_store.DashboardReadModel._count
    calls: list[int] = []

    def gated(self: dashboard_store.DashboardReadModel, campaign_id: str | None):  # type: ignore[no-untyped-def]
        calls.append(1)
        if threading.current_thread() is not threading.main_thread():
            assert gate.wait(10), "the test never opened the gate"
        return original(self, campaign_id)

    monkeypatch.setattr(dashboard_store.DashboardReadModel, "_count", gated)
    gate.calls = calls  # type: ignore[attr-defined]
    return gate


def home_app(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_app(
        store, config=Config(officer="王明"), config_file=tmp_path / "c.json", db_label="测试.db"
    )


def summary(screen: DashboardScreen) -> str:
    return screen.query_one(Headline).summary


async def test_current_figures_show_at_once_and_nothing_is_counted(
    store: Store, seeded: dict[str, str], tmp_path: Path, counting_gate: threading.Event
) -> None:
    store.dashboard()
    counting_gate.calls.clear()  # type: ignore[attr-defined]
    app = home_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert summary(screen).startswith(f"企业{len(seeded)}家")
        assert "正在" not in summary(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert counting_gate.calls == []  # type: ignore[attr-defined]
        table = screen.query_one("#status-table", FigureTable)
        assert table.get_cell("__total__", "__total__").plain == str(len(seeded))


async def test_old_figures_show_marked_until_the_count_replaces_them(
    store: Store,
    seeded: dict[str, str],
    tmp_path: Path,
    db_path: Path,
    counting_gate: threading.Event,
) -> None:
    store.dashboard()
    other = Store.open(db_path, officer="李华", clock=fixed_clock)
    try:
        other.add_enterprise(EnterpriseInput(name="镇江市新开企业有限公司"))
    finally:
        other.close()
    app = home_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await pilot.pause()
        assert summary(screen).startswith(f"企业{len(seeded)}家")
        assert summary(screen).endswith("正在更新…")
        counting_gate.set()
        await wait_until(
            pilot, lambda: summary(screen).startswith(f"企业{len(seeded) + 1}家"), "the new count"
        )
        assert "正在更新" not in summary(screen)
    remembered = store.remembered_dashboard()
    assert remembered is not None and remembered.current
    assert remembered.figures.enterprises == len(seeded) + 1


async def test_r_counts_again_even_when_current(
    store: Store, seeded: dict[str, str], tmp_path: Path, counting_gate: threading.Event
) -> None:
    store.dashboard()
    counting_gate.set()
    counting_gate.calls.clear()  # type: ignore[attr-defined]
    app = home_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await wait_until(pilot, lambda: counting_gate.calls, "a count after r")  # type: ignore[attr-defined]
