"""Measures, recognitions, campaigns and the dashboard's numbers on a real SQLite file.

FIXED_NOW is 2009-10-08: measures due before it and not done are overdue.
"""

from __future__ import annotations

from datetime import date

import pytest

from duibiao_tui.domain.campaigns import CampaignInput, days_left, deadline_words
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.measures import MeasureQuery, by_year, validate_measure_update
from duibiao_tui.domain.recognition import RecognitionInput, validate_recognition
from duibiao_tui.domain.review import Receipt
from duibiao_tui.errors import DuplicateError, NotFoundError, ValidationFailed
from duibiao_tui.store.store import Store

TODAY = date(2009, 10, 8)
CHANGJIANG = "镇江市长江电器设备厂"
HUATONG = "丹阳市华通光学眼镜有限公司"


def measure(indicator: str, due: str, **kw: str) -> ItemInput:
    values = {
        "aspect": "设备",
        "indicator": indicator,
        "verdict": "落后",
        "measures": f"改进{indicator}",
        "department": "设备部",
        "due_text": due,
    } | kw
    return ItemInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def rows(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    a, b = seeded[CHANGJIANG], seeded[HUATONG]
    made = {
        "past": store.add_item(a, measure("数控化率", "2009年6月")),
        "month": store.add_item(a, measure("一次合格率", "2009-10-20", aspect="工艺")),
        "later": store.add_item(b, measure("镜片透光率", "2011年底", department="质检科")),
        "none": store.add_item(b, ItemInput(aspect="性能", indicator="无措施", verdict="领先")),
    }
    return {k: v.id for k, v in made.items()}


def ids(store: Store, query: MeasureQuery) -> list[str]:
    return [r.item_id for r in store.measures(query)]


def test_measure_filters(store: Store, rows: dict[str, str], districts: dict[str, str]) -> None:
    assert ids(store, MeasureQuery()) == [rows["past"], rows["month"], rows["later"]]
    assert ids(store, MeasureQuery(due="已逾期")) == [rows["past"]]
    assert ids(store, MeasureQuery(state="逾期")) == [rows["past"]]
    assert ids(store, MeasureQuery(due="本月到期")) == [rows["month"]]
    assert ids(store, MeasureQuery(state="未开始")) == [rows["month"], rows["later"]]
    assert ids(store, MeasureQuery(department="质检科")) == [rows["later"]]
    assert ids(store, MeasureQuery(district_id=districts["京口区"])) == [
        rows["past"],
        rows["month"],
    ]
    assert ids(store, MeasureQuery(aspect="工艺")) == [rows["month"]]
    assert ids(store, MeasureQuery(year=2011)) == [rows["later"]]
    assert rows["none"] in ids(store, MeasureQuery(all_rows=True, verdict="领先"))
    shown = {r.item_id: r.shown for r in store.measures(MeasureQuery())}
    assert shown[rows["past"]] == "逾期" and shown[rows["later"]] == "未开始"
    assert sorted(store.measure_departments()) == sorted(["质检科", "设备部"])


def test_mark_done_clears_overdue_and_is_audited(store: Store, rows: dict[str, str]) -> None:
    update = validate_measure_update("已完成", "2009-10-01", "已验收", today=TODAY)
    store.set_measure_state(rows["past"], update)
    item = store.get_item(rows["past"])
    assert (item.measure_state, item.done_date, item.done_note) == (
        "已完成",
        "2009-10-01",
        "已验收",
    )
    assert ids(store, MeasureQuery(due="已逾期")) == []
    audit = store.audit_for("benchmark_item", rows["past"])
    assert {a["field"] for a in audit if a["action"] == "update"} == {
        "measure_state",
        "done_date",
        "done_note",
    }
    store.set_measure_state(rows["past"], validate_measure_update("进行中", today=TODAY))
    item = store.get_item(rows["past"])
    assert (item.measure_state, item.done_date) == ("进行中", None)


def test_follow_up_does_not_reopen_an_approved_form(
    store: Store, seeded: dict[str, str], rows: dict[str, str]
) -> None:
    eid = seeded[CHANGJIANG]
    store.change_status([eid], "已报送", receipt=Receipt(TODAY))
    store.change_status([eid], "已通过")
    store.set_measure_state(rows["past"], validate_measure_update("已完成", today=TODAY))
    assert store.submission(eid).status == "已通过"


def test_measure_update_rules() -> None:
    assert validate_measure_update("已完成", "", today=TODAY).done_date == "2009-10-08"
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        validate_measure_update("已完成", "2009-12-01", today=TODAY)
    with pytest.raises(ValidationFailed, match="完成日期"):
        validate_measure_update("已完成", "明年", today=TODAY)
    with pytest.raises(ValidationFailed, match="落实情况"):
        validate_measure_update("搁置", today=TODAY)


def test_by_year(store: Store, rows: dict[str, str]) -> None:
    years = by_year(store.measures(MeasureQuery()))
    assert years == {"2009": {"逾期": 1, "未开始": 1}, "2011": {"未开始": 1}}


# -- recognitions ---------------------------------------------------------------------------


def test_recognition_rules() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_recognition(RecognitionInput(kind="推介", method="广播"))
    assert "推介方式" in caught.value.by_field()
    with pytest.raises(ValidationFailed) as caught:
        validate_recognition(
            RecognitionInput(
                kind="推荐申报",
                award_year="2010",
                edition="GB/T 19580-2004",
                scores={"4.1": "120", "4.2": "abc"},
            )
        )
    assert set(caught.value.by_field()) == {"4.1 领导", "4.2 战略"}
    with pytest.raises(ValidationFailed, match="申报年度"):
        validate_recognition(RecognitionInput(kind="推荐申报"))


def test_recognitions_stored_with_scores(store: Store, seeded: dict[str, str]) -> None:
    eid = seeded[CHANGJIANG]
    promo = store.add_recognition(
        eid, RecognitionInput(kind="推介", method="现场会", event_date="2009-11-5", note="数控改造")
    )
    assert promo.event_date == "2009-11-05" and "现场会" in promo.summary
    rec = store.add_recognition(
        eid,
        RecognitionInput(
            kind="推荐申报",
            award_year="2010年",
            outcome="已推荐",
            edition="GB/T 19580-2004",
            scores={"4.1": "80", "4.7": "300.5", "4.3": ""},
        ),
    )
    assert rec.scores == {"4.1": 80.0, "4.7": 300.5} and rec.total == 380.5
    updated = store.update_recognition(
        rec.id,
        RecognitionInput(kind="推荐申报", award_year="2010", outcome="获奖"),
    )
    assert updated.outcome == "获奖" and updated.scores == {} and updated.edition is None
    assert [r.kind for r in store.recognitions_for(eid)] == ["推介", "推荐申报"]
    store.remove_recognition(promo.id)
    assert [r.id for r in store.recognitions()] == [rec.id]
    store.restore_recognition(promo.id)
    assert len(store.recognitions()) == 2
    assert store.recognised_enterprises("推介") == [eid]
    fields = {a["field"] for a in store.audit_for("recognition", rec.id)}
    assert {"outcome", "scores"} <= fields


# -- campaigns ------------------------------------------------------------------------------


def test_campaigns_and_carry_over(store: Store, rows: dict[str, str]) -> None:
    first = store.active_campaign()
    with pytest.raises(ValidationFailed) as caught:
        store.add_campaign(CampaignInput(name="", deadline="明年"))
    assert set(caught.value.by_field()) == {"活动名称", "报送截止日期"}
    nxt = store.add_campaign(
        CampaignInput(
            name="2010年质量标杆对比活动", doc_number="镇质监质发[2010]1号", deadline="2010-10-20"
        )
    )
    assert nxt.year == 2010
    with pytest.raises(DuplicateError):
        store.add_campaign(CampaignInput(name="2010年质量标杆对比活动", deadline="2010-10-20"))
    store.set_measure_state(rows["month"], validate_measure_update("已完成", today=TODAY))
    assert store.carry_over_measures(first.id, nxt.id) == 2  # past + later; done and none stay
    assert store.carry_over_measures(first.id, nxt.id) == 0  # idempotent
    store.set_active_campaign(nxt.id)
    assert store.active_campaign().id == nxt.id
    carried = store.measures(MeasureQuery())
    assert sorted(r.indicator for r in carried) == ["数控化率", "镜片透光率"]
    sources = {store.get_item(r.item_id).carried_over_from for r in carried}
    assert sources == {rows["past"], rows["later"]}
    assert store.measures(MeasureQuery(campaign_id=first.id))  # the old year is untouched
    with pytest.raises(NotFoundError):
        store.set_active_campaign("nope")


def test_deadline_words() -> None:
    assert days_left("2009-10-20", TODAY) == 12
    assert deadline_words("2009-10-20", TODAY) == "距报送截止（2009-10-20）还有 12 天"
    assert deadline_words("2009-10-01", TODAY) == "报送已截止 7 天（2009-10-01）"
    assert deadline_words("2009-10-08", TODAY).startswith("今天")


# -- dashboard ------------------------------------------------------------------------------


def test_dashboard_counts(
    store: Store, seeded: dict[str, str], rows: dict[str, str], districts: dict[str, str]
) -> None:
    a = seeded[CHANGJIANG]
    store.change_status([a], "已报送", receipt=Receipt(TODAY))
    store.add_recognition(a, RecognitionInput(kind="推介", method="简报"))
    figures = store.dashboard()
    assert figures.enterprises == len(seeded)
    assert figures.status_by_district[districts["京口区"]] == {"已报送": 1}
    assert figures.status_total("未报送") == len(seeded) - 1
    assert figures.items_by_aspect["设备"] == 2 and figures.items_by_aspect["工艺"] == 1
    assert figures.verdicts_by_aspect["性能"] == {"领先": 1}
    assert figures.overdue == [(districts["京口区"], "京口区", "设备部", 1)]
    assert figures.recognitions == {"推介": 1}
    store.remove_enterprise(a)
    assert store.dashboard().enterprises == len(seeded) - 1


# -- a row without a measure is not a measure (issue 14) ------------------------------------


@pytest.fixture
def pending(store: Store, seeded: dict[str, str], rows: dict[str, str]) -> str:
    """A row with a department and a date long past, but no 提升计划和措施."""
    return store.add_item(
        seeded[CHANGJIANG], measure("点检率", "2009年3月", measures="", verdict="")
    ).id


def test_a_row_without_a_measure_is_pending_not_a_measure_nor_overdue(
    store: Store, rows: dict[str, str], pending: str, seeded: dict[str, str]
) -> None:
    from duibiao_tui.domain.review import ReviewQuery

    assert pending not in ids(store, MeasureQuery())
    assert pending not in ids(store, MeasureQuery(due="已逾期"))
    assert ids(store, MeasureQuery(state="待补")) == [pending]
    assert [r.shown for r in store.measures(MeasureQuery(state="待补"))] == ["待补"]
    assert store.pending_count(MeasureQuery()) == 1
    assert store.pending_count(MeasureQuery(department="质检科")) == 0
    figures = store.dashboard()
    assert sum(n for *_, n in figures.overdue) == 1, "only the row with a measure"
    assert figures.pending == 1
    desk = {r.enterprise_id: r for r in store.review_rows(ReviewQuery())}
    assert desk[seeded[CHANGJIANG]].overdue == 1


def test_the_sql_rule_is_the_domain_rule(
    store: Store, rows: dict[str, str], pending: str, seeded: dict[str, str]
) -> None:
    """``row_kind`` (Python) and IS_MEASURE / IS_PENDING (SQL) sort every row alike."""
    from duibiao_tui.domain.measures import NO_MEASURE, PENDING, row_kind
    from duibiao_tui.store.followup import IS_MEASURE, IS_PENDING

    store.add_item(seeded[HUATONG], measure("只写日期", "2010年", measures="", department=""))
    store.add_item(seeded[HUATONG], measure("读不出日期", "明年", measures="", department=""))
    got = {
        item_id: ("" if measure_ else PENDING if pending_ else NO_MEASURE)
        for item_id, measure_, pending_ in store.conn.execute(
            f"SELECT i.id, {IS_MEASURE}, {IS_PENDING} FROM benchmark_item i "
            "WHERE i.deleted_at IS NULL"
        )
    }
    expected = {
        item_id: row_kind(m, d, t, due)
        for item_id, m, d, t, due in store.conn.execute(
            "SELECT id, measures, department, due_text, due_date FROM benchmark_item "
            "WHERE deleted_at IS NULL"
        )
    }
    assert got == expected
    assert set(expected.values()) == {"", PENDING, NO_MEASURE}


def test_the_dashboard_names_no_verdict_as_the_domain_does() -> None:
    """The dashboard keeps its own copy of 未定 (its first paint imports little)."""
    from duibiao_tui.domain.measures import NO_VERDICT
    from duibiao_tui.screens import dashboard

    assert dashboard.NO_VERDICT == NO_VERDICT


def test_no_verdict_rows_are_found_by_the_drill_down(
    store: Store, rows: dict[str, str], seeded: dict[str, str]
) -> None:
    blank = store.add_item(seeded[CHANGJIANG], ItemInput(aspect="设备", indicator="未下结论")).id
    found = ids(store, MeasureQuery(aspect="设备", verdict="未定", all_rows=True))
    assert found == [blank]
    figures = store.dashboard()
    assert figures.items_by_aspect["设备"] - sum(figures.verdicts_by_aspect["设备"].values()) == 1
