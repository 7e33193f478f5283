"""Enterprise-list imports: the preview, all-or-nothing writes, updates without duplicates,
and a database left byte-for-byte unchanged whenever anything is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.excel.enterprise_import import (
    ImportRefused,
    apply_enterprise_import,
    error_workbook_path,
    plan_enterprise_import,
)
from duibiao_tui.excel.headers import MissingColumns
from duibiao_tui.excel.readers import UnreadableFile
from duibiao_tui.store.store import Store

HEADER = ["序号", "企业名称", "统一社会信用代码", "辖市区", "所在行业", "主导产品", "联系电话"]


def xlsx(path: Path, rows: list[list[object]], title: str = "企业名单") -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = title
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def checksum(store: Store) -> str:
    """Every table's content: proves a refused import changed nothing at all."""
    dump = "\n".join(store.conn.iterdump())
    return hashlib.sha256(dump.encode()).hexdigest()


def enterprise(store: Store, name: str):  # noqa: ANN201 - the store's Enterprise
    row = store.conn.execute(
        "SELECT id FROM enterprise WHERE name = ? AND deleted_at IS NULL", [name]
    ).fetchone()
    assert row is not None, name
    return store.get_enterprise(row[0])


GOOD = [
    HEADER,
    [
        "1",
        "镇江市华东电力设备有限公司",
        "91110000600037341L",
        "京口",
        "38",
        "变压器",
        "0511-85012345",
    ],
    ["2", "丹阳市光明眼镜厂", "", "丹阳市", "树脂镜片", "镜片", "139 1234 5678"],
    ["3", "句容市新型建材厂", "9144030071526726XG", "句容", "非金属矿物制品业", "砌块", ""],
]


def test_new_enterprises_are_planned_then_written(store: Store, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "名单.xlsx", [["2009年名单"], [], *GOOD])
    before = checksum(store)
    plan = plan_enterprise_import(store, path)
    assert checksum(store) == before  # planning writes nothing
    assert (plan.new, plan.updated, plan.unchanged, plan.skipped, plan.refused) == (3, 0, 0, 0, 0)
    assert [r.row for r in plan.rows] == [4, 5, 6]
    result = apply_enterprise_import(store, plan)
    assert result.added == 3 and result.error_file is None
    assert store.count_enterprises() == 3
    first = enterprise(store, "镇江市华东电力设备有限公司")
    assert first.district_name == "京口区"
    assert first.uscc == "91110000600037341L" and first.org_code == "60003734-1"
    assert first.industry_division == "38"
    assert first.phone_e164 == "+8651185012345"
    second = enterprise(store, "丹阳市光明眼镜厂")
    assert second.district_name == "丹阳市" and second.industry_text == "树脂镜片"
    assert enterprise(store, "句容市新型建材厂").industry_division == "30"
    assert store.audit_for("enterprise", first.id)[0]["officer"] == "王明"


def test_refusal_names_row_column_and_reason(store: Store, tmp_path: Path) -> None:
    rows = [
        HEADER[1:],
        ["甲企业", "", "京口区"],
        ["乙企业", "", "京口区"],
        ["丙企业", "", "京口区"],
        ["丁企业", "91110000600037341N", "京口区"],
    ]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "a.xlsx", rows))
    assert [str(p) for p in plan.problems] == ["第5行 统一社会信用代码 (B5): 校验位应为 L"]
    assert plan.problems[0].line("a.xlsx") == (
        "a.xlsx 工作表「企业名单」 第5行 统一社会信用代码 (B5): 校验位应为 L"
    )


def test_all_or_nothing_by_default(store: Store, seeded: dict[str, str], tmp_path: Path) -> None:
    rows = [*GOOD, ["4", "坏代码企业", "91110000600037341N", "京口区", "", "", ""]]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "b.xlsx", rows))
    assert plan.new == 3 and plan.refused == 1
    before = checksum(store)
    with pytest.raises(ImportRefused) as caught:
        apply_enterprise_import(store, plan)
    assert "没有导入任何数据" in caught.value.message
    assert [str(p) for p in caught.value.problems] == ["第5行 统一社会信用代码 (C5): 校验位应为 L"]
    assert checksum(store) == before
    assert not list(tmp_path.glob("*错误*"))


def test_valid_only_writes_good_rows_and_an_error_workbook(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = [
        *GOOD,
        ["4", "坏代码企业", "91110000600037341N", "京口区", "", "", ""],
        ["5", "外地企业", "", "火星区", "", "@新品", ""],
    ]
    path = xlsx(tmp_path / "名单.xlsx", rows)
    plan = plan_enterprise_import(store, path)
    result = apply_enterprise_import(store, plan, valid_only=True)
    assert (result.added, result.refused) == (3, 2)
    assert store.count_enterprises() == 3
    assert result.error_file == tmp_path / "exports" / "名单-错误.xlsx"
    ws = openpyxl.load_workbook(result.error_file).active
    assert [c.value for c in ws[1]] == ["原行号", *HEADER, "错误原因"]
    assert [c.value for c in ws[2]][:4] == [5, "4", "坏代码企业", "91110000600037341N"]
    assert ws.cell(row=2, column=len(HEADER) + 2).value == (
        "第5行 统一社会信用代码 (C5): 校验位应为 L"
    )
    assert "火星区" in ws.cell(row=3, column=len(HEADER) + 2).value
    assert ws["G3"].value == "@新品" and ws["G3"].quotePrefix  # copied as text
    assert ws.max_row == 3
    # A second run does not overwrite the first error workbook.
    assert error_workbook_path(path) == tmp_path / "exports" / "名单-错误(2).xlsx"


def test_existing_by_credit_code_is_updated_or_skipped_never_duplicated(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    # seeded: 镇江市长江电器设备厂, 京口区, 91321102MA1XXXXX07, products 高低压开关柜.
    rows = [HEADER, ["1", "镇江市长江电器设备厂", "91321102MA1XXXXX07", "", "", "成套开关设备", ""]]
    path = xlsx(tmp_path / "c.xlsx", rows)
    count = store.count_enterprises()

    skip = plan_enterprise_import(store, path, mode="skip")
    assert (skip.new, skip.skipped) == (0, 1)
    assert skip.rows[0].changes == ("主导产品",)
    before = checksum(store)
    apply_enterprise_import(store, skip)
    assert checksum(store) == before

    update = plan_enterprise_import(store, path, mode="update")
    assert update.updated == 1
    apply_enterprise_import(store, update)
    changed = store.get_enterprise(seeded["镇江市长江电器设备厂"])
    assert changed.main_products == "成套开关设备"
    assert changed.district_name == "京口区"  # blank cell: kept
    assert changed.phone_raw == "0511-85012345"  # no change where the file says nothing
    assert store.count_enterprises() == count

    again = plan_enterprise_import(store, path, mode="update")
    assert (again.unchanged, again.updated) == (1, 0)


def test_existing_by_name_in_the_same_district(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    rows = [
        ["企业名称", "所属区域", "主要产品"],
        ["丹阳市华通光学眼镜有限公司", "丹阳", "树脂镜片、镜架"],
        ["丹阳市华通光学眼镜有限公司", "句容市", "另一家同名企业"],
    ]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "d.xlsx", rows), mode="update")
    assert [r.action for r in plan.rows] == ["update", "new"]
    assert plan.rows[0].enterprise_id == seeded["丹阳市华通光学眼镜有限公司"]


def test_legacy_organisation_code_links_records(
    store: Store, districts: dict[str, str], tmp_path: Path
) -> None:
    old = store.add_enterprise(
        EnterpriseInput(name="老企业", credit_code="60003734-1", district_id=districts["润州区"])
    )
    rows = [["企业名称", "统一社会信用代码"], ["老企业（已更名）", "91110000600037341L"]]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "e.xlsx", rows), mode="update")
    assert plan.rows[0].action == "update" and plan.rows[0].enterprise_id == old.id
    apply_enterprise_import(store, plan)
    now = store.get_enterprise(old.id)
    assert now.uscc == "91110000600037341L" and now.name == "老企业（已更名）"
    assert store.count_enterprises() == 1

    # The reverse: a 2009 list with the 组织机构代码 never downgrades the stored USCC.
    rows = [["企业名称", "组织机构代码", "地址"], ["老企业（已更名）", "60003734-1", "新地址"]]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "f.xlsx", rows), mode="update")
    apply_enterprise_import(store, plan)
    now = store.get_enterprise(old.id)
    assert now.uscc == "91110000600037341L" and now.address == "新地址"


def test_duplicates_inside_the_file(store: Store, tmp_path: Path) -> None:
    rows = [
        ["企业名称", "信用代码", "辖市区"],
        ["甲企业", "91110000600037341L", "京口区"],
        ["乙企业", "91110000600037341L", "京口区"],
        ["甲企业", "", "京口区"],
        ["丙企业", "", ""],
        ["丙 企业", "", ""],
    ]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "g.xlsx", rows))
    assert [str(p) for p in plan.problems] == [
        "第3行 信用代码 (B3): 与第2行是同一家企业，文件中重复",
        "第4行 企业名称 (A4): 与第2行是同一家企业，文件中重复",
        "第6行 企业名称 (A6): 与第5行是同一家企业，文件中重复",
    ]


def test_code_and_name_pointing_at_two_enterprises_is_refused(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    rows = [
        ["企业名称", "统一社会信用代码", "辖市区"],
        ["丹阳市华通光学眼镜有限公司", "91321102MA1XXXXX07", "丹阳市"],
    ]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "h.xlsx", rows), mode="update")
    assert plan.refused == 1
    assert "镇江市长江电器设备厂" in plan.problems[0].reason


def test_namesakes_in_several_districts_need_the_district(
    store: Store, districts: dict[str, str], tmp_path: Path
) -> None:
    for district in ("京口区", "润州区"):
        store.add_enterprise(EnterpriseInput(name="同名厂", district_id=districts[district]))
    rows = [["企业名称", "辖市区", "地址"], ["同名厂", "", "某路"], ["同名厂", "润州", "某路"]]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "i.xlsx", rows), mode="update")
    assert [r.action for r in plan.rows] == ["refused", "update"]
    assert "请填写辖市区" in plan.problems[0].reason
    assert plan.problems[0].column == "B"


def test_field_problems_point_at_their_columns(store: Store, tmp_path: Path) -> None:
    rows = [
        ["企业名称", "辖市区", "电话", "名牌", "获奖年份", "行业代码"],
        ["甲", "火星区", "", "", "", ""],
        ["乙", "", "123", "", "", ""],
        ["丙", "", "", "也许", "", ""],
        ["丁", "", "", "", "公元前", ""],
        ["戊", "", "", "", "", "99"],
        ["", "京口区", "", "", "", ""],
        ["名" * 10_000, "", "", "", "", ""],
    ]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "j.xlsx", rows))
    where = [(p.row, p.column) for p in plan.problems]
    assert where == [(2, "B"), (3, "C"), (4, "D"), (5, "E"), (6, "F"), (7, "A"), (8, "A")]
    assert "最多 100 个字" in plan.problems[-1].reason


def test_flags_awards_and_years(store: Store, tmp_path: Path) -> None:
    rows = [
        ["企业名称", "名牌", "质量奖", "获奖年份", "备注"],
        ["甲", "√", "江苏省质量奖", "2008年", "说明" * 5000],
        ["乙", "否", "", "", ""],
    ]
    path = xlsx(tmp_path / "k.xlsx", rows)
    apply_enterprise_import(store, plan_enterprise_import(store, path))
    first = enterprise(store, "甲")
    assert first.famous_brand and first.quality_award
    assert (first.award_name, first.award_year) == ("江苏省质量奖", 2008)
    assert len(first.notes) == 10_000
    assert not enterprise(store, "乙").famous_brand


def test_notes_and_repeated_headers_are_not_rows(store: Store, tmp_path: Path) -> None:
    rows = [HEADER, *GOOD[1:2], HEADER, *GOOD[2:], [], ["注：名单截至2009年10月"]]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "l.xlsx", rows))
    assert (plan.new, plan.refused) == (3, 0)


def test_gbk_csv_and_legacy_xls(store: Store, tmp_path: Path) -> None:
    csv_path = tmp_path / "名单.csv"
    csv_path.write_bytes("\r\n".join(",".join(r) for r in GOOD).encode("gbk"))
    plan = plan_enterprise_import(store, csv_path)
    assert (plan.new, plan.refused) == (3, 0)

    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for r, row in enumerate(GOOD):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(tmp_path / "名单.xls"))
    plan = plan_enterprise_import(store, tmp_path / "名单.xls")
    assert (plan.new, plan.refused) == (3, 0)
    apply_enterprise_import(store, plan)
    assert store.count_enterprises() == 3


def test_missing_name_column_changes_nothing(store: Store, tmp_path: Path) -> None:
    before = checksum(store)
    path = xlsx(tmp_path / "m.xlsx", [["信用代码", "地址"], ["91110000600037341L", "x"]])
    with pytest.raises(MissingColumns) as caught:
        plan_enterprise_import(store, path)
    assert caught.value.message.startswith("m.xlsx：") and "企业名称" in caught.value.message
    assert checksum(store) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.xlsx", bytes(range(256)) * 8),
        ("empty.xlsx", b""),
        ("csv.xlsx", "企业名称\n甲\n".encode()),
    ],
)
def test_bad_files_change_nothing(store: Store, tmp_path: Path, name: str, content: bytes) -> None:
    before = checksum(store)
    (tmp_path / name).write_bytes(content)
    with pytest.raises(UnreadableFile):
        plan_enterprise_import(store, tmp_path / name)
    assert checksum(store) == before


def test_one_transaction_a_failure_midway_writes_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_enterprise_import(store, xlsx(tmp_path / "n.xlsx", GOOD))
    before = checksum(store)
    written: list[int] = []

    def failing_audit(*args: object, **kwargs: object) -> None:
        # the rows and their search keys are in by now (the audit is written last)
        written.append(store.conn.execute("SELECT count(*) FROM enterprise").fetchone()[0])
        raise RuntimeError("power cut")

    monkeypatch.setattr(store.session, "audit_timed", failing_audit)
    with pytest.raises(RuntimeError):
        apply_enterprise_import(store, plan)
    assert written and written[0] > 0
    assert checksum(store) == before


def test_a_register_changed_since_the_preview_is_caught(
    store: Store, districts: dict[str, str], tmp_path: Path
) -> None:
    plan = plan_enterprise_import(store, xlsx(tmp_path / "o.xlsx", GOOD))
    store.add_enterprise(
        EnterpriseInput(name="抢先登记", credit_code="9144030071526726XG", district_id=None)
    )
    before = checksum(store)
    with pytest.raises(ImportRefused, match="重新预览"):
        apply_enterprise_import(store, plan)
    assert checksum(store) == before


def test_a_thousand_rows_in_one_go(store: Store, tmp_path: Path) -> None:
    rows: list[list[object]] = [["企业名称", "辖市区"]]
    rows += [[f"批量企业{i:04d}", "扬中市"] for i in range(1000)]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "p.xlsx", rows))
    assert plan.new == 1000
    apply_enterprise_import(store, plan)
    assert store.count_enterprises() == 1000


def test_errors_are_duibiao_errors() -> None:
    assert issubclass(ImportRefused, DuibiaoError)
    assert issubclass(UnreadableFile, DuibiaoError)
    assert issubclass(MissingColumns, DuibiaoError)


def test_an_update_moves_section_and_division_together(
    store: Store, districts: dict[str, str], tmp_path: Path
) -> None:
    trader = store.add_enterprise(
        EnterpriseInput(
            name="转型企业", district_id=districts["扬中市"], industry_division="51", notes="旧"
        )
    )
    assert trader.industry_section == "F"
    rows = [
        ["企业名称", "辖市区", "所在行业", "备注"],
        ["转型企业", "扬中", "38", "第一条\n第二条"],
    ]
    plan = plan_enterprise_import(store, xlsx(tmp_path / "q.xlsx", rows), mode="update")
    assert plan.updated == 1, [str(p) for p in plan.problems]
    apply_enterprise_import(store, plan)
    now = store.get_enterprise(trader.id)
    assert (now.industry_section, now.industry_division) == ("C", "38")
    assert now.notes == "第一条\n第二条"
