"""Each copy of a database file is a source of its own when the city merges.

Seen before: the id came from when the first migration ran, so copies shared it and the
city treated two districts' files as one source (one district's edit reverted the other's),
and a file copied from the city's own could not be merged ("就是本数据库").
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.store.merge import merge_files, open_conflicts
from duibiao_tui.store.package import make_package
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
    assert sqlite_check(package.path) == "ok"
    import sqlite3

    conn = sqlite3.connect(package.path)
    carried = conn.execute("SELECT value FROM setting WHERE key = 'database_id'").fetchone()[0]
    conn.close()
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
