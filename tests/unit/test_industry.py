"""GB/T 4754-2017 table and the free-text matcher behind the 所在行业 field."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.industry import (
    INDUSTRY_EDITION,
    Division,
    Section,
    division,
    divisions,
    match_industry,
    section,
    sections,
)

# 门类 → 大类 range, from the domain reference §5 (encoded independently of the CSV).
SECTION_RANGES: dict[str, tuple[int, int]] = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}

SECTION_NAMES: dict[str, str] = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}


def test_edition() -> None:
    assert INDUSTRY_EDITION == "GB/T 4754-2017"


def test_counts() -> None:
    assert len(sections()) == 20
    assert len(divisions()) == 97
    assert len({d.code for d in divisions()}) == 97
    assert sum(len(divisions(s.code)) for s in sections()) == 97


def test_code_order() -> None:
    assert [s.code for s in sections()] == list(SECTION_RANGES)
    assert [d.code for d in divisions()] == [f"{n:02d}" for n in range(1, 98)]


def test_section_names_match_reference() -> None:
    assert {s.code: s.name for s in sections()} == SECTION_NAMES


def test_every_division_lies_in_its_section_range() -> None:
    for d in divisions():
        low, high = SECTION_RANGES[d.section]
        assert low <= int(d.code) <= high, d
    for code, (low, high) in SECTION_RANGES.items():
        assert [int(d.code) for d in divisions(code)] == list(range(low, high + 1))


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "农业"),
        ("05", "农、林、牧、渔专业及辅助性活动"),
        ("13", "农副食品加工业"),
        ("38", "电气机械和器材制造业"),
        ("43", "金属制品、机械和设备修理业"),
        ("44", "电力、热力生产和供应业"),
        ("65", "软件和信息技术服务业"),
        ("96", "基层群众自治组织及其他组织"),
        ("97", "国际组织"),
    ],
)
def test_division_names(code: str, name: str) -> None:
    found = division(code)
    assert found is not None
    assert found.name == name


def test_labels() -> None:
    assert Section("C", "制造业").label == "C 制造业"
    assert Division("38", "电气机械和器材制造业", "C").label == "38 电气机械和器材制造业"
    assert section("C") == Section("C", "制造业")


@pytest.mark.parametrize("code", ["38", "C38", " c38 ", "３８", "Ｃ３８", "C 38", "c-38"])
def test_division_accepts_typed_forms(code: str) -> None:
    assert division(code) == Division("38", "电气机械和器材制造业", "C")


@pytest.mark.parametrize("code", ["", "  ", "00", "98", "A38", "U38", "381", "C", "电气", "3 8"])
def test_division_rejects(code: str) -> None:
    assert division(code) is None


def test_section_lookup() -> None:
    assert section(" c ") == section("Ｃ") == Section("C", "制造业")
    assert section("U") is None
    assert section("") is None
    assert section("CC") is None


def test_divisions_by_section() -> None:
    assert [d.code for d in divisions("d")] == ["44", "45", "46"]
    assert divisions("Z") == ()


@pytest.mark.parametrize(
    ("text", "section_code", "division_code"),
    [
        ("C38", "C", "38"),
        (" c38 ", "C", "38"),
        ("Ｃ３８", "C", "38"),
        ("38", "C", "38"),
        ("38 电气机械", "C", "38"),
        ("38电气机械", "C", "38"),
        ("3811", "C", "38"),  # a 小类 code names its 大类
        ("电气机械和器材制造业", "C", "38"),
        ("电气机械", "C", "38"),
        ("电气机械和器材制造业（电线电缆）", "C", "38"),
        ("软件", "I", "65"),
        ("房地产业", "K", "70"),
        ("教育", "P", "83"),
        ("国际组织", "T", "97"),
        ("制造业", "C", None),
        ("C", "C", None),
        ("C制造业", "C", None),
        ("农林牧渔业", "A", None),
        ("汽车零部件制造业", "C", None),
        ("运输", "G", None),
    ],
)
def test_match_industry(text: str, section_code: str, division_code: str | None) -> None:
    found_section, found_division = match_industry(text)
    assert found_section is not None
    assert found_section.code == section_code
    if division_code is None:
        assert found_division is None
    else:
        assert found_division is not None
        assert found_division.code == division_code


@pytest.mark.parametrize(
    "text",
    ["", "   ", "化工", "A38", "99", "2017年", "5G通信", "3C产品", "T恤", "13912345678"]
    + ["农业机械", "体育用品"],
)
def test_match_industry_unclear(text: str) -> None:
    assert match_industry(text) == (None, None)


def test_match_industry_result_is_consistent() -> None:
    for d in divisions():
        assert match_industry(d.name) == (section(d.section), d)
        assert match_industry(d.code) == (section(d.section), d)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_match_industry_never_raises(text: str) -> None:
    found_section, found_division = match_industry(text)
    if found_division is not None:
        assert found_section is not None
        assert found_division.section == found_section.code


_TYPED = st.text(alphabet="C38 -、（）电气机械和器材制造业农林牧渔０１Ｃ\u3000", max_size=20)


@settings(max_examples=200, deadline=None)
@given(_TYPED)
def test_match_industry_never_raises_on_near_misses(text: str) -> None:
    match_industry(text)


def test_import_is_lazy_and_light() -> None:
    """Start-up time is measured: importing must not read the table or pull in heavy modules."""
    script = (
        "import sys\n"
        "import duibiao_tui.domain.industry as m\n"
        "assert m._table.cache_info().currsize == 0\n"
        "m.match_industry('C38')\n"
        "assert m._table.cache_info().currsize == 1\n"
        "assert 'textual' not in sys.modules and 'pandas' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)
