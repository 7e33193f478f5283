"""store.bulk: many rows, benchmarks and measure states by the one-at-a-time methods' rules."""

from __future__ import annotations

import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.measures import MeasureUpdate
from duibiao_tui.errors import NotFoundError, ValidationFailed
from duibiao_tui.store.store import Store
from tests.unit.clocks import ticking


def row(indicator: str, **changes: object) -> ItemInput:
    values: dict[str, object] = {"aspect": "设备", "indicator": indicator, "measures": "引进设备"}
    return ItemInput(**{**values, **changes})  # type: ignore[arg-type]


@pytest.fixture
def ticking_store(db_path: object) -> Store:
    store = Store.open(db_path, officer="质监局 王", clock=ticking())  # type: ignore[arg-type]
    yield store  # type: ignore[misc]
    store.close()


def audit_rows(store: Store, row_id: str) -> list[tuple[str, str | None, str | None, str | None]]:
    return [
        (a["action"], a["field"], a["old_value"], a["new_value"])
        for a in store.audit_for("benchmark_item", row_id)
    ]


class TestAddItemForms:
    def test_rows_follow_the_forms_rows_and_are_audited_once_each(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        first, second = list(seeded.values())[:2]
        store.add_item(first, row("已有"))
        ids = store.bulk.add_item_forms(
            [(first, [row("甲"), row("乙")]), (second, [row("丙")]), (first, [row("丁")])]
        )
        assert [i.indicator for i in store.items_for(first)] == ["已有", "甲", "乙", "丁"]
        assert [i.seq for i in store.items_for(first)] == [1, 2, 3, 4]
        assert [i.indicator for i in store.items_for(second)] == ["丙"]
        assert [len(form) for form in ids] == [2, 1, 1]
        assert audit_rows(store, ids[0][0]) == [("insert", None, None, None)]

    def test_a_row_the_rules_refuse_writes_nothing(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        eid = next(iter(seeded.values()))
        with pytest.raises(ValidationFailed):
            store.bulk.add_item_forms([(eid, [row("甲"), row("乙", due_text="2010年2月30日")])])
        assert store.items_for(eid) == []

    def test_a_removed_enterprise_is_refused(self, store: Store, seeded: dict[str, str]) -> None:
        eid = next(iter(seeded.values()))
        store.remove_enterprise(eid)
        with pytest.raises(NotFoundError):
            store.bulk.add_item_forms([(eid, [row("甲")])])

    def test_a_merged_benchmark_is_followed(self, store: Store, seeded: dict[str, str]) -> None:
        eid = next(iter(seeded.values()))
        keep = store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市")
        gone = store.add_benchmark("正泰集团", "浙江乐清")
        store.merge_benchmarks(keep.id, [gone.id])
        store.bulk.add_item_forms([(eid, [row("甲", benchmark_id=gone.id)])])
        assert store.items_for(eid)[0].benchmark_id == keep.id

    def test_an_approved_form_becomes_changed(self, store: Store, seeded: dict[str, str]) -> None:
        eid = next(iter(seeded.values()))
        store.add_item(eid, row("已有"))
        store.change_status([eid], "已报送")
        store.change_status([eid], "已通过")
        store.bulk.add_item_forms([(eid, [row("甲")])])
        assert store.submission_status(eid) == "已修改"


class TestMeasureStates:
    def test_stamped_and_audited_like_one_at_a_time(
        self, ticking_store: Store, districts: dict[str, str]
    ) -> None:
        from duibiao_tui.domain.models import EnterpriseInput

        store = ticking_store
        eid = store.add_enterprise(EnterpriseInput(name="镇江市试验电器厂")).id
        one, many, same = (store.add_item(eid, row(name)).id for name in ("一", "多", "同"))
        done = MeasureUpdate("已完成", "2009-11-30", "已验收")
        store.set_measure_state(one, done)
        store.bulk.set_measure_states([(many, done), (same, MeasureUpdate("未开始", None, ""))])
        bulk, single = store.get_item(many), store.get_item(one)
        assert (bulk.measure_state, bulk.done_date, bulk.done_note, bulk.version) == (
            "已完成",
            "2009-11-30",
            "已验收",
            2,
        )
        assert bulk.updated_by == "质监局 王"
        assert bulk.updated_at > single.updated_at  # stamped by this write, not the insert's
        updates = [[a for a in audit_rows(store, i) if a[0] == "update"] for i in (many, one)]
        assert updates[0] == updates[1] != []
        assert store.get_item(same).version == 1  # already so: not written
        assert [a for a in audit_rows(store, same) if a[0] == "update"] == []

    def test_an_unknown_row_is_refused(self, store: Store) -> None:
        with pytest.raises(NotFoundError):
            store.bulk.set_measure_states([("nope", MeasureUpdate("进行中", None, ""))])

    def test_not_started_measures_come_form_by_form_in_registration_order(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        ids = list(seeded.values())
        for eid in reversed(ids[:3]):
            store.bulk.add_item_forms([(eid, [row("甲"), row("乙", measures=""), row("丙")])])
        started = store.items_for(ids[1])[0].id
        store.set_measure_state(started, MeasureUpdate("进行中", None, ""))
        open_ids = [m.item_id for m in store.bulk.measures_not_started()]
        expected = [
            item.id
            for eid in ids[:3]
            for item in store.items_for(eid)
            if item.measures and item.id != started
        ]
        assert open_ids == expected


class TestBenchmarksAndForms:
    def test_existing_benchmarks_are_reused_new_ones_added(self, store: Store) -> None:
        there = store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市", "国内领先")
        ids = store.bulk.ensure_benchmarks(
            [
                ("正泰集团股份有限公司", "浙江省乐清市", "国内领先"),
                ("许继集团有限公司", "河南省许昌市", None),
            ]
        )
        assert ids[0] == there.id
        assert store.get_benchmark(ids[1]).name == "许继集团有限公司"
        assert store.bulk.ensure_benchmarks([("许继集团有限公司", "河南省许昌市", None)]) == ids[1:]

    def test_form_edited_sends_an_approved_form_back(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        eid = next(iter(seeded.values()))
        store.add_item(eid, row("甲"))
        store.change_status([eid], "已报送")
        store.bulk.form_edited(eid)
        assert store.submission_status(eid) == "已报送"
        store.change_status([eid], "已通过")
        store.bulk.form_edited(eid)
        assert store.submission_status(eid) == "已修改"


class TestAuditIndexOfALargeLoad:
    """A load of many audit entries into an audit log no larger (a first import) builds the
    index by row after the entries (``store.late_indexes``); the file ends with the index as
    defined, and a failure leaves it as it was."""

    @staticmethod
    def writes(count: int, start: int = 0) -> list[object]:
        from duibiao_tui.domain.models import EnterpriseInput
        from duibiao_tui.store.bulk import EnterpriseWrite

        return [
            EnterpriseWrite(EnterpriseInput(name=f"镇江市长江第{n}电器设备股份有限公司"))
            for n in range(start, start + count)
        ]

    @staticmethod
    def statements(store: Store) -> list[str]:
        seen: list[str] = []
        store.conn.set_trace_callback(seen.append)
        return seen

    @staticmethod
    def row_index(store: Store) -> str | None:
        row = store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'audit_log_row'"
        ).fetchone()
        return None if row is None else str(row[0])

    @pytest.fixture(autouse=True)
    def small_threshold(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr("duibiao_tui.store.bulk.LATE_INDEX_ROWS", 200)

    def test_into_an_empty_log_the_index_comes_after_and_is_as_defined(
        self, db_path: object
    ) -> None:
        from duibiao_tui.domain.models import EnterpriseQuery
        from duibiao_tui.store.schema_dump import dump_schema

        store = Store.open(db_path, officer="王明")  # type: ignore[arg-type]
        try:
            defined = self.row_index(store)
            seen = self.statements(store)
            store.bulk.write_enterprises(self.writes(300))  # type: ignore[arg-type]
            store.conn.set_trace_callback(None)
            drop = next(i for i, s in enumerate(seen) if s == 'DROP INDEX "audit_log_row"')
            insert = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO audit_log"))
            create = seen.index(str(defined))
            assert drop < insert < create
            assert self.row_index(store) == defined
            assert dump_schema(store.conn) == dump_schema(Store.memory().conn)
            plan = store.conn.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE table_name = 'enterprise' "
                "AND row_id = 'x'"
            ).fetchall()
            assert "audit_log_row" in repr(plan)
            found = store.search_enterprises(EnterpriseQuery(text="zjscjd299dqsb"))
            assert [r.name for r in found] == ["镇江市长江第299电器设备股份有限公司"]
        finally:
            store.close()

    def test_into_a_larger_log_or_for_a_few_entries_the_index_stays(self, db_path: object) -> None:
        store = Store.open(db_path, officer="王明")  # type: ignore[arg-type]
        try:
            store.bulk.write_enterprises(self.writes(300))  # type: ignore[arg-type]
            seen = self.statements(store)
            store.bulk.write_enterprises(self.writes(2, start=300))  # type: ignore[arg-type]
            store.bulk.write_enterprises(self.writes(150, start=302))  # type: ignore[arg-type]
            store.conn.set_trace_callback(None)
            assert not [s for s in seen if "DROP INDEX" in s]
            assert self.row_index(store) is not None
        finally:
            store.close()

    def test_a_load_that_fails_after_the_drop_leaves_the_index(
        self, db_path: object, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from duibiao_tui.store import search_index
        from duibiao_tui.store.session import Session

        store = Store.open(db_path, officer="王明")  # type: ignore[arg-type]
        try:
            defined = self.row_index(store)

            def broken(*args: object, **kwargs: object) -> None:
                raise OSError("磁盘已满")

            monkeypatch.setattr(Session, "audit_timed", broken)  # after the drop
            with pytest.raises(OSError):
                store.bulk.write_enterprises(self.writes(300))  # type: ignore[arg-type]
            assert self.row_index(store) == defined
            assert search_index.all_keys(store.conn) == []
            assert store.conn.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 0
        finally:
            store.close()
