from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.aspects import ALL_ASPECTS, aspect_number, match_aspects
from duibiao_tui.domain.reference import ASPECTS, OTHER_ASPECT


def test_all_aspects_in_notice_order_then_other() -> None:
    assert ALL_ASPECTS == (*ASPECTS, OTHER_ASPECT)
    assert len(ALL_ASPECTS) == 13


@pytest.mark.parametrize("typed", ["", "   ", "\u3000", "-"])
def test_empty_offers_all(typed: str) -> None:
    assert match_aspects(typed) == list(ALL_ASPECTS)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Chinese substrings, anywhere in the aspect
        ("工艺", ["工艺"]),
        ("检验", ["检验把关"]),
        ("产品", ["产品设计", "产品品种"]),
        ("质量", ["生产过程的质量控制", "质量管理制度"]),
        ("控制", ["生产过程的质量控制"]),
        ("手段", ["计量检测手段"]),
        ("其他", ["其他"]),
        ("性", ["性能", "可靠性"]),
        ("生产 过程", ["生产过程的质量控制"]),  # spaces typed by the IME are ignored
        # pinyin initials
        ("sb", ["设备"]),
        ("gy", ["工艺"]),
        ("jljc", ["计量检测手段"]),
        ("zlgl", ["质量管理制度"]),
        ("cpsj", ["产品设计"]),
        ("cppz", ["产品品种"]),
        ("dc", ["档次"]),
        ("xn", ["性能"]),
        ("kkx", ["可靠性"]),
        ("bzsp", ["标准水平"]),
        ("scgcdzlkz", ["生产过程的质量控制"]),
        ("jybg", ["检验把关"]),
        ("qt", ["其他"]),
        ("SB", ["设备"]),
        ("ＳＢ", ["设备"]),
        ("cp", ["产品设计", "产品品种"]),
        # full pinyin and its prefixes
        ("shebei", ["设备"]),
        ("sheb", ["设备"]),
        ("she", ["设备", "生产过程的质量控制"]),  # sheng
        ("gongyi", ["工艺"]),
        ("jiliangjiance", ["计量检测手段"]),
        ("zhiliangguanli", ["质量管理制度"]),
        ("kekaoxing", ["可靠性"]),
        ("qita", ["其他"]),
        ("chanpinpinzhong", ["产品品种"]),
        # nothing
        ("xyz", []),
        ("设备厂", []),
        ("sb1", []),
        ("!", []),
    ],
)
def test_match(typed: str, expected: list[str]) -> None:
    assert match_aspects(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("chongpin", []),  # 种 reads chong too, but only as the last character of 产品品种
        ("cppc", ["产品品种"]),  # 种 zhong / chong
        ("chanpinpinchong", ["产品品种"]),
        ("kekao", ["可靠性"]),
        ("gekao", ["可靠性"]),  # 可 ke / ge
        ("jita", ["其他"]),  # 其 qi / ji
        ("j", ["计量检测手段", "检验把关", "其他"]),
        ("qituo", ["其他"]),  # 他 ta / tuo
        ("dangzi", ["档次"]),  # 次 ci / zi
    ],
)
def test_every_reading_of_polyphonic_characters(typed: str, expected: list[str]) -> None:
    assert match_aspects(typed) == expected


def test_pinyin_starts_at_first_character() -> None:
    # 平 also reads bing; mid-word matching would offer 标准水平 for "sb".
    assert match_aspects("sb") == ["设备"]
    assert match_aspects("zl") == ["质量管理制度"]
    # Chinese is matched anywhere.
    assert match_aspects("质量") == ["生产过程的质量控制", "质量管理制度"]


@pytest.mark.parametrize(("number", "aspect"), list(enumerate(ASPECTS, start=1)))
def test_number_picks_exactly_that_aspect(number: int, aspect: str) -> None:
    assert match_aspects(str(number)) == [aspect]
    assert aspect_number(aspect) == number


@pytest.mark.parametrize("typed", ["0", "13", "99", "00", "123"])
def test_numbers_out_of_range(typed: str) -> None:
    assert match_aspects(typed) == []


def test_number_tolerates_width_and_zero_padding() -> None:
    assert match_aspects("１") == ["设备"]
    assert match_aspects("09") == ["计量检测手段"]
    assert match_aspects(" 12 ") == ["质量管理制度"]


def test_aspect_number_of_other_and_unknown() -> None:
    assert aspect_number(OTHER_ASPECT) is None
    assert aspect_number("营销") is None


@pytest.mark.parametrize("aspect", ALL_ASPECTS)
def test_each_aspect_finds_itself(aspect: str) -> None:
    assert aspect in match_aspects(aspect)


@settings(max_examples=300, deadline=None)  # the first call loads pypinyin
@given(st.text(max_size=12))
def test_result_is_an_ordered_subset(typed: str) -> None:
    result = match_aspects(typed)
    assert all(a in ALL_ASPECTS for a in result)
    assert result == [a for a in ALL_ASPECTS if a in result]
