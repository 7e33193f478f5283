"""Rows become records by column name: a field added in the middle of a record shifts nothing.

Each site is read twice: with the record as it is, and with a variant that has one more
field (an existing column of the table) inserted in the middle. Reading by position would
give the variant's later fields the wrong values; reading by name gives every field its
own column.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

import pytest

from duibiao_tui.domain import items as domain_items
from duibiao_tui.domain import models, recognition
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.measures import MeasureQuery
from duibiao_tui.domain.recognition import RecognitionInput
from duibiao_tui.domain.review import Receipt
from duibiao_tui.excel import lookup
from duibiao_tui.store import (
    bulk,
    campaigns,
    enterprises,
    followup,
    form_drafts,
    history,
    review,
    session,
)
from duibiao_tui.store.rows import RecordColumns, record_columns
from duibiao_tui.store.store import Store


def with_field_after(record: type[Any], after: str, name: str) -> type[Any]:
    """``record`` with a field ``name`` (no default) inserted after the field ``after``."""
    if not dataclasses.is_dataclass(record):  # a NamedTuple (none of the stores' has defaults)
        fields: list[tuple[str, Any]] = []
        for field_name in record._fields:
            fields.append((field_name, record.__annotations__[field_name]))
            if field_name == after:
                fields.append((name, Any))
        # mypy wants a literal name and fields for NamedTuple(); this one is built at run time.
        variant: type[Any] = NamedTuple(record.__name__, fields)  # type: ignore[misc]
        return variant
    spec: list[tuple[str, Any, Any]] = []
    for f in dataclasses.fields(record):
        spec.append(
            (
                f.name,
                f.type,
                dataclasses.field(default=f.default, default_factory=f.default_factory),
            )
        )
        if f.name == after:
            spec.append((name, Any, dataclasses.field()))
    return dataclasses.make_dataclass(record.__name__, spec, frozen=True)


def same_fields(plain: Any, variant: Any) -> dict[str, tuple[Any, Any]]:
    """Fields of ``plain`` whose value the variant does not share."""
    names = (
        [f.name for f in dataclasses.fields(plain)]
        if dataclasses.is_dataclass(plain)
        else list(plain._fields)
    )
    return {
        name: (getattr(plain, name), getattr(variant, name))
        for name in names
        if getattr(plain, name) != getattr(variant, name)
    }


@pytest.fixture
def filled(store: Store, seeded: dict[str, str]) -> dict[str, str]:
    """An enterprise with a brand and an award, a benchmark, a flagged row (a measure not
    started), drafts, history, a handed-in form (one copy) and a scored recognition."""
    eid = seeded["扬中市新坝电气股份有限公司"]
    bench = store.add_benchmark("正泰集团股份有限公司", "浙江省乐清市", "国内领先", "对标")
    item = store.add_item(
        eid, ItemInput(benchmark_id=bench.id, aspect="设备", indicator="数控化率", measures="引进")
    )
    store.flag_item(item.id, True, "标杆水平未注明来源")
    store.save_draft(eid, ItemInput(aspect="工艺", indicator="合格率"), item_id=item.id)
    store.form_drafts.save("enterprise", eid, {"name": "草稿", "famous_brand": True})
    store.change_status([eid], "已报送", receipt=Receipt(date(2009, 10, 8), "李华", True, False))
    store.add_recognition(
        eid,
        RecognitionInput(
            kind="推荐申报", award_year="2010", edition="GB/T 19580-2004", scores={"4.1": "80"}
        ),
    )
    return {"enterprise": eid, "benchmark": bench.id, "item": item.id}


Read = Callable[[Store, dict[str, str]], Any]

SITES: list[tuple[str, Any, str, str, str, Read]] = [
    # (id, module holding the record, record name, after, extra column, read)
    (
        "enterprise",
        models,
        "Enterprise",
        "name",
        "name_key",
        lambda s, ids: s.get_enterprise(ids["enterprise"]),
    ),
    (
        "campaign",
        session,
        "Campaign",
        "name",
        "created_at",
        lambda s, ids: s.active_campaign(),
    ),
    ("district", enterprises, "District", "id", "sort_order", lambda s, ids: s.districts()[3]),
    (
        "item",
        domain_items,
        "BenchmarkItem",
        "seq",
        "created_at",
        lambda s, ids: s.get_item(ids["item"]),
    ),
    (
        "items_for",
        domain_items,
        "BenchmarkItem",
        "enterprise_id",
        "created_by",
        lambda s, ids: s.items_for(ids["enterprise"])[0],
    ),
    (
        "benchmark",
        domain_items,
        "BenchmarkEnterprise",
        "name",
        "name_key",
        lambda s, ids: s.get_benchmark(ids["benchmark"]),
    ),
    (
        "library",
        domain_items,
        "BenchmarkEnterprise",
        "id",
        "created_by",
        lambda s, ids: Store(s.conn).benchmarks()[0],  # a new session: the library is cached
    ),
    (
        "history",
        history,
        "AuditEntry",
        "officer",
        "id",
        lambda s, ids: next(e for e in s.history(ids["enterprise"]) if e.field == "flagged"),
    ),
    (
        "item_draft",
        domain_items,
        "ItemDraft",
        "id",
        "created_by",
        lambda s, ids: s.drafts_for(ids["enterprise"])[0],
    ),
    (
        "form_draft",
        form_drafts,
        "FormDraft",
        "kind",
        "updated_by",
        lambda s, ids: s.form_drafts.get("enterprise", ids["enterprise"]),
    ),
    (
        "existing_enterprises",
        enterprises,
        "ExistingEnterprise",
        "name",
        "name_pinyin",
        lambda s, ids: next(e for e in lookup.existing_enterprises(s) if e.id == ids["enterprise"]),
    ),
    (
        "submission",
        review,
        "Submission",
        "campaign_id",  # the fields after it have defaults
        "created_at",
        lambda s, ids: s.submission(ids["enterprise"]),
    ),
    (
        "review_history",
        review,
        "ReviewEvent",
        "officer",
        "submission_id",
        lambda s, ids: s.review_history(ids["enterprise"])[0],
    ),
    (
        "flagged_items",
        review,
        "FlaggedItem",
        "seq",
        "created_at",
        lambda s, ids: s.flagged_items(enterprise_id=ids["enterprise"])[0],
    ),
    (
        "recognitions",
        recognition,
        "Recognition",
        "kind",
        "created_at",
        lambda s, ids: s.recognitions_for(ids["enterprise"])[0],
    ),
    ("campaigns", campaigns, "Campaign", "name", "created_at", lambda s, ids: s.campaigns()[0]),
    (
        "measures",
        followup,
        "MeasureRow",
        "seq",
        "created_at",
        lambda s, ids: s.measures(MeasureQuery(enterprise_id=ids["enterprise"]))[0],
    ),
    (
        "measures_not_started",
        bulk,
        "OpenMeasure",
        "item_id",
        "created_at",
        lambda s, ids: s.bulk.measures_not_started()[0],
    ),
]


@pytest.mark.parametrize(
    ("module", "record", "after", "column", "read"),
    [site[1:] for site in SITES],
    ids=[site[0] for site in SITES],
)
def test_a_field_added_in_the_middle_shifts_nothing(
    store: Store,
    filled: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    record: str,
    after: str,
    column: str,
    read: Read,
) -> None:
    plain = read(store, filled)
    assert plain is not None
    monkeypatch.setattr(module, record, with_field_after(getattr(module, record), after, column))
    variant = read(store, filled)
    assert type(variant).__name__ == record and hasattr(variant, column)
    assert same_fields(plain, variant) == {}
    assert getattr(variant, column) not in (None, "")


def test_flags_and_brands_come_back_as_booleans(store: Store, filled: dict[str, str]) -> None:
    enterprise = store.get_enterprise(filled["enterprise"])
    assert (enterprise.famous_brand, enterprise.quality_award) == (True, True)
    assert store.get_item(filled["item"]).flagged is True
    assert all(type(d.is_zone) is bool for d in store.districts())
    submission = store.submission(filled["enterprise"])
    assert (submission.copy_city, submission.copy_district) == (True, False)
    assert type(submission.copy_district) is bool


def test_the_select_list_follows_the_record() -> None:
    @dataclasses.dataclass(frozen=True)
    class Row:
        table: str
        shown: bool
        old: str | None
        subject: str = ""

    columns: RecordColumns[Row] = record_columns(
        Row, alias="a", sql={"old": "old_value"}, left_out=("subject",)
    )
    assert columns.select == 'a."table" AS "table", a."shown" AS "shown", old_value AS "old"'
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE a (old_value TEXT, shown INTEGER, extra TEXT, 'table' TEXT)")
    conn.execute("INSERT INTO a VALUES ('before', 1, 'x', 'enterprise')")
    rows = columns.records(conn.execute(f"SELECT {columns.select} FROM a"), subject="s")
    assert rows == [Row(table="enterprise", shown=True, old="before", subject="s")]
    assert type(rows[0].shown) is bool
