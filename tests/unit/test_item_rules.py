from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.item_rules import (
    INDICATOR_MAX,
    MEASURES_MAX,
    TEXT_MAX,
    CleanItem,
    ItemInput,
    clean_multiline,
    missing_for_visit,
    validate_item,
)
from duibiao_tui.domain.reference import ASPECTS, OTHER_ASPECT, VERDICTS
from duibiao_tui.domain.text import clean
from duibiao_tui.errors import ValidationFailed


def full_input(**changes: object) -> ItemInput:
    base = ItemInput(
        benchmark_id=None,
        benchmark_text="海尔集团公司/青岛市海尔路1号",
        aspect="计量检测手段",
        aspect_other="",
        indicator="在线检测覆盖率",
        benchmark_level="国内领先",
        result_text="低 15 个百分点",
        verdict="落后",
        measures="1. 购置在线检测设备\n2. 培训检验人员",
        department="质检部",
        due_text="2010年底",
        remarks="",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def errors_of(data: ItemInput) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as info:
        validate_item(data)
    return info.value.by_field()


def messages_of(data: ItemInput) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        validate_item(data)
    return [e.message for e in info.value.errors]


def test_full_row() -> None:
    item = validate_item(full_input())
    assert item == CleanItem(
        benchmark_id=None,
        benchmark_text="海尔集团公司/青岛市海尔路1号",
        aspect="计量检测手段",
        aspect_other="",
        indicator="在线检测覆盖率",
        benchmark_level="国内领先",
        result_text="低 15 个百分点",
        verdict="落后",
        measures="1. 购置在线检测设备\n2. 培训检验人员",
        department="质检部",
        due_date="2010-12-31",
        due_text="2010年底",
        remarks="",
    )
    assert missing_for_visit(item) == []


def test_minimal_row_saves() -> None:
    item = validate_item(ItemInput(aspect="工艺", indicator="一次交验合格率"))
    assert item.aspect == "工艺"
    assert item.verdict is None
    assert item.due_date is None
    assert item.due_text == ""
    assert item.benchmark_id is None
    assert missing_for_visit(item) == [
        "标杆企业",
        "标杆水平",
        "对比结果",
        "提升计划和措施",
        "落实部门",
        "完成时间",
    ]


def test_single_line_fields_are_cleaned() -> None:
    item = validate_item(
        full_input(
            benchmark_text="  海尔\u3000集团  ",
            indicator=" 在线\n检测 ",
            department="\t质检部 ",
            remarks=" 见附件 ",
            due_text=" ２０１０年 ６月 ",
            benchmark_id="  ",
        )
    )
    assert item.benchmark_text == "海尔 集团"
    assert item.indicator == "在线 检测"
    assert item.department == "质检部"
    assert item.remarks == "见附件"
    assert item.due_text == "２０１０年 ６月"
    assert item.due_date == "2010-06-30"
    assert item.benchmark_id is None


def test_benchmark_id_is_kept() -> None:
    item = validate_item(full_input(benchmark_id="abc-123", benchmark_text=""))
    assert item.benchmark_id == "abc-123"
    assert "标杆企业" not in missing_for_visit(item)


@pytest.mark.parametrize("aspect", ASPECTS)
def test_every_aspect_accepted(aspect: str) -> None:
    assert validate_item(full_input(aspect=aspect)).aspect == aspect


def test_aspect_tolerates_spaces() -> None:
    assert validate_item(full_input(aspect=" 生产过程 的质量控制 ")).aspect == "生产过程的质量控制"


def test_aspect_required() -> None:
    assert errors_of(full_input(aspect="  ")) == {
        "项目": "必填，请从 12 个对标项目中选择，或选「其他」并写明"
    }


def test_aspect_outside_list() -> None:
    reason = errors_of(full_input(aspect="营销"))["项目"]
    assert "「营销」不是通知列出的对标项目" in reason


def test_other_needs_a_name() -> None:
    assert messages_of(full_input(aspect="其他", aspect_other=" ")) == [
        "项目: 选择「其他」时请写明项目名称"
    ]


def test_other_with_name() -> None:
    item = validate_item(full_input(aspect=OTHER_ASPECT, aspect_other=" 售后 服务 "))
    assert item.aspect == "其他"
    assert item.aspect_other == "售后 服务"


def test_other_text_dropped_for_listed_aspect() -> None:
    item = validate_item(full_input(aspect="工艺", aspect_other="售后服务"))
    assert item.aspect_other == ""


def test_indicator_required() -> None:
    reason = errors_of(full_input(indicator="\u3000"))["指标内容"]
    assert reason.startswith("必填")


@pytest.mark.parametrize("verdict", VERDICTS)
def test_verdicts(verdict: str) -> None:
    assert validate_item(full_input(verdict=f" {verdict} ")).verdict == verdict


def test_blank_verdict_is_none() -> None:
    assert validate_item(full_input(verdict="  ")).verdict is None


def test_bad_verdict() -> None:
    assert errors_of(full_input(verdict="差不多")) == {
        "对比结果": "结论应为 领先、持平 或 落后，也可留空"
    }


def test_due_date_error_comes_from_parser() -> None:
    reason = errors_of(full_input(due_text="2010年2月30日"))["完成时间"]
    assert reason == "2010年2月没有30日，请写成 2010-06-30、2010年6月 或 2010年底"


def test_free_text_due_is_kept_without_a_date() -> None:
    item = validate_item(full_input(due_text="下个月"))
    assert (item.due_text, item.due_date) == ("下个月", None)


@pytest.mark.parametrize(
    ("due_text", "due_date"),
    [("2010-06-30", "2010-06-30"), ("2012年2月", "2012-02-29"), ("2011年一季度", "2011-03-31")],
)
def test_due_date_iso(due_text: str, due_date: str) -> None:
    item = validate_item(full_input(due_text=due_text))
    assert item.due_date == due_date
    assert item.due_text == due_text
    assert date.fromisoformat(item.due_date)


@pytest.mark.parametrize(
    ("field", "attr", "limit"),
    [
        ("标杆企业", "benchmark_text", TEXT_MAX),
        ("指标内容", "indicator", INDICATOR_MAX),
        ("标杆水平", "benchmark_level", TEXT_MAX),
        ("对比结果", "result_text", TEXT_MAX),
        ("提升计划和措施", "measures", MEASURES_MAX),
        ("落实部门", "department", TEXT_MAX),
        ("备注", "remarks", TEXT_MAX),
    ],
)
def test_length_limits(field: str, attr: str, limit: int) -> None:
    assert validate_item(full_input(**{attr: "字" * limit}))
    reason = errors_of(full_input(**{attr: "字" * (limit + 1)}))[field]
    assert reason == f"最多 {limit} 个字，现为 {limit + 1} 个"


def test_other_name_length_limit() -> None:
    reason = errors_of(full_input(aspect="其他", aspect_other="字" * (TEXT_MAX + 1)))["项目"]
    assert reason == f"最多 {TEXT_MAX} 个字，现为 {TEXT_MAX + 1} 个"


def test_limits_count_cleaned_text() -> None:
    assert validate_item(full_input(indicator="  " + "字" * INDICATOR_MAX + "  "))


def test_every_problem_at_once() -> None:
    by_field = errors_of(
        ItemInput(
            aspect="其他",
            indicator="",
            verdict="好",
            due_text="2010-02-30",
            remarks="字" * (TEXT_MAX + 1),
        )
    )
    assert set(by_field) == {"项目", "指标内容", "对比结果", "完成时间", "备注"}


def test_measures_keep_lines() -> None:
    item = validate_item(
        full_input(measures="\n\n  1. 购置设备   \r\n\r\n  2. 培训\u3000\r\n3. 考核\t\n\n")
    )
    assert item.measures == "  1. 购置设备\n\n  2. 培训\n3. 考核"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        (" \n \u3000\n", ""),
        ("a \nb", "a\nb"),
        ("a\rb", "a\nb"),
        ("a\u2028b", "a\nb"),
        ("  indented", "  indented"),
    ],
)
def test_clean_multiline(raw: str | None, expected: str) -> None:
    assert clean_multiline(raw) == expected


def test_measures_limit_counts_cleaned_text() -> None:
    # trailing spaces do not count towards the limit
    assert validate_item(full_input(measures="字" * MEASURES_MAX + "   \n   "))


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"benchmark_text": ""}, ["标杆企业"]),
        ({"benchmark_level": ""}, ["标杆水平"]),
        ({"result_text": "", "verdict": ""}, ["对比结果"]),
        ({"result_text": ""}, []),  # the verdict alone answers 对比结果
        ({"verdict": ""}, []),  # so do the words alone
        ({"measures": " \n "}, ["提升计划和措施"]),
        ({"department": ""}, ["落实部门"]),
        ({"due_text": ""}, ["完成时间"]),
        ({"remarks": "", "aspect": "其他", "aspect_other": "售后"}, []),
        (
            {"benchmark_text": "", "due_text": "", "benchmark_level": ""},
            ["标杆企业", "标杆水平", "完成时间"],
        ),
    ],
)
def test_missing_for_visit(changes: dict[str, str], missing: list[str]) -> None:
    assert missing_for_visit(validate_item(full_input(**changes))) == missing


_any_text = st.text(max_size=60) | st.sampled_from(
    ["", " ", *ASPECTS, OTHER_ASPECT, *VERDICTS, "2010年底", "2010-02-30", "字" * 201]
)


@settings(max_examples=300)
@given(
    benchmark_id=st.none() | st.text(max_size=10),
    benchmark_text=_any_text,
    aspect=_any_text,
    aspect_other=_any_text,
    indicator=_any_text,
    benchmark_level=_any_text,
    result_text=_any_text,
    verdict=_any_text,
    measures=_any_text | st.text(max_size=2100),
    department=_any_text,
    due_text=_any_text,
    remarks=_any_text,
)
def test_any_input_gives_clean_item_or_validation_failed(**fields: str | None) -> None:
    data = ItemInput(**fields)  # type: ignore[arg-type]
    try:
        item = validate_item(data)
    except ValidationFailed as failure:
        assert failure.errors
        assert all(e.field and e.reason for e in failure.errors)
        return
    check_invariants(item)


def check_invariants(item: CleanItem) -> None:
    """What the database's NOT NULL and CHECK constraints need, and re-validation is stable."""
    assert item.aspect in (*ASPECTS, OTHER_ASPECT)
    assert bool(item.aspect_other) == (item.aspect == OTHER_ASPECT)
    assert item.indicator
    assert item.verdict is None or item.verdict in VERDICTS
    assert item.due_date is None or date.fromisoformat(item.due_date)
    assert item.due_date is None or item.due_text  # free text is kept with no date
    assert len(item.indicator) <= INDICATOR_MAX
    assert len(item.measures) <= MEASURES_MAX
    assert all(line == line.rstrip() for line in item.measures.split("\n"))
    for value in (
        item.benchmark_text,
        item.aspect_other,
        item.benchmark_level,
        item.result_text,
        item.department,
        item.remarks,
    ):
        assert len(value) <= TEXT_MAX
        assert "\n" not in value
        assert value == value.strip()
    assert set(missing_for_visit(item)) <= {
        "标杆企业",
        "标杆水平",
        "对比结果",
        "提升计划和措施",
        "落实部门",
        "完成时间",
    }
    # Validating the clean values again changes nothing.
    again = validate_item(
        ItemInput(
            benchmark_id=item.benchmark_id,
            benchmark_text=item.benchmark_text,
            aspect=item.aspect,
            aspect_other=item.aspect_other,
            indicator=item.indicator,
            benchmark_level=item.benchmark_level,
            result_text=item.result_text,
            verdict=item.verdict or "",
            measures=item.measures,
            department=item.department,
            due_text=item.due_text,
            remarks=item.remarks,
        )
    )
    assert again == item


@settings(max_examples=300)
@given(
    benchmark_id=st.none() | st.just("7f1c2d1e-0000-4000-8000-000000000001"),
    benchmark_text=st.text(max_size=60),
    aspect=st.sampled_from(ASPECTS),
    indicator=st.text(max_size=60).filter(lambda s: clean(s)),  # not blank once cleaned
    benchmark_level=st.sampled_from(["", "国内领先", "国际先进"]) | st.text(max_size=30),
    result_text=st.text(max_size=60),
    verdict=st.sampled_from(["", " ", *VERDICTS, "\u3000领先"]),
    measures=st.text(max_size=600),
    department=st.text(max_size=60),
    due_text=st.sampled_from(
        ["", "2010年底", "2011-06-30", "２０１２年 ２月", "2013年第三季度", "2014Q2"]
    ),
    remarks=st.text(max_size=60),
)
def test_plausible_input_is_accepted(**fields: str | None) -> None:
    item = validate_item(ItemInput(**fields))  # type: ignore[arg-type]
    check_invariants(item)
    assert item.aspect_other == ""
