from __future__ import annotations

from pathlib import Path

from duibiao_tui.store.schema_dump import dump_schema
from duibiao_tui.store.store import Store

SCHEMA_FILE = Path(__file__).parents[2] / "db" / "schema.sql"


def test_db_schema_sql_matches_the_migrations() -> None:
    current = dump_schema(Store.memory().conn)
    assert SCHEMA_FILE.read_text(encoding="utf-8") == current, (
        "db/schema.sql is out of date: python -m duibiao_tui.store.schema_dump > db/schema.sql"
    )
