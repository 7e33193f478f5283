"""The desk work of the demo: statuses, flagged rows, measure progress, recognitions.

Runs inside ``fill_demo``'s transaction after the forms are written, so a demo database
shows every review status (with history), rows flagged 有问题, measures done, in progress
and overdue, and enterprises promoted and recommended — what the review desk, the
follow-up screen and the dashboard need to be tried on.

Status steps go through ``Store.change_status`` like the officer's; measure progress is
written in bulk (a city demo has ~100,000 rows), stamped and audited like the follow-up
screen's.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from duibiao_tui.demo.review_tables import (
    APPROVAL_NOTES,
    DONE_NOTES,
    DONE_SHARE,
    HANDERS,
    IN_PROGRESS_SHARE,
    PATHS,
    PROMOTED_SHARE,
    RECOMMENDED_SHARE,
    RETURN_REASONS,
)
from duibiao_tui.domain.measures import DONE, IN_PROGRESS, MeasureUpdate
from duibiao_tui.domain.recognition import DEFAULT_EDITION, EDITIONS, RecognitionInput
from duibiao_tui.domain.reference import PROMOTION_METHODS, ReviewStatus
from duibiao_tui.domain.review import Receipt
from duibiao_tui.store.store import Store

__all__ = ["fill_review_demo"]


def _step(store: Store, eid: str, source: str, target: str, rng: random.Random, day: date) -> None:
    if target == "已修改":
        store.bulk.form_edited(eid)
        return
    comment = ""
    receipt = None
    if target == "退回修改":
        comment = rng.choice(RETURN_REASONS)
    elif target == "已通过":
        comment = rng.choice(APPROVAL_NOTES)
    elif target == "已报送":
        receipt = Receipt(day, rng.choice(HANDERS), rng.random() < 0.8, rng.random() < 0.9)
        if source == "退回修改":
            comment = "已按意见修改后重新报送"
    store.change_status([eid], ReviewStatus(target), comment, receipt=receipt)


def _statuses(store: Store, with_forms: Sequence[str], rng: random.Random) -> list[str]:
    """Walk each form along a path; returns the ids of the approved ones."""
    campaign = store.active_campaign()
    deadline = date.fromisoformat(campaign.deadline or "2009-10-20")
    approved: list[str] = []
    shares = [share for share, _ in PATHS]
    paths = [path for _, path in PATHS]
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
                store.flag_item(item.id, True, rng.choice(RETURN_REASONS))
    return approved


def _measure_progress(store: Store, rng: random.Random) -> None:
    today = store.today()
    updates: list[tuple[str, MeasureUpdate]] = []
    for measure in store.bulk.measures_not_started():
        roll = rng.random()
        if roll < DONE_SHARE:
            due = measure.due_date
            finished = min(date.fromisoformat(due) if due else today, today)
            finished -= timedelta(days=rng.randint(0, 60))
            done = MeasureUpdate(DONE, finished.isoformat(), rng.choice(DONE_NOTES))
            updates.append((measure.item_id, done))
        elif roll < DONE_SHARE + IN_PROGRESS_SHARE:
            updates.append((measure.item_id, MeasureUpdate(IN_PROGRESS, None, "")))
    store.bulk.set_measure_states(updates)


def _recognitions(store: Store, approved: Sequence[str], rng: random.Random) -> None:
    categories = EDITIONS[DEFAULT_EDITION]
    for eid in approved:
        if rng.random() < PROMOTED_SHARE:
            store.add_recognition(
                eid,
                RecognitionInput(
                    kind="推介",
                    method=rng.choice(PROMOTION_METHODS),
                    event_date=f"2009-{rng.randint(10, 12)}-{rng.randint(1, 28):02d}",
                    note="对标做法在全市简报中介绍",
                ),
            )
        if rng.random() < RECOMMENDED_SHARE:
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
