"""Versioned schema for the whole campaign, applied at start-up.

The tables cover what later work needs (items, submissions, reviews, recognitions, drafts,
audit) so that features add rows, not reshape tables. Every row has a UUID primary key and
created/updated stamps, because district files are merged into the city's later and integer
ids would collide. ``version`` counts edits of a row, for conflict detection.

Two tables are derived or local and have no UUID: ``search_key`` (rebuilt from enterprise
names; it refers to ``enterprise.search_id``, a small local integer, because 700,000 keys
holding 36-character UUIDs made the file four times larger and searches slower) and
``setting`` (key/value state of this file, such as the active campaign).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from duibiao_tui.domain.reference import (
    BENCHMARK_LEVELS,
    CAMPAIGN_2009,
    CAMPAIGN_2009_ID,
    MEASURE_STATES,
    PROMOTION_METHODS,
    RECOGNITION_KINDS,
    REVIEW_STATUSES,
    VERDICTS,
    ZHENJIANG_DISTRICTS,
    district_seed_id,
    seed_id,
)
from duibiao_tui.store.versioning import MIGRATION_SET

migrations = Migrations(MIGRATION_SET)

STAMPS = """
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1"""


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


SCHEMA_V1 = [
    f"""CREATE TABLE campaign (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    doc_number TEXT NOT NULL DEFAULT '',
    issuer TEXT NOT NULL DEFAULT '',
    year INTEGER,
    deadline TEXT,
    recipients TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,{STAMPS}
)""",
    f"""CREATE TABLE district (
    id TEXT PRIMARY KEY,
    code TEXT UNIQUE,
    stats_code TEXT,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    is_zone INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    history TEXT NOT NULL DEFAULT '',{STAMPS}
)""",
    f"""CREATE TABLE enterprise (
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
    deleted_by TEXT,{STAMPS}
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
    f"""CREATE TABLE benchmark_enterprise (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    level TEXT CHECK (level IS NULL OR level IN {_in(BENCHMARK_LEVELS)}),
    notes TEXT NOT NULL DEFAULT '',
    merged_into_id TEXT REFERENCES benchmark_enterprise(id),
    deleted_at TEXT,{STAMPS}
)""",
    "CREATE INDEX benchmark_enterprise_name ON benchmark_enterprise(name_key)",
    f"""CREATE TABLE benchmark_item (
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
    verdict TEXT CHECK (verdict IS NULL OR verdict IN {_in(VERDICTS)}),
    measures TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    due_text TEXT NOT NULL DEFAULT '',
    remarks TEXT NOT NULL DEFAULT '',
    measure_state TEXT NOT NULL DEFAULT '未开始' CHECK (measure_state IN {_in(MEASURE_STATES)}),
    done_date TEXT,
    done_note TEXT NOT NULL DEFAULT '',
    flagged INTEGER NOT NULL DEFAULT 0,
    flag_comment TEXT NOT NULL DEFAULT '',
    carried_over_from TEXT,
    deleted_at TEXT,
    deleted_by TEXT,{STAMPS}
)""",
    "CREATE INDEX benchmark_item_form ON benchmark_item(enterprise_id, campaign_id, seq)",
    "CREATE INDEX benchmark_item_benchmark ON benchmark_item(benchmark_id)",
    "CREATE INDEX benchmark_item_due ON benchmark_item(campaign_id, due_date)",
    f"""CREATE TABLE submission (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    status TEXT NOT NULL DEFAULT '未报送' CHECK (status IN {_in(REVIEW_STATUSES)}),
    received_date TEXT,
    handed_in_by TEXT NOT NULL DEFAULT '',
    copy_city INTEGER NOT NULL DEFAULT 0,
    copy_district INTEGER NOT NULL DEFAULT 0,
    reviewer TEXT NOT NULL DEFAULT '',
    last_comment TEXT NOT NULL DEFAULT '',{STAMPS},
    UNIQUE (enterprise_id, campaign_id)
)""",
    "CREATE INDEX submission_campaign ON submission(campaign_id, status)",
    f"""CREATE TABLE review_event (
    id TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submission(id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    officer TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,{STAMPS}
)""",
    "CREATE INDEX review_event_submission ON review_event(submission_id, at)",
    f"""CREATE TABLE recognition (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
    campaign_id TEXT REFERENCES campaign(id),
    kind TEXT NOT NULL CHECK (kind IN {_in(RECOGNITION_KINDS)}),
    method TEXT CHECK (method IS NULL OR method IN {_in(PROMOTION_METHODS)}),
    event_date TEXT,
    award_year INTEGER,
    outcome TEXT NOT NULL DEFAULT '',
    score_edition TEXT,
    note TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,{STAMPS}
)""",
    "CREATE INDEX recognition_enterprise ON recognition(enterprise_id)",
    f"""CREATE TABLE recognition_score (
    id TEXT PRIMARY KEY,
    recognition_id TEXT NOT NULL REFERENCES recognition(id) ON DELETE CASCADE,
    clause TEXT NOT NULL,
    category TEXT NOT NULL,
    points REAL,
    max_points REAL,
    edition TEXT NOT NULL,{STAMPS},
    UNIQUE (recognition_id, clause)
)""",
    f"""CREATE TABLE item_draft (
    id TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprise(id),
    campaign_id TEXT NOT NULL REFERENCES campaign(id),
    item_id TEXT REFERENCES benchmark_item(id),
    payload TEXT NOT NULL,{STAMPS}
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

SEED_STAMP = "2009-09-23T00:00:00+08:00"


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    for statement in SCHEMA_V1:
        db.execute(statement)
    stamps = {"created_at": SEED_STAMP, "updated_at": SEED_STAMP, "created_by": "系统"}
    for order, seed in enumerate(ZHENJIANG_DISTRICTS, start=1):
        db.table("district").insert(
            {
                "id": district_seed_id(seed),
                "code": seed.code,
                "stats_code": seed.stats_code,
                "name": seed.name,
                "kind": seed.kind,
                "is_zone": int(seed.kind == "功能区"),
                "sort_order": order,
                "history": seed.history,
                **stamps,
            }
        )
    db.table("campaign").insert(
        {
            "id": CAMPAIGN_2009_ID,
            "name": CAMPAIGN_2009.name,
            "doc_number": CAMPAIGN_2009.doc_number,
            "issuer": CAMPAIGN_2009.issuer,
            "year": CAMPAIGN_2009.year,
            "deadline": CAMPAIGN_2009.deadline,
            "recipients": CAMPAIGN_2009.recipients,
            **stamps,
        }
    )
    db.table("setting").insert({"key": "active_campaign_id", "value": CAMPAIGN_2009_ID})


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


def derived_database_id(first_applied_at: str | None) -> str:
    """The id of a database: derived from when its schema was first created (to the
    microsecond), so a file from before 0003_merge, read without being upgraded, has the
    same id it gets once it is upgraded. Copies of one file share it: they are one source."""
    if not first_applied_at:
        import uuid

        return str(uuid.uuid4())
    return seed_id("database", first_applied_at)


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
