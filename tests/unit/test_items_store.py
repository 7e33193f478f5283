"""The 情况表 storage on a real SQLite file: library, rows, 序号, merges, drafts, audit."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.item_rules import CleanItem, ItemInput
from duibiao_tui.domain.items import BenchmarkItem
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.errors import DuibiaoError, DuplicateError, NotFoundError, ValidationFailed
from duibiao_tui.store.items import ITEM_COLUMNS
from duibiao_tui.store.store import Store
from tests.unit.clocks import ticking

ENTERPRISE = "镇江市长江电器设备厂"
OTHER = "丹阳市华通光学眼镜有限公司"


def row(indicator: str = "数控化率", **changes: object) -> ItemInput:
    base = ItemInput(
        aspect="设备",
        indicator=indicator,
        benchmark_level="85%",
        result_text="低 23 个百分点",
        verdict="落后",
        measures="1. 分期引进数控加工中心 3 台\n2. 老旧车床数控化改造",
        department="设备部",
        due_text="2011年底",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def audit_count(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def order(store: Store, enterprise_id: str, campaign_id: str | None = None) -> list[str]:
    """Indicators of the live rows in 序号 order, checking 序号 is exactly 1..n."""
    items = store.items_for(enterprise_id, campaign_id)
    assert [i.seq for i in items] == list(range(1, len(items) + 1))
    return [i.indicator for i in items]


def add_rows(store: Store, enterprise_id: str, *names: str) -> list[BenchmarkItem]:
    return [store.add_item(enterprise_id, row(name)) for name in names]


@pytest.fixture
def eid(seeded: dict[str, str]) -> str:
    return seeded[ENTERPRISE]


def test_item_columns_are_the_clean_item_fields() -> None:
    assert ITEM_COLUMNS == tuple(f.name for f in dataclasses.fields(CleanItem))


class TestAddAndUpdate:
    def test_add_stores_clean_values_and_audits_each_field(self, store: Store, eid: str) -> None:
        item = store.add_item(
            eid, row(department=" 设备部 ", due_text="2012年6月", benchmark_text="正泰集团/乐清")
        )
        assert item.seq == 1 and item.version == 1 and item.updated_by == "王明"
        assert item.department == "设备部"
        assert (item.due_date, item.due_text) == ("2012-06-30", "2012年6月")
        assert item.campaign_id == store.active_campaign().id
        assert item.missing == ()
        history = store.audit_for("benchmark_item", item.id)
        assert {h["action"] for h in history} == {"insert"}
        fields = {h["field"]: h["new_value"] for h in history}
        assert fields["indicator"] == "数控化率" and fields["seq"] == "1"
        assert "remarks" not in fields  # empty values are not logged

    def test_rows_append_in_order(self, store: Store, eid: str) -> None:
        add_rows(store, eid, "a", "b", "c")
        assert order(store, eid) == ["a", "b", "c"]
        assert store.item_count(eid) == 3

    def test_update_writes_only_changed_fields(self, store: Store, eid: str) -> None:
        item = store.add_item(eid, row())
        before = audit_count(store)
        updated = store.update_item(
            item.id, dataclasses.replace(item.to_input(), verdict="持平", due_text="2010-12-31")
        )
        assert updated.version == 2
        assert (updated.verdict, updated.due_date) == ("持平", "2010-12-31")
        changes = [
            (h["field"], h["old_value"], h["new_value"])
            for h in store.audit_for("benchmark_item", item.id)
            if h["action"] == "update"
        ]
        assert sorted(changes) == [
            ("due_date", "2011-12-31", "2010-12-31"),
            ("due_text", "2011年底", "2010-12-31"),
            ("verdict", "落后", "持平"),
        ]
        assert audit_count(store) == before + 3

    def test_saving_an_untouched_form_changes_nothing(self, store: Store, eid: str) -> None:
        benchmark = store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市", "国内领先")
        item = store.add_item(
            eid, row(benchmark_id=benchmark.id, aspect="其他", aspect_other="品牌")
        )
        before = audit_count(store)
        again = store.update_item(item.id, item.to_input())
        assert again.version == 1 and audit_count(store) == before

    def test_labels(self, store: Store, eid: str) -> None:
        benchmark = store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市")
        picked = store.add_item(eid, row(benchmark_id=benchmark.id, benchmark_text="x"))
        written = store.add_item(
            eid, row(benchmark_text="行业先进水平", aspect="其他", aspect_other="品牌")
        )
        assert picked.benchmark_label == "正泰集团股份有限公司/浙江省乐清市"
        assert written.benchmark_label == "行业先进水平"
        assert (picked.aspect_label, written.aspect_label) == ("设备", "品牌")
        store.update_benchmark(
            benchmark.id, name="正泰集团", address="浙江省温州市", level=None, notes=""
        )
        assert store.get_item(picked.id).benchmark_label == "正泰集团/浙江省温州市"

    def test_incomplete_rows_say_what_is_missing(self, store: Store, eid: str) -> None:
        item = store.add_item(eid, ItemInput(aspect="工艺", indicator="一次交验合格率"))
        assert item.missing == (
            "标杆企业",
            "标杆水平",
            "对比结果",
            "提升计划和措施",
            "落实部门",
            "完成时间",
        )
        assert item.to_input().due_text == ""


class TestValidation:
    def test_every_field_error_at_once_and_nothing_written(self, store: Store, eid: str) -> None:
        before = audit_count(store)
        with pytest.raises(ValidationFailed) as caught:
            # 明年 would be free text, kept; a date that cannot exist is the 完成时间 problem
            store.add_item(eid, ItemInput(aspect="", indicator="", due_text="2010年2月30日"))
        assert set(caught.value.by_field()) == {"项目", "指标内容", "完成时间"}
        assert "2010年底" in caught.value.by_field()["完成时间"]
        assert store.item_count(eid) == 0 and audit_count(store) == before

    def test_unknown_or_deleted_benchmark_is_refused(self, store: Store, eid: str) -> None:
        with pytest.raises(ValidationFailed) as caught:
            store.add_item(eid, row(benchmark_id="no-such-id"))
        assert "标杆企业" in caught.value.by_field()
        store.conn.execute(
            "INSERT INTO benchmark_enterprise (id, name, name_key, deleted_at, created_at, "
            "updated_at) VALUES ('gone', '已删', '已删', 'x', 'x', 'x')"
        )
        with pytest.raises(ValidationFailed, match="已从标杆库删除"):
            store.add_item(eid, row(benchmark_id="gone"))

    def test_unknown_or_removed_enterprise(self, store: Store, eid: str) -> None:
        with pytest.raises(NotFoundError):
            store.add_item("nope", row())
        store.remove_enterprise(eid)
        with pytest.raises(NotFoundError):
            store.add_item(eid, row())

    def test_update_of_a_removed_row(self, store: Store, eid: str) -> None:
        (item,) = add_rows(store, eid, "a")
        store.remove_item(item.id)
        with pytest.raises(NotFoundError):
            store.update_item(item.id, row())
        with pytest.raises(NotFoundError):
            store.get_item(item.id)
        with pytest.raises(NotFoundError):
            store.remove_item(item.id)


class TestOrder:
    def test_duplicate_goes_directly_below(self, store: Store, eid: str) -> None:
        a, b, c = add_rows(store, eid, "a", "b", "c")
        copy = store.duplicate_item(a.id)
        assert copy.id != a.id and copy.seq == 2
        assert dataclasses.replace(copy, id=a.id, seq=1) == a
        assert order(store, eid) == ["a", "a", "b", "c"]
        seq_moves = [
            (h["old_value"], h["new_value"])
            for h in store.audit_for("benchmark_item", c.id)
            if h["field"] == "seq" and h["action"] == "update"
        ]
        assert seq_moves == [("3", "4")]
        assert store.get_item(c.id).version == 1  # renumbering is not a content edit

    def test_move_swaps_with_the_neighbour_and_stops_at_the_ends(
        self, store: Store, eid: str
    ) -> None:
        a, b, c = add_rows(store, eid, "a", "b", "c")
        store.move_item(c.id, -1)
        assert order(store, eid) == ["a", "c", "b"]
        store.move_item(a.id, +1)
        assert order(store, eid) == ["c", "a", "b"]
        before = audit_count(store)
        store.move_item(c.id, -1)
        store.move_item(b.id, +1)
        assert order(store, eid) == ["c", "a", "b"]
        assert audit_count(store) == before  # a no-op writes nothing

    def test_remove_and_restore_at_the_previous_position(self, store: Store, eid: str) -> None:
        a, b, c, d = add_rows(store, eid, "a", "b", "c", "d")
        store.remove_item(b.id)
        assert order(store, eid) == ["a", "c", "d"]
        store.remove_item(d.id)
        assert order(store, eid) == ["a", "c"]
        restored = store.restore_item(d.id)
        assert restored.seq == 3 and restored.version == 3
        store.restore_item(b.id)
        assert order(store, eid) == ["a", "b", "c", "d"]
        actions = [h["action"] for h in store.audit_for("benchmark_item", b.id)]
        assert "delete" in actions and "restore" in actions
        with pytest.raises(NotFoundError):
            store.restore_item(b.id)

    def test_restore_past_the_end_goes_last(self, store: Store, eid: str) -> None:
        a, b, c = add_rows(store, eid, "a", "b", "c")
        store.remove_item(c.id)
        store.remove_item(a.id)
        store.restore_item(c.id)
        assert order(store, eid) == ["b", "c"]

    def test_other_campaigns_and_enterprises_are_separate(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        eid, other = seeded[ENTERPRISE], seeded[OTHER]
        store.db.table("campaign").insert(
            {"id": "c2010", "name": "2010年", "created_at": "x", "updated_at": "x"}
        )
        add_rows(store, eid, "a", "b")
        store.add_item(eid, row("2010"), campaign_id="c2010")
        store.add_item(other, row("眼镜"))
        assert order(store, eid) == ["a", "b"]
        assert order(store, eid, "c2010") == ["2010"]
        assert store.get_item(store.items_for(eid, "c2010")[0].id).seq == 1
        assert (store.item_count(eid), store.item_count(eid, "c2010")) == (2, 1)
        assert order(store, other) == ["眼镜"]


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """(operation, which row, delta) steps; 'which' is taken modulo the rows there are."""
    ops = st.sampled_from(["add", "add", "duplicate", "move", "remove", "restore"])
    which = st.integers(0, 50)
    delta = st.sampled_from([-1, 1, -3, 4])
    return draw(st.lists(st.tuples(ops, which, delta), max_size=25))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=operations())
def test_any_sequence_keeps_seq_contiguous_and_in_the_expected_order(
    store: Store, steps: list[tuple[str, int, int]]
) -> None:
    """A plain list is the model: each example works on a new enterprise of one file."""
    enterprise = store.add_enterprise(
        EnterpriseInput(name=f"镇江市试验{store.count_enterprises()}号电器厂")
    )
    model: list[str] = []
    removed: dict[str, int] = {}  # id → 0-based position when removed
    for op, which, delta in steps:
        if op == "add":
            model.append(store.add_item(enterprise.id, row(f"r{len(model)}")).id)
        elif op == "duplicate" and model:
            at = which % len(model)
            model.insert(at + 1, store.duplicate_item(model[at]).id)
        elif op == "move" and model:
            at = which % len(model)
            store.move_item(model[at], delta)
            model.insert(max(0, min(len(model) - 1, at + delta)), model.pop(at))
        elif op == "remove" and model:
            at = which % len(model)
            store.remove_item(model[at])
            removed[model.pop(at)] = at
        elif op == "restore" and removed:
            item_id = list(removed)[which % len(removed)]
            store.restore_item(item_id)
            model.insert(min(removed.pop(item_id), len(model)), item_id)
        items = store.items_for(enterprise.id)
        assert [i.id for i in items] == model
        assert [i.seq for i in items] == list(range(1, len(model) + 1))


class TestBenchmarkLibrary:
    def test_add_validates_and_normalises(self, store: Store) -> None:
        entry = store.add_benchmark(" 西门子（中国）有限公司 ", "北京市朝阳区", "国际先进")
        assert entry.name == "西门子（中国）有限公司"
        assert entry.label == "西门子（中国）有限公司（北京市朝阳区）"
        assert store.get_benchmark(entry.id) == entry
        assert store.audit_for("benchmark_enterprise", entry.id)[0]["action"] == "insert"
        with pytest.raises(ValidationFailed) as caught:
            store.add_benchmark("  ", level="世界一流")
        assert set(caught.value.by_field()) == {"标杆企业名称", "标杆类别"}

    def test_same_name_and_address_is_a_duplicate(self, store: Store) -> None:
        store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市")
        with pytest.raises(DuplicateError) as caught:
            store.add_benchmark("正泰集团 股份有限公司", " 浙江省乐清市")
        assert caught.value.field == "标杆企业"
        assert "正泰集团股份有限公司（浙江省乐清市）" in caught.value.message
        other_plant = store.add_benchmark("正泰集团股份有限公司", "上海市松江区")
        with pytest.raises(DuplicateError):
            store.update_benchmark(
                other_plant.id,
                name="正泰集团股份有限公司",
                address="浙江省乐清市",
                level=None,
                notes="",
            )

    def test_update_audits_changed_fields_only(self, store: Store) -> None:
        entry = store.add_benchmark("德力西集团有限公司", "浙江省乐清市柳市镇")
        updated = store.update_benchmark(
            entry.id, name="德力西集团有限公司", address="浙江省乐清市", level="国内领先", notes=""
        )
        assert updated.level == "国内领先"
        changes = {
            h["field"]
            for h in store.audit_for("benchmark_enterprise", entry.id)
            if h["action"] == "update"
        }
        assert changes == {"address", "level"}

    def test_search_and_pinyin_order(self, store: Store, eid: str) -> None:
        names = {
            "正泰集团股份有限公司": "浙江省乐清市",
            "ABB（中国）有限公司": "北京市朝阳区",
            "江苏恒顺醋业股份有限公司": "江苏省镇江市",
            "博世（中国）投资有限公司": "上海市长宁区",
        }
        ids = {name: store.add_benchmark(name, address).id for name, address in names.items()}
        assert [b.name for b in store.benchmarks()] == [
            "ABB（中国）有限公司",
            "博世（中国）投资有限公司",
            "江苏恒顺醋业股份有限公司",
            "正泰集团股份有限公司",
        ]

        def found(text: str) -> list[str]:
            return [b.name for b in store.benchmarks(text)]

        assert found("hscy") == ["江苏恒顺醋业股份有限公司"]
        assert found("hengshun") == ["江苏恒顺醋业股份有限公司"]
        assert found("正泰") == ["正泰集团股份有限公司"]
        assert found("abb") == ["ABB（中国）有限公司"]
        assert found("镇江") == ["江苏恒顺醋业股份有限公司"]  # by address
        assert found("中国 bs") == ["博世（中国）投资有限公司"]
        assert found("nothing") == []
        store.add_item(eid, row(benchmark_id=ids["正泰集团股份有限公司"]))
        counts = {b.name: b.item_count for b in store.benchmarks()}
        assert counts["正泰集团股份有限公司"] == 1 and counts["ABB（中国）有限公司"] == 0

    def test_counts_follow_writes_of_another_window(
        self, store: Store, eid: str, db_path: Path
    ) -> None:
        entry = store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市")
        assert store.benchmarks("zt")[0].item_count == 0
        other = Store.open(db_path, officer="李华")
        try:
            other.add_item(eid, row(benchmark_id=entry.id))
            other.add_benchmark("德力西集团有限公司")
        finally:
            other.close()
        assert store.benchmarks("zt")[0].item_count == 1
        assert [b.name for b in store.benchmarks("dlx")] == ["德力西集团有限公司"]


class TestMerge:
    def test_rows_follow_and_merged_entries_disappear(self, store: Store, eid: str) -> None:
        keep = store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市")
        dup1 = store.add_benchmark("正泰集团", "浙江乐清")
        dup2 = store.add_benchmark("浙江正泰电器股份有限公司", "")
        a = store.add_item(eid, row("a", benchmark_id=dup1.id))
        b = store.add_item(eid, row("b", benchmark_id=dup2.id))
        c = store.add_item(eid, row("c", benchmark_id=dup2.id))
        untouched = store.add_item(eid, row("d", benchmark_id=keep.id))
        store.remove_item(c.id)

        assert store.merge_benchmarks(keep.id, [dup1.id, dup2.id, dup1.id]) == 2

        assert [x.id for x in store.benchmarks()] == [keep.id]
        assert store.get_benchmark(dup1.id).merged_into_id == keep.id
        assert store.get_benchmark(keep.id).item_count == 3
        for item in (a, b):
            moved = store.get_item(item.id)
            assert (moved.benchmark_id, moved.version) == (keep.id, 2)
            assert moved.benchmark_label == "正泰集团股份有限公司/浙江省乐清市"
            history = store.audit_for("benchmark_item", item.id)
            assert any(h["field"] == "benchmark_id" and h["new_value"] == keep.id for h in history)
        assert store.get_item(untouched.id).version == 1
        assert store.restore_item(c.id).benchmark_id == keep.id
        # A draft picked before the merge saves against the entry that was kept.
        assert store.add_item(eid, row("e", benchmark_id=dup2.id)).benchmark_id == keep.id

    def test_entries_merged_earlier_follow(self, store: Store) -> None:
        a, b, c = (store.add_benchmark(n) for n in ("甲公司", "乙公司", "丙公司"))
        store.merge_benchmarks(b.id, [a.id])
        store.merge_benchmarks(c.id, [b.id])
        assert store.get_benchmark(a.id).merged_into_id == c.id

    def test_refusals(self, store: Store) -> None:
        a, b = store.add_benchmark("甲公司"), store.add_benchmark("乙公司")
        with pytest.raises(DuibiaoError, match="无法合并|不能同时"):
            store.merge_benchmarks(a.id, [a.id, b.id])
        with pytest.raises(NotFoundError):
            store.merge_benchmarks(a.id, ["unknown"])
        store.merge_benchmarks(a.id, [b.id])
        with pytest.raises(NotFoundError):
            store.merge_benchmarks(b.id, [a.id])  # b is merged, no longer a target
        assert store.merge_benchmarks(a.id, []) == 0


class TestDepartmentsAndStatus:
    def test_departments_most_recently_used_first(self, store: Store, eid: str) -> None:
        store.clock = ticking()
        first = store.add_item(eid, row(department="质量部"))
        store.add_item(eid, row(department="技术部"))
        store.add_item(eid, row(department=""))
        store.add_item(eid, row(department="质量部"))
        store.add_item(eid, row(department="生产部"))
        assert store.departments_for(eid) == ["生产部", "质量部", "技术部"]
        store.update_item(first.id, row(department="计量室"))
        assert store.departments_for(eid) == ["计量室", "生产部", "质量部", "技术部"]

    def test_submission_status(self, store: Store, eid: str) -> None:
        assert store.submission_status(eid) == "未报送"
        store.db.table("submission").insert(
            {
                "id": "s1",
                "enterprise_id": eid,
                "campaign_id": store.active_campaign().id,
                "status": "已报送",
                "created_at": "x",
                "updated_at": "x",
            }
        )
        assert store.submission_status(eid) == "已报送"


class TestDrafts:
    def test_upsert_list_discard(self, store: Store, seeded: dict[str, str]) -> None:
        eid = seeded[ENTERPRISE]
        store.clock = ticking()
        before = audit_count(store)
        new_row = store.save_draft(eid, ItemInput(aspect="设备", indicator="数控"))
        assert store.save_draft(eid, ItemInput(aspect="设备", indicator="数控化率")) == new_row
        item = store.add_item(eid, row())
        edit = store.save_draft(eid, row(verdict="持平"), item_id=item.id)
        assert edit != new_row
        store.save_draft(seeded[OTHER], ItemInput(indicator="别家"))

        drafts = store.drafts_for(eid)
        assert [(d.id, d.item_id) for d in drafts] == [(edit, item.id), (new_row, None)]
        assert drafts[1].values == ItemInput(aspect="设备", indicator="数控化率")
        assert drafts[0].values.verdict == "持平"
        assert audit_count(store) == before + len(store.audit_for("benchmark_item", item.id))

        store.discard_draft(new_row)
        store.discard_draft(new_row)  # twice is harmless
        assert [d.id for d in store.drafts_for(eid)] == [edit]

    def test_saving_with_draft_id_discards_it_in_the_same_transaction(
        self, store: Store, eid: str
    ) -> None:
        draft = store.save_draft(eid, ItemInput(aspect="工艺", indicator="工艺纪律执行率"))
        item = store.add_item(eid, store.drafts_for(eid)[0].values, draft_id=draft)
        assert store.drafts_for(eid) == []
        edit = store.save_draft(eid, row(), item_id=item.id)
        store.update_item(item.id, row(), draft_id=edit)
        assert store.drafts_for(eid) == []

    def test_a_failed_save_keeps_the_draft(self, store: Store, eid: str) -> None:
        draft = store.save_draft(eid, ItemInput(aspect="工艺"))
        with pytest.raises(ValidationFailed):
            store.add_item(eid, ItemInput(aspect="工艺"), draft_id=draft)
        assert [d.id for d in store.drafts_for(eid)] == [draft]
