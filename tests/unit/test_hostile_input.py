"""Every validator and parser under Hypothesis, with the text nobody here would type:
control characters, zero-width and bidi marks, lone surrogates, emoji, very long strings.

No input may make them raise anything but our own DuibiaoError, and what the store keeps
can always be written to SQLite and read back unchanged.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.campaigns import CampaignInput, validate_campaign
from duibiao_tui.domain.dates import parse_due_date
from duibiao_tui.domain.enterprise_rules import validate_enterprise
from duibiao_tui.domain.identifiers import parse_identifier
from duibiao_tui.domain.item_rules import ItemInput, validate_item
from duibiao_tui.domain.measures import validate_measure_update
from duibiao_tui.domain.models import EnterpriseInput, EnterpriseQuery
from duibiao_tui.domain.phone import parse_phone
from duibiao_tui.domain.recognition import RecognitionInput, validate_recognition
from duibiao_tui.domain.review import check_transition, validate_receipt
from duibiao_tui.domain.search import query_terms
from duibiao_tui.domain.text import clean, name_key, safe_text
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.store.store import Store

EXAMPLES = 300
HOSTILE = st.characters(exclude_categories=())  # includes lone surrogates (Cs)
SPECIAL = st.sampled_from(
    [
        "\x00",
        "\x07",
        "\x1b[31m",
        "\r",
        "\t",
        "\u200b",
        "\u200d",
        "\u202e",
        "\u2066",
        "\ud800",
        "\udfff",
        "\ufeff",
        "👨‍👩‍👧",
        "🏭",
        "＝",
        "=cmd|' /C calc'!A0",
        "\u3000",
        "𠀀",
    ]
)
TEXT = st.lists(st.one_of(st.text(HOSTILE, max_size=20), SPECIAL), max_size=8).map("".join)
LONG = st.integers(10_000, 33_000).map(lambda n: "长" * n)
ANY = st.one_of(TEXT, LONG)
TODAY = date(2009, 10, 8)
hostile = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def only_our_errors(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    try:
        return call(*args, **kwargs)
    except DuibiaoError:
        return None


@hostile
@given(ANY)
def test_text_helpers_never_fail_and_are_storable(text: str) -> None:
    for out in (clean(text), safe_text(text), name_key(text), *query_terms(text)):
        out.encode("utf-8")  # no lone surrogate survives
        assert not any(c in out for c in "\x00\x07\x1b\u202e\u2066")


@hostile
@given(ANY, st.booleans())
def test_identifiers_phones_dates(text: str, zhenjiang: bool) -> None:
    only_our_errors(parse_identifier, text)
    only_our_errors(parse_phone, text, zhenjiang=zhenjiang)
    only_our_errors(parse_due_date, text)


@hostile
@given(
    st.builds(
        EnterpriseInput,
        name=ANY,
        credit_code=ANY,
        address=ANY,
        industry_division=TEXT,
        industry_text=ANY,
        main_products=ANY,
        contact_name=ANY,
        phone=ANY,
        award_name=ANY,
        award_year=TEXT,
        notes=ANY,
    )
)
def test_enterprise_rules(data: EnterpriseInput) -> None:
    only_our_errors(validate_enterprise, data, known_districts=set())


@hostile
@given(
    st.builds(
        ItemInput,
        benchmark_text=ANY,
        aspect=TEXT,
        aspect_other=ANY,
        indicator=ANY,
        benchmark_level=ANY,
        result_text=ANY,
        verdict=TEXT,
        measures=ANY,
        department=ANY,
        due_text=ANY,
        remarks=ANY,
    )
)
def test_item_rules(data: ItemInput) -> None:
    only_our_errors(validate_item, data)


@hostile
@given(TEXT, TEXT, ANY, ANY, st.booleans(), st.booleans())
def test_review_measure_campaign_recognition_rules(
    a: str, b: str, c: str, d: str, x: bool, y: bool
) -> None:
    only_our_errors(check_transition, a, b, c)
    only_our_errors(check_transition, "已报送", "退回修改", c)
    only_our_errors(validate_receipt, c, d, copy_city=x, copy_district=y)
    only_our_errors(validate_measure_update, a, c, d, today=TODAY)
    only_our_errors(validate_measure_update, "已完成", c, d, today=TODAY)
    only_our_errors(validate_campaign, CampaignInput(name=c, doc_number=d, deadline=a))
    only_our_errors(
        validate_recognition,
        RecognitionInput(
            kind=a,
            method=b,
            event_date=c,
            award_year=d,
            note=c,
            edition="GB/T 19580-2004" if x else b,
            scores={"4.1": a, "4.7": d},
        ),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=TEXT, indicator=TEXT, measures=TEXT, search=TEXT)
def test_store_keeps_what_the_rules_accept(
    store: Store, name: str, indicator: str, measures: str, search: str
) -> None:
    """Whatever passes validation is written and read back exactly; search never fails."""
    try:
        enterprise = store.add_enterprise(EnterpriseInput(name=f"企业{name}"))
    except DuibiaoError:
        return
    assert enterprise.name == clean(f"企业{name}")
    try:
        item = store.add_item(
            enterprise.id, ItemInput(aspect="设备", indicator=f"指标{indicator}", measures=measures)
        )
    except DuibiaoError:
        pass
    else:
        again = store.get_item(item.id)
        assert again.indicator == item.indicator == clean(f"指标{indicator}")
        assert again.measures == item.measures
    store.search_enterprises(EnterpriseQuery(text=search))
    store.remove_enterprise(enterprise.id)


@hostile
@given(st.lists(st.lists(st.one_of(TEXT, TEXT, LONG), max_size=8), max_size=12))
def test_header_mapping_of_any_sheet(rows: list[list[str]]) -> None:
    """Any grid of cells either maps to our fields or raises our MissingColumns."""
    from duibiao_tui.excel.headers import column_letter, find_header, header_key

    for row in rows:
        for cell in row:
            header_key(cell)
    found = only_our_errors(find_header, rows, "Sheet1")
    if found is not None:
        assert "name" in found.columns or found.columns
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_digits_that_are_not_ascii_are_refused_not_crashed() -> None:
    """Hypothesis found '²' (str.isdigit() is True, int() fails): years must be 0-9."""
    from duibiao_tui.errors import ValidationFailed

    for year in ("²", "٢٠٠٨", "2008²"):
        try:
            validate_enterprise(
                EnterpriseInput(name="测试厂", quality_award=True, award_year=year),
                known_districts=set(),
            )
        except ValidationFailed as failure:
            assert "获奖年份" in failure.by_field()
        else:
            raise AssertionError(year)
        try:
            validate_recognition(RecognitionInput(kind="推荐申报", award_year=year))
        except ValidationFailed as failure:
            assert "申报年度" in failure.by_field()
    full_width = validate_enterprise(
        EnterpriseInput(name="测试厂", quality_award=True, award_year="２００８"),
        known_districts=set(),
    )
    assert full_width.award_year == 2008
