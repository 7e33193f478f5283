"""The dashboard's figures kept in the file for the next start (issue 16): current exactly
when counting again would give the same figures, never trusted otherwise."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.dashboard_memory import FIGURES_KEY, DashboardFigures
from duibiao_tui.store.session import GENERATION_KEY
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock


def a_row(aspect: str = "设备", verdict: str = "落后") -> ItemInput:
    return ItemInput(
        benchmark_text="西门子（中国）有限公司/北京",
        aspect=aspect,
        indicator=f"{aspect}指标",
        benchmark_level="国际先进",
        result_text=verdict,
        verdict=verdict,
        measures="引进数控折弯机",
        department="设备部",
        due_text="2009年9月",
    )


def test_nothing_is_remembered_before_the_first_count(store: Store) -> None:
    assert store.remembered_dashboard() is None


def test_counted_figures_are_remembered_as_current(store: Store, seeded: dict[str, str]) -> None:
    figures = store.dashboard()
    remembered = store.remembered_dashboard()
    assert remembered is not None
    assert remembered.current
    assert remembered.figures == figures


def test_a_saved_row_makes_them_old_and_a_new_count_current_again(
    store: Store, seeded: dict[str, str]
) -> None:
    store.dashboard()
    store.add_item(next(iter(seeded.values())), a_row())
    remembered = store.remembered_dashboard()
    assert remembered is not None and not remembered.current
    figures = store.dashboard()
    assert sum(figures.items_by_aspect.values()) == 1
    again = store.remembered_dashboard()
    assert again is not None and again.current and again.figures == figures


def test_drafts_do_not_make_them_old(store: Store, seeded: dict[str, str]) -> None:
    enterprise_id = next(iter(seeded.values()))
    store.dashboard()
    draft = store.save_draft(enterprise_id, a_row())
    store.form_drafts.save("enterprise", enterprise_id, {"name": "正在输入"})
    store.discard_draft(draft)
    store.form_drafts.discard("enterprise", enterprise_id)
    remembered = store.remembered_dashboard()
    assert remembered is not None and remembered.current


def test_a_write_that_changes_no_row_keeps_them_current(
    store: Store, seeded: dict[str, str]
) -> None:
    store.dashboard()
    before = store.conn.total_changes
    with store.write():
        store.conn.execute("UPDATE enterprise SET name = name WHERE 0")
    assert store.conn.total_changes == before, "saving nothing wrote a row"
    remembered = store.remembered_dashboard()
    assert remembered is not None and remembered.current


def test_a_failed_write_does_not_move_the_generation(store: Store, seeded: dict[str, str]) -> None:
    store.dashboard()
    before = store.setting(GENERATION_KEY)
    with pytest.raises(RuntimeError), store.write():
        store.conn.execute("UPDATE enterprise SET name = name || '改'")
        raise RuntimeError("undone")
    assert store.setting(GENERATION_KEY) == before
    remembered = store.remembered_dashboard()
    assert remembered is not None and remembered.current


def test_a_write_from_another_connection_makes_them_old(
    store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    store.dashboard()
    other = Store.open(db_path, officer="李华", clock=fixed_clock)
    try:
        other.add_enterprise(EnterpriseInput(name="镇江市新开企业有限公司"))
    finally:
        other.close()
    remembered = store.remembered_dashboard()
    assert remembered is not None and not remembered.current
    assert store.dashboard().enterprises == len(seeded) + 1


def test_a_new_day_makes_them_old(store: Store, seeded: dict[str, str]) -> None:
    """Overdue measures and the days to the deadline depend on the date."""
    store.dashboard()
    store.clock = lambda: "2009-10-09T08:00:00+08:00"
    remembered = store.remembered_dashboard()
    assert remembered is not None and not remembered.current


def test_switching_campaign_forgets_them(store: Store, seeded: dict[str, str]) -> None:
    from duibiao_tui.domain.campaigns import CampaignInput

    store.dashboard()
    campaign = store.add_campaign(
        CampaignInput(name="2010年质量标杆对比活动", deadline="2010-10-20")
    )
    store.set_active_campaign(campaign.id)
    assert store.remembered_dashboard() is None


def test_figures_of_a_write_committed_while_counting_are_not_remembered(
    store: Store, seeded: dict[str, str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting runs in a worker on its own connection; an officer's save in the meantime
    must not leave half-old figures marked current."""
    from duibiao_tui.store import dashboard

    original = dashboard.DashboardReadModel._count

    def count_then_someone_saves(self: dashboard.DashboardReadModel, campaign_id: str | None):  # type: ignore[no-untyped-def]
        figures = original(self, campaign_id)
        other = Store.open(db_path, officer="李华", clock=fixed_clock)
        try:
            other.add_enterprise(EnterpriseInput(name="镇江市新开企业有限公司"))
        finally:
            other.close()
        return figures

    monkeypatch.setattr(dashboard.DashboardReadModel, "_count", count_then_someone_saves)
    store.dashboard()
    assert store.remembered_dashboard() is None


def test_a_read_only_file_counts_without_remembering(
    store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    store.close()
    reader = Store._open_read_only(db_path, "王明", fixed_clock)
    try:
        assert reader.dashboard().enterprises == len(seeded)
        assert reader.remembered_dashboard() is None
    finally:
        reader.close()


def test_unreadable_remembered_figures_are_counted_anew(
    store: Store, seeded: dict[str, str]
) -> None:
    store.dashboard()
    with store.write(changes_figures=False):
        store.conn.execute(
            "UPDATE setting SET value = '{\"stamp\": 1' WHERE key = ?", [FIGURES_KEY]
        )
    assert store.remembered_dashboard() is None
    store.dashboard()
    remembered = store.remembered_dashboard()
    assert remembered is not None and remembered.current


def test_the_dashboard_of_a_memory_store_is_remembered_too(seeded: dict[str, str]) -> None:
    memory = Store.memory(clock=fixed_clock)
    try:
        memory.dashboard()
        remembered = memory.remembered_dashboard()
        assert remembered is not None and remembered.current
    finally:
        memory.close()


counts = st.dictionaries(st.sampled_from(["未报送", "已报送", "已通过"]), st.integers(0, 9999))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.dictionaries(st.one_of(st.none(), st.text(max_size=8)), counts, max_size=4),
    overdue=st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(max_size=4)),
            st.text(max_size=6),
            st.text(max_size=6),
            st.integers(0, 99999),
        ),
        max_size=5,
    ),
    pending=st.integers(0, 10**6),
)
def test_figures_come_back_from_json_as_they_were(
    store: Store,
    status: dict[str | None, dict[str, int]],
    overdue: list[tuple[str | None, str, str, int]],
    pending: int,
) -> None:
    figures = store.dashboard()
    changed = DashboardFigures(
        figures.campaign,
        figures.today,
        [(k, k or "未填辖市区") for k in status],
        status,
        figures.items_by_aspect,
        {"设备": {"落后": 3}},
        overdue,
        {"推介": 2},
        {"carried": 4, "behind_before": 2, "improved": 1},
        pending,
    )
    assert DashboardFigures.from_json(changed.to_json()) == changed


def test_the_generation_lives_in_the_file(
    store: Store, seeded: dict[str, str], db_path: Path
) -> None:
    """A second program on the same file sees the count move (it is not a connection's)."""
    conn = sqlite3.connect(db_path)
    try:
        first = int(
            conn.execute("SELECT value FROM setting WHERE key = ?", [GENERATION_KEY]).fetchone()[0]
        )
        store.add_enterprise(EnterpriseInput(name="镇江市又一家企业有限公司"))
        second = int(
            conn.execute("SELECT value FROM setting WHERE key = ?", [GENERATION_KEY]).fetchone()[0]
        )
    finally:
        conn.close()
    assert second == first + 1
