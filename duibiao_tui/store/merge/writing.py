"""Applying a merge's planned rows: inserts, audited updates, search keys, scores, 序号.

``RowWriter`` is the writing half of ``merger.Merger``: rows go in in primary key order (or
library entries before those merged into them), every changed field of an update is audited
as ``merge`` (or the officer's resolution), an enterprise's search keys (and its pinyin) are
built here from the merged values (``domain.search.build_keys``: the district's keys are
derived data and do not travel), and forms that got rows from both sides are renumbered.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.merge import SCORES_KEY, SPECS, TableSpec, shown
from duibiao_tui.store import search_index
from duibiao_tui.store.late_indexes import indexes_built_after
from duibiao_tui.store.merge.source import AUDIT_COLUMNS
from duibiao_tui.store.session import new_id

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["AUDIT_INSERT", "RowWriter"]

AUDIT_INSERT = (
    f"INSERT OR IGNORE INTO audit_log ({', '.join(AUDIT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})"
)
SEARCH_FIELDS = ("name", "uscc", "org_code", "reg_no")
"""Fields whose change indexes the enterprise again: its name's keys, and the codes, whose
keys an index row written before 0008's release may still hold (the new row has none)."""
NOT_UPDATED = frozenset({"id", "version", "created_at", "created_by"})
COPIED = frozenset({"submission", "benchmark_item"})
"""Tables whose new rows may be copied inside SQLite from an attached package: written as
they came (an enterprise gets search keys, a recognition its scores, a library entry its
order)."""
BULK_ROWS = 5000
"""A batch at least this large, into a table holding no more rows than the batch, goes in
without the table's plain indexes, built again after it (``RowWriter.bulk``)."""


class RowWriter:
    """Writes merged rows into this database, audited, and keeps what the merge looks up as
    it goes (live credit codes and names, districts, search ids, touched forms) in step."""

    def __init__(self, store: Store) -> None:
        self.conn = store.conn
        self.officer = store.officer
        self.now = store.clock()
        self.columns = {
            name: [r[1] for r in self.conn.execute(f"PRAGMA table_info({name})")]
            for name in [*(s.name for s in SPECS), "recognition_score"]
        }
        self.content = {spec.name: spec.content_columns(self.columns[spec.name]) for spec in SPECS}
        self.content["recognition"].append(SCORES_KEY)
        self.ent_district: dict[str, str | None] = {}
        self.ent_name: dict[str, str] = {}
        self.uscc_live: dict[str, str] = {}
        self.name_live: dict[tuple[str, str], str] = {}
        for eid, district, name, key, uscc, deleted in self.conn.execute(
            "SELECT id, district_id, name, name_key, uscc, deleted_at FROM enterprise"
        ):
            self.ent_district[eid] = district
            self.ent_name[eid] = name
            if deleted is None:
                if uscc:
                    self.uscc_live[uscc] = eid
                self.name_live[(district or "", key)] = eid
        self.sub_enterprise: dict[str, str] = {}
        self.next_search_id = self.conn.execute(
            "SELECT ifnull(max(search_id), 0) + 1 FROM enterprise"
        ).fetchone()[0]
        self.touched_forms: set[tuple[str, str]] = set()

    def track_enterprise(
        self, eid: str, old: Mapping[str, Any] | None, new: Mapping[str, Any]
    ) -> None:
        if old is not None and old.get("deleted_at") is None:
            if old.get("uscc") and self.uscc_live.get(old["uscc"]) == eid:
                del self.uscc_live[old["uscc"]]
            key = (old.get("district_id") or "", old.get("name_key") or "")
            if self.name_live.get(key) == eid:
                del self.name_live[key]
        if new.get("deleted_at") is None:
            if new.get("uscc"):
                self.uscc_live[new["uscc"]] = eid
            self.name_live[(new.get("district_id") or "", new.get("name_key") or "")] = eid
        self.ent_district[eid] = new.get("district_id")
        self.ent_name[eid] = new.get("name", "")

    def bulk(self, table: str, rows: int) -> AbstractContextManager[None]:
        """Around a large insert into ``table`` (a first merge, or a district as large as
        what is there): its plain indexes built after the rows (``store.late_indexes``);
        nothing the merge looks up during the inserts needs them."""
        return indexes_built_after(self.conn, table, rows, at_least=BULK_ROWS)

    def insert_rows(
        self, spec: TableSpec, rows: list[dict[str, Any]], *, copy_from: str | None = None
    ) -> None:
        """Insert ``rows``; when each is its incoming row as it is in the attached package
        ``copy_from`` (same id, nothing rewritten), the rows are copied inside SQLite."""
        if not rows:
            return
        table = spec.name
        if table == "benchmark_enterprise":
            rows = _parents_first(rows)
        else:  # in primary key order: UUIDs are random, sorted ones fill pages in turn
            rows = sorted(rows, key=lambda r: r["id"])
        columns = [c for c in self.columns[table] if c not in spec.local]
        search_keys: list[tuple[int, frozenset[str]]] = []
        if table == "enterprise":  # search id, readings and pinyin go in with the row
            columns.append("search_id")
            for row in rows:
                search_keys += self._index(row, None)
        with self.bulk(table, len(rows)):
            if copy_from is not None and table in COPIED and self._has(copy_from, table, columns):
                self._copy(copy_from, table, columns, [r["id"] for r in rows])
            else:
                self.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    _values(rows, columns),
                )
        if table == "enterprise":
            for row in rows:
                self.track_enterprise(row["id"], None, row)
            search_index.write(self.conn, search_keys)
        elif table == "recognition":
            self._write_scores(rows)
        elif table == "benchmark_item":
            self.touched_forms.update((r["enterprise_id"], r["campaign_id"]) for r in rows)
        elif table == "submission":
            for row in rows:
                self.sub_enterprise[row["id"]] = row["enterprise_id"]

    def _has(self, schema: str, table: str, columns: Sequence[str]) -> bool:
        """Whether the attached ``schema``'s ``table`` has every one of ``columns`` (a
        package of an earlier schema may lack some: its rows are then bound from Python)."""
        have = {r[1] for r in self.conn.execute(f"PRAGMA {schema}.table_info({table})")}
        return set(columns) <= have

    def _copy(self, schema: str, table: str, columns: Sequence[str], ids: list[str]) -> None:
        """The rows ``ids`` of the attached ``schema``'s ``table``, copied in id order without
        passing through Python (a first merge's form rows: about a third faster)."""
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS merge_copy (id TEXT PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.merge_copy")
        self.conn.executemany("INSERT INTO temp.merge_copy (id) VALUES (?)", [(i,) for i in ids])
        names = ", ".join(columns)
        self.conn.execute(
            f"INSERT INTO main.{table} ({names}) SELECT {names} FROM {schema}.{table} "
            "WHERE id IN (SELECT id FROM temp.merge_copy) ORDER BY id"
        )
        self.conn.execute("DELETE FROM temp.merge_copy")

    def update_row(
        self,
        spec: TableSpec,
        row: dict[str, Any],
        mine: Mapping[str, Any],
        *,
        action: str = "merge",
    ) -> None:
        """Write ``row``'s values over the local row ``mine`` (same id), audited."""
        table = spec.name
        columns = [c for c in self.columns[table] if c not in spec.local and c not in NOT_UPDATED]
        self.conn.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)}, "
            "version = version + 1 WHERE id = ?",
            [*(row.get(c) for c in columns), mine["id"]],
        )
        changes = [
            (c, mine.get(c), row.get(c))
            for c in self.content[table]
            if c not in spec.derived and mine.get(c) != row.get(c)
        ]
        self.conn.executemany(
            f"INSERT INTO audit_log ({', '.join(AUDIT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})",
            [
                (
                    new_id(),
                    self.now,
                    self.officer,
                    table,
                    mine["id"],
                    action,
                    "scores" if c == SCORES_KEY else c,
                    None if old is None else (shown(old) if c == SCORES_KEY else str(old)),
                    None if new is None else (shown(new) if c == SCORES_KEY else str(new)),
                )
                for c, old, new in changes
            ],
        )
        if table == "enterprise":
            if any(mine.get(c) != row.get(c) for c in SEARCH_FIELDS):
                indexed = dict(row)
                search_keys = self._index(indexed, mine.get("search_id"))
                self.conn.execute(
                    "UPDATE enterprise SET search_id = ?, search_readings = ?, name_pinyin = ? "
                    "WHERE id = ?",
                    [
                        indexed["search_id"],
                        indexed["search_readings"],
                        indexed["name_pinyin"],
                        mine["id"],
                    ],
                )
                search_index.write(self.conn, search_keys)
            self.track_enterprise(mine["id"], mine, row)
        elif table == "recognition":
            self._write_scores([row])
        elif table == "benchmark_item":
            self.touched_forms.add((row["enterprise_id"], row["campaign_id"]))

    def _index(
        self, row: dict[str, Any], search_id: int | None
    ) -> list[tuple[int, frozenset[str]]]:
        """Give the enterprise ``row`` its search id (``search_id``, whose keys the new ones
        replace, or a new one), readings and pinyin, in the row itself; returns its keys to
        index."""
        if search_id is None:
            search_id = self.next_search_id
            self.next_search_id += 1
        from duibiao_tui.domain.search import build_keys

        entry = build_keys(row["name"])
        row["search_id"] = search_id
        row["search_readings"] = entry.readings_json
        row["name_pinyin"] = " ".join(r[0] for r in json.loads(entry.readings_json))
        return [(search_id, entry.keys)]

    def _write_scores(self, rows: Sequence[Mapping[str, Any]]) -> None:
        for row in rows:
            self.conn.execute("DELETE FROM recognition_score WHERE recognition_id = ?", [row["id"]])
        self.conn.executemany(
            "INSERT INTO recognition_score (id, recognition_id, clause, category, points, "
            "max_points, edition, created_at, updated_at, created_by, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    new_id(),
                    row["id"],
                    *score,
                    row.get("updated_at") or self.now,
                    row.get("updated_at") or self.now,
                    row.get("updated_by") or "",
                    row.get("updated_by") or "",
                )
                for row in rows
                for score in row.get(SCORES_KEY) or ()
            ],
        )

    def renumber(self) -> None:
        """Keep 序号 contiguous in forms that got rows from both sides (not a content change:
        like the store's own renumbering, no version bump, audited as ``seq``)."""
        if not self.touched_forms:
            return
        broken = [
            (e, c)
            for e, c, n, distinct, low, high in self.conn.execute(
                "SELECT enterprise_id, campaign_id, count(*), count(DISTINCT seq), min(seq), "
                "max(seq) FROM benchmark_item WHERE deleted_at IS NULL "
                "GROUP BY enterprise_id, campaign_id"
            )
            if (e, c) in self.touched_forms and not (n == distinct and low == 1 and high == n)
        ]
        audit = []
        for enterprise_id, campaign_id in broken:
            rows = self.conn.execute(
                "SELECT id, seq FROM benchmark_item WHERE enterprise_id = ? AND campaign_id = ? "
                "AND deleted_at IS NULL ORDER BY seq, created_at, id",
                [enterprise_id, campaign_id],
            ).fetchall()
            for n, (item_id, seq) in enumerate(rows, start=1):
                if seq != n:
                    self.conn.execute(
                        "UPDATE benchmark_item SET seq = ? WHERE id = ?", [n, item_id]
                    )
                    audit.append(
                        (
                            new_id(),
                            self.now,
                            self.officer,
                            "benchmark_item",
                            item_id,
                            "update",
                            "seq",
                            str(seq),
                            str(n),
                        )
                    )
        self.conn.executemany(AUDIT_INSERT, audit)
        self.touched_forms = set()


def _values(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[Any]:
    """Each row's values in ``columns``, None where a row has no such column (a file of an
    earlier schema): one C-level getter per row when every row has them all."""
    from operator import itemgetter

    get = itemgetter(*columns)
    try:
        if len(columns) == 1:
            return [(get(r),) for r in rows]
        return [get(r) for r in rows]
    except KeyError:
        return [[r.get(c) for c in columns] for r in rows]


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Library entries ordered so an entry merged into another comes after it."""
    ids = {r["id"] for r in rows}
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    remaining = rows
    while remaining:
        ready = [
            r
            for r in remaining
            if r.get("merged_into_id") is None
            or r["merged_into_id"] not in ids
            or r["merged_into_id"] in done
        ]
        if not ready:  # a cycle cannot be written with immediate checks: keep the order
            return ordered + remaining
        ordered += ready
        done.update(r["id"] for r in ready)
        remaining = [r for r in remaining if r["id"] not in done]
    return ordered
