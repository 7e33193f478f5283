from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.identifiers import (
    USCC_ALPHABET,
    Identifier,
    org_code_check_char,
    org_code_of,
    parse_identifier,
    uscc_check_char,
)
from duibiao_tui.errors import FieldError

# Domain reference §4.1.
VALID_USCC = [
    "91110000600037341L",
    "121200004013590816",
    "91310115MA1K3BTP2B",
    "9144030071526726XG",
    "91340600MA2PBM9HXD",
    "91620105L015101280",
    "913205056082348768",
    "91340600MA2PBMA74B",
    "91620105571630591E",
    "92340602MA2UK2TH6F",
    "92340603MA2PBQUC3U",
    "92340621MA2UK2XX21",
    "91321102MA1XXXXX07",
]
# Valid under GB 32100, refused by python-stdnum (letters in positions 1-2).
LETTER_PREFIX_USCC = ["N2321102MA1XXXXX0N", "Y1321102MA1XXXXX0H", "A1321102MA1XXXXX06"]
# Real 15-digit 工商注册号 found in public company listings; they pass MOD 11,10.
VALID_REG_NO = ["330203000203263", "320322000074937", "310115001880896", "310141000146942"]

EXPECTED_TEXT = "应为 18 位统一社会信用代码（如 91321102MA1XXXXX07）、9 位组织机构代码"


def reason(raw: str, field: str = "统一社会信用代码") -> str:
    with pytest.raises(FieldError) as info:
        parse_identifier(raw, field)
    assert info.value.field == field
    return info.value.reason


@pytest.mark.parametrize("code", VALID_USCC + LETTER_PREFIX_USCC)
def test_valid_uscc(code: str) -> None:
    ident = parse_identifier(code)
    assert ident is not None
    assert ident.kind == "uscc"
    assert ident.value == code
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", LETTER_PREFIX_USCC)
def test_stdnum_refuses_letter_prefixes_we_accept(code: str) -> None:
    from stdnum.cn import uscc

    assert not uscc.is_valid(code)
    assert parse_identifier(code) is not None


def test_check_char_worked_example() -> None:
    assert uscc_check_char("91110000600037341") == "L"


@pytest.mark.parametrize(
    "raw",
    [
        "91 110000 600037341L",
        "91110000600037341l",
        "91-110000-600037341L",
        "９１１１００００６０００３７３４１Ｌ",
        "９１１１００００６０００３７３４１ｌ",
        "91\u3000110000－600037341L",
        " 91110000600037341L\n",
    ],
)
def test_uscc_normalised(raw: str) -> None:
    ident = parse_identifier(raw)
    assert ident is not None
    assert ident == parse_identifier("91110000600037341L")
    assert ident.value == "91110000600037341L"


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", " - "])
def test_blank_is_none(raw: str | None) -> None:
    assert parse_identifier(raw) is None


def test_wrong_check_char() -> None:
    assert reason("91110000600037341N") == "校验位应为 L"


def test_forbidden_letters() -> None:
    text = reason("9111000060003IOZSV")
    assert text.startswith("含有不允许的字符 I、O、S、V、Z")
    assert "统一社会信用代码不使用 I、O、S、V、Z" in text


def test_forbidden_letters_only_those_present() -> None:
    code = "91110000600037341L".replace("0", "O", 1)
    assert reason(code) == "含有不允许的字符 O（统一社会信用代码不使用 I、O、S、V、Z）"


def test_other_bad_characters() -> None:
    text = reason("9111000060003734.L")
    assert text.startswith("含有不允许的字符 .")


def test_letters_in_region_code() -> None:
    first17 = "91A10000600037341"
    assert "第 3–8 位" in reason(first17 + uscc_check_char(first17))


@pytest.mark.parametrize(("raw", "length"), [("12345", 5), ("1", 1), ("9111000060003734", 16)])
def test_wrong_length(raw: str, length: int) -> None:
    text = reason(raw)
    assert text.startswith(EXPECTED_TEXT)
    assert text.endswith(f"现为 {length} 位")


def test_field_name_is_used() -> None:
    with pytest.raises(FieldError) as info:
        parse_identifier("12345", "组织机构代码")
    assert info.value.field == "组织机构代码"
    assert str(info.value).startswith("组织机构代码: ")


def test_warnings_region_outside_zhenjiang() -> None:
    ident = parse_identifier("91310115MA1K3BTP2B")
    assert ident is not None
    assert ident.warnings == ("登记机关行政区划码 310115 不在镇江市（3211xx），请核对",)


def test_no_warnings_for_consistent_zhenjiang_code() -> None:
    first17 = "91321102600037341"
    code = first17 + uscc_check_char(first17)
    ident = parse_identifier(code)
    assert ident == Identifier("uscc", code, ())


def test_warning_secondary_check() -> None:
    ident = parse_identifier("91321102MA1XXXXX07")
    assert ident is not None
    expected = org_code_check_char("MA1XXXXX")
    assert expected != "0"
    assert ident.warnings == (f"主体标识码（第 9–17 位）校验位不符，应为 {expected}，请核对",)


@pytest.mark.parametrize("code", VALID_USCC[:-1])
def test_real_codes_pass_secondary_check(code: str) -> None:
    assert org_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize("raw", ["60003734-1", "600037341", "60003734 1", "６０００３７３４－１"])
def test_org_code(raw: str) -> None:
    assert parse_identifier(raw) == Identifier("org_code", "60003734-1")


def test_org_code_check_char() -> None:
    assert org_code_check_char("60003734") == "1"


def test_org_code_wrong_check() -> None:
    assert reason("60003734-2", "组织机构代码") == "校验位应为 1"


def test_org_code_x_and_zero_checks() -> None:
    # Find bodies whose check is X (c = 10) and 0 (c = 11) and make sure they round-trip.
    seen: dict[str, str] = {}
    for n in range(10_000_000, 10_000_200):
        seen.setdefault(org_code_check_char(str(n)), str(n))
    assert {"X", "0"} <= seen.keys()
    for check in ("X", "0"):
        body = seen[check]
        assert parse_identifier(body + check) == Identifier("org_code", f"{body}-{check}")


def test_org_code_bad_character() -> None:
    assert reason("6000373*-1").startswith("含有不允许的字符 *")


def test_org_code_of() -> None:
    assert org_code_of("91110000600037341L") == "60003734-1"
    assert org_code_of("91 110000 600037341l") == "60003734-1"
    with pytest.raises(ValueError):
        org_code_of("12345")


@pytest.mark.parametrize("code", VALID_REG_NO)
def test_reg_no(code: str) -> None:
    ident = parse_identifier(code)
    assert ident is not None
    assert ident.kind == "reg_no"
    assert ident.value == code


def test_reg_no_in_zhenjiang_has_no_warning() -> None:
    from stdnum.iso7064 import mod_11_10

    body = "32110000001234"
    code = body + mod_11_10.calc_check_digit(body)
    assert parse_identifier(code) == Identifier("reg_no", code, ())


def test_reg_no_wrong_check() -> None:
    code = VALID_REG_NO[0]
    wrong = code[:14] + str((int(code[14]) + 1) % 10)
    assert reason(wrong) == f"校验位应为 {code[14]}"


def test_reg_no_with_letters() -> None:
    text = reason("32110000000123A")
    assert "15 位工商注册号应全为数字" in text


def _gs15_reference(body: str) -> str:
    """The MOD 11,10 recurrence as GS15-2006 / GB/T 17710 spell it out, for cross-checking."""
    p = 10
    for ch in body:
        s = (int(ch) + p) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


@settings(max_examples=200)
@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_stdnum_mod_11_10_is_gs15(body: str) -> None:
    from stdnum.iso7064 import mod_11_10

    assert mod_11_10.calc_check_digit(body) == _gs15_reference(body)


# --- properties -------------------------------------------------------------------------------

ALPHABET_CHARS = st.sampled_from(USCC_ALPHABET)


@st.composite
def enterprise_uscc(draw: st.DrawFn) -> str:
    """A valid 91/92/93 code: digits region, random body, our check character."""
    prefix = draw(st.sampled_from(["91", "92", "93"]))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    first17 = prefix + region + body
    return first17 + uscc_check_char(first17)


@st.composite
def any_uscc(draw: st.DrawFn) -> str:
    """A valid code with any department/category symbols in positions 1-2."""
    head = draw(st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + uscc_check_char(first17)


@settings(max_examples=300)
@given(enterprise_uscc())
def test_stdnum_agrees_on_enterprise_codes(code: str) -> None:
    from stdnum.cn import uscc

    assert uscc.is_valid(code)
    assert uscc.calc_check_digit(code[:17]) == code[17]
    ident = parse_identifier(code)
    assert ident is not None and ident.value == code


@settings(max_examples=300)
@given(any_uscc(), st.integers(min_value=0, max_value=17), ALPHABET_CHARS)
def test_single_substitution_detected(code: str, position: int, replacement: str) -> None:
    ident = parse_identifier(code)
    assert ident is not None and ident.kind == "uscc"
    if replacement == code[position]:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(FieldError):
        parse_identifier(changed)


@settings(max_examples=300)
@given(st.one_of(st.none(), st.text(), st.text(alphabet=USCC_ALPHABET + "-ioszv ０１Ｉ")))
def test_parse_identifier_only_raises_field_error(raw: str | None) -> None:
    try:
        ident = parse_identifier(raw)
    except FieldError as error:
        assert error.field == "统一社会信用代码"
        assert error.reason
    else:
        assert ident is None or ident.kind in ("uscc", "org_code", "reg_no")
