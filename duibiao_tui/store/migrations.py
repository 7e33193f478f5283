"""Versioned schema for the whole campaign, applied at start-up.

A migration, once released, is never edited: change the schema or the seed data with a new
migration. Each is therefore literal SQL and literal rows, never built from the domain's
constants (``REVIEW_STATUSES``, ``ZHENJIANG_DISTRICTS``, …), so that editing a tuple there
cannot give new files a history old files never had. ``tests/unit/test_frozen_migrations.py``
fails when a released migration makes something else, or when the constants no longer agree
with what the migrations seeded (then that change needs its migration).

The tables cover what later work needs (items, submissions, reviews, recognitions, drafts,
audit) so that features add rows, not reshape tables. Every row has a UUID primary key and
created/updated stamps, because district files are merged into the city's later and integer
ids would collide. ``version`` counts edits of a row, for conflict detection.

Two tables are derived or local and have no UUID: the search index (``search_key`` until
0008, ``search_index`` since; rebuilt from enterprise names; it refers to
``enterprise.search_id``, a small local integer, because 700,000 keys holding 36-character
UUIDs made the file four times larger and searches slower) and ``setting`` (key/value state
of this file, such as the active campaign).
"""

from __future__ import annotations

import itertools
import uuid

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from duibiao_tui.store.versioning import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)

# 0001_initial, as released: the CHECK lists and seed rows written out, not read from
# duibiao_tui.domain.reference (which may change; this may not).
SCHEMA_0001 = [
    """CREATE TABLE campaign (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    doc_number TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    year INTEGER,
    deadline TEXT,
    recipients TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    """CREATE TABLE district (
    id TEXT PRIMARY KEY,
    code TEXT UNIQUE,
    stats_code TEXT,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    is_zone INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    history TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    """CREATE TABLE enterprise (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    name_pinyin TEXT NOT NULL DEFAULT '',
    search_id INTEGER UNIQUE,
    district_id TEXT REFERENCES district(id),
    uscc TEXT,
    org_code TEXT,
    reg_no TEXT,
    address TEXT NOT NULL DEFAULT '',
    industry_section TEXT,
    industry_division TEXT,
    industry_edition TEXT,
    industry_text TEXT NOT NULL DEFAULT '',
    industry_label TEXT NOT NULL DEFAULT '',
    main_products TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    phone_raw TEXT NOT NULL DEFAULT '',
    phone_e164 TEXT,
    phone_ext TEXT,
    famous_brand INTEGER NOT NULL DEFAULT 0,
    quality_award INTEGER NOT NULL DEFAULT 0,
    award_name TEXT NOT NULL DEFAULT '',
    award_year INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    search_readings TEXT NOT NULL DEFAULT '[]',
    deleted_at TEXT,
    deleted_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    """CREATE UNIQUE INDEX enterprise_uscc_live ON enterprise(uscc)
    WHERE uscc IS NOT NULL AND deleted_at IS NULL""",
    """CREATE UNIQUE INDEX enterprise_name_live ON enterprise(ifnull(district_id, ''), name_key)
    WHERE deleted_at IS NULL""",
    "CREATE INDEX enterprise_org_code ON enterprise(org_code)",
    "CREATE INDEX enterprise_district ON enterprise(district_id)",
    "CREATE INDEX enterprise_name_order ON enterprise(name_pinyin, id) WHERE deleted_at IS NULL",
    """CREATE TABLE search_key (
    key TEXT NOT NULL,
    search_id INTEGER NOT NULL REFERENCES enterprise(search_id) ON DELETE CASCADE,
    PRIMARY KEY (key, search_id)
) WITHOUT ROWID""",
    "CREATE INDEX search_key_owner ON search_key(search_id)",
    """CREATE TABLE benchmark_enterprise (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    level TEXT CHECK (level IS NULL OR level IN ('国际先进', '国内领先', '行业标杆', '地区优秀')),
    notes TEXT NOT NULL DEFAULT '',
    merged_into_id TEXT REFERENCES benchmark_enterprise(id),
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    "CREATE INDEX benchmark_enterprise_name ON benchmark_enterprise(name_key)",
    """CREATE TABLE benchmark_item (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    seq INTEGER NOT NULL,
    benchmark_id TEXT REFERENCES benchmark_enterprise(id),
    benchmark_text TEXT NOT NULL DEFAULT '',
    aspect TEXT NOT NULL,
    aspect_other TEXT NOT NULL DEFAULT '',
    indicator TEXT NOT NULL,
    benchmark_level TEXT NOT NULL DEFAULT '',
    result_text TEXT NOT NULL DEFAULT '',
    verdict TEXT CHECK (verdict IS NULL OR verdict IN ('领先', '持平', '落后')),
    measures TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    due_text TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    measure_state TEXT NOT NULL DEFAULT '未开始' CHECK (measure_state IN ('未开始', '进行中', '已完成')),
    done_date TEXT,
    done_note TEXT NOT NULL DEFAULT '',
    flagged INTEGER NOT NULL DEFAULT 0,
    flag_comment TEXT NOT NULL DEFAULT '',
    carried_over_from TEXT,
    deleted_at TEXT,
    deleted_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    "CREATE INDEX benchmark_item_form ON benchmark_item(enterprise_id, campaign_id, seq)",
    "CREATE INDEX benchmark_item_benchmark ON benchmark_item(benchmark_id)",
    "CREATE INDEX benchmark_item_due ON benchmark_item(campaign_id, due_date)",
    """CREATE TABLE submission (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    status TEXT NOT NULL DEFAULT '未报送' CHECK (status IN ('未报送', '已报送', '审核中', '已通过', '退回修改', '已修改')),
    received_date TEXT,
    handed_in_by TEXT NOT NULL DEFAULT '',
    copy_city INTEGER NOT NULL DEFAULT 0,
    copy_district INTEGER NOT NULL DEFAULT 0,
    reviewer TEXT NOT NULL DEFAULT '',
    last_comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (enterprise_id, campaign_id)
)""",
    "CREATE INDEX submission_campaign ON submission(campaign_id, status)",
    """CREATE TABLE review_event (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submission(id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    officer TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    "CREATE INDEX review_event_submission ON review_event(submission_id, at)",
    """CREATE TABLE recognition (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
    campaign_id TEXT REFERENCES campaign(id),
    kind TEXT NOT NULL CHECK (kind IN ('推介', '推荐申报')),
    method TEXT CHECK (method IS NULL OR method IN ('简报', '座谈', '现场会')),
    event_date TEXT,
    award_year INTEGER,
    outcome TEXT NOT NULL DEFAULT '',
    score_edition TEXT,
    note TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    "CREATE INDEX recognition_enterprise ON recognition(enterprise_id)",
    """CREATE TABLE recognition_score (
    id TEXT PRIMARY KEY,
    recognition_id TEXT NOT NULL REFERENCES recognition(id) ON DELETE CASCADE,
    clause TEXT NOT NULL,
    category TEXT NOT NULL,
    points REAL,
    max_points REAL,
    edition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (recognition_id, clause)
)""",
    """CREATE TABLE item_draft (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    item_id TEXT REFERENCES benchmark_item(id),
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
)""",
    """CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    officer TEXT NOT NULL DEFAULT '',
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    action TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT
)""",
    "CREATE INDEX audit_log_row ON audit_log(table_name, row_id, at)",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)""",
]

SEED_0001 = [
    """INSERT INTO district (id, code, stats_code, name, kind, is_zone, sort_order, history, created_at, updated_at, created_by) VALUES
    ('144dad03-ef62-5980-a8d1-13eb17d6d556', '321102', NULL, '京口区', '市辖区', 0, 1, '1984 年起（1983 年为城区）', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统'),
    ('e7af4eca-e293-575a-8ff8-036788936540', '321111', NULL, '润州区', '市辖区', 0, 2, '1984 年起（1983 年为郊区）', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统'),
    ('7ce1d520-70a6-59f8-bcc4-9669fd87db5a', '321112', NULL, '丹徒区', '市辖区', 0, 3, '2002 年起；此前为丹徒县 321121', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统'),
    ('d6dc5d49-2d4a-5842-bd6e-d639525d3748', '321181', NULL, '丹阳市', '县级市', 0, 4, '1989 年起（丹阳县 321122）', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统'),
    ('bdf07aec-5384-5aec-b0ba-01ff1b9c2173', '321182', NULL, '扬中市', '县级市', 0, 5, '1994 年起（扬中县 321124）', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统'),
    ('26287259-e907-590a-b9fb-e16b70a624f4', '321183', NULL, '句容市', '县级市', 0, 6, '1995 年起（句容县 321123）', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统'),
    ('f00ea59d-c3ce-5c84-930b-efcc6679cc20', NULL, '321171', '镇江新区', '功能区', 1, 7, '功能区，非行政区划', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统')""",
    """INSERT INTO campaign (id, name, doc_number, issuer, year, deadline, recipients, created_at, updated_at, created_by) VALUES
    ('4c2e343f-2648-575d-9629-05bfd3643fba', '2009年质量标杆对比活动', '镇质监质发[2009]173号', '江苏省镇江质量技术监督局', 2009, '2009-10-20', '一式两份，分别报镇江质监局质量处和所在地质监部门质量科', '2009-09-23T00:00:00+08:00', '2009-09-23T00:00:00+08:00', '系统')""",
    "INSERT INTO setting (key, value) VALUES ('active_campaign_id', '4c2e343f-2648-575d-9629-05bfd3643fba')",
]


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    """The tables, the seven districts of 镇江 and the 2009 campaign (made active)."""
    for statement in SCHEMA_0001 + SEED_0001:
        db.execute(statement)


@migrations(name="0002_review_indexes")
def m0002_review_indexes(db: Database) -> None:
    """Covering indexes for the desk's counts: the dashboard, the review desk and the
    follow-up read ~100,000 rows of a city; from these indexes alone, never the rows."""
    db.execute(
        "CREATE INDEX benchmark_item_aspect ON benchmark_item(campaign_id, aspect, verdict, "
        "enterprise_id) WHERE deleted_at IS NULL"
    )
    db.execute(
        "CREATE INDEX benchmark_item_followup ON benchmark_item(campaign_id, enterprise_id, "
        "department, measure_state, due_date, flagged) WHERE deleted_at IS NULL"
    )


SCHEMA_MERGE = [
    """CREATE TABLE merge_source (
    n INTEGER PRIMARY KEY,
    database_id TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    last_file TEXT NOT NULL DEFAULT '',
    first_merged_at TEXT NOT NULL,
    last_merged_at TEXT NOT NULL,
    last_merged_by TEXT NOT NULL DEFAULT '',
    merges INTEGER NOT NULL DEFAULT 0
)""",
    """CREATE TABLE merge_base (
    source INTEGER NOT NULL REFERENCES merge_source(n),
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    their_hash INTEGER NOT NULL,
    our_hash INTEGER NOT NULL,
    their_row TEXT,
    PRIMARY KEY (source, table_name, row_id)
) WITHOUT ROWID""",
    """CREATE TABLE merge_alias (
    table_name TEXT NOT NULL,
    incoming_id TEXT NOT NULL,
    local_id TEXT NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('same', 'name', 'key')),
    decided_at TEXT NOT NULL,
    decided_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (table_name, incoming_id)
) WITHOUT ROWID""",
    """CREATE TABLE merge_conflict (
    id TEXT PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES merge_source(n),
    kind TEXT NOT NULL CHECK (kind IN ('conflict', 'duplicate')),
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    local_id TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    district_id TEXT,
    reason TEXT NOT NULL DEFAULT '',
    incoming TEXT NOT NULL,
    local TEXT NOT NULL,
    their_hash INTEGER NOT NULL,
    our_hash INTEGER NOT NULL,
    found_at TEXT NOT NULL,
    found_by TEXT NOT NULL DEFAULT '',
    resolved_at TEXT,
    resolved_by TEXT,
    resolution TEXT
        CHECK (resolution IS NULL OR resolution IN ('local', 'incoming', 'edit', 'same', 'distinct'))
)""",
    "CREATE INDEX merge_conflict_open ON merge_conflict(source, resolved_at)",
    """CREATE TABLE merge_pending (
    conflict_id TEXT NOT NULL REFERENCES merge_conflict(id),
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (conflict_id, table_name, row_id)
) WITHOUT ROWID""",
]


DATABASE_ID_NAMESPACE = uuid.UUID("5b0f6a52-3c1e-4f4e-9a57-2009173d1b0a")
"""Frozen with 0003_merge: the seed namespace of the domain when it was released."""


def derived_database_id(first_applied_at: str | None) -> str:
    """The id of a database: derived from when its schema was first created (to the
    microsecond), so a file from before 0003_merge, read without being upgraded, has the
    same id it gets once it is upgraded. Copies of one file share it: they are one source."""
    if not first_applied_at:
        return str(uuid.uuid4())
    return str(uuid.uuid5(DATABASE_ID_NAMESPACE, f"database:{first_applied_at}"))


@migrations(name="0003_merge")
def m0003_merge(db: Database) -> None:
    """Merging district databases into the city's (``store.merge``).

    Every database gets a stable ``database_id`` setting. ``merge_source`` lists the files
    merged into this one; ``merge_base`` keeps, per source and row, the content hashes both
    sides had after the last merge (so "changed since the last merge" is known for each
    side) and, only where the two then differed (the officer kept this side or picked field
    by field, a confirmed duplicate), the incoming row itself (``their_row``), so that later
    only the fields the district changes are taken. ``merge_alias`` remembers incoming rows
    mapped to local ones (a duplicate enterprise the officer confirmed, a library entry
    matched by name and address); ``merge_conflict`` and ``merge_pending`` hold what waits
    for the officer. Like ``setting``, these tables are bookkeeping of this file: no UUIDs,
    never merged.
    """
    for statement in SCHEMA_MERGE:
        db.execute(statement)
    first = db.execute(
        "SELECT applied_at FROM _sqlite_migrations WHERE migration_set = ? "
        "AND name = '0001_initial'",
        [MIGRATION_SET],
    ).fetchone()
    db.execute(
        "INSERT OR IGNORE INTO setting (key, value) VALUES ('database_id', ?)",
        [derived_database_id(first[0] if first else None)],
    )


@migrations(name="0004_carry_index")
def m0004_carry_index(db: Database) -> None:
    """Rows carried over from an earlier campaign, found without reading every row: the
    dashboard counts how many lagging rows caught up."""
    db.execute(
        "CREATE INDEX benchmark_item_carried ON benchmark_item(campaign_id, carried_over_from) "
        "WHERE carried_over_from IS NOT NULL AND deleted_at IS NULL"
    )


@migrations(name="0005_form_draft")
def m0005_form_draft(db: Database) -> None:
    """What was typed into any form (enterprise, measure, status, recognition, campaign)
    and not saved: kept on quit, crash or leaving, offered back when the form opens again.
    One draft per form and record; rows of the 情况表 keep theirs in ``item_draft``."""
    db.execute(
        "CREATE TABLE form_draft ("
        "kind TEXT NOT NULL, "
        "record_key TEXT NOT NULL, "
        "payload TEXT NOT NULL, "
        "updated_at TEXT NOT NULL, "
        "updated_by TEXT NOT NULL DEFAULT '', "
        "PRIMARY KEY (kind, record_key))"
    )


@migrations(name="0006_submission_filled_on")
def m0006_submission_filled_on(db: Database) -> None:
    """填报日期 of an imported 情况表's foot, kept with the hand-in: the text as written and
    the date when it names one. Nullable, so packages from earlier versions still merge."""
    db.execute("ALTER TABLE submission ADD COLUMN filled_on_text TEXT")
    db.execute("ALTER TABLE submission ADD COLUMN filled_on TEXT")


@migrations(name="0007_merge_digest")
def m0007_merge_digest(db: Database) -> None:
    """Per source, the digest of each table as it last merged clean (``store.merge.digests``):
    a package merged again skips what has not changed since. Bookkeeping of this file, like
    the other merge tables: never merged, never packed."""
    db.execute(
        "CREATE TABLE merge_digest ("
        "source INTEGER NOT NULL REFERENCES merge_source(n), "
        "table_name TEXT NOT NULL, "
        "digest TEXT NOT NULL, "
        "context TEXT NOT NULL, "
        "counts TEXT NOT NULL, "
        "PRIMARY KEY (source, table_name)) WITHOUT ROWID"
    )


@migrations(name="0008_search_index")
def m0008_search_index(db: Database) -> None:
    """The search keys as an FTS5 index, one row per enterprise (``store.search_index``),
    where ``search_key`` held one row per key and owner: an import of 3,000 enterprises wrote
    370,000 of those. The keys a file holds move over as they are (they are not rebuilt), each
    ASCII character that is not a letter or digit mapped into plane 15's private use area so
    that the tokenizer keeps a key whole."""
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "keys, tokenize = 'ascii', detail = 'none', columnsize = 0, prefix = '1 2')"
    )
    stored = {c: chr(0xF0000 + c) for c in range(128) if not chr(c).isalnum()}
    # owner by owner, along the index by owner (it holds the keys too): a province's
    # millions of keys are never all in memory
    pairs = db.execute("SELECT search_id, key FROM search_key ORDER BY search_id")
    db.conn.executemany(
        "INSERT INTO search_index (rowid, keys) VALUES (?, ?)",
        (
            (search_id, " ".join(key.translate(stored) for _, key in group))
            for search_id, group in itertools.groupby(pairs, key=lambda pair: pair[0])
        ),
    )
    db.execute("DROP TABLE search_key")
