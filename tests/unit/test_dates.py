from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.dates import MAX_YEAR, MIN_YEAR, format_date, parse_due_date
from duibiao_tui.errors import FieldError

EXAMPLES = "请写成 2010-06-30、2010年6月 或 2010年底"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # full dates
        ("2010-06-30", date(2010, 6, 30)),
        ("2010-6-30", date(2010, 6, 30)),
        ("2010/6/30", date(2010, 6, 30)),
        ("2010/06/30", date(2010, 6, 30)),
        ("2010.6.30", date(2010, 6, 30)),
        ("2010年6月30日", date(2010, 6, 30)),
        ("2010年6月30号", date(2010, 6, 30)),
        ("2010年06月30日", date(2010, 6, 30)),
        ("2010年6月30", date(2010, 6, 30)),
        ("20100630", date(2010, 6, 30)),
        ("2010年6月30日前", date(2010, 6, 30)),
        ("2010-06-30之前", date(2010, 6, 30)),
        ("2012-02-29", date(2012, 2, 29)),
        # months → end of month
        ("2010年6月", date(2010, 6, 30)),
        ("2010-06", date(2010, 6, 30)),
        ("2010-6", date(2010, 6, 30)),
        ("2010/6", date(2010, 6, 30)),
        ("2010.6", date(2010, 6, 30)),
        ("2010.10", date(2010, 10, 31)),
        ("2010年6月底", date(2010, 6, 30)),
        ("2010年6月末", date(2010, 6, 30)),
        ("2010年6月底前", date(2010, 6, 30)),
        ("2010年1月", date(2010, 1, 31)),
        ("2010年4月", date(2010, 4, 30)),
        ("2010年12月", date(2010, 12, 31)),
        ("2010年2月", date(2010, 2, 28)),
        ("2012年2月", date(2012, 2, 29)),
        ("2000年2月", date(2000, 2, 29)),
        ("2100年2月", date(2100, 2, 28)),
        # years → 31 December
        ("2010年底", date(2010, 12, 31)),
        ("2010年末", date(2010, 12, 31)),
        ("2010年年底", date(2010, 12, 31)),
        ("2010年底前", date(2010, 12, 31)),
        ("2010年", date(2010, 12, 31)),
        ("2010", date(2010, 12, 31)),
        # half years
        ("2010年上半年", date(2010, 6, 30)),
        ("2010年下半年", date(2010, 12, 31)),
        ("2010上半年", date(2010, 6, 30)),
        ("2010年上半年末", date(2010, 6, 30)),
        # quarters
        ("2010年一季度", date(2010, 3, 31)),
        ("2010年第一季度", date(2010, 3, 31)),
        ("2010年第二季度", date(2010, 6, 30)),
        ("2010年三季度", date(2010, 9, 30)),
        ("2010年第四季度", date(2010, 12, 31)),
        ("2010年第4季度", date(2010, 12, 31)),
        ("2010年2季度", date(2010, 6, 30)),
        ("2010年二季度末", date(2010, 6, 30)),
        ("2010Q1", date(2010, 3, 31)),
        ("2010 Q2", date(2010, 6, 30)),
        ("2010-Q3", date(2010, 9, 30)),
        ("2010q4", date(2010, 12, 31)),
        # full-width digits, spaces, IME punctuation
        ("２０１０－０６－３０", date(2010, 6, 30)),
        ("２０１０年６月３０日", date(2010, 6, 30)),
        ("２０１０／６", date(2010, 6, 30)),
        ("２０１０年底", date(2010, 12, 31)),
        ("２０１０Ｑ１", date(2010, 3, 31)),
        ("  2010 年 6 月 30 日 ", date(2010, 6, 30)),
        ("2010\u3000年底", date(2010, 12, 31)),
        ("2010\u20136\u201330", date(2010, 6, 30)),
        ("2010。6。30", date(2010, 6, 30)),
        # year range bounds
        ("2000-01-01", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
    ],
)
def test_accepted(raw: str, expected: date) -> None:
    assert parse_due_date(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\t\n"])
def test_blank_is_none(raw: str | None) -> None:
    assert parse_due_date(raw) is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("下个月", "无法识别「下个月」"),
        ("尽快", "无法识别「尽快」"),
        ("长期", "无法识别「长期」"),
        ("2010-02-30", "2010年2月没有30日"),
        ("2011年2月29日", "2011年2月没有29日"),
        ("2010-06-31", "2010年6月没有31日"),
        ("2010-06-00", "2010年6月没有0日"),
        ("2010-13-01", "月份应为 1–12"),
        ("2010年13月", "月份应为 1–12"),
        ("2010-00", "月份应为 1–12"),
        ("1999年底", "年份应在 2000–2100 之间，现为 1999"),
        ("2101-01-01", "年份应在 2000–2100 之间，现为 2101"),
        ("1010年6月", "年份应在 2000–2100 之间"),
        ("6月30日", "缺少年份"),
        ("6/30", "缺少年份"),
        ("二季度", "缺少年份"),
        ("下半年", "缺少年份"),
        ("Q3", "缺少年份"),
        ("10年底", "无法识别「10年底」"),
        ("2010年前", "无法识别「2010年前」"),  # "before 2010" or "by 2010"? refused
        ("2010年6月前", "无法识别"),
        ("2010年五季度", "无法识别"),
        ("2010Q5", "无法识别"),
        ("2010-06-30 12:00", "无法识别"),
        ("201006", "无法识别"),
        ("2010/6/30/1", "无法识别"),
        ("٢٠١٠", "无法识别"),  # Arabic-Indic digits are not what officers type
    ],
)
def test_refused(raw: str, reason: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_due_date(raw)
    assert info.value.field == "完成时间"
    assert reason in info.value.reason
    assert info.value.reason.endswith(EXAMPLES)


def test_refusal_message_example() -> None:
    with pytest.raises(FieldError) as info:
        parse_due_date("下个月")
    assert info.value.message == f"完成时间: 无法识别「下个月」，{EXAMPLES}"


def test_field_name_is_used() -> None:
    with pytest.raises(FieldError) as info:
        parse_due_date("随时", field="完成日期")
    assert info.value.field == "完成日期"
    assert info.value.message.startswith("完成日期: ")


def test_long_text_is_cut_in_message() -> None:
    with pytest.raises(FieldError) as info:
        parse_due_date("很" * 100)
    assert "很" * 20 + "…" in info.value.reason
    assert "很" * 21 not in info.value.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [(date(2010, 6, 30), "2010-06-30"), (date(2000, 1, 1), "2000-01-01"), (None, "")],
)
def test_format_date(value: date | None, expected: str) -> None:
    assert format_date(value) == expected


_IN_RANGE = st.dates(min_value=date(MIN_YEAR, 1, 1), max_value=date(MAX_YEAR, 12, 31))


@settings(max_examples=300)
@given(st.text())
def test_any_text_parses_or_raises_field_error(text: str) -> None:
    try:
        result = parse_due_date(text)
    except FieldError as error:
        assert error.field == "完成时间"
        assert error.reason
    else:
        assert result is None or MIN_YEAR <= result.year <= MAX_YEAR


@settings(max_examples=300)
@given(
    st.text(
        alphabet="0123456789０１２３４５６７８９年月日号底末前之以上下半第一二三四季度Qq-/. \u3000",
        max_size=16,
    )
)
def test_date_like_text_parses_or_raises_field_error(text: str) -> None:
    try:
        result = parse_due_date(text)
    except FieldError:
        pass
    else:
        assert result is None or MIN_YEAR <= result.year <= MAX_YEAR


@settings(max_examples=300)
@given(_IN_RANGE)
def test_round_trip(d: date) -> None:
    assert parse_due_date(format_date(d)) == d


@settings(max_examples=200)
@given(_IN_RANGE)
def test_other_full_spellings(d: date) -> None:
    for text in (
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}{d.month:02}{d.day:02}",
    ):
        assert parse_due_date(text) == d


@settings(max_examples=200)
@given(_IN_RANGE)
def test_month_means_its_last_day(d: date) -> None:
    end = parse_due_date(f"{d.year}年{d.month}月")
    assert end is not None
    assert (end.year, end.month) == (d.year, d.month)
    assert end >= d
    assert date.fromordinal(end.toordinal() + 1).day == 1
