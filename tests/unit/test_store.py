"""Store behaviour on a real SQLite file: schema, uniqueness, soft delete, audit, search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from duibiao_tui.domain.models import EnterpriseInput, EnterpriseQuery
from duibiao_tui.domain.reference import ASPECTS, CAMPAIGN_2009_ID
from duibiao_tui.errors import DuplicateError, NotFoundError, SchemaTooNewError, ValidationFailed
from duibiao_tui.store.migrations import migrations
from duibiao_tui.store.store import Store
from duibiao_tui.store.versioning import KNOWN_MIGRATIONS
from tests.conftest import fixed_clock


def names(store: Store, text: str = "", **kwargs: object) -> list[str]:
    query = EnterpriseQuery(text=text, **kwargs)  # type: ignore[arg-type]
    return [row.name for row in store.search_enterprises(query)]


class TestSchema:
    def test_migrates_an_empty_file_and_seeds_reference_data(self, store: Store) -> None:
        tables = set(store.db.table_names())
        assert {
            "campaign",
            "district",
            "enterprise",
            "benchmark_enterprise",
            "benchmark_item",
            "submission",
            "review_event",
            "recognition",
            "audit_log",
            "item_draft",
        } <= tables
        assert [d.name for d in store.districts()] == [
            "京口区",
            "润州区",
            "丹徒区",
            "丹阳市",
            "扬中市",
            "句容市",
            "镇江新区",
        ]
        zone = store.districts()[-1]
        assert zone.is_zone and zone.code is None
        campaign = store.active_campaign()
        assert campaign.id == CAMPAIGN_2009_ID
        assert campaign.doc_number == "镇质监质发[2009]173号"
        assert campaign.deadline == "2009-10-20"
        assert len(ASPECTS) == 12

    def test_known_migrations_match_registered(self) -> None:
        from sqlite_utils import Database

        assert [m.name for m in migrations.pending(Database(memory=True))] == list(KNOWN_MIGRATIONS)

    def test_connection_settings(self, store: Store) -> None:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1

    def test_every_table_but_derived_ones_has_uuid_and_stamps(self, store: Store) -> None:
        for table in store.db.table_names():
            # merge_* tables are per-file bookkeeping of merges, like setting
            # form_draft is unsaved typing of this file's forms: never merged nor packaged
            if table in {"setting", "audit_log", "form_draft"} or table.startswith(
                ("_", "merge_", "search_index")
            ):
                continue
            columns = {c.name for c in store.db.table(table).columns}
            assert {"id", "created_at", "updated_at", "version"} <= columns, table

    def test_reopening_applies_nothing_twice(self, db_path: Path, store: Store) -> None:
        store.close()
        again = Store.open(db_path)
        assert len(again.districts()) == 7
        again.close()

    def test_refuses_a_schema_from_a_newer_release(self, db_path: Path, store: Store) -> None:
        store.conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('duibiao', '0099_from_the_future', '2030-01-01')"
        )
        store.conn.commit()
        store.close()
        with pytest.raises(SchemaTooNewError, match="更新版本"):
            Store.open(db_path)


class TestEnterprises:
    def test_add_normalises_and_stamps(self, store: Store, districts: dict[str, str]) -> None:
        enterprise = store.add_enterprise(
            EnterpriseInput(
                name="  镇江市长江电器设备厂 ",
                credit_code="91 3211 02MA1XXXXX07",
                district_id=districts["京口区"],
                industry_division="38",
                phone="0511-8501 2345 转8012",
            )
        )
        assert enterprise.name == "镇江市长江电器设备厂"
        assert enterprise.uscc == "91321102MA1XXXXX07"
        assert enterprise.org_code == "MA1XXXXX-0"
        assert enterprise.industry_section == "C"
        assert enterprise.industry_edition == "GB/T 4754-2017"
        assert enterprise.phone_e164 == "+8651185012345"
        assert enterprise.phone_ext == "8012"
        assert enterprise.phone_raw == "0511-8501 2345 转8012"
        assert enterprise.created_by == "王明"
        assert enterprise.created_at == fixed_clock()
        assert enterprise.version == 1

    def test_reports_every_problem_at_once(self, store: Store) -> None:
        with pytest.raises(ValidationFailed) as failure:
            store.add_enterprise(
                EnterpriseInput(name="", credit_code="91110000600037341N", phone="95588")
            )
        fields = failure.value.by_field()
        assert fields["名称"].startswith("必填")
        assert fields["统一社会信用代码"] == "校验位应为 L"
        assert "电话" in fields
        assert store.count_enterprises() == 0

    def test_duplicate_credit_code_names_the_holder(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        with pytest.raises(DuplicateError, match="镇江市长江电器设备厂") as error:
            store.add_enterprise(EnterpriseInput(name="别的企业", credit_code="91321102ma1xxxxx07"))
        assert error.value.field == "统一社会信用代码"

    def test_same_name_after_folding_is_the_same_enterprise_in_a_district(
        self, store: Store, seeded: dict[str, str], districts: dict[str, str]
    ) -> None:
        with pytest.raises(DuplicateError) as error:
            store.add_enterprise(
                EnterpriseInput(name="镇江市长江电器设备厂 ", district_id=districts["京口区"])
            )
        assert error.value.field == "名称"
        store.add_enterprise(EnterpriseInput(name="ＡＢＣ公司", district_id=districts["京口区"]))
        with pytest.raises(DuplicateError):
            store.add_enterprise(EnterpriseInput(name="abc 公司", district_id=districts["京口区"]))
        other = store.add_enterprise(
            EnterpriseInput(name="镇江市长江电器设备厂", district_id=districts["润州区"])
        )
        assert other.district_name == "润州区"

    def test_update_writes_only_changed_fields_and_audits_them(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        eid = seeded["句容市宝华建材有限公司"]
        data = store.get_enterprise(eid).to_input()
        data.address = "句容市宝华镇仓头路8号"
        updated = store.update_enterprise(eid, data)
        assert updated.address == "句容市宝华镇仓头路8号"
        assert updated.version == 2
        history = store.audit_for("enterprise", eid)
        assert [h["action"] for h in history][-1] == "update"
        changed = [h for h in history if h["action"] == "update"]
        assert [(h["field"], h["old_value"], h["new_value"]) for h in changed] == [
            ("address", "", "句容市宝华镇仓头路8号")
        ]
        same = store.update_enterprise(eid, store.get_enterprise(eid).to_input())
        assert same.version == 2

    def test_soft_delete_and_restore(self, store: Store, seeded: dict[str, str]) -> None:
        eid = seeded["镇江市长江电器设备厂"]
        store.remove_enterprise(eid)
        assert "镇江市长江电器设备厂" not in names(store)
        assert names(store, removed=True) == ["镇江市长江电器设备厂"]
        assert store.get_enterprise(eid).deleted_at == fixed_clock()
        with pytest.raises(NotFoundError):
            store.remove_enterprise(eid)
        restored = store.restore_enterprise(eid)
        assert restored.deleted_at is None
        assert "镇江市长江电器设备厂" in names(store)
        actions = [h["action"] for h in store.audit_for("enterprise", eid)]
        assert list(dict.fromkeys(actions)) == ["insert", "delete", "restore"]

    def test_a_removed_code_can_be_reused_but_then_not_restored(
        self, store: Store, seeded: dict[str, str]
    ) -> None:
        eid = seeded["镇江市长江电器设备厂"]
        store.remove_enterprise(eid)
        store.add_enterprise(EnterpriseInput(name="新企业", credit_code="91321102MA1XXXXX07"))
        with pytest.raises(DuplicateError, match="新企业"):
            store.restore_enterprise(eid)

    def test_audit_log_is_append_only(self, store: Store, seeded: dict[str, str]) -> None:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("UPDATE audit_log SET officer = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("DELETE FROM audit_log")

    def test_a_failed_write_leaves_nothing(self, store: Store, seeded: dict[str, str]) -> None:
        before = store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        with pytest.raises(RuntimeError), store.write():
            store.conn.execute("UPDATE enterprise SET address = 'x'")
            raise RuntimeError("boom")
        assert (
            store.conn.execute("SELECT count(*) FROM enterprise WHERE address = 'x'").fetchone()[0]
            == 0
        )
        assert store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


class TestSearch:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("zjdq", ["镇江市长江电器设备厂"]),
            ("cjdq", ["镇江市长江电器设备厂"]),  # 长 read chang, although 市长 says zhang
            ("changjiang", ["镇江市长江电器设备厂"]),
            ("长江", ["镇江市长江电器设备厂"]),
            ("zjscjdqsbc", ["镇江市长江电器设备厂"]),  # longer than any stored window
            ("jrs", ["句容市宝华建材有限公司"]),  # 句 read ju
            ("grs", ["句容市宝华建材有限公司"]),  # 句 read gou
            ("cjjx", ["镇江市重机机械有限公司"]),  # 重 read chong
            ("zjjx", ["镇江市重机机械有限公司"]),  # 重 read zhong
            ("MA1X", ["镇江市长江电器设备厂"]),
            ("ma1x", ["镇江市长江电器设备厂"]),
            ("丹阳 眼镜", ["丹阳市华通光学眼镜有限公司"]),
            ("ｚｊｄｑ", ["镇江市长江电器设备厂"]),
            ("醋", ["江苏恒顺醋业股份有限公司"]),
            ("nothing-like-it", []),
        ],
    )
    def test_finds_by_chinese_pinyin_initials_and_code(
        self, store: Store, seeded: dict[str, str], text: str, expected: list[str]
    ) -> None:
        assert names(store, text) == expected

    def test_single_letter_matches_many(self, store: Store, seeded: dict[str, str]) -> None:
        assert len(names(store, "z")) >= 3

    def test_filters_and_sort(
        self, store: Store, seeded: dict[str, str], districts: dict[str, str]
    ) -> None:
        assert names(store, district_id=districts["丹阳市"]) == ["丹阳市华通光学眼镜有限公司"]
        assert set(names(store, famous_brand=True, quality_award=True)) == {
            "扬中市新坝电气股份有限公司",
            "江苏恒顺醋业股份有限公司",
        }
        assert names(store, industry_division="38") == names(store, text="电")[:0] + [
            "扬中市新坝电气股份有限公司",
            "镇江市长江电器设备厂",
        ]
        by_pinyin = names(store)
        assert by_pinyin[0] == "丹阳市华通光学眼镜有限公司"  # dan… before jiang…, ju…, yang…, zhen…
        assert names(store, descending=True) == list(reversed(by_pinyin))

    def test_rename_reindexes(self, store: Store, seeded: dict[str, str]) -> None:
        eid = seeded["句容市宝华建材有限公司"]
        data = store.get_enterprise(eid).to_input()
        data.name = "句容市茅山建材有限公司"
        store.update_enterprise(eid, data)
        assert names(store, "bhjc") == []
        assert names(store, "msjc") == ["句容市茅山建材有限公司"]
