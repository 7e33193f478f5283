from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.phone import Phone, parse_phone
from duibiao_tui.errors import FieldError

EXPECTED = "应为手机号（如 13912345678）或带区号的固定电话（如 0511-85012345，分机写作 转8012）"
ZJ = "+8651185012345"


@pytest.mark.parametrize(
    ("raw", "e164", "extension", "kind"),
    [
        ("(0511)85012345", ZJ, "", "固定电话"),
        ("（0511）85012345", ZJ, "", "固定电话"),
        ("0511-85012345", ZJ, "", "固定电话"),
        ("0511 8501 2345", ZJ, "", "固定电话"),
        ("051185012345", ZJ, "", "固定电话"),
        ("０５１１－８５０１２３４５", ZJ, "", "固定电话"),
        ("85012345", ZJ, "", "固定电话"),
        ("8501 2345", ZJ, "", "固定电话"),
        ("0511-85012345转8012", ZJ, "8012", "固定电话"),
        ("0511-85012345 转 8012", ZJ, "8012", "固定电话"),
        ("0511-85012345分机8012", ZJ, "8012", "固定电话"),
        ("0511-85012345 分机 8012", ZJ, "8012", "固定电话"),
        ("0511-85012345（转8012）", ZJ, "8012", "固定电话"),
        ("0511-85012345-8012", ZJ, "8012", "固定电话"),
        ("0511-85012345 8012", ZJ, "8012", "固定电话"),
        ("0511 8501 2345 8012", ZJ, "8012", "固定电话"),
        ("0511-85012345x8012", ZJ, "8012", "固定电话"),
        ("0511-85012345 ext. 8012", ZJ, "8012", "固定电话"),
        ("0511-85012345#8012", ZJ, "8012", "固定电话"),
        ("85012345转8012", ZJ, "8012", "固定电话"),
        ("85012345-8012", ZJ, "8012", "固定电话"),
        ("８５０１２３４５转８０１２", ZJ, "8012", "固定电话"),
        ("025-84561234", "+862584561234", "", "固定电话"),
        ("139 1234 5678", "+8613912345678", "", "手机"),
        ("13912345678", "+8613912345678", "", "手机"),
        ("+86 139 1234 5678", "+8613912345678", "", "手机"),
        ("0086 139 1234 5678", "+8613912345678", "", "手机"),
        ("１３９１２３４５６７８", "+8613912345678", "", "手机"),
        ("400 123 4567", "+864001234567", "", "共享费用"),
        ("400-123-4567转1", "+864001234567", "1", "共享费用"),
        ("800-123-4567", "+868001234567", "", "免费电话"),
    ],
)
def test_accepted(raw: str, e164: str, extension: str, kind: str) -> None:
    phone = parse_phone(raw)
    assert phone is not None
    assert phone.e164 == e164
    assert phone.extension == extension
    assert phone.kind == kind
    assert phone.raw == raw.strip()


def test_zhenjiang_landline_fields() -> None:
    phone = parse_phone("(0511)85012345转8012")
    assert phone is not None
    fields = (phone.raw, phone.e164, phone.national, phone.extension, phone.kind, phone.place)
    assert fields == (
        "(0511)85012345转8012",
        ZJ,
        "0511 8501 2345",
        "8012",
        "固定电话",
        "江苏省镇江市",
    )
    assert phone == Phone("(0511)85012345转8012", ZJ, "8012", "固定电话", phone.number)
    assert phone.display() == "0511 8501 2345 转 8012"


def test_display_without_extension() -> None:
    phone = parse_phone("139 1234 5678")
    assert phone is not None
    assert phone.display() == "139 1234 5678"
    assert phone.national == "139 1234 5678"


def test_place_of_mobile_is_a_place() -> None:
    phone = parse_phone("13912345678")
    assert phone is not None and phone.place  # whatever block the prefix belongs to


def test_raw_is_kept_cleaned() -> None:
    phone = parse_phone("  0511  8501\u30002345 ")
    assert phone is not None
    assert phone.raw == "0511 8501 2345"


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_blank_is_none(raw: str | None) -> None:
    assert parse_phone(raw) is None


def test_bare_local_needs_zhenjiang() -> None:
    with pytest.raises(FieldError):
        parse_phone("85012345", zhenjiang=False)
    phone = parse_phone("0511-85012345", zhenjiang=False)
    assert phone is not None and phone.e164 == ZJ


def test_hyphen_after_area_code_is_not_an_extension() -> None:
    phone = parse_phone("0511-85012345")
    assert phone is not None
    assert phone.extension == ""
    assert phone.national == "0511 8501 2345"


@pytest.mark.parametrize(
    "raw",
    [
        "95588",
        "10086",
        "12345",
        "abc",
        "139ABCD5678",
        "1-800-FLOWERS",
        "0511-8501234",
        "05118501234",
        "1391234567",
        "139123456789",
        "0511-85012345/85012346",
        "0511-85012345、13912345678",
        "转8012",
        "0511-85012345（办公室）",
        "+86",
        "1" * 200,
    ],
)
def test_refused(raw: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_phone(raw)
    assert info.value.field == "电话"
    assert info.value.reason == EXPECTED


def test_field_name_is_used() -> None:
    with pytest.raises(FieldError) as info:
        parse_phone("95588", field="联系电话")
    assert info.value.field == "联系电话"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.text(max_size=80),
        st.text(alphabet="0123456789 -+()（）转分机xX#.０５１", max_size=40),
    ),
    st.booleans(),
)
def test_parse_phone_only_raises_field_error(raw: str | None, zhenjiang: bool) -> None:
    try:
        phone = parse_phone(raw, zhenjiang=zhenjiang)
    except FieldError as error:
        assert error.reason == EXPECTED
    else:
        if phone is not None:
            assert phone.e164.startswith("+")
            assert phone.kind in ("手机", "固定电话", "免费电话", "共享费用")
            assert phone.display().startswith(phone.national)


def test_each_distinct_number_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A list naming one switchboard many times asks phonenumbers once for it; a refusal
    is not kept (raised each time, with the field it was asked for)."""
    from duibiao_tui.domain import phone

    calls: list[str] = []
    split = phone._split

    def counting(text: str, zhenjiang: bool) -> object:
        calls.append(text)
        return split(text, zhenjiang)

    monkeypatch.setattr(phone, "_split", counting)
    phone._parse_phone.cache_clear()
    first = parse_phone("0511-8502 9911")
    assert parse_phone("0511-8502 9911") is first
    assert calls == ["0511-8502 9911"]
    for field in ("电话", "联系电话", "联系电话"):
        with pytest.raises(FieldError) as refused:
            parse_phone("12345", field=field)
        assert refused.value.field == field
    assert calls.count("12345") == 3
    phone._parse_phone.cache_clear()


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["", "0", "0511", "025", "1", "13", "+86", "+852", "+1", "+44", "400", "800"]),
    st.text(alphabet="0123456789", min_size=3, max_size=12),
)
def test_a_number_is_valid_exactly_when_it_has_a_known_type(prefix: str, digits: str) -> None:
    """``_try_parse`` takes a known type for validity (asking the type once): the test that
    ``is_valid_number`` makes, for every number phonenumbers parses."""
    import phonenumbers

    try:
        number = phonenumbers.parse(prefix + digits, "CN")
    except phonenumbers.NumberParseException:
        return
    known = phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.UNKNOWN
    assert phonenumbers.is_valid_number(number) == known
