"""SIGKILL in the middle of an import leaves none or all of its rows, never a part.

A forked child imports a 300-row enterprise list and then a filled 情况表 (a new enterprise
and its 40 rows), each in one transaction after a backup, writing a marker to a pipe
before each import starts (``list-start``) and after its commit returned (``list-done``).
The parent kills it with SIGKILL, half the time at a random moment of the whole run and
half the time at a random moment inside one import (after its start marker), then checks
the file: integrity_check is ok, and each import is either wholly there or wholly absent
(all 300 enterprises or none; the form's enterprise with all 40 rows or nothing). A
reported commit must be there. Every kill works on a fresh copy of the same database.
"""

from __future__ import annotations

import os
import random
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from duibiao_tui.domain.identifiers import org_code_check_char, uscc_check_char
from duibiao_tui.excel.enterprise_import import apply_enterprise_import, plan_enterprise_import
from duibiao_tui.excel.form_import import apply_form_import, plan_form_import
from duibiao_tui.store.store import Store
from tests.reliability.faults import fork_and_kill

KILLS = 40
LIST_ROWS = 300
FORM_ROWS = 40
FORM_NAME = "镇江市断电测试机械有限公司"
LIST_PREFIX = "镇江市导入测试"
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def _uscc(n: int) -> str:
    body = f"{n:08d}"
    first17 = f"913211{'02'}{body}{org_code_check_char(body)}"[:17]
    return first17 + uscc_check_char(first17)


def make_files(folder: Path) -> tuple[Path, Path]:
    listing = folder / "名单.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["序号", "企业名称", "统一社会信用代码", "辖市区", "主导产品", "联系电话"])
    districts = ["京口区", "润州区", "丹徒区", "丹阳市", "扬中市", "句容市"]
    for n in range(LIST_ROWS):
        ws.append(
            [
                n + 1,
                f"{LIST_PREFIX}{n:03d}有限公司",
                _uscc(10_000 + n) if n % 3 == 0 else "",
                districts[n % len(districts)],
                "减速机",
                f"0511-8501{n:04d}",
            ]
        )
    workbook.save(listing)

    form = folder / "情况表.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["镇江市工业企业质量标杆对比活动情况表"])
    ws.append([f"对标单位：{FORM_NAME}", None, None, "地址：镇江市京口区学府路1号"])
    ws.append(["序号", "标杆(优秀)企业/地址", "项目", "指标内容", "标杆水平", "对比结果",
               "提升计划和措施", "落实部门", "完成时间", "备注"])  # fmt: skip
    for n in range(FORM_ROWS):
        ws.append([n + 1, "正泰集团/浙江乐清", "设备", f"指标{n:02d}", "90%", "落后 低 5 个百分点",
                   "改进", "设备科", "2010年底", ""])  # fmt: skip
    ws.append(["注：此表请报送。"])
    ws.append(["单位填报人：王芳", None, None, None, None, "电话：0511-85012345"])
    workbook.save(form)
    return listing, form


def _child(db: Path, listing: Path, form: Path, write_fd: int) -> None:
    """Runs in the forked process; never returns."""
    try:
        store = Store.open(db, officer="kill", quick_check=False)
        os.write(write_fd, b"list-start\n")
        apply_enterprise_import(store, plan_enterprise_import(store, listing))
        os.write(write_fd, b"list-done\n")
        os.write(write_fd, b"form-start\n")
        apply_form_import(store, plan_form_import(store, form))
        os.write(write_fd, b"form-done\n")
        store.close()
    finally:
        os._exit(0)


def _copy(source: Path, target: Path) -> None:
    """A fresh copy through SQLite's backup API (never a plain file copy of a database)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def run_child(
    db: Path, listing: Path, form: Path, *, delay: float | None, after: str | None = None
) -> tuple[list[str], dict[str, float]]:
    """Fork the importer; kill it ``delay`` s after start (or after marker ``after``); with
    ``delay`` None let it finish. Returns the markers seen and when each arrived."""
    return fork_and_kill(lambda fd: _child(db, listing, form, fd), delay=delay, after=after)


def check_file(db: Path, markers: list[str]) -> tuple[str, str]:
    """integrity_check ok, each import none or all; returns the two outcomes."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        listed = conn.execute(
            "SELECT count(*) FROM enterprise WHERE name LIKE ?", [f"{LIST_PREFIX}%"]
        ).fetchone()[0]
        assert listed in (0, LIST_ROWS), f"enterprise list half imported: {listed} rows"
        if "list-done" in markers:
            assert listed == LIST_ROWS, "a committed list import was lost"
        firm = conn.execute("SELECT id FROM enterprise WHERE name = ?", [FORM_NAME]).fetchone()
        rows = 0
        if firm is not None:
            rows = conn.execute(
                "SELECT count(*) FROM benchmark_item WHERE enterprise_id = ? "
                "AND deleted_at IS NULL",
                [firm[0]],
            ).fetchone()[0]
        assert (firm is None and rows == 0) or rows == FORM_ROWS, (
            f"form half imported: enterprise {firm is not None}, {rows} rows"
        )
        if "form-done" in markers:
            assert rows == FORM_ROWS, "a committed form import was lost"
        seqs = [r[0] for r in conn.execute("SELECT seq FROM benchmark_item ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1))
        return ("all" if listed else "none"), ("all" if rows else "none")
    finally:
        conn.close()


def test_sigkill_during_imports(store: Store, tmp_path: Path) -> None:
    pristine = tmp_path / "pristine.db"
    store.close()
    _copy(Path(str(store.path)), pristine)
    listing, form = make_files(tmp_path)

    # Warm up in this process (pinyin tables, phone metadata, calamine): the children are
    # forked from it and so start where an officer's running app would be.
    warm = Store.open(tmp_path / "warm.db", officer="warm", quick_check=False)
    apply_enterprise_import(warm, plan_enterprise_import(warm, listing))
    apply_form_import(warm, plan_form_import(warm, form))
    warm.close()

    # A run to the end: how long each part takes here.
    whole = tmp_path / "whole.db"
    _copy(pristine, whole)
    markers, seen = run_child(whole, listing, form, delay=None)
    assert markers == ["list-start", "list-done", "form-start", "form-done"]
    assert check_file(whole, markers) == ("all", "all")
    spans = {
        "list-start": seen["list-done"] - seen["list-start"],
        "form-start": seen["form-done"] - seen["form-start"],
    }
    total = seen["form-done"]

    rng = random.Random(2009)
    outcomes: dict[tuple[str, str], int] = {}
    inside = 0
    for n in range(KILLS):
        db = tmp_path / f"kill-{n}.db"
        _copy(pristine, db)
        if n % 2:
            after = "list-start" if n % 4 == 1 else "form-start"
            markers, _ = run_child(
                db, listing, form, delay=rng.uniform(0, spans[after]), after=after
            )
            done = after.replace("start", "done")
            inside += after in markers and done not in markers
        else:
            markers, _ = run_child(db, listing, form, delay=rng.uniform(0, total * 1.1))
        outcome = check_file(db, markers)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    assert sum(outcomes.values()) == KILLS
    assert inside >= KILLS // 4, f"only {inside} kills landed inside an import"
    assert len(outcomes) >= 2, outcomes  # the kills fell at different stages
