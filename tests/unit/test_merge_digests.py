"""A package merged again reads only the tables that changed (``store.merge.digests``).

The rule under test: whatever the city and the districts did in between, merging with the
remembered digests ends exactly where merging every table in full ends (the same rows, the
same open conflicts, the same report). The seeded walk below checks it after every step of
random edits on both sides, conflicts, duplicates and their decisions.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from duibiao_tui.domain.identifiers import uscc_check_char
from duibiao_tui.domain.merge import UNCHANGED, MergeReport
from duibiao_tui.domain.review import Receipt
from duibiao_tui.errors import DuplicateError
from duibiao_tui.store.merge import confirm_duplicate, merge_files, open_conflicts, resolve_conflict
from duibiao_tui.store.merge.digests import DIGESTED, DIGESTS_KEY
from duibiao_tui.store.package import make_package, source_districts, unpacked
from duibiao_tui.store.store import Store
from tests.unit.test_merge import (
    SYNCED,
    add,
    edit,
    edit_item,
    item,
)

JK_TIME = "2009-10-07T15:00:00+08:00"


def package(store: Store, tmp_path: Path, n: int = 0) -> Path:
    assert store.path is not None
    chosen = next(d for d in source_districts(store.path) if d.name == "京口区")
    return make_package(store.path, tmp_path / f"jk-{n}.duibiao", district=chosen, force=True).path


def content(conn: sqlite3.Connection) -> dict[str, Any]:
    """The city's rows (less ids and stamps a merge's own run makes) and its open questions."""
    out: dict[str, Any] = {}
    for table in SYNCED:
        cursor = conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        own = {"id"} if table in ("recognition_score", "audit_log") else set()
        out[table] = sorted(
            (tuple(v for k, v in zip(names, row, strict=True) if k not in own) for row in cursor),
            key=repr,
        )
    out["audit_log"] = [r for r in out["audit_log"] if "merge_source" not in r]
    out["conflicts"] = sorted(
        conn.execute(
            "SELECT kind, table_name, row_id, local_id, their_hash, our_hash, resolution "
            "FROM merge_conflict"
        )
    )
    out["pending"] = sorted(conn.execute("SELECT table_name, row_id, payload FROM merge_pending"))
    out["bases"] = sorted(conn.execute("SELECT * FROM merge_base"))
    out["aliases"] = sorted(
        conn.execute("SELECT table_name, incoming_id, local_id FROM merge_alias")
    )
    return out


def outcome(report: MergeReport) -> tuple[Any, ...]:
    totals = {key: dict(counter) for key, counter in report.counts.items()}
    return totals, report.audit_added, sorted((c.kind, c.table, c.row_id) for c in report.conflicts)


def merge_both_ways(city: Store, files: list[Path], tmp_path: Path) -> MergeReport:
    """Merge ``files`` into ``city`` with the digests, and into a copy of it without them;
    both end the same. Returns the first report."""
    copy_path = tmp_path / "city-full.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy_path}{suffix}").unlink(missing_ok=True)
    target = sqlite3.connect(copy_path)
    city.conn.backup(target)
    target.close()
    full = Store.open(copy_path, officer=city.officer, clock=city.clock)
    try:
        expected = merge_files(full, files, reuse_unchanged=False)
        want = content(full.conn)
    finally:
        full.close()
    got = merge_files(city, files)
    assert content(city.conn) == want
    assert outcome(got) == outcome(expected)
    return got


def test_a_package_carries_a_digest_of_every_synced_table(
    make_db: Callable[[str, str, str], Store], tmp_path: Path
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    add(jk, "镇江市京口阀门厂", "京口区")
    with unpacked(package(jk, tmp_path)) as plain:
        conn = sqlite3.connect(plain)
        digests = json.loads(
            conn.execute("SELECT value FROM setting WHERE key = ?", [DIGESTS_KEY]).fetchone()[0]
        )
        conn.close()
    assert sorted(digests) == sorted(DIGESTED)


def test_the_same_content_merged_again_is_not_read_and_a_change_is(
    make_db: Callable[[str, str, str], Store], tmp_path: Path
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    city = make_db("city", "王明", JK_TIME)
    eid = add(jk, "镇江市京口阀门厂", "京口区", address="京口路1号")
    item(jk, eid, "数控化率")
    first = merge_both_ways(city, [package(jk, tmp_path)], tmp_path)
    assert first.reused == {}
    # packed again the next day: other bytes, the same content
    again = merge_both_ways(city, [package(jk, tmp_path, 1)], tmp_path)
    assert len(again.reused["京口区"]) == len(DIGESTED) - 1  # scores go with recognitions
    assert again.written == 0 and again.backup is None
    assert again.counts[("京口区", "企业")][UNCHANGED] == 1
    assert any("未重新读取" in line for line in again.lines())
    edit(jk, eid, address="京口路2号")
    changed = merge_both_ways(city, [package(jk, tmp_path, 2)], tmp_path)
    assert "企业" not in changed.reused["京口区"] and "对标项目" in changed.reused["京口区"]
    assert city.get_enterprise(eid).address == "京口路2号"


def test_a_table_left_with_a_conflict_is_read_again_until_it_is_settled(
    make_db: Callable[[str, str, str], Store], tmp_path: Path
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    city = make_db("city", "王明", JK_TIME)
    eid = add(jk, "镇江市京口阀门厂", "京口区", address="京口路1号")
    merge_both_ways(city, [package(jk, tmp_path)], tmp_path)
    edit(jk, eid, address="京口路2号")
    edit(city, eid, address="京口路9号")
    [conflict] = merge_both_ways(city, [package(jk, tmp_path, 1)], tmp_path).conflicts
    again = merge_both_ways(city, [package(jk, tmp_path, 2)], tmp_path)
    assert [c.id for c in again.conflicts] == [conflict.id]  # kept, not dropped unseen
    resolve_conflict(city, conflict.id, "incoming")
    merge_both_ways(city, [package(jk, tmp_path, 3)], tmp_path)
    settled = merge_both_ways(city, [package(jk, tmp_path, 4)], tmp_path)
    assert "企业" in settled.reused["京口区"] and open_conflicts(city) == []


def test_a_confirmed_duplicate_makes_every_table_be_read_again(
    make_db: Callable[[str, str, str], Store], tmp_path: Path
) -> None:
    jk = make_db("jingkou", "李京口", JK_TIME)
    city = make_db("city", "王明", JK_TIME)
    first17 = "91321102MA1XXXXX1"
    code = first17 + uscc_check_char(first17)
    add(city, "镇江市京口阀门厂", "京口区", code)
    theirs = add(jk, "镇江京口阀门厂", "京口区", code)
    item(jk, theirs, "数控化率")
    [dup] = merge_both_ways(city, [package(jk, tmp_path)], tmp_path).conflicts
    confirm_duplicate(city, dup.id, True)
    after = merge_both_ways(city, [package(jk, tmp_path, 1)], tmp_path)
    assert after.reused == {}  # the mapping changed how its rows are read
    assert merge_both_ways(city, [package(jk, tmp_path, 2)], tmp_path).reused


@pytest.mark.parametrize("seed", [1, 3, 5, 6, 8])
def test_merging_with_digests_ends_where_a_full_merge_ends(
    make_db: Callable[[str, str, str], Store], tmp_path: Path, seed: int
) -> None:
    """A seeded walk of edits on both sides; after each, both ways of merging agree."""
    rng = random.Random(seed)
    jk = make_db("jingkou", "李京口", JK_TIME)
    city = make_db("city", "王明", JK_TIME)
    theirs = [add(jk, f"镇江市京口第{n}阀门厂", "京口区", address="京口路1号") for n in range(4)]
    items = [item(jk, eid, "数控化率") for eid in theirs]
    add(city, "镇江市京口第0阀门厂", "京口区")  # a duplicate by name
    seen: Counter[str] = Counter()
    for step in range(20):
        action = rng.choice(
            [
                "district edit",
                "district item",
                "district status",
                "city edit",
                "city item",
                "settle",
                "nothing",
                "district new",
            ]
        )
        if action == "district edit":
            edit(jk, rng.choice(theirs[:2]), address=f"京口路{rng.randint(2, 4)}号")
        elif action == "district item":
            edit_item(jk, rng.choice(items), f"区里第{step}次")
        elif action == "district status":
            eid = rng.choice(theirs)
            if jk.submission(eid).status == "未报送":
                jk.change_status([eid], "已报送", receipt=Receipt(date(2009, 10, 7)))
        elif action == "district new":
            theirs.append(add(jk, f"镇江市京口新{step}厂", "京口区"))
            items.append(item(jk, theirs[-1], "合格率"))
        elif action == "city edit":
            known = [
                e
                for e in theirs
                if city.conn.execute("SELECT 1 FROM enterprise WHERE id = ?", [e]).fetchone()
            ]
            if known:
                edit(city, rng.choice(known[:2]), address=f"京口路{rng.randint(3, 5)}号")
        elif action == "city item":
            known = [
                i
                for i in items
                if city.conn.execute(
                    "SELECT 1 FROM benchmark_item WHERE id = ? AND deleted_at IS NULL", [i]
                ).fetchone()
            ]
            if known:
                edit_item(city, rng.choice(known), f"市局第{step}次")
        elif action == "settle":
            for record in open_conflicts(city):
                if record.is_duplicate:
                    confirm_duplicate(
                        city, record.id, rng.random() < 0.5, name=f"另一家阀门厂{step}"
                    )
                else:
                    try:
                        resolve_conflict(city, record.id, rng.choice(["local", "incoming"]))
                    except DuplicateError:  # theirs would clash with a name kept here
                        resolve_conflict(city, record.id, "local")
        report = merge_both_ways(city, [package(jk, tmp_path, step)], tmp_path)
        seen.update(
            ["reused"] * bool(report.reused)
            + ["read"] * (len(report.reused.get("京口区", [])) < len(DIGESTED) - 1)
            + [c.kind for c in report.conflicts]
        )
    assert seen["reused"] and seen["read"] and seen["duplicate"] and seen["conflict"]


def test_an_unpacked_package_is_gone_after_a_merge_a_dry_run_and_a_refusal(
    make_db: Callable[[str, str, str], Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package stays unpacked while it is merged (its log and rows are copied inside
    SQLite from that file), and not a moment longer, whatever the end."""
    import tempfile

    from duibiao_tui.store.merge import MergeRefused, read_source
    from duibiao_tui.store.package import unpack_folder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    jk = make_db("jingkou", "李京口", JK_TIME)
    city = make_db("city", "王明", JK_TIME)
    item(jk, add(jk, "镇江市京口阀门厂", "京口区"), "数控化率")
    packed = package(jk, tmp_path)
    left = lambda: sorted(p.name for p in unpack_folder().iterdir())  # noqa: E731
    merge_files(city, [packed], dry_run=True)
    assert left() == []
    incoming = read_source(packed)
    assert incoming.plain is not None and incoming.plain.exists()
    report = merge_files(city, [incoming])
    assert report.audit_added > 0 and left() == []
    assert city.items_for(incoming.tables["enterprise"][0]["id"])  # copied in, then gone
    assert city.path is not None
    own = next(d for d in source_districts(city.path) if d.name == "京口区")
    mine = make_package(city.path, tmp_path / "own.duibiao", district=own).path
    with pytest.raises(MergeRefused):
        merge_files(city, [packed, mine])
    assert left() == []


def test_a_package_lacking_a_column_of_this_schema_still_merges_whole(
    make_db: Callable[[str, str, str], Store], tmp_path: Path
) -> None:
    """Rows are copied inside SQLite only from a table that has every column here; a
    package of an earlier schema (no 填报日期 on its submissions) has its rows bound from
    Python, the missing columns empty, and the rest still copied."""
    import gzip
    import shutil

    jk = make_db("jingkou", "李京口", JK_TIME)
    city = make_db("city", "王明", JK_TIME)
    eid = add(jk, "镇江市京口阀门厂", "京口区")
    item_id = item(jk, eid, "数控化率")
    jk.change_status([eid], "已报送", receipt=Receipt(date(2009, 10, 7)))
    old = tmp_path / "old.db"
    with unpacked(package(jk, tmp_path)) as plain:
        shutil.copyfile(plain, old)
    conn = sqlite3.connect(old)
    conn.execute("ALTER TABLE submission DROP COLUMN filled_on_text")
    conn.execute("ALTER TABLE submission DROP COLUMN filled_on")
    conn.commit()
    conn.close()
    with open(old, "rb") as source, gzip.open(tmp_path / "old.duibiao", "wb") as target:
        shutil.copyfileobj(source, target)
    report = merge_files(city, [tmp_path / "old.duibiao"])
    assert report.conflicts == []
    assert city.submission(eid).status == "已报送"
    row = city.conn.execute(
        "SELECT filled_on_text, filled_on FROM submission WHERE enterprise_id = ?", [eid]
    ).fetchone()
    assert row == (None, None)
    assert [i.id for i in city.items_for(eid)] == [item_id]
