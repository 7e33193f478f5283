"""Each copy of a database file is a source of its own when the city merges.

Seen before: the id came from when the first migration ran, so copies shared it and the
city treated two districts' files as one source (one district's edit reverted the other's),
and a file copied from the city's own could not be merged ("就是本数据库").
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.merge import merge_files, open_conflicts
from duibiao_tui.store.package import make_package, unpacked
from duibiao_tui.store.store import Store
from tests.reliability.faults import sqlite_check

NAME = "镇江市长江电器设备厂"


def _edit(path: Path, **fields: str) -> None:
    store = Store.open(path, officer=path.stem)
    eid = store.first_enterprises(1)[0].id
    store.update_enterprise(
        eid, dataclasses.replace(store.get_enterprise(eid).to_input(), **fields)
    )
    store.close()


def _setting(path: Path, key: str) -> str | None:
    store = Store.open(path)
    try:
        return store.setting(key)
    finally:
        store.close()


def test_two_copies_edited_differently_both_reach_the_city(tmp_path: Path) -> None:
    a, b, city = tmp_path / "jingkou.db", tmp_path / "copy" / "runzhou.db", tmp_path / "city.db"
    store = Store.open(a, officer="模板")
    store.add_enterprise(EnterpriseInput(name=NAME, address="旧地址", main_products="旧产品"))
    store.close()
    b.parent.mkdir()
    shutil.copy(a, b)  # the same database twice, as districts began from one template

    city_store = Store.open(city, officer="市局")
    merge_files(city_store, [a])  # the city had merged the template once already
    city_store.close()

    _edit(a, address="京口改的地址")
    _edit(b, main_products="润州改的产品")
    assert _setting(a, "database_id") != _setting(b, "database_id")

    city_store = Store.open(city, officer="市局")
    try:
        merge_files(city_store, [a])
        merge_files(city_store, [b])
        eid = city_store.first_enterprises(1)[0].id
        merged = city_store.get_enterprise(eid)
        # The first district's update is never reverted by the second copy.
        assert merged.address == "京口改的地址"
        waiting = open_conflicts(city_store)
        assert merged.main_products == "润州改的产品" or waiting  # taken, or shown to decide
        sources = city_store.conn.execute("SELECT count(*) FROM merge_source").fetchone()[0]
        assert sources == 2
    finally:
        city_store.close()
    assert sqlite_check(city) == "ok"


def test_a_copy_of_the_citys_own_file_can_be_merged_into_it(tmp_path: Path) -> None:
    city, district = tmp_path / "city.db", tmp_path / "d" / "dantu.db"
    store = Store.open(city, officer="市局")
    store.add_enterprise(EnterpriseInput(name=NAME))
    store.close()
    district.parent.mkdir()
    shutil.copy(city, district)
    store = Store.open(district, officer="丹徒")
    store.add_enterprise(EnterpriseInput(name="江苏恒顺醋业股份有限公司"))
    store.close()
    store = Store.open(city, officer="市局")
    try:
        report = merge_files(store, [district])
        assert store.count_enterprises() == 2 and not report.conflicts
    finally:
        store.close()


def test_a_package_of_an_unopened_copy_has_the_id_the_copy_will_have(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b" / "b.db"
    Store.open(a).close()
    b.parent.mkdir()
    shutil.copy(a, b)
    package = make_package(b, tmp_path / "b.duibiao")  # read-only: b not yet re-identified
    with unpacked(package.path) as plain:  # a compressed package: what it holds
        assert sqlite_check(plain) == "ok"
    carried = _settings(package.path)["database_id"]
    assert carried != _setting(a, "database_id")
    assert carried == _setting(b, "database_id")  # stable: the next package says the same
    assert _setting(a, "database_id") == _setting(a, "database_id")


def test_a_file_moved_on_its_machine_keeps_its_id(tmp_path: Path) -> None:
    a, moved = tmp_path / "a.db", tmp_path / "new place" / "a.db"
    Store.open(a).close()
    own = _setting(a, "database_id")
    moved.parent.mkdir()
    shutil.move(a, moved)
    assert _setting(moved, "database_id") == own


# -- files copied before per-copy ids ------------------------------------------------------

OTHER = "江苏恒顺醋业股份有限公司"


def _as_before_this_release(path: Path, database_id: str) -> None:
    """What a file of the earlier release holds: the shared derived id, no home, no parent."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM setting WHERE key IN ('database_home', 'database_parent_id')")
        conn.execute(
            "INSERT OR REPLACE INTO setting (key, value) VALUES ('database_id', ?)", [database_id]
        )
    conn.close()


def _edit_named(path: Path, name: str, **fields: str) -> None:
    store = Store.open(path, officer=path.stem)
    found = next(e for e in store.first_enterprises(10) if e.name == name)
    store.update_enterprise(
        found.id, dataclasses.replace(store.get_enterprise(found.id).to_input(), **fields)
    )
    store.close()


def _settings(path: Path) -> dict[str, str]:
    with unpacked(path) as plain:  # a package is compressed; a database is itself
        conn = sqlite3.connect(plain)
        try:
            return dict(conn.execute("SELECT key, value FROM setting"))
        finally:
            conn.close()


@pytest.mark.parametrize("order", ["润州先", "京口先"])
def test_two_copies_from_before_this_release_edited_differently_both_survive(
    tmp_path: Path, order: str
) -> None:
    template, a, b = tmp_path / "template.db", tmp_path / "jk" / "d.db", tmp_path / "rz" / "d.db"
    store = Store.open(template, officer="模板")
    store.add_enterprise(EnterpriseInput(name=NAME, address="旧地址"))
    store.add_enterprise(EnterpriseInput(name=OTHER, main_products="旧产品"))
    store.close()
    legacy = _settings(template)["database_id"]
    _as_before_this_release(template, legacy)
    for copy in (a, b):  # the earlier release: both districts began from one file
        copy.parent.mkdir()
        shutil.copy(template, copy)

    # Under the earlier release 京口 changed an address and the city merged it (as `legacy`).
    _edit_named(a, NAME, address="京口改的地址")
    _as_before_this_release(a, legacy)
    city = tmp_path / "city.db"
    city_store = Store.open(city, officer="市局")
    merge_files(city_store, [a])
    city_store.close()

    # This release: each file takes an id of its own on its first open, keeping the old one.
    _edit_named(b, OTHER, main_products="润州改的产品")
    _edit_named(a, NAME, address="京口再改的地址")
    ids = {path: _settings(path) for path in (a, b)}
    assert ids[a]["database_id"] != ids[b]["database_id"]
    assert legacy not in (ids[a]["database_id"], ids[b]["database_id"])
    assert ids[a]["database_parent_id"] == ids[b]["database_parent_id"] == legacy
    packages = {path: make_package(path, path.parent / "d.duibiao").path for path in (a, b)}
    for path, package in packages.items():
        with unpacked(package) as plain:
            assert sqlite_check(plain) == "ok" and sqlite_check(plain, "quick_check") == "ok"
        carried = _settings(package)
        assert carried["database_id"] == ids[path]["database_id"]
        assert carried["database_parent_id"] == legacy

    city_store = Store.open(city, officer="市局")
    try:
        for path in (b, a) if order == "润州先" else (a, b):
            merge_files(city_store, [packages[path]])
        merged = {e.name: city_store.get_enterprise(e.id) for e in city_store.first_enterprises(10)}
        assert merged[NAME].address == "京口再改的地址"  # never reverted to 旧地址
        assert merged[OTHER].main_products == "润州改的产品"
        assert open_conflicts(city_store) == []
        sources = city_store.conn.execute("SELECT count(*) FROM merge_source").fetchone()[0]
        assert sources == 3  # the file as merged before, and each copy on its own
    finally:
        city_store.close()
    assert sqlite_check(city) == "ok"


def test_a_package_of_a_file_from_before_this_release_says_the_id_it_will_take(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.db"
    Store.open(path).close()
    legacy = _settings(path)["database_id"]
    _as_before_this_release(path, legacy)
    package = make_package(path, tmp_path / "d.duibiao").path  # read only: not yet claimed
    carried = _settings(package)
    assert carried["database_parent_id"] == legacy and carried["database_id"] != legacy
    assert _setting(path, "database_id") == carried["database_id"]  # now claimed: the same
    assert _settings(path)["database_parent_id"] == legacy
