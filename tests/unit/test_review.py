"""The review state machine, and its storage on a real SQLite file."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date

import pytest

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.reference import REVIEW_STATUSES
from duibiao_tui.domain.review import (
    TRANSITIONS,
    Receipt,
    ReviewQuery,
    TransitionRefused,
    check_transition,
    status_after_edit,
    targets_from,
    validate_receipt,
)
from duibiao_tui.errors import NotFoundError, ValidationFailed
from duibiao_tui.store.store import Store

ALLOWED = {(t.source, t.target) for t in TRANSITIONS}
NEEDS_COMMENT = {(t.source, t.target) for t in TRANSITIONS if t.needs_comment}

CHANGJIANG = "镇江市长江电器设备厂"
HUATONG = "丹阳市华通光学眼镜有限公司"


@pytest.mark.parametrize(("source", "target"), itertools.product(REVIEW_STATUSES, repeat=2))
def test_every_pair_is_allowed_or_refused_as_designed(source: str, target: str) -> None:
    if (source, target) in ALLOWED:
        step = check_transition(source, target, "意见")
        assert (step.source, step.target) == (source, target)
    else:
        with pytest.raises(TransitionRefused):
            check_transition(source, target, "意见")


def test_the_designed_paths() -> None:
    assert ("未报送", "已报送") in ALLOWED
    assert ("已报送", "已通过") in ALLOWED and ("审核中", "已通过") in ALLOWED
    assert ("退回修改", "已报送") in ALLOWED
    assert ("未报送", "已通过") not in ALLOWED
    assert all(t.target != "已修改" for t in TRANSITIONS)


@pytest.mark.parametrize(("source", "target"), sorted(NEEDS_COMMENT))
def test_comment_required_where_designed(source: str, target: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_transition(source, target, "  ")
    assert "意见" in caught.value.by_field()


def test_return_needs_a_comment_and_says_why() -> None:
    assert ("已报送", "退回修改") in NEEDS_COMMENT
    with pytest.raises(ValidationFailed, match="须填写意见"):
        check_transition("已报送", "退回修改", "")


def test_refusal_names_the_possible_steps() -> None:
    with pytest.raises(TransitionRefused, match="可改为：已报送"):
        check_transition("未报送", "已通过")
    with pytest.raises(TransitionRefused, match="自动产生"):
        check_transition("已通过", "已修改")


def test_only_approved_forms_change_status_when_edited() -> None:
    assert status_after_edit("已通过") == "已修改"
    for status in REVIEW_STATUSES:
        if status != "已通过":
            assert status_after_edit(status) is None


def test_targets_from_lists_steps_in_order() -> None:
    assert [t.target for t in targets_from("已报送")] == ["审核中", "已通过", "退回修改", "未报送"]


def test_receipt_needs_a_date() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_receipt("", copy_city=True, copy_district=False)
    assert "收到日期" in caught.value.by_field()
    receipt = validate_receipt("2009年10月18日", " 李华 ", copy_city=True, copy_district=True)
    assert receipt == Receipt(date(2009, 10, 18), "李华", True, True)


# -- storage --------------------------------------------------------------------------------


def hand_in(store: Store, eid: str) -> None:
    store.change_status([eid], "已报送", receipt=Receipt(date(2009, 10, 8), "李华", True, False))


def test_hand_in_records_receipt_reviewer_history_and_audit(
    store: Store, seeded: dict[str, str]
) -> None:
    eid = seeded[CHANGJIANG]
    assert store.submission(eid).status == "未报送"
    hand_in(store, eid)
    sub = store.submission(eid)
    assert (sub.status, sub.received_date, sub.handed_in_by) == ("已报送", "2009-10-08", "李华")
    assert sub.copy_city and not sub.copy_district and sub.copies == "市质量处"
    assert sub.reviewer == "王明"
    store.change_status([eid], "退回修改", "第3行缺少完成时间")
    store.change_status([eid], "已报送")
    history = store.review_history(eid)
    assert [(e.source, e.target) for e in history] == [
        ("未报送", "已报送"),
        ("已报送", "退回修改"),
        ("退回修改", "已报送"),
    ]
    assert history[1].comment == "第3行缺少完成时间" and history[1].officer == "王明"
    audit = store.audit_for("submission", store.submission(eid).id or "")
    assert [a["new_value"] for a in audit if a["field"] == "status"] == [
        "已报送",
        "退回修改",
        "已报送",
    ]


def test_refused_step_changes_nothing(store: Store, seeded: dict[str, str]) -> None:
    eid = seeded[CHANGJIANG]
    with pytest.raises(TransitionRefused, match=CHANGJIANG):
        store.change_status([eid], "已通过")
    assert store.submission(eid).id is None
    assert store.review_history(eid) == []


def test_bulk_is_all_or_nothing(store: Store, seeded: dict[str, str]) -> None:
    a, b = seeded[CHANGJIANG], seeded[HUATONG]
    hand_in(store, a)
    with pytest.raises(TransitionRefused, match=HUATONG):
        store.change_status([a, b], "已通过", "同意")
    assert store.submission(a).status == "已报送"
    able, unable = store.plan_status_change([a, b], "已通过")
    assert able == [a] and unable == {"未报送": [b]}
    assert store.change_status(able, "已通过", "同意") == 1
    assert store.statuses() == {a: "已通过"}


def test_editing_an_approved_form_makes_it_changed(store: Store, seeded: dict[str, str]) -> None:
    eid = seeded[CHANGJIANG]
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    hand_in(store, eid)
    store.change_status([eid], "已通过")
    store.update_item(item.id, ItemInput(aspect="设备", indicator="数控化率"))  # no change
    assert store.submission(eid).status == "已通过"
    store.update_item(item.id, ItemInput(aspect="设备", indicator="数控化率 %"))
    assert store.submission(eid).status == "已修改"
    last = store.review_history(eid)[-1]
    assert (last.source, last.target) == ("已通过", "已修改")
    store.change_status([eid], "已通过")
    store.add_item(eid, ItemInput(aspect="工艺", indicator="一次合格率"))
    assert store.submission(eid).status == "已修改"
    store.change_status([eid], "已通过")
    store.remove_item(item.id)
    assert store.submission(eid).status == "已修改"


def test_flags(store: Store, seeded: dict[str, str]) -> None:
    eid = seeded[CHANGJIANG]
    item = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    with pytest.raises(ValidationFailed, match="问题说明"):
        store.flag_item(item.id, True, "")
    store.flag_item(item.id, True, "标杆水平没有数据来源")
    flagged = store.flagged_items()
    assert [(f.item_id, f.comment, f.enterprise_name) for f in flagged] == [
        (item.id, "标杆水平没有数据来源", CHANGJIANG)
    ]
    assert store.get_item(item.id).flagged
    store.flag_item(item.id, False)
    assert store.flagged_items() == []
    with pytest.raises(NotFoundError):
        store.flag_item("nope", True, "x")


def test_review_rows_filter_by_status_district_and_text(
    store: Store, seeded: dict[str, str], districts: dict[str, str]
) -> None:
    hand_in(store, seeded[CHANGJIANG])
    rows = store.review_rows(ReviewQuery(status="已报送"))
    assert [r.name for r in rows] == [CHANGJIANG]
    assert rows[0].received_date == "2009-10-08"
    rows = store.review_rows(ReviewQuery(district_id=districts["丹阳市"]))
    assert [(r.name, r.status) for r in rows] == [(HUATONG, "未报送")]
    assert [r.name for r in store.review_rows(ReviewQuery(text="htgx"))] == [HUATONG]
    assert len(store.review_rows(ReviewQuery())) == len(seeded)


def test_audit_log_refuses_tampering(store: Store, seeded: dict[str, str]) -> None:
    hand_in(store, seeded[CHANGJIANG])
    with pytest.raises(sqlite3.DatabaseError):
        store.conn.execute("DELETE FROM audit_log")


def test_desk_figures_are_read_once_and_follow_every_write(
    store: Store, seeded: dict[str, str], db_path
) -> None:  # type: ignore[no-untyped-def]
    """The desk's search queries on every keystroke: its counts are cached until this store
    writes or another window commits."""
    eid = seeded[CHANGJIANG]
    before = {r.enterprise_id: r.status for r in store.review_rows(ReviewQuery())}
    assert before[eid] == "未报送"
    hand_in(store, eid)  # our own write
    assert {r.enterprise_id: r.status for r in store.review_rows(ReviewQuery())}[eid] == "已报送"
    other = Store.open(db_path, officer="李华")  # another window
    other.change_status([eid], "已通过")
    other.close()
    assert {r.enterprise_id: r.status for r in store.review_rows(ReviewQuery())}[eid] == "已通过"
    calls = []
    desk = store._review
    original = desk._desk_figures
    desk._desk_figures = lambda c: calls.append(c) or original(c)  # type: ignore[method-assign]
    for text in ("z", "zj", "zjs"):
        store.review_rows(ReviewQuery(text=text))
    assert len(calls) <= 1


def test_form_last_change_follows_every_row_write(store: Store, seeded: dict[str, str]) -> None:
    """A row's add, edit, move and delete is the form's last change, even though none of
    them touches the enterprise's own updated_at (and a move not even the row's)."""
    eid = seeded[CHANGJIANG]
    times = iter(f"2009-10-{day:02d}T10:00:00+08:00" for day in range(9, 20))
    store.clock = lambda: now[0]
    now = [next(times)]
    first = store.add_item(eid, ItemInput(aspect="设备", indicator="数控化率"))
    second = store.add_item(eid, ItemInput(aspect="工艺", indicator="一次合格率"))
    seen = [store.form_last_change(eid)[0]]
    for write in (
        lambda: store.update_item(first.id, ItemInput(aspect="设备", indicator="数控化率 80%")),
        lambda: store.move_item(second.id, -1),
        lambda: store.remove_item(first.id),
        lambda: store.restore_item(first.id),
    ):
        now[0] = next(times)
        write()
        seen.append(store.form_last_change(eid)[0])
    assert seen == sorted(set(seen)), "each write moves the time on"
    assert store.form_last_change(eid) == (now[0], "王明")
    assert store.get_enterprise(eid).updated_at < now[0]
