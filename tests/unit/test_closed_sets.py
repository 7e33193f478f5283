"""Statuses and the other closed sets are StrEnums (issue 15): mypy refuses a misspelt
member, the member is the very string stored and shown, and records read from the store
hold members, not the plain str SQLite gives back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from duibiao_tui.domain import reference
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.recognition import RecognitionInput
from duibiao_tui.domain.reference import (
    BenchmarkLevel,
    MeasureState,
    PromotionMethod,
    RecognitionKind,
    ReviewStatus,
    Verdict,
)
from duibiao_tui.domain.review import Receipt, ReviewQuery
from duibiao_tui.store.store import Store

ROOT = Path(__file__).resolve().parents[2]

RIGHT = """\
from duibiao_tui.domain.reference import ReviewStatus, Verdict
from duibiao_tui.domain.review import Submission, check_transition

Submission("e", "c", status=ReviewStatus.APPROVED)
check_transition(ReviewStatus.SUBMITTED, ReviewStatus.APPROVED)
verdict: Verdict = Verdict.BEHIND
"""

WRONG = """\
from duibiao_tui.domain.reference import ReviewStatus, Verdict
from duibiao_tui.domain.review import Submission, check_transition

Submission("e", "c", status="已通通")
check_transition(ReviewStatus.SUBMITTED, ReviewStatus.APROVED)
verdict: Verdict = "落後"
"""


def test_a_misspelt_status_is_a_mypy_error(tmp_path: Path) -> None:
    """One mypy run with the project's config over a right and a wrong snippet: every
    misspelling in the wrong one is reported, nothing in the right one."""
    (tmp_path / "right.py").write_text(RIGHT, encoding="utf-8")
    (tmp_path / "wrong.py").write_text(WRONG, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "right.py",
            "wrong.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(ROOT)},  # the source, as .ci/checks sees it
        timeout=300,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 1, done.stdout + done.stderr
    assert not [e for e in errors if e.startswith("right.py")], errors
    assert [e.split(":")[1] for e in errors] == ["4", "5", "6"], errors
    assert "[arg-type]" in errors[0] and "[attr-defined]" in errors[1], errors
    assert "[assignment]" in errors[2], errors


@pytest.mark.parametrize(
    ("members", "written"),
    [
        (reference.REVIEW_STATUSES, ("未报送", "已报送", "审核中", "已通过", "退回修改", "已修改")),
        (reference.VERDICTS, ("领先", "持平", "落后")),
        (reference.MEASURE_STATES, ("未开始", "进行中", "已完成")),
        (reference.RECOGNITION_KINDS, ("推介", "推荐申报")),
        (reference.PROMOTION_METHODS, ("简报", "座谈", "现场会")),
        (reference.BENCHMARK_LEVELS, ("国际先进", "国内领先", "行业标杆", "地区优秀")),
    ],
)
def test_members_are_the_strings_of_old(members: tuple[str, ...], written: tuple[str, ...]) -> None:
    """The tuples keep their order and words; a member formats, hashes and serialises as
    its string, so screens, SQLite, JSON and Excel see what they saw before."""
    assert members == written
    for member, text in zip(members, written, strict=True):
        assert (str(member), f"{member}", f"{member:>2}", "%s" % member) == (
            text,
            text,
            f"{text:>2}",
            text,
        )
        assert {text: 1}[member] == 1 and hash(member) == hash(text)
        assert json.dumps([member], ensure_ascii=False) == json.dumps([text], ensure_ascii=False)


def test_records_read_from_the_store_hold_members(store: Store, seeded: dict[str, str]) -> None:
    eid = seeded["镇江市长江电器设备厂"]
    store.add_item(
        eid,
        ItemInput(aspect="设备", indicator="数控化率", verdict="落后", measures="引进数控机床"),
    )
    store.add_benchmark("正泰集团股份有限公司", level="国内领先")
    store.add_recognition(
        eid, RecognitionInput(kind="推介", method="座谈", event_date="2009-11-02")
    )
    store.change_status([eid], ReviewStatus.SUBMITTED, receipt=Receipt(date(2009, 10, 18)))

    [item] = store.items_for(eid)
    assert type(item.verdict) is Verdict and item.verdict is Verdict.BEHIND
    assert (
        type(item.measure_state) is MeasureState and item.measure_state is MeasureState.NOT_STARTED
    )
    [entry] = store.benchmarks()
    assert entry.level is BenchmarkLevel.NATIONAL
    [recognition] = store.recognitions_for(eid)
    assert recognition.kind is RecognitionKind.PROMOTION
    assert recognition.method is PromotionMethod.FORUM
    assert store.submission(eid).status is ReviewStatus.SUBMITTED
    assert store.statuses()[eid] is ReviewStatus.SUBMITTED
    rows = {row.enterprise_id: row.status for row in store.review_rows(ReviewQuery())}
    assert rows[eid] is ReviewStatus.SUBMITTED
    assert {type(status) for status in rows.values()} == {ReviewStatus}
    # what SQLite holds is the plain word, as before
    stored = store.conn.execute("SELECT status, typeof(status) FROM submission").fetchall()
    assert stored == [("已报送", "text")]


def test_the_written_out_campaign_id_is_its_seed_id() -> None:
    from duibiao_tui.domain.reference import CAMPAIGN_2009, CAMPAIGN_2009_ID, seed_id

    assert seed_id("campaign", CAMPAIGN_2009.doc_number) == CAMPAIGN_2009_ID
