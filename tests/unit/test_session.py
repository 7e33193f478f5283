"""The session's one cache: every read that is kept (the list, the library and its counts,
the review desk) sees a write of this store at once, another window's after its commit,
and never a write that was rolled back."""

from __future__ import annotations

from pathlib import Path

import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.listing import EnterpriseQuery
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.review import ReviewQuery
from duibiao_tui.store.store import Store


def names(store: Store) -> list[str]:
    return [row.name for row in store.search_enterprises(EnterpriseQuery())]


def test_the_list_sees_our_write_and_another_windows(store: Store, db_path: Path) -> None:
    assert names(store) == []
    store.add_enterprise(EnterpriseInput(name="镇江长江电器有限公司"))
    assert names(store) == ["镇江长江电器有限公司"]
    other = Store.open(db_path, officer="李华")
    other.add_enterprise(EnterpriseInput(name="丹阳华通机械厂"))
    other.close()
    assert sorted(names(store)) == ["丹阳华通机械厂", "镇江长江电器有限公司"]


def test_a_rolled_back_write_leaves_no_cached_trace(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write():
        store.add_enterprise(EnterpriseInput(name="镇江长江电器有限公司"))
        assert names(store) == ["镇江长江电器有限公司"]  # read (and kept) inside the write
        raise RuntimeError("the officer's save failed")
    assert names(store) == []


def test_the_library_and_its_counts_follow_writes(store: Store) -> None:
    enterprise = store.add_enterprise(EnterpriseInput(name="镇江长江电器有限公司"))
    assert store.benchmarks() == []
    benchmark = store.add_benchmark("正泰电器股份有限公司", "浙江乐清")
    assert [(b.name, b.item_count) for b in store.benchmarks()] == [("正泰电器股份有限公司", 0)]
    store.add_item(
        enterprise.id, ItemInput(aspect="设备", indicator="数控化率", benchmark_id=benchmark.id)
    )
    assert [b.item_count for b in store.benchmarks()] == [1]


def test_the_desk_follows_writes(store: Store, seeded: dict[str, str]) -> None:
    enterprise_id = next(iter(seeded.values()))
    before = {r.enterprise_id: r.items for r in store.review_rows(ReviewQuery())}
    assert before[enterprise_id] == 0
    store.add_item(enterprise_id, ItemInput(aspect="设备", indicator="数控化率"))
    after = {r.enterprise_id: r.items for r in store.review_rows(ReviewQuery())}
    assert after[enterprise_id] == 1


def test_the_dashboard_follows_writes(store: Store, seeded: dict[str, str]) -> None:
    enterprise_id = next(iter(seeded.values()))
    assert store.dashboard().items_by_aspect["设备"] == 0
    store.add_item(enterprise_id, ItemInput(aspect="设备", indicator="数控化率"))
    assert store.dashboard().items_by_aspect["设备"] == 1


def test_a_search_term_is_looked_up_once_until_the_next_write(
    store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    """The desks search a second time without the 辖市区 filter to say what it hides: the
    term's index lookup is not run again (it is most of a keystroke's cost); a write
    brings the new names in."""
    from dataclasses import replace

    from duibiao_tui.domain.listing import EnterpriseQuery
    from duibiao_tui.domain.models import EnterpriseInput

    lookups: list[str] = []
    store.conn.set_trace_callback(
        lambda sql: lookups.append(sql) if "search_index" in sql else None
    )
    query = EnterpriseQuery(text="zj", district_id=districts["京口区"])
    inside = store.search_enterprises(query)
    everywhere = store.search_enterprises(replace(query, district_id=None))
    first = len(lookups)
    assert first and len(everywhere) > len(inside)
    store.search_enterprises(replace(query, district_id=None))
    assert len(lookups) == first  # the same term: no second lookup
    store.add_enterprise(EnterpriseInput(name="镇江市新建机械厂", district_id=districts["润州区"]))
    lookups.clear()
    found = store.search_enterprises(replace(query, district_id=None))
    assert lookups and "镇江市新建机械厂" in [row.name for row in found]
    store.conn.set_trace_callback(None)


def test_ids_made_in_one_go_are_random_version_4_uuids_as_new_id_makes_them() -> None:
    import uuid

    from duibiao_tui.store.session import new_id, new_ids

    ids = new_ids(4000)
    assert len(set(ids)) == 4000 and new_ids(0) == []
    for text in [*ids, new_id()]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert {text[19] for text in ids} == set("89ab")  # every variant digit occurs
    assert len({text[14 + 1] for text in ids}) == 16  # the random digit after the version


def test_audit_rows_of_one_statement_get_ascending_ids_in_their_order(store: Store) -> None:
    """A batch's ids are assigned in ascending order (the id index grows at its end), the
    rows stay in the order given, each at its own time."""
    entries = [
        (f"2009-10-{day:02d}T09:00:00+08:00", (f"row-{day}", "update", "name", "a", "b"))
        for day in range(1, 29)
    ]
    store.session.audit_timed("enterprise", entries)
    rows = store.conn.execute(
        "SELECT id, at, row_id FROM audit_log WHERE row_id LIKE 'row-%' ORDER BY rowid"
    ).fetchall()
    assert [(at, row_id) for _, at, row_id in rows] == [(at, e[0]) for at, e in entries]
    ids = [r[0] for r in rows]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
