"""Released migrations are frozen: literal SQL and rows, never the domain's live constants.

Editing ``REVIEW_STATUSES`` or ``ZHENJIANG_DISTRICTS`` must not give new files a history old
files never had; an old file upgraded must end where a new one starts; and the constants
must still agree with what was seeded, so a deliberate change to them is noticed and gets a
migration of its own.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import sqlite3
import sys
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from sqlite_utils import Database

import duibiao_tui.store as store_package
from duibiao_tui.domain import reference
from duibiao_tui.store.migrations import derived_database_id, migrations
from duibiao_tui.store.schema_dump import dump_schema
from duibiao_tui.store.store import Store
from duibiao_tui.store.versioning import KNOWN_MIGRATIONS

SEED_TABLES = ("district", "campaign")
LOCAL_SETTINGS = ("database_id", "database_home", "database_parent_id")
"""Settings that differ from file to file by design (when and where it was made)."""


STAMP = "2009-09-23 00:00:00.000000+00:00"
"""An ``applied_at`` of 0001_initial, from which 0003_merge derives a file's database_id."""


def seed_rows(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    rows = {
        table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        for table in SEED_TABLES
    }
    marks = ", ".join("?" for _ in LOCAL_SETTINGS)
    rows["setting"] = conn.execute(
        f"SELECT key, value FROM setting WHERE key NOT IN ({marks}) ORDER BY key", LOCAL_SETTINGS
    ).fetchall()
    return rows


def fingerprint(conn: sqlite3.Connection) -> str:
    """Every table, index and trigger as SQLite keeps it, and the seeded rows (not
    sqlite-utils' own bookkeeping table, whose text is the library's)."""
    schema = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "AND name != '_sqlite_migrations' ORDER BY type, name"
    ).fetchall()
    return repr(schema) + repr(seed_rows(conn))


def applied_up_to(path: Path, last: str) -> None:
    """A file as the release whose newest migration was ``last`` left it."""
    db = Database(path)
    later = KNOWN_MIGRATIONS[KNOWN_MIGRATIONS.index(last) + 1 :]
    migrations.apply(db, stop_before=later[0] if later else None)
    db.close()


def fresh(path: Path) -> sqlite3.Connection:
    Store.open(path).close()
    return sqlite3.connect(path)


RELEASED = {
    "0001_initial": "8168c5653b219cbedf6c76b69b5961cf5194d81b58602ef12b55605268d35406",
    "0002_review_indexes": "c83b8b1826114ece395ba8d2fa48b23b0bacbc56150cf20d9dabd9921010c879",
    "0003_merge": "b9a9db5d03236296bfacfe579269c64f2338811f6a5ac038046a6b8361ec8346",
    "0004_carry_index": "bd6ef9725656a6a85e4efeeeb482d14228c8eb8b678e4ebfe4edef11061e2699",
    "0005_form_draft": "11b9a49cc9ff6508002efde488e6c503c4c9603835fc34db7acf875fba34c61a",
    "0006_submission_filled_on": "f35909dada6328d50b44ad1e475246f0652fccc51f455795bdf251a49a4db8ff",
    "0007_merge_digest": "72c2429aba4a0eca676aa752b4dd90a10479727efff23b5c498c54a1206c60c2",
    "0008_search_index": "bdd6ba223276f2d29424a06d8127c34d0f4c6e07b9b35ab03f53e6b43c378b99",
}
"""sha256 of ``fingerprint`` of a file made by the migrations up to each one, as released
(taken from the migrations as they were before they were written out literally). Add a line
when a migration is released; never change one."""


@pytest.mark.parametrize("last", KNOWN_MIGRATIONS[:-1])
def test_a_file_made_by_the_first_migrations_alone_upgrades_to_a_fresh_files_schema(
    tmp_path: Path, last: str
) -> None:
    old = tmp_path / "old.db"
    applied_up_to(old, last)
    upgraded = fresh(old)  # opened by this release: the rest is applied
    new = fresh(tmp_path / "new.db")
    assert dump_schema(upgraded) == dump_schema(new)
    assert seed_rows(upgraded) == seed_rows(new)
    names = [r[0] for r in upgraded.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == list(KNOWN_MIGRATIONS)


@pytest.mark.parametrize("last", sorted(RELEASED))
def test_a_released_migration_still_makes_what_it_made(tmp_path: Path, last: str) -> None:
    path = tmp_path / "old.db"
    applied_up_to(path, last)
    digest = hashlib.sha256(fingerprint(sqlite3.connect(path)).encode()).hexdigest()
    assert digest == RELEASED[last], (
        f"{last} was edited after its release: put the change in a new migration instead"
    )


def made_by(module: ModuleType, path: Path) -> sqlite3.Connection:
    """A new file made by every migration of ``module``, and nothing else of the app."""
    db = Database(path)
    module.migrations.apply(db)
    db.close()
    return sqlite3.connect(path)


def test_editing_the_domain_constants_changes_nothing_a_new_file_gets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "duibiao_tui.store.migrations"
    before = fingerprint(made_by(sys.modules[name], tmp_path / "before.db"))
    edited = {
        "REVIEW_STATUSES": ("草稿", "已报送"),
        "VERDICTS": ("好", "差"),
        "BENCHMARK_LEVELS": ("一级",),
        "MEASURE_STATES": ("未开始", "已撤销"),
        "RECOGNITION_KINDS": ("表彰",),
        "PROMOTION_METHODS": ("网站",),
        "ZHENJIANG_DISTRICTS": (reference.DistrictSeed("320102", "玄武区", "市辖区"),),
        "CAMPAIGN_2009": reference.CampaignSeed(
            "另一活动", "苏质监[2010]1号", "某局", 2010, "2010-01-01", ""
        ),
        "CAMPAIGN_2009_ID": "00000000-0000-0000-0000-000000000000",
        "SEED_NAMESPACE": uuid.UUID(int=0),
    }
    for constant, value in edited.items():
        monkeypatch.setattr(reference, constant, value)
    # the migrations as a new process imports them, after the constants were edited
    monkeypatch.setattr(store_package, "migrations", sys.modules[name])
    monkeypatch.delitem(sys.modules, name)
    reimported = importlib.import_module(name)
    assert fingerprint(made_by(reimported, tmp_path / "after.db")) == before
    # 0003_merge's database_id, as released
    assert reimported.derived_database_id(STAMP) == "6d1328fd-f9b7-50ee-8f07-4959ea101abe"


def test_the_domain_constants_agree_with_what_the_migrations_seeded(tmp_path: Path) -> None:
    """Fails when a constant is changed deliberately: then add a migration that changes the
    CHECK or the rows, and update the test of what it makes."""
    conn = fresh(tmp_path / "new.db")
    checks: dict[tuple[str, str], tuple[str, ...]] = {}
    for table, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        for column, values in re.findall(r"(\w+) IN \(('[^)]*')\)", sql or ""):
            checks[(table, column)] = tuple(re.findall(r"'([^']*)'", values))
    assert checks[("benchmark_enterprise", "level")] == reference.BENCHMARK_LEVELS
    assert checks[("benchmark_item", "verdict")] == reference.VERDICTS
    assert checks[("benchmark_item", "measure_state")] == reference.MEASURE_STATES
    assert checks[("submission", "status")] == reference.REVIEW_STATUSES
    assert checks[("recognition", "kind")] == reference.RECOGNITION_KINDS
    assert checks[("recognition", "method")] == reference.PROMOTION_METHODS

    districts = conn.execute(
        "SELECT id, code, stats_code, name, kind, is_zone, history FROM district ORDER BY sort_order"
    ).fetchall()
    assert districts == [
        (
            reference.district_seed_id(seed),
            seed.code,
            seed.stats_code,
            seed.name,
            seed.kind,
            int(seed.kind == "功能区"),
            seed.history,
        )
        for seed in reference.ZHENJIANG_DISTRICTS
    ]
    c = reference.CAMPAIGN_2009
    assert conn.execute(
        "SELECT id, name, doc_number, issuer, year, deadline, recipients FROM campaign"
    ).fetchall() == [
        (
            reference.CAMPAIGN_2009_ID,
            c.name,
            c.doc_number,
            c.issuer,
            c.year,
            c.deadline,
            c.recipients,
        )
    ]
    active = conn.execute("SELECT value FROM setting WHERE key = 'active_campaign_id'").fetchone()
    assert active == (reference.CAMPAIGN_2009_ID,)
    assert derived_database_id(STAMP) == reference.seed_id("database", STAMP)
