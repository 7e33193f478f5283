"""Merging district databases into the city's, and packaging a district's file.

Each test builds small district databases on real SQLite files with the store's own
methods (so their stamps, versions and audit rows are what the app writes), merges them
into the city's (the ``store`` fixture, officer 王明) and checks rows, not just reports.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from duibiao_tui.demo import fill_demo
from duibiao_tui.domain.identifiers import uscc_check_char
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.merge import (
    ADDED,
    CONFLICT,
    DUPLICATE,
    UNCHANGED,
    UPDATED,
    Decision,
    decide,
)
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.review import Receipt
from duibiao_tui.errors import DuplicateError, ValidationFailed
from duibiao_tui.store import search_index
from duibiao_tui.store.backup import backup_file, list_backups
from duibiao_tui.store.merge import (
    MergeRefused,
    confirm_duplicate,
    merge_files,
    open_conflicts,
    read_source,
    resolve_conflict,
)
from duibiao_tui.store.package import make_package, package_form, source_districts, unpacked
from duibiao_tui.store.store import Store

JK_TIME = "2009-10-07T15:00:00+08:00"
DY_TIME = "2009-10-06T10:00:00+08:00"
SYNCED = (
    "district",
    "campaign",
    "benchmark_enterprise",
    "enterprise",
    "submission",
    "benchmark_item",
    "review_event",
    "recognition",
    "recognition_score",
    "audit_log",
)
CODE = "91321102MA1XXXXX07"
"""The credit code the conftest's 镇江市长江电器设备厂 is registered with."""


def clock(at: str) -> Callable[[], str]:
    return lambda: at


def add(store: Store, name: str, district: str, code: str = "", **fields: Any) -> str:
    ids = {d.name: d.id for d in store.districts()}
    data = EnterpriseInput(name=name, credit_code=code, district_id=ids[district], **fields)
    return store.add_enterprise(data).id


def edit(store: Store, enterprise_id: str, **changes: Any) -> None:
    data = store.get_enterprise(enterprise_id).to_input()
    store.update_enterprise(enterprise_id, dataclasses.replace(data, **changes))


def item(store: Store, enterprise_id: str, indicator: str, remarks: str = "") -> str:
    data = ItemInput(aspect="设备", indicator=indicator, remarks=remarks)
    return store.add_item(enterprise_id, data).id


def edit_item(store: Store, item_id: str, remarks: str) -> None:
    row = store.conn.execute(
        "SELECT aspect, indicator FROM benchmark_item WHERE id = ?", [item_id]
    ).fetchone()
    store.update_item(item_id, ItemInput(aspect=row[0], indicator=row[1], remarks=remarks))


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: sorted(store.conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in SYNCED
    }


def column(store: Store, table: str, name: str, row_id: str) -> Any:
    return store.conn.execute(f"SELECT {name} FROM {table} WHERE id = ?", [row_id]).fetchone()[0]


# -- the rule ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("incoming", "local", "base", "versions", "expected"),
    [
        (1, None, None, (1, 1), Decision.INSERT),
        (1, 1, None, (3, 2), Decision.UNCHANGED),
        (1, 2, (1, 2), (2, 2), Decision.UNCHANGED),  # nobody changed it since
        (1, 3, (1, 2), (2, 3), Decision.KEEP),  # only here
        (4, 2, (1, 2), (3, 2), Decision.UPDATE),  # only there
        (4, 3, (1, 2), (3, 3), Decision.CONFLICT),  # both, differently
        (4, 4, (1, 2), (3, 3), Decision.UNCHANGED),  # both, the same way
        (4, 2, None, (3, 1), Decision.UPDATE),  # never merged; unedited here
        (4, 2, None, (1, 3), Decision.KEEP),  # never merged; unedited there
        (4, 2, None, (2, 3), Decision.CONFLICT),  # never merged; both edited
    ],
)
def test_decide(
    incoming: int,
    local: int | None,
    base: tuple[int, int] | None,
    versions: tuple[int, int],
    expected: Decision,
) -> None:
    got = decide(incoming, local, base, incoming_version=versions[0], local_version=versions[1])
    assert got is expected


def test_rows_registered_separately_are_never_taken_on_version_alone() -> None:
    assert decide(4, 2, None, incoming_version=3, local_version=1, same_row=False) is (
        Decision.CONFLICT
    )


# -- merging -----------------------------------------------------------------------------


def test_two_districts_with_overlapping_edits_merge_to_the_expected_result(
    store: Store, make_db: Callable[[str, str, str], Store]
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    dy = make_db("danyang", "赵丹阳", DY_TIME)
    e1 = add(jk, "镇江市京口阀门厂", "京口区", address="京口路1号")
    e2 = add(jk, "镇江市京口电缆厂", "京口区")
    i1 = item(jk, e1, "数控化率", "甲")
    jk.change_status([e1], "已报送", receipt=Receipt(date(2009, 10, 7), copy_city=True))
    e3 = add(dy, "丹阳市华通光学眼镜有限公司", "丹阳市")
    item(dy, e3, "镜片合格率")

    first = merge_files(store, [jk.path, dy.path])
    assert first.conflicts == []
    assert first.counts[("京口区", "企业")][ADDED] == 2
    assert first.counts[("京口区", "对标项目")][ADDED] == 1
    assert first.counts[("京口区", "报送审核")][ADDED] == 1
    assert first.counts[("丹阳市", "企业")][ADDED] == 1
    assert store.get_enterprise(e3).name == "丹阳市华通光学眼镜有限公司"
    assert store.submission(e1).status == "已报送"

    edit(jk, e1, address="京口路2号")  # only the district
    edit(store, e2, notes="市局已走访")  # only the city
    edit_item(jk, i1, "乙")  # both, differently
    edit_item(store, i1, "丙")
    i2 = item(jk, e1, "设备完好率")  # new in the district

    second = merge_files(store, [jk.path, dy.path])
    assert store.get_enterprise(e1).address == "京口路2号"
    assert store.get_enterprise(e2).notes == "市局已走访"
    assert column(store, "benchmark_item", "remarks", i1) == "丙"  # nothing taken silently
    assert column(store, "benchmark_item", "indicator", i2) == "设备完好率"
    assert second.counts[("京口区", "企业")][UPDATED] == 1
    assert second.counts[("京口区", "企业")][UNCHANGED] == 1
    assert second.counts[("京口区", "对标项目")][ADDED] == 1
    assert second.counts[("京口区", "对标项目")][CONFLICT] == 1
    assert second.counts[("丹阳市", "企业")][UNCHANGED] == 1
    [conflict] = second.conflicts
    assert (conflict.table, conflict.row_id, conflict.kind) == ("benchmark_item", i1, "conflict")
    assert [(d.column, d.local, d.incoming) for d in conflict.differences()] == [
        ("remarks", "丙", "乙")
    ]
    assert conflict.local_stamp.startswith("王明 2009-10-08 09:30")
    assert conflict.incoming_stamp.startswith("李京口 2009-10-07 15:00")
    assert [c.id for c in open_conflicts(store)] == [conflict.id]
    # The merge's own update is in the audit trail, as 合并 by the city's officer.
    merged = store.audit_for("enterprise", e1)
    assert {"officer": "王明", "action": "merge", "field": "address"}.items() <= merged[-1].items()


def test_merging_the_same_file_twice_changes_nothing(
    store: Store, make_db: Callable[[str, str, str], Store]
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    first17 = "91321102MA1XXXXX1"
    eid = add(jk, "镇江市京口阀门厂", "京口区", first17 + uscc_check_char(first17))
    item(jk, eid, "数控化率")
    jk.change_status([eid], "已报送", receipt=Receipt(date(2009, 10, 7)))
    merge_files(store, [jk.path])
    before = snapshot(store)
    again = merge_files(store, [jk.path])
    assert snapshot(store) == before
    assert again.total(ADDED) == again.total(UPDATED) == again.audit_added == 0
    assert again.total(UNCHANGED) > 0 and again.conflicts == []


def test_review_history_and_audit_entries_of_both_sides_are_kept(
    store: Store, seeded: dict[str, str], make_db: Callable[[str, str, str], Store]
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    eid = add(jk, "镇江市京口阀门厂", "京口区")
    jk.change_status([eid], "已报送", receipt=Receipt(date(2009, 10, 7)))
    jk.change_status([eid], "审核中")
    ours = next(iter(seeded.values()))
    store.change_status([ours], "已报送", receipt=Receipt(date(2009, 10, 8)))
    local_audit = {r[0] for r in store.conn.execute("SELECT id FROM audit_log")}
    their_audit = {r[0] for r in jk.conn.execute("SELECT id FROM audit_log")}

    merge_files(store, [jk.path])
    history = store.review_history(eid)
    assert [(e.officer, e.target) for e in history][-2:] in (
        [("李京口", "已报送"), ("李京口", "审核中")],
        [("李京口", "审核中"), ("李京口", "已报送")],
    )
    assert [e.target for e in store.review_history(ours)] == ["已报送"]
    merged_audit = {r[0] for r in store.conn.execute("SELECT id FROM audit_log")}
    assert local_audit | their_audit <= merged_audit


def test_dry_run_writes_nothing(store: Store, make_db: Callable[[str, str, str], Store]) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    item(jk, add(jk, "镇江市京口阀门厂", "京口区"), "数控化率")
    assert store.path is not None
    before = snapshot(store)
    report = merge_files(store, [jk.path], dry_run=True)
    assert report.dry_run and report.total(ADDED) >= 2
    assert snapshot(store) == before
    assert store.conn.execute("SELECT count(*) FROM merge_source").fetchone()[0] == 0
    assert list_backups(store.path) == []
    merge_files(store, [jk.path])
    assert [b.reason for b in list_backups(store.path)] == ["合并前"]


def test_a_merge_that_brings_nothing_new_copies_no_backup(
    store: Store, make_db: Callable[[str, str, str], Store]
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    eid = add(jk, "镇江市京口阀门厂", "京口区", address="京口路1号")
    assert store.path is not None
    merge_files(store, [jk.path])
    assert len(list_backups(store.path)) == 1
    before = snapshot(store)
    again = merge_files(store, [jk.path])
    assert again.written == 0 and again.backup is None
    assert snapshot(store) == before and len(list_backups(store.path)) == 1
    edit(jk, eid, address="京口路2号")
    changed = merge_files(store, [jk.path])
    assert changed.backup is not None and len(list_backups(store.path)) == 2
    # the backup, copied while the merge's transaction was open, is the city before it
    copy = sqlite3.connect(Path(changed.backup).as_uri() + "?mode=ro", uri=True)
    try:
        assert copy.execute("SELECT address FROM enterprise WHERE id = ?", [eid]).fetchone() == (
            "京口路1号",
        )
    finally:
        copy.close()
    assert store.get_enterprise(eid).address == "京口路2号"


# -- conflicts ---------------------------------------------------------------------------


def _enterprise_conflict(
    store: Store, make_db: Callable[[str, str, str], Store]
) -> tuple[Store, str, str]:
    jk = make_db("jingkou", "李京口", JK_TIME)
    eid = add(jk, "镇江市京口阀门厂", "京口区", address="京口路1号")
    merge_files(store, [jk.path])
    edit(jk, eid, address="京口路2号", contact_name="李四")
    edit(store, eid, address="京口路9号", notes="市局备注")
    report = merge_files(store, [jk.path])
    [conflict] = report.conflicts
    assert {d.column for d in conflict.differences()} == {"address", "contact_name", "notes"}
    assert store.get_enterprise(eid).address == "京口路9号"
    return jk, eid, conflict.id


@pytest.mark.parametrize(
    ("choice", "fields", "expected"),
    [
        ("local", None, ("京口路9号", "", "市局备注")),
        ("incoming", None, ("京口路2号", "李四", "")),
        (
            "edit",
            {"address": "incoming", "contact_name": "incoming"},
            ("京口路2号", "李四", "市局备注"),
        ),
    ],
)
def test_a_conflict_is_resolved_and_stays_resolved(
    store: Store,
    make_db: Callable[[str, str, str], Store],
    choice: str,
    fields: dict[str, str] | None,
    expected: tuple[str, str, str],
) -> None:
    jk, eid, conflict_id = _enterprise_conflict(store, make_db)
    resolve_conflict(store, conflict_id, choice, fields)
    shown = store.get_enterprise(eid)
    assert (shown.address, shown.contact_name, shown.notes) == expected
    assert open_conflicts(store) == []
    assert merge_files(store, [jk.path]).conflicts == []  # not asked again
    # A later change made only in the district now flows in without a question.
    edit(jk, eid, main_products="闸阀")
    later = merge_files(store, [jk.path])
    assert later.conflicts == [] and later.counts[("京口区", "企业")][UPDATED] == 1
    shown = store.get_enterprise(eid)
    assert (shown.address, shown.contact_name, shown.notes, shown.main_products) == (
        *expected,
        "闸阀",
    )


def test_a_conflict_is_not_settled_over_a_newer_local_edit(
    store: Store, make_db: Callable[[str, str, str], Store]
) -> None:
    _, eid, conflict_id = _enterprise_conflict(store, make_db)
    edit(store, eid, notes="又改了")
    with pytest.raises(Exception, match="又被修改过"):
        resolve_conflict(store, conflict_id, "incoming")
    assert store.get_enterprise(eid).notes == "又改了"


# -- duplicate enterprises ---------------------------------------------------------------


def test_duplicates_by_credit_code_are_found_and_confirmed(
    store: Store, seeded: dict[str, str], make_db: Callable[[str, str, str], Store]
) -> None:
    ours = seeded["镇江市长江电器设备厂"]
    jk = make_db("jingkou", "李京口", JK_TIME)
    theirs = add(jk, "镇江长江电器设备厂", "京口区", CODE)  # same code, written differently
    i1 = item(jk, theirs, "数控化率")
    jk.change_status([theirs], "已报送", receipt=Receipt(date(2009, 10, 7)))

    report = merge_files(store, [jk.path])
    [dup] = report.conflicts
    assert (dup.kind, dup.row_id, dup.local_id) == ("duplicate", theirs, ours)
    assert dup.reason == "统一社会信用代码相同"
    assert dup.waiting == 3  # the row, the submission, its review event
    assert report.counts[("京口区", "企业")][DUPLICATE] == 1
    assert report.counts[("京口区", "对标项目")][DUPLICATE] == 1
    assert (
        store.conn.execute("SELECT count(*) FROM enterprise WHERE id = ?", [theirs]).fetchone()[0]
        == 0
    )
    assert store.items_for(ours) == []  # nothing of it written before the officer says so

    confirm_duplicate(store, dup.id, True)
    assert [i.id for i in store.items_for(ours)] == [i1]
    assert store.submission(ours).status == "已报送"
    assert [e.officer for e in store.review_history(ours)] == ["李京口"]
    assert open_conflicts(store) == []

    assert merge_files(store, [jk.path]).conflicts == []  # the mapping is remembered
    edit_item(jk, i1, "区里补充")
    edit(jk, theirs, address="京口路8号")
    later = merge_files(store, [jk.path])
    assert later.conflicts == []
    assert column(store, "benchmark_item", "remarks", i1) == "区里补充"
    assert store.get_enterprise(ours).address == "京口路8号"
    assert store.get_enterprise(ours).name == "镇江市长江电器设备厂"  # only what they changed
    assert store.count_enterprises() == len(seeded)


def test_a_duplicate_by_name_can_be_kept_as_a_second_enterprise(
    store: Store, seeded: dict[str, str], make_db: Callable[[str, str, str], Store]
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    theirs = add(jk, "镇江市长江电器设备厂", "京口区")  # same name, no code
    item(jk, theirs, "数控化率")
    [dup] = merge_files(store, [jk.path]).conflicts
    assert dup.reason == "同一辖市区名称相同"
    with pytest.raises(DuplicateError):
        confirm_duplicate(store, dup.id, False)  # unchanged, it would clash
    with pytest.raises(ValidationFailed):
        confirm_duplicate(store, dup.id, False, name="  ")
    confirm_duplicate(store, dup.id, False, name="镇江市长江电器设备二厂")
    added = store.get_enterprise(theirs)
    assert added.name == "镇江市长江电器设备二厂"
    assert [i.indicator for i in store.items_for(theirs)] == ["数控化率"]
    assert store.count_enterprises() == len(seeded) + 1
    from duibiao_tui.domain.models import EnterpriseQuery

    found = store.search_enterprises(EnterpriseQuery(text="二厂"))
    assert [r.id for r in found] == [theirs]
    assert merge_files(store, [jk.path]).conflicts == []


# -- refused files -----------------------------------------------------------------------


def _corrupt(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(200)])
    conn.commit()
    conn.close()
    with path.open("r+b") as handle:
        handle.seek(4096 * 3 + 100)
        handle.write(b"\xff" * 3000)


@pytest.mark.parametrize(
    "kind", ["text", "zip", "corrupt", "packed cut", "newer", "itself", "copy", "missing"]
)
def test_refused_files_change_nothing(
    store: Store, make_db: Callable[[str, str, str], Store], tmp_path: Path, kind: str
) -> None:
    assert store.path is not None
    jk = make_db("jingkou", "李京口", JK_TIME)
    add(jk, "镇江市京口阀门厂", "京口区")
    bad = tmp_path / "bad.duibiao"
    if kind == "text":
        bad.write_text("企业名称,信用代码\n", encoding="utf-8")
    elif kind == "zip":
        bad.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    elif kind == "corrupt":
        _corrupt(bad)
    elif kind == "packed cut":  # a whole gzip of a database cut short: no package makes one
        jk.close()
        assert jk.path is not None
        data = jk.path.read_bytes()
        bad.write_bytes(gzip.compress(data[: len(data) // 2]))
    elif kind == "newer":
        jk.close()
        shutil.copy(jk.path, bad)  # type: ignore[arg-type]
        conn = sqlite3.connect(bad)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('duibiao', '9999_future', '2030-01-01')"
        )
        conn.commit()
        conn.close()
    elif kind == "itself":
        bad = store.path
    elif kind == "copy":
        backup_file(store.path, bad)  # a backup of this very database
    else:
        bad = tmp_path / "nowhere.duibiao"
    before = snapshot(store)
    with pytest.raises(MergeRefused):
        merge_files(store, [jk.path, bad])  # one bad file refuses them all
    assert snapshot(store) == before
    assert list_backups(store.path) == []


def test_a_file_from_before_this_release_keeps_its_identity(
    store: Store, make_db: Callable[[str, str, str], Store], tmp_path: Path
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    add(jk, "镇江市京口阀门厂", "京口区")
    own_id = jk.setting("database_id")
    jk.close()
    old = tmp_path / "old.db"
    shutil.copy(jk.path, old)  # type: ignore[arg-type]
    conn = sqlite3.connect(old)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0003_merge'")
    conn.execute("DELETE FROM setting WHERE key = 'database_id'")
    for table in ("merge_pending", "merge_conflict", "merge_base", "merge_alias", "merge_source"):
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    assert read_source(old).database_id == own_id
    merge_files(store, [old])
    assert merge_files(store, [jk.path]).total(ADDED) == 0  # the same source, already in


# -- the city's figures ------------------------------------------------------------------


def test_the_dashboard_covers_every_merged_district(store: Store, tmp_path: Path) -> None:
    figures = {}
    packages = []
    for name, seed, district in (("a", 1, "京口区"), ("b", 2, "丹阳市")):
        source = Store.open(tmp_path / f"{name}.db", officer=name)
        fill_demo(source, enterprises=14, seed=seed)
        did = next(d.id for d in source.districts() if d.name == district)
        figures[did] = source.dashboard().status_by_district[did]
        assert source.path is not None
        source.close()
        path = tmp_path / f"{name}.db"
        chosen = next(d for d in source_districts(path) if d.name == district)
        packages.append(make_package(path, tmp_path / f"{name}.duibiao", district=chosen).path)
    report = merge_files(store, packages)
    assert report.conflicts == []
    city = store.dashboard().status_by_district
    assert {k: v for k, v in city.items() if sum(v.values())} == figures


def _content(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """A city's merged content: the synced rows (less each score's own id and the merge's
    own audit entry, which name this city's run) and its index definitions."""
    conn = sqlite3.connect(path)
    try:
        out = {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in SYNCED
            if table not in ("recognition_score", "audit_log")
        }
        out["recognition_score"] = sorted(
            conn.execute(
                "SELECT recognition_id, clause, category, points, max_points, edition "
                "FROM recognition_score"
            ).fetchall(),
            key=repr,
        )
        out["audit_log"] = sorted(
            conn.execute("SELECT * FROM audit_log WHERE table_name != 'merge_source'"),
            key=repr,
        )
        out["search_key"] = search_index.all_keys(conn)
        out["indexes"] = sorted(
            conn.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'")
        )
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return out
    finally:
        conn.close()


def test_a_compressed_package_and_its_plain_database_merge_to_the_same_city(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same content as a .duibiao package and as a plain .db (what a package of an
    earlier release is) merges to the same city; and the large-batch path (plain indexes
    dropped for the inserts and built again) writes what row-by-row inserts write."""
    from duibiao_tui.store.merge import writing

    packed, plain = [], []
    for name, seed, district in (("a", 1, "京口区"), ("b", 2, "丹阳市")):
        source = Store.open(tmp_path / f"{name}.db", officer=name)
        fill_demo(source, enterprises=14, seed=seed)
        source.close()
        path = tmp_path / f"{name}.db"
        chosen = next(d for d in source_districts(path) if d.name == district)
        package = make_package(path, tmp_path / f"{name}.duibiao", district=chosen).path
        assert package_form(package) == "gzip"
        with unpacked(package) as inside:
            shutil.copyfile(inside, tmp_path / f"{name}-package.db")
        assert package_form(tmp_path / f"{name}-package.db") != "gzip"
        packed.append(package)
        plain.append(tmp_path / f"{name}-package.db")
    cities = {}
    for label, files, bulk_rows in (("packed", packed, writing.BULK_ROWS), ("plain", plain, 1)):
        monkeypatch.setattr(writing, "BULK_ROWS", bulk_rows)
        city = Store.open(tmp_path / f"city-{label}.db", officer="市局", clock=clock(JK_TIME))
        report = merge_files(city, files)
        assert report.conflicts == [] and report.total(ADDED) > 0
        again = merge_files(city, files)
        assert again.written == 0 and again.backup is None
        city.close()
        cities[label] = _content(tmp_path / f"city-{label}.db")
    assert cities["packed"] == cities["plain"]


# -- packages ----------------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_district_package_holds_that_district_only(
    store: Store, seeded: dict[str, str], tmp_path: Path
) -> None:
    assert store.path is not None
    jk_id = seeded["镇江市长江电器设备厂"]
    dy_id = seeded["丹阳市华通光学眼镜有限公司"]
    item(store, jk_id, "数控化率")
    item(store, dy_id, "镜片合格率")
    store.change_status([dy_id], "已报送", receipt=Receipt(date(2009, 10, 8)))
    store.save_draft(jk_id, ItemInput(aspect="设备", indicator="草稿"))
    store.form_drafts.save("enterprise", jk_id, {"f-phone": "13912345678"})
    store.dashboard()  # the whole file's figures, remembered in it
    assert store.remembered_dashboard() is not None
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    live = _digest(store.path)
    district = next(d for d in store.districts() if d.name == "京口区")

    info = make_package(store.path, tmp_path / "out" / "京口区.duibiao", district=district)
    assert _digest(store.path) == live  # the live file is never touched
    assert (info.enterprises, info.items) == (1, 1)
    assert os.stat(info.path).st_mode & 0o777 == 0o600
    assert package_form(info.path) == "gzip"
    with unpacked(info.path) as plain:
        assert os.stat(plain).st_mode & 0o777 == 0o600
        _check_district_package(plain, store, seeded, jk_id)
    assert not plain.exists()
    with pytest.raises(Exception, match="已存在"):
        make_package(store.path, info.path, district=district)


def _check_district_package(plain: Path, store: Store, seeded: dict[str, str], jk_id: str) -> None:
    conn = sqlite3.connect(plain)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r[0] for r in conn.execute("SELECT id FROM enterprise")] == [jk_id]
    assert conn.execute("SELECT count(*) FROM submission").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM item_draft").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM form_draft").fetchone()[0] == 0
    # no search keys, nor FTS5's tombstones of them: only the index's two records of its own
    assert conn.execute("SELECT count(*) FROM search_index").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM search_index_data").fetchone()[0] == 2
    kept = {r[0] for r in conn.execute("SELECT key FROM setting")}
    assert "dashboard_figures" not in kept, "the source's figures would pass for the package's"
    gone = set(seeded.values()) - {jk_id}
    audited = {r[0] for r in conn.execute("SELECT row_id FROM audit_log")}
    assert jk_id in audited and not gone & audited
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log")  # the copy's triggers are back
    settings = dict(conn.execute("SELECT key, value FROM setting"))
    assert settings["package_district"] == "京口区"
    assert settings["database_id"] == store.setting("database_id")
    conn.close()


def test_a_package_taken_while_another_connection_writes_is_consistent(
    db_path: Path, tmp_path: Path
) -> None:
    writer = Store.open(db_path, officer="写入者")
    writer.close()
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        own = Store.open(db_path, officer="写入者", quick_check=False)
        district = own.districts()[0].id
        n = 0
        try:
            while not stop.is_set():
                n += 1
                with own.write():  # one enterprise and its three rows: all or nothing
                    eid = own.add_enterprise(
                        EnterpriseInput(name=f"并发测试企业{n}号", district_id=district)
                    ).id
                    for k in range(3):
                        own.add_item(eid, ItemInput(aspect="设备", indicator=f"指标{k}"))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            own.close()

    thread = threading.Thread(target=write)
    thread.start()
    try:
        counts = []
        for n in range(6):
            info = make_package(db_path, tmp_path / f"p{n}.duibiao")
            with unpacked(info.path) as plain:
                conn = sqlite3.connect(plain)
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                per = conn.execute(
                    "SELECT e.id, count(i.id) FROM enterprise e LEFT JOIN benchmark_item i "
                    "ON i.enterprise_id = e.id GROUP BY e.id"
                ).fetchall()
                assert all(k == 3 for _, k in per), per
                counts.append(len(per))
                conn.close()
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert counts[-1] > 0 and counts == sorted(counts)


@pytest.mark.parametrize(
    ("columns", "row"),
    [
        (["id", "name", "score"], {"id": "a", "name": "镇江", "score": 1.5, "x": 1}),
        (["id", "name", "score"], {"id": "a", "name": None}),  # a column missing
        (["id"], {"id": "a"}),
        ([], {"id": "a"}),
        (["name", "id"], {"id": 3, "name": "\ud800"}),  # a lone surrogate, as SQLite may give
    ],
)
def test_row_hash_is_the_hash_of_the_values_repr_that_city_files_store(
    columns: list[str], row: dict[str, object]
) -> None:
    """Merge bases in existing city files hold these hashes: however the values are
    gathered, the payload stays the repr of the list of the row's values (None if absent)."""
    import hashlib

    from duibiao_tui.domain.merge import row_hash

    payload = repr([row.get(c) for c in columns]).encode("utf-8", "surrogatepass")
    expected = int.from_bytes(hashlib.blake2b(payload, digest_size=8).digest(), "big", signed=True)
    assert row_hash(columns, row) == expected
    assert row_hash(columns, row) == expected  # the cached getter gives the same
