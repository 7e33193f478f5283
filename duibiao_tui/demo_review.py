"""The desk work of the demo: statuses, flagged rows, measure progress, recognitions.

Runs inside ``fill_demo``'s transaction after the forms are written, so a demo database
shows every review status (with history), rows flagged 有问题, measures done, in progress
and overdue, and enterprises promoted and recommended — what the review desk, the
follow-up screen and the dashboard need to be tried on.

Status steps go through ``Store.change_status`` like the officer's; measure progress is
written in bulk (a city demo has ~100,000 rows) with one audit row per row.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from duibiao_tui.domain.recognition import DEFAULT_EDITION, EDITIONS, RecognitionInput
from duibiao_tui.domain.reference import PROMOTION_METHODS
from duibiao_tui.domain.review import Receipt
from duibiao_tui.store.store import Store

__all__ = ["fill_review_demo"]

_PATHS: tuple[tuple[float, tuple[str, ...]], ...] = (
    (0.18, ()),
    (0.14, ("已报送",)),
    (0.08, ("已报送", "审核中")),
    (0.22, ("已报送", "已通过")),
    (0.10, ("已报送", "审核中", "已通过")),
    (0.10, ("已报送", "退回修改")),
    (0.08, ("已报送", "退回修改", "已报送")),
    (0.10, ("已报送", "已通过", "已修改")),
)
"""(share, steps) of the forms that exist: every status is reached, some the long way."""

_RETURN_REASONS = (
    "第3行完成时间未填写，请补充",
    "标杆水平未注明数据来源",
    "提升措施过于笼统，请按年度细化",
    "落实部门未填写",
    "对标企业地址不全",
    "对比结果与标杆水平单位不一致",
)
_APPROVAL_NOTES = ("", "", "同意", "材料齐全，同意", "对标充分")
_HANDERS = ("质量部 张伟", "办公室 李静", "质管科 王芳", "技术部 刘洋", "总经理办公室 陈军")

_DONE_SHARE = 0.30
_IN_PROGRESS_SHARE = 0.20
_DONE_NOTES = ("已验收", "已通过第三方检测", "设备已安装调试", "制度已发布实施", "")
_PROMOTED_SHARE = 0.25
_RECOMMENDED_SHARE = 0.15


def _step(store: Store, eid: str, source: str, target: str, rng: random.Random, day: date) -> None:
    if target == "已修改":
        store._form_edited(eid, store.active_campaign().id, store.clock())
        return
    comment = ""
    receipt = None
    if target == "退回修改":
        comment = rng.choice(_RETURN_REASONS)
    elif target == "已通过":
        comment = rng.choice(_APPROVAL_NOTES)
    elif target == "已报送":
        receipt = Receipt(day, rng.choice(_HANDERS), rng.random() < 0.8, rng.random() < 0.9)
        if source == "退回修改":
            comment = "已按意见修改后重新报送"
    store.change_status([eid], target, comment, receipt=receipt)


def _statuses(store: Store, with_forms: Sequence[str], rng: random.Random) -> list[str]:
    """Walk each form along a path; returns the ids of the approved ones."""
    campaign = store.active_campaign()
    deadline = date.fromisoformat(campaign.deadline or "2009-10-20")
    approved: list[str] = []
    shares = [share for share, _ in _PATHS]
    paths = [path for _, path in _PATHS]
    for n, eid in enumerate(with_forms):
        # The first forms take every path once, so even a small demo shows every status.
        steps = paths[n] if n < len(paths) else rng.choices(paths, weights=shares)[0]
        source = "未报送"
        for target in steps:
            day = deadline - timedelta(days=rng.randint(0, 25))
            _step(store, eid, source, target, rng, day)
            source = target
        if source == "已通过":
            approved.append(eid)
        if source in ("审核中", "退回修改") and rng.random() < 0.7:
            items = store.items_for(eid)
            for item in rng.sample(items, k=min(len(items), rng.randint(1, 2))):
                store.flag_item(item.id, True, rng.choice(_RETURN_REASONS))
    return approved


def _measure_progress(store: Store, rng: random.Random) -> None:
    today = store.today()
    now = store.clock()
    updates: list[tuple[str, str | None, str, str]] = []
    for item_id, due in store.conn.execute(
        "SELECT id, due_date FROM benchmark_item WHERE campaign_id = ? AND deleted_at IS NULL "
        "AND measures != '' AND measure_state = '未开始' ORDER BY enterprise_id, seq",
        [store.active_campaign().id],
    ).fetchall():
        roll = rng.random()
        if roll < _DONE_SHARE:
            finished = min(date.fromisoformat(due) if due else today, today)
            finished -= timedelta(days=rng.randint(0, 60))
            updates.append(("已完成", finished.isoformat(), rng.choice(_DONE_NOTES), item_id))
        elif roll < _DONE_SHARE + _IN_PROGRESS_SHARE:
            updates.append(("进行中", None, "", item_id))
    store.conn.executemany(
        "UPDATE benchmark_item SET measure_state = ?, done_date = ?, done_note = ?, "
        "version = version + 1 WHERE id = ?",
        updates,
    )
    store._audit_many(
        "benchmark_item",
        ((u[3], "update", "measure_state", "未开始", u[0]) for u in updates),
        now,
    )


def _recognitions(store: Store, approved: Sequence[str], rng: random.Random) -> None:
    categories = EDITIONS[DEFAULT_EDITION]
    for eid in approved:
        if rng.random() < _PROMOTED_SHARE:
            store.add_recognition(
                eid,
                RecognitionInput(
                    kind="推介",
                    method=rng.choice(PROMOTION_METHODS),
                    event_date=f"2009-{rng.randint(10, 12)}-{rng.randint(1, 28):02d}",
                    note="对标做法在全市简报中介绍",
                ),
            )
        if rng.random() < _RECOMMENDED_SHARE:
            level = rng.uniform(0.55, 0.8)
            store.add_recognition(
                eid,
                RecognitionInput(
                    kind="推荐申报",
                    award_year="2010",
                    outcome=rng.choice(("已推荐", "已推荐", "获奖", "未获奖")),
                    edition=DEFAULT_EDITION,
                    scores={c.clause: f"{c.max_points * level:.0f}" for c in categories},
                ),
            )


def fill_review_demo(store: Store, with_forms: Sequence[str], seed: int) -> None:
    """Statuses, flags, measure progress and recognitions for the enterprises in
    ``with_forms``; deterministic for a seed. Call inside a ``store.write()``."""
    rng = random.Random(f"review-{seed}")
    approved = _statuses(store, with_forms, rng)
    _measure_progress(store, rng)
    _recognitions(store, approved, rng)
