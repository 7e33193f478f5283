"""Header rows as people write them: anywhere near the top, any width, usual synonyms."""

from __future__ import annotations

import pytest

from duibiao_tui.excel.headers import MissingColumns, column_letter, find_header, header_key


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("统一社会信用代码", "uscc"),
        ("信用代码", "uscc"),
        ("社会信用代码", "uscc"),
        ("统一社会信用代码（18位）", "uscc"),
        ("ＵＳＣＣ", "uscc"),
        ("企业名称", "name"),
        ("单位名称", "name"),
        ("对标单位", "name"),
        ("企 业 名 称", "name"),
        ("　企业名称：", "name"),
        ("*企业名称", "name"),
        ("企业", "name"),
        ("组织机构代码", "org_code"),
        ("注册号", "reg_no"),
        ("单位地址", "address"),
        ("通讯地址", "address"),
        ("所在行业", "industry"),
        ("行业", "industry"),
        ("主要产品", "main_products"),
        ("单位填报人", "contact_name"),
        ("填报人", "contact_name"),
        ("联系电话", "phone"),
        ("手机", "phone"),
        ("所属区域", "district"),
        ("地区", "district"),
        ("名牌(是/否)", "famous_brand"),
        ("质量奖企业", "quality_award"),
    ],
)
def test_synonyms_and_spellings(cell: str, key: str) -> None:
    if key == "name":
        assert find_header([["序号", cell]], "表1").columns == {"name": 1}
    else:
        assert find_header([["企业名称", cell]], "表1").columns == {"name": 0, key: 1}


def test_header_key_folds_width_space_brackets_and_case() -> None:
    assert header_key("统一社会信用代码（18位）") == header_key("统一社会信用代码(18位)")
    assert header_key("ＡＢｃ　ｄ") == "abcd"
    assert header_key("企业名称：") == "企业名称"


def test_header_found_below_a_title() -> None:
    rows = [
        ["2009年京口区名牌企业名单", "", ""],
        ["", "", ""],
        ["填报单位：京口区质监局", "", ""],
        ["序号", "单位名称", "信用代码", "联系电话", "自定义列"],
        ["1", "甲", "x", "y", "z"],
    ]
    header = find_header(rows, "Sheet1")
    assert header.row_index == 3 and header.row_number == 4
    assert header.columns == {"name": 1, "uscc": 2, "phone": 3}
    assert header.title_of("uscc") == "信用代码"
    assert header.unknown == ("自定义列",)


def test_first_of_two_same_columns_wins() -> None:
    header = find_header([["企业名称", "电话", "手机"]], "s")
    assert header.columns == {"name": 0, "phone": 1}


def test_missing_required_column_is_named() -> None:
    with pytest.raises(MissingColumns) as caught:
        find_header([["序号", "统一社会信用代码", "地址"], ["1", "x", "y"]], "京口区")
    message = caught.value.message
    assert "京口区" in message and "企业名称" in message and "单位名称" in message
    assert "第 1 行" in message


def test_no_header_at_all() -> None:
    with pytest.raises(MissingColumns, match="找不到表头.*企业名称"):
        find_header([["a", "b"], ["1", "2"]], "Sheet1")


def test_header_beyond_the_scanned_rows_is_not_found() -> None:
    rows = [[""]] * 5 + [["企业名称"]]
    assert find_header(rows, "s", scan_rows=6).row_index == 5
    with pytest.raises(MissingColumns):
        find_header(rows, "s", scan_rows=5)


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(index: int, letter: str) -> None:
    assert column_letter(index) == letter
