"""A form imported again keeps the form's 序号 and order (issue 12, item 4): a row the
enterprise inserted goes under its number, the rows after it — updated or not — take the
numbers the form gives them, a reordered form reorders the rows (the same rows, updated in
place), and a stored row the form does not mention keeps its number."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.excel.form_import import apply_form_import, plan_form_import
from duibiao_tui.store.store import Store

ENTERPRISE = "镇江市长江电器设备厂"
HEADINGS = ["序号", "标杆企业", "项目", "指标内容", "提升计划和措施"]


def write_form(path: Path, rows: list[tuple[int | str, str, str, str]]) -> Path:
    """A hand-made 情况表: (序号, 项目, 指标内容, 提升计划和措施) per row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "情况表"
    ws.append([f"对标单位：{ENTERPRISE}"])
    ws.append(HEADINGS)
    for seq, aspect, indicator, measures in rows:
        ws.append([seq, "正泰电气股份有限公司", aspect, indicator, measures])
    wb.save(path)
    return path


def import_form(store: Store, path: Path) -> object:
    plan = plan_form_import(store, path)
    assert plan.refused == 0, [str(p) for p in plan.problems]
    apply_form_import(store, plan)
    return plan


def stored(store: Store) -> list[tuple[int, str, str]]:
    (enterprise_id,) = [r[0] for r in store.conn.execute("SELECT id FROM enterprise")]
    return [(i.seq, i.indicator, i.measures) for i in store.items_for(enterprise_id)]


def ids(store: Store) -> dict[str, str]:
    """指标内容 → row id."""
    (enterprise_id,) = [r[0] for r in store.conn.execute("SELECT id FROM enterprise")]
    return {i.indicator: i.id for i in store.items_for(enterprise_id)}


@pytest.fixture
def three_rows(store: Store, tmp_path: Path) -> dict[str, str]:
    rows = [(1, "设备", "甲", "措施甲"), (2, "工艺", "乙", "措施乙"), (3, "性能", "丙", "措施丙")]
    import_form(store, write_form(tmp_path / "first.xlsx", rows))
    assert stored(store) == [(1, "甲", "措施甲"), (2, "乙", "措施乙"), (3, "丙", "措施丙")]
    return ids(store)


def test_a_row_inserted_in_the_form_keeps_the_forms_numbering(
    store: Store, three_rows: dict[str, str], tmp_path: Path
) -> None:
    path = write_form(
        tmp_path / "again.xlsx",
        [
            (1, "设备", "甲", "措施甲"),
            (2, "档次", "新", "措施新"),
            (3, "工艺", "乙", "措施乙"),
            (4, "性能", "丙", "措施丙，已改"),
        ],
    )
    plan = plan_form_import(store, path)
    assert [(i.action, i.seq_number, i.changes) for i in plan.items] == [
        ("unchanged", 1, ()),
        ("new", 2, ()),
        ("update", 3, ("序号",)),
        ("update", 4, ("提升计划和措施", "序号")),
    ]
    assert not any("序号" in w for w in plan.warnings)
    apply_form_import(store, plan)
    assert stored(store) == [
        (1, "甲", "措施甲"),
        (2, "新", "措施新"),
        (3, "乙", "措施乙"),
        (4, "丙", "措施丙，已改"),
    ]
    assert {k: v for k, v in ids(store).items() if k != "新"} == three_rows  # updated in place


def test_a_reordered_form_reorders_the_same_rows(
    store: Store, three_rows: dict[str, str], tmp_path: Path
) -> None:
    path = write_form(
        tmp_path / "again.xlsx",
        [(1, "性能", "丙", "措施丙"), (2, "设备", "甲", "措施甲"), (3, "工艺", "乙", "措施乙")],
    )
    plan = import_form(store, path)
    assert [i.action for i in plan.items] == ["update"] * 3  # type: ignore[attr-defined]
    assert stored(store) == [(1, "丙", "措施丙"), (2, "甲", "措施甲"), (3, "乙", "措施乙")]
    assert ids(store) == three_rows
    # The same form once more: nothing to do.
    again = plan_form_import(store, path)
    assert [i.action for i in again.items] == ["unchanged"] * 3 and again.writes == 0


def test_a_row_the_form_does_not_mention_keeps_its_number(
    store: Store, three_rows: dict[str, str], tmp_path: Path
) -> None:
    """乙 left out of the form stays at 2; the form's new row 2 cannot have it and goes
    last, said in the preview; 丙 keeps its own number when the form's is taken."""
    path = write_form(
        tmp_path / "again.xlsx",
        [(1, "设备", "甲", "措施甲"), (2, "档次", "新", "措施新"), (3, "性能", "丙", "措施丙")],
    )
    plan = import_form(store, path)
    assert [(i.action, i.seq_number) for i in plan.items] == [  # type: ignore[attr-defined]
        ("unchanged", 1),
        ("new", 4),
        ("unchanged", 3),
    ]
    assert any("序号 2 已是本企业另一行的序号" in w for w in plan.warnings)  # type: ignore[attr-defined]
    assert stored(store) == [
        (1, "甲", "措施甲"),
        (2, "乙", "措施乙"),
        (3, "丙", "措施丙"),
        (4, "新", "措施新"),
    ]
