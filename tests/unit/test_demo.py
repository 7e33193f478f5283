"""Demo data: deterministic, valid by the app's own rules, realistic enough to search."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from duibiao_tui.demo import DEFAULT_ENTERPRISES, REFERENCE_NAME, fill_demo
from duibiao_tui.domain import industry
from duibiao_tui.domain.identifiers import parse_identifier
from duibiao_tui.domain.models import EnterpriseQuery
from duibiao_tui.domain.phone import parse_phone
from duibiao_tui.domain.text import name_key
from duibiao_tui.store.store import Store

COUNT = 200
Row = tuple[str, str, str, str]


def rows(store: Store) -> list[Row]:
    """(name, district, credit code, phone) of every enterprise, in insertion order."""
    return [
        tuple(r)  # type: ignore[misc]
        for r in store.conn.execute(
            "SELECT e.name, d.name, coalesce(e.uscc, e.org_code, e.reg_no, ''), e.phone_raw "
            "FROM enterprise e JOIN district d ON d.id = e.district_id ORDER BY e.rowid"
        )
    ]


def filled(count: int = COUNT, seed: int = 2009) -> Store:
    store = Store.memory()
    assert fill_demo(store, enterprises=count, seed=seed) == count
    return store


@pytest.fixture(scope="module")
def demo() -> Iterator[Store]:
    store = filled()
    yield store
    store.close()


class TestDeterminism:
    def test_same_seed_same_content_in_the_same_order(self, demo: Store) -> None:
        again = filled()
        assert rows(again) == rows(demo)

    def test_every_content_column_is_repeated(self, demo: Store) -> None:
        columns = (
            "name, district_id, uscc, org_code, address, industry_division, industry_text, "
            "main_products, contact_name, phone_raw, famous_brand, quality_award, award_name, "
            "award_year, notes, name_pinyin"
        )
        sql = f"SELECT {columns} FROM enterprise ORDER BY rowid"
        again = filled()
        assert again.conn.execute(sql).fetchall() == demo.conn.execute(sql).fetchall()

    def test_other_seed_other_content(self, demo: Store) -> None:
        other = filled(seed=2010)
        assert rows(other) != rows(demo)
        assert {r[0] for r in rows(other)} != {r[0] for r in rows(demo)}

    def test_the_global_random_is_neither_used_nor_disturbed(self, demo: Store) -> None:
        import random

        random.seed(1)
        expected = random.random()
        random.seed(1)
        fill_demo(Store.memory(), enterprises=20)
        assert random.random() == expected


class TestCount:
    def test_count_is_exact(self, demo: Store) -> None:
        assert demo.count_enterprises() == COUNT
        assert len(rows(demo)) == COUNT

    @pytest.mark.parametrize("count", [0, 1, 7, 9, 10, 51])
    def test_small_counts(self, count: int) -> None:
        store = Store.memory()
        assert fill_demo(store, enterprises=count) == count
        assert store.count_enterprises() == count
        assert (REFERENCE_NAME in {r[0] for r in rows(store)}) == (count >= 10)

    def test_default(self) -> None:
        store = Store.memory()
        assert fill_demo(store) == DEFAULT_ENTERPRISES == 60

    def test_negative_is_refused(self) -> None:
        with pytest.raises(ValueError):
            fill_demo(Store.memory(), enterprises=-1)

    def test_progress_every_50_and_at_the_end(self) -> None:
        calls: list[tuple[int, int]] = []
        fill_demo(Store.memory(), enterprises=120, progress=lambda d, t: calls.append((d, t)))
        assert calls == [(50, 120), (100, 120), (120, 120)]

    def test_progress_not_repeated_when_the_end_is_a_multiple_of_50(self) -> None:
        calls: list[tuple[int, int]] = []
        fill_demo(Store.memory(), enterprises=100, progress=lambda d, t: calls.append((d, t)))
        assert calls == [(50, 100), (100, 100)]

    def test_filling_twice_adds_more_instead_of_clashing(self) -> None:
        store = filled(count=60)
        assert fill_demo(store, enterprises=60) == 60
        assert store.count_enterprises() == 120
        assert Counter(r[0] for r in rows(store))[REFERENCE_NAME] == 1


class TestValidity:
    def test_credit_codes_pass_without_check_warnings(self, demo: Store) -> None:
        codes = [r[2] for r in rows(demo) if r[2]]
        assert 0.75 * COUNT <= len(codes) < COUNT  # most have one, some have none
        kinds = Counter()
        for code in codes:
            ident = parse_identifier(code)
            assert ident is not None
            kinds[ident.kind] += 1
            assert not [w for w in ident.warnings if "校验" in w], code
            assert not ident.warnings, code  # Zhenjiang region codes only
        assert kinds["uscc"] > kinds["org_code"] > 0
        assert len(set(codes)) == len(codes)

    def test_uscc_region_matches_the_district(self, demo: Store) -> None:
        region = {d.name: d.code or "321100" for d in demo.districts()}
        for _name, district, code, _phone in rows(demo):
            if len(code) == 18:
                assert code.startswith("91" + region[district]), (district, code)

    def test_every_phone_parses(self, demo: Store) -> None:
        phones = [r[3] for r in rows(demo)]
        assert 0 < phones.count("") < COUNT * 0.2
        kinds = Counter()
        for raw in phones:
            if raw:
                phone = parse_phone(raw, zhenjiang=True)
                assert phone is not None
                kinds[phone.kind] += 1
                if phone.kind == "固定电话":
                    assert phone.e164.startswith("+865118")
        assert kinds["手机"] and kinds["固定电话"]

    def test_industry_is_manufacturing_with_a_matching_text(self, demo: Store) -> None:
        for section, division, text, products in demo.conn.execute(
            "SELECT industry_section, industry_division, industry_text, main_products "
            "FROM enterprise"
        ):
            assert section == "C"
            found = industry.division(division)
            assert found is not None and found.section == "C"
            assert text
            assert 1 <= len(products.split("、")) <= 3

    def test_flags_and_awards(self, demo: Store) -> None:
        famous = awarded = 0
        for brand, award, award_name, year in demo.conn.execute(
            "SELECT famous_brand, quality_award, award_name, award_year FROM enterprise"
        ):
            famous += brand
            awarded += award
            if award:
                assert award_name in ("镇江市市长质量奖", "江苏省质量奖")
                assert 2003 <= year <= 2009
            else:
                assert award_name == "" and year is None
        assert 0.1 * COUNT < famous < 0.3 * COUNT
        assert 0 < awarded < 0.15 * COUNT


class TestRealism:
    def test_every_district_is_used(self, demo: Store) -> None:
        used = Counter(r[1] for r in rows(demo))
        assert set(used) == {d.name for d in demo.districts()}
        assert used["丹阳市"] > used["镇江新区"]
        assert used["京口区"] > used["镇江新区"]

    def test_names_are_unique_per_district(self, demo: Store) -> None:
        keys = [(r[1], name_key(r[0])) for r in rows(demo)]
        assert len(set(keys)) == len(keys)

    def test_name_prefix_agrees_with_the_district(self, demo: Store) -> None:
        cities = {"丹阳市", "扬中市", "句容市"}
        for name, district, _code, _phone in rows(demo):
            for city in [*cities, "镇江市"]:
                if name.startswith(city):
                    assert city == (district if district in cities else "镇江市"), name

    def test_reference_name_is_present_and_found_by_both_readings(self, demo: Store) -> None:
        assert (REFERENCE_NAME, "京口区") in {(r[0], r[1]) for r in rows(demo)}
        for text in ("cjdq", "zjdq", "changjiang"):
            found = [r.name for r in demo.search_enterprises(EnterpriseQuery(text=text))]
            assert REFERENCE_NAME in found, text


ITEM_CONTENT = (
    "SELECT e.name, i.seq, ifnull(b.name, ''), i.benchmark_text, i.aspect, i.indicator, "
    "i.benchmark_level, i.result_text, i.verdict, i.measures, i.department, i.due_text, "
    "i.due_date, i.remarks FROM benchmark_item i JOIN enterprise e ON e.id = i.enterprise_id "
    "LEFT JOIN benchmark_enterprise b ON b.id = i.benchmark_id ORDER BY i.rowid"
)


def item_rows(store: Store) -> list[tuple[object, ...]]:
    return store.conn.execute(ITEM_CONTENT).fetchall()


class TestItems:
    def test_same_seed_same_rows(self, demo: Store) -> None:
        assert item_rows(filled()) == item_rows(demo)
        assert item_rows(filled(seed=2010)) != item_rows(demo)

    def test_enterprises_are_unchanged_by_the_items(self, demo: Store) -> None:
        """Items draw from their own generator: a seed's enterprises stay what they were."""
        names = [r[0] for r in rows(demo)[:3]]
        assert names == [r[0] for r in rows(filled(count=COUNT))[:3]]

    def test_most_enterprises_have_a_form_of_5_to_60_rows(self, demo: Store) -> None:
        counts = dict(
            demo.conn.execute(
                "SELECT enterprise_id, count(*) FROM benchmark_item GROUP BY enterprise_id"
            ).fetchall()
        )
        assert 0.75 * COUNT <= len(counts) <= 0.95 * COUNT
        assert min(counts.values()) >= 5 and max(counts.values()) <= 60
        assert 25 <= sum(counts.values()) / len(counts) <= 45
        assert max(counts.values()) - min(counts.values()) >= 30  # a real spread

    def test_seq_is_contiguous_and_every_row_is_valid(self, demo: Store) -> None:
        from duibiao_tui.domain.item_rules import validate_item

        for (enterprise_id,) in demo.conn.execute(
            "SELECT DISTINCT enterprise_id FROM benchmark_item"
        ).fetchall():
            items = demo.items_for(enterprise_id)
            assert [i.seq for i in items] == list(range(1, len(items) + 1))
            for item in items:
                clean = validate_item(item.to_input())
                assert (clean.due_date, clean.verdict) == (item.due_date, item.verdict)

    def test_aspects_verdicts_and_levels(self, demo: Store) -> None:
        from duibiao_tui.domain.reference import ASPECTS, BENCHMARK_LEVELS

        aspects = Counter(r[4] for r in item_rows(demo))
        assert set(aspects) == set(ASPECTS)
        verdicts = Counter(r[8] for r in item_rows(demo))
        assert verdicts["落后"] > verdicts["持平"] > verdicts["领先"] > 0
        assert 0 < verdicts[None] < 0.15 * sum(verdicts.values())
        levels = {
            r[0]
            for r in demo.conn.execute(
                "SELECT DISTINCT b.level FROM benchmark_item i "
                "JOIN benchmark_enterprise b ON b.id = i.benchmark_id"
            )
        }
        assert levels == set(BENCHMARK_LEVELS)
        assert any(r[3] and not r[2] for r in item_rows(demo))  # some written out as text

    def test_due_dates_and_departments(self, demo: Store) -> None:
        due = [r[12] for r in item_rows(demo) if r[12]]
        assert min(due) >= "2010-01-01" and max(due) <= "2014-12-31"
        spellings = {r[11] for r in item_rows(demo) if r[11]}
        assert any("年底" in s for s in spellings) and any("-" in s for s in spellings)
        assert any(s.endswith("月") for s in spellings)
        departments = Counter(r[10] for r in item_rows(demo))
        assert {"质量部", "技术部", "生产部", "设备部", "计量室"} <= set(departments)

    def test_some_rows_are_incomplete(self, demo: Store) -> None:
        missing = Counter()
        total = 0
        for (eid,) in demo.conn.execute("SELECT DISTINCT enterprise_id FROM benchmark_item"):
            for item in demo.items_for(eid):
                total += 1
                missing.update(item.missing)
        assert missing["完成时间"] and missing["提升计划和措施"] and missing["落实部门"]
        assert sum(missing.values()) < 0.25 * total  # a few, not most

    def test_one_audit_row_per_item(self, demo: Store) -> None:
        audits = demo.conn.execute(
            "SELECT count(*), count(field) FROM audit_log WHERE table_name = 'benchmark_item' "
            "AND action = 'insert'"
        ).fetchone()
        assert audits == (len(item_rows(demo)), 0)

    def test_review_desk_work_covers_every_state(self, demo: Store) -> None:
        """The demo shows every status, flags, measure states incl. overdue, recognitions."""
        from duibiao_tui.domain.measures import MeasureQuery
        from duibiao_tui.domain.reference import MEASURE_STATES, REVIEW_STATUSES
        from duibiao_tui.domain.review import ReviewQuery

        figures = demo.dashboard()
        assert all(figures.status_total(s) for s in REVIEW_STATUSES)
        shown = {r.shown for r in demo.measures(MeasureQuery())}
        assert {"逾期", "已完成"} <= shown
        states = {r.state for r in demo.measures(MeasureQuery())}
        assert states == set(MEASURE_STATES)
        assert demo.flagged_items()
        assert set(figures.recognitions) == {"推介", "推荐申报"}
        returned = demo.review_rows(ReviewQuery(status="退回修改"))
        assert returned and all(r.last_comment for r in returned)

    def test_library_is_shared_and_reused_by_a_second_fill(self) -> None:
        store = filled(count=30)
        library = [b.id for b in store.benchmarks()]
        assert len(library) >= 40
        assert fill_demo(store, enterprises=30) == 30
        assert [b.id for b in store.benchmarks()] == library
        seqs = store.conn.execute(
            "SELECT enterprise_id, min(seq), max(seq), count(*) FROM benchmark_item GROUP BY 1"
        ).fetchall()
        assert all(lo == 1 and hi == n for _e, lo, hi, n in seqs)
