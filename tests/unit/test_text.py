from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.text import clean, fold_width, name_key, normalise_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ１２３", "ABC123"),
        ("！～", "!~"),
        ("（０５１１）", "(0511)"),
        ("镇江\u3000电器", "镇江 电器"),
        ("镇江市长江电器设备厂", "镇江市长江电器设备厂"),
        ("、。「」", "、。「」"),  # CJK punctuation is not full-width ASCII
        ("", ""),
    ],
)
def test_fold_width(raw: str, expected: str) -> None:
    assert fold_width(raw) == expected


def test_fold_width_covers_whole_block() -> None:
    full = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    half = "".join(chr(c) for c in range(0x21, 0x7F))
    assert fold_width(full) == half


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  镇江  电器 ", "镇江 电器"),
        ("镇江\u3000\u3000电器", "镇江 电器"),
        ("a\t\nb", "a b"),
        ("ＡＢＣ", "ＡＢＣ"),  # stored as typed: no width folding
    ],
)
def test_clean(raw: str | None, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("镇江市长江电器设备厂", " 镇江市 长江电器设备厂 "),
        ("镇江市长江电器设备厂", "镇江市\u3000长江电器设备厂"),
        ("江苏ABC有限公司", "江苏ａｂｃ有限公司"),
        ("江苏ABC有限公司", "江苏abc有限公司"),
        ("江苏（镇江）电器", "江苏(镇江)电器"),
        ("镇江电器", "镇江\u200b电器"),
    ],
)
def test_name_key_equal(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_distinguishes_names() -> None:
    assert name_key("镇江电器厂") != name_key("镇江电器公司")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91 110000 600037341l", "91110000600037341L"),
        ("91-110000-600037341L", "91110000600037341L"),
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("60003734－1", "600037341"),
        ("60003734‐1", "600037341"),
        ("60003734–1", "600037341"),
        ("60003734—1", "600037341"),
        ("6000\u30003734 -\t1", "600037341"),
        ("", ""),
    ],
)
def test_normalise_code(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected


@settings(max_examples=300)
@given(st.text())
def test_text_functions_total(s: str) -> None:
    """Never raise on any text; results are idempotent where that is the point."""
    assert normalise_code(normalise_code(s)) == normalise_code(s)
    assert name_key(name_key(s)) == name_key(s)
    assert clean(clean(s)) == clean(s)
    assert fold_width(fold_width(s)) == fold_width(s)
    assert not any(ch.isspace() for ch in normalise_code(s))
    assert not any(ch.isspace() for ch in name_key(s))
