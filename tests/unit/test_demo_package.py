"""The demo package: data tables apart from the generators, the store's public doors only,
measure progress stamped and repeatable."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from duibiao_tui.demo import fill_demo
from duibiao_tui.store.store import Store
from tests.unit.clocks import ticking

DEMO = Path(__file__).parents[2] / "duibiao_tui" / "demo"
TABLES = sorted(DEMO.glob("*_tables.py"))
MODULES = sorted([*DEMO.glob("*.py"), *DEMO.parent.glob("demo*.py")])
"""Every demo module, wherever it lives (``demo.py`` and ``demo_review.py`` once)."""


def test_the_tables_are_data_apart_from_the_generators() -> None:
    assert {p.stem for p in TABLES} == {"enterprise_tables", "item_tables", "review_tables"}
    for path in TABLES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert imported <= {"__future__", "dataclasses"}, path.name
        assert not any(
            isinstance(n, ast.ClassDef)
            and n.body
            and any(isinstance(m, ast.FunctionDef) for m in n.body)
            for n in ast.walk(tree)
        ), f"{path.name} holds behaviour"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_the_demo_uses_only_the_stores_public_methods(path: Path) -> None:
    """No SQL on ``store.conn``, no private statements or helpers of the store."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"line {n.lineno}: .{n.attr}"
        for n in ast.walk(tree)
        if isinstance(n, ast.Attribute)
        and (n.attr == "conn" or (n.attr.startswith("_") and not n.attr.startswith("__")))
        and not (isinstance(n.value, ast.Name) and n.value.id == "self")
    ]
    store_imports = [
        f"{n.module}: {[a.name for a in n.names]}"
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
        and (n.module or "").startswith("duibiao_tui.store")
        and n.module != "duibiao_tui.store.store"
        # the record ``store.bulk.write_enterprises`` takes and the error it raises
        and not (
            n.module == "duibiao_tui.store.bulk"
            and {a.name for a in n.names} <= {"EnterpriseWrite", "EnterpriseWriteRefused"}
        )
    ]
    assert private == [] and store_imports == []


def measure_progress(seed: int) -> tuple[list[tuple[str, int, str, str | None, str]], Store]:
    store = Store.memory(officer="演示数据", clock=ticking())
    fill_demo(store, enterprises=12, seed=seed)
    rows = store.conn.execute(
        "SELECT e.name, i.seq, i.measure_state, i.done_date, i.done_note FROM benchmark_item i "
        "JOIN enterprise e ON e.id = i.enterprise_id ORDER BY e.name, i.seq"
    ).fetchall()
    return rows, store


def test_measure_progress_is_the_same_for_the_same_seed() -> None:
    first, _ = measure_progress(7)
    again, _ = measure_progress(7)
    assert {state for _n, _s, state, _d, _t in first} == {"未开始", "进行中", "已完成"}
    assert again == first


def test_measure_progress_is_stamped_and_audited_like_the_follow_up_screens() -> None:
    _, store = measure_progress(7)
    stamps = store.conn.execute(
        "SELECT updated_at > created_at, updated_by, count(*) FROM benchmark_item "
        "WHERE measure_state != '未开始' GROUP BY 1, 2"
    ).fetchall()
    assert [(later, by) for later, by, _ in stamps] == [(1, "演示数据")]
    done = store.conn.execute(
        "SELECT count(*) FROM benchmark_item WHERE measure_state = '已完成'"
    ).fetchone()[0]
    audited = store.conn.execute(
        "SELECT count(*) FROM audit_log WHERE table_name = 'benchmark_item' "
        "AND field = 'done_date' AND new_value IS NOT NULL"
    ).fetchone()[0]
    assert done and audited == done
