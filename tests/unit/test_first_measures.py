"""The 措施 desk's first page, sorted by SQLite while the whole list is read (issue 16), is
exactly the head of the whole list, under every filter the desk offers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duibiao_tui.demo import fill_demo
from duibiao_tui.domain.measures import (
    DUE_FILTERS,
    MEASURE_STATES,
    NO_VERDICT,
    OVERDUE,
    PENDING,
    MeasureQuery,
)
from duibiao_tui.domain.reference import ASPECTS
from duibiao_tui.store.store import Store
from tests.conftest import fixed_clock


@pytest.fixture(scope="module")
def demo() -> Store:
    store = Store.memory(clock=fixed_clock)
    fill_demo(store, enterprises=40, seed=7)
    return store


def test_the_demo_has_ties_to_break(demo: Store) -> None:
    rows = demo.measures(MeasureQuery())
    assert len(rows) > 500
    dues = [r.due_date for r in rows]
    assert len(set(dues)) < len(dues), "no two measures share a date: the order is not tested"
    assert None in dues, "no undated measure: their place is not tested"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_first_page_is_the_head_of_the_whole_list(demo: Store, data: st.DataObject) -> None:
    districts = [None, *(d.id for d in demo.districts())]
    departments = ["", *demo.measure_departments()]
    query = MeasureQuery(
        district_id=data.draw(st.sampled_from(districts)),
        department=data.draw(st.sampled_from(departments)),
        aspect=data.draw(st.sampled_from(["", *ASPECTS])),
        due=data.draw(st.sampled_from(["", *DUE_FILTERS])),
        state=data.draw(st.sampled_from(["", OVERDUE, PENDING, *MEASURE_STATES])),
        verdict=data.draw(st.sampled_from(["", NO_VERDICT, "落后", "持平", "领先"])),
        all_rows=data.draw(st.booleans()),
    )
    limit = data.draw(st.sampled_from([1, 7, 60, 100_000]))
    assert demo.first_measures(query, limit) == demo.measures(query)[:limit]


def test_departments_read_from_the_index_are_those_of_the_rows() -> None:
    store = Store.memory(clock=fixed_clock)
    fill_demo(store, enterprises=12, seed=3)
    plain = sorted(
        {
            r[0]
            for r in store.conn.execute(
                "SELECT department FROM benchmark_item WHERE deleted_at IS NULL AND "
                "department != '' AND campaign_id = ?",
                [store.active_campaign().id],
            )
        }
    )
    assert len(plain) > 3
    assert store.measure_departments() == plain
    store.conn.execute("DROP INDEX benchmark_item_followup")  # a file without it still reads
    store.session._cache.clear()
    assert store.measure_departments() == plain


def test_a_new_department_is_listed_after_the_write() -> None:
    from duibiao_tui.domain.item_rules import ItemInput

    demo = Store.memory(clock=fixed_clock)
    fill_demo(demo, enterprises=5, seed=3)
    before = demo.measure_departments()
    enterprise = demo.first_enterprises(1)[0]
    demo.add_item(
        enterprise.id, ItemInput(aspect="设备", indicator="新指标", department="新设部门")
    )
    assert demo.measure_departments() == sorted([*before, "新设部门"])


def test_the_first_page_without_the_due_index_is_the_same() -> None:
    store = Store.memory(clock=fixed_clock)
    fill_demo(store, enterprises=12, seed=5)
    whole = store.measures(MeasureQuery())
    store.conn.execute("DROP INDEX benchmark_item_due")
    for limit in (1, 50, len(whole) + 1):
        assert store.first_measures(MeasureQuery(), limit) == whole[:limit]
