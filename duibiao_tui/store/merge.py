"""Bring district databases (or packages of them) into this one: the city's.

``merge_files(store, paths)`` reads each file read-only, checks it (SQLite, not damaged, a
duibiao schema this release knows, not a copy of this very database), takes a backup of
this database and merges all files in ONE transaction:

- rows are matched by their UUIDs; library entries, districts and campaigns registered
  separately are matched by name (and reported), submissions by enterprise and campaign;
- an incoming enterprise that is not here by id but has the credit code of a local one, or
  its name in the same district, is a *duplicate*: nothing of it is written (its rows wait
  in ``merge_pending``) until the officer says "same enterprise" (``confirm_duplicate``:
  the mapping is remembered, its rows attach to the local enterprise now and in later
  merges) or "two enterprises" (it is added, renamed or recoded if it must be);
- a row changed on both sides since the last merge of that source is a *conflict*: it is
  listed (both versions, who changed each and when) and left as it is here until the
  officer keeps this one, takes the incoming one, or picks field by field
  (``resolve_conflict``); rows changed on one side only are taken from that side;
- review history and audit entries are append-only: missing ones are inserted by id;
- a file new here under its own id that names a former one merged before
  (``database_parent_id``: a copy, or a file from before per-copy ids) takes over that
  source's bases only for rows whose history here is its own (``_Merger._inherit``).

The clean part is applied even when conflicts or duplicates remain (they are stored for the
merge screen); a second merge of the same file changes nothing. ``dry_run`` does all of it
inside the transaction and rolls it back.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.merge import (
    ADDED,
    CONFLICT,
    DUPLICATE,
    NO_DISTRICT,
    SCORES_KEY,
    SHARED,
    SPEC_BY_NAME,
    SPECS,
    UNCHANGED,
    UPDATED,
    ConflictRecord,
    Decision,
    MergeReport,
    SourceSummary,
    TableSpec,
    decide,
    row_hash,
    shown,
)
from duibiao_tui.errors import DuibiaoError, DuplicateError, NotFoundError, SchemaTooNewError
from duibiao_tui.store.versioning import MIGRATION_SET, applied_names, pending_migrations

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = [
    "Incoming",
    "MergeRefused",
    "confirm_duplicate",
    "merge_files",
    "open_conflicts",
    "read_source",
    "resolve_conflict",
]

CHUNK = 900
"""Ids per ``IN (...)`` query (SQLite allows 32,766 parameters; smaller chunks stay fast)."""
AUDIT_COLUMNS = (
    "id",
    "at",
    "officer",
    "table_name",
    "row_id",
    "action",
    "field",
    "old_value",
    "new_value",
)
AUDIT_INSERT = (
    f"INSERT OR IGNORE INTO audit_log ({', '.join(AUDIT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(AUDIT_COLUMNS))})"
)
SCORE_COLUMNS = ("clause", "category", "points", "max_points", "edition")
SEARCH_FIELDS = ("name", "uscc", "org_code", "reg_no")
MERGE_CACHE_KIB = 256 * 1024
NOT_UPDATED = frozenset({"id", "version", "created_at", "created_by"})


class MergeRefused(DuibiaoError):
    """A file given to merge is not one: nothing was written."""

    title = "无法合并"


def new_id() -> str:
    return str(uuid.uuid4())


# -- reading a district file --------------------------------------------------------------


@dataclass
class Incoming:
    """Everything a merge needs from one district file, read in one read transaction."""

    path: Path
    database_id: str
    label: str
    tables: dict[str, list[dict[str, Any]]]
    """Synced table → rows; recognitions carry their scores under SCORES_KEY."""
    keys: dict[int, list[str]]
    """The file's search_id → its search keys (copied, so names need not be re-read)."""
    audit: list[tuple[Any, ...]]
    parent_id: str | None = None
    """The id the file had before it took its own (``store.identity``), if it did."""


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Read-only, whatever the folder's name (``sqlite_files``); a WAL file on read-only
    media (a USB stick) is read as it is."""
    from duibiao_tui.store.sqlite_files import open_read_only

    try:
        return open_read_only(path)
    except DuibiaoError as error:
        raise MergeRefused(f"{path.name}：{error.message}，未合并") from error


def _select(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _score_value(row: Mapping[str, Any]) -> list[Any]:
    return [row[c] for c in SCORE_COLUMNS]


def _scores_by_recognition(rows: Iterable[Mapping[str, Any]]) -> dict[str, list[list[Any]]]:
    out: dict[str, list[list[Any]]] = defaultdict(list)
    for row in rows:
        out[row["recognition_id"]].append(_score_value(row))
    for scores in out.values():
        scores.sort(key=lambda s: str(s[0]))
    return out


def _file_label(conn: sqlite3.Connection, path: Path) -> str:
    row = conn.execute("SELECT value FROM setting WHERE key = 'package_district'").fetchone()
    if row and row[0]:
        return str(row[0])
    names = [
        r[0]
        for r in conn.execute(
            "SELECT ifnull(d.name, ?) FROM enterprise e LEFT JOIN district d "
            "ON d.id = e.district_id WHERE e.deleted_at IS NULL GROUP BY 1 ORDER BY count(*) DESC",
            [NO_DISTRICT],
        )
    ]
    if not names:
        return path.stem
    if len(names) <= 2:
        return "、".join(names)
    return f"{names[0]}等{len(names)}个辖市区"


def _unreadable(path: Path, error: sqlite3.DatabaseError) -> MergeRefused:
    if "not a database" in str(error) or "encrypted" in str(error):
        return MergeRefused(f"{path.name} 不是 duibiao 数据库或数据包（不是 SQLite 文件）")
    return MergeRefused(f"{path.name} 无法读取或已损坏（{error}），未合并")


def read_source(path: Path | str) -> Incoming:
    """Check and read one district database or package; raises MergeRefused."""
    path = Path(path)
    if not path.is_file():
        raise MergeRefused(f"找不到文件 {path}")
    conn = _open_read_only(path)
    try:
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise _unreadable(path, error) from error
        if check != "ok":
            raise MergeRefused(f"{path.name} 已损坏（{check}），未合并")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied = applied_names(conn)
        needed = {spec.name for spec in SPECS} | {"audit_log", "recognition_score", "setting"}
        if not applied or not needed <= tables:
            raise MergeRefused(f"{path.name} 是 SQLite 文件，但不是 duibiao 数据库或数据包")
        try:
            pending_migrations(conn)
        except SchemaTooNewError as error:
            raise MergeRefused(
                f"{path.name} 来自更新版本的 duibiao-tui，请先升级本程序", error.title
            ) from error
        conn.execute("BEGIN")  # one snapshot, even while its own app writes
        row = conn.execute("SELECT value FROM setting WHERE key = 'database_id'").fetchone()
        if row:
            database_id = str(row[0])
        else:
            from duibiao_tui.store.migrations import derived_database_id

            first = conn.execute(
                "SELECT applied_at FROM _sqlite_migrations WHERE migration_set = ? "
                "AND name = '0001_initial'",
                [MIGRATION_SET],
            ).fetchone()
            database_id = derived_database_id(first[0] if first else str(path.resolve()))
        row = conn.execute("SELECT value FROM setting WHERE key = 'database_parent_id'").fetchone()
        parent_id = str(row[0]) if row else None
        data = {spec.name: _select(conn, f"SELECT * FROM {spec.name}") for spec in SPECS}
        scores = _scores_by_recognition(_select(conn, "SELECT * FROM recognition_score"))
        for recognition in data["recognition"]:
            recognition[SCORES_KEY] = scores.get(recognition["id"], [])
        keys: dict[int, list[str]] = defaultdict(list)
        for search_id, key in conn.execute("SELECT search_id, key FROM search_key"):
            keys[search_id].append(key)
        audit = conn.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log").fetchall()
        label = _file_label(conn, path)
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as error:
        raise MergeRefused(f"{path.name} 读取失败（{error}），未合并") from error
    finally:
        conn.close()
    return Incoming(path, database_id, label, data, dict(keys), audit, parent_id)


# -- the merge ----------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _DryRun(Exception):
    """Raised at the end of a dry run to roll the transaction back."""


@dataclass
class _Work:
    incoming_id: str
    local_id: str
    row: dict[str, Any]
    hash: int
    base: tuple[int, int, str | None] | None


class _Merger:
    """One merge transaction over ``store``; ``merge_source`` once per file."""

    def __init__(self, store: Store, report: MergeReport) -> None:
        self.store = store
        self.conn = store.conn
        self.officer = store.officer
        self.now = store.clock()
        self.report = report
        self.columns = {
            name: [r[1] for r in self.conn.execute(f"PRAGMA table_info({name})")]
            for name in [*(s.name for s in SPECS), "recognition_score"]
        }
        self.content = {spec.name: spec.content_columns(self.columns[spec.name]) for spec in SPECS}
        self.content["recognition"].append(SCORES_KEY)
        self.alias: dict[str, dict[str, str]] = defaultdict(dict)
        for table, incoming, local in self.conn.execute(
            "SELECT table_name, incoming_id, local_id FROM merge_alias"
        ):
            self.alias[table][incoming] = local
        self.district_names = dict(self.conn.execute("SELECT id, name FROM district"))
        self.names = _names(self.conn)
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
        self.old_conflicts: dict[tuple[str, str, str], tuple[str, int, int]] = {}
        self.kept_conflicts: set[str] = set()
        self.touched_forms: set[tuple[str, str]] = set()

    # -- bookkeeping ----------------------------------------------------------------------

    def source_number(self, database_id: str, label: str, path: str) -> int:
        row = self.conn.execute(
            "SELECT n FROM merge_source WHERE database_id = ?", [database_id]
        ).fetchone()
        if row is None:
            cursor = self.conn.execute(
                "INSERT INTO merge_source (database_id, label, last_file, first_merged_at, "
                "last_merged_at, last_merged_by, merges) VALUES (?, ?, ?, ?, ?, ?, 0)",
                [database_id, label, path, self.now, self.now, self.officer],
            )
            return int(cursor.lastrowid or 0)
        return int(row[0])

    def _inherit(self, source: int, incoming: Incoming) -> None:
        """A file new here under its own id, merged before under its former one (a file from
        before per-copy ids, or a copy): it takes over the bases of that source row by row,
        where they are its own history. Copies of one file share the former id but only
        one of them (if any) was merged under it, so a base is taken only when the file
        holds that row as merged (what it changed since is then its own change), or when
        every audit entry this database holds about the row came in from a district and
        is in this file's log (the row's whole history here is this file's). Other rows
        have no base: one side unedited wins, anything else is the officer's to decide —
        never a silent revert of a sibling's edit."""
        parent = self.conn.execute(
            "SELECT n FROM merge_source WHERE database_id = ?", [incoming.parent_id]
        ).fetchone()
        if parent is None:
            return
        digests = {
            (spec.name, row["id"]): row_hash(self.content[spec.name], self._rewrite(spec, row))
            for spec in SPECS
            if not spec.append_only
            for row in incoming.tables.get(spec.name, ())
        }
        theirs = {entry[0] for entry in incoming.audit}
        taken: list[tuple[Any, ...]] = []
        unsure: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for base in self.conn.execute(
            "SELECT table_name, row_id, their_hash, our_hash, their_row FROM merge_base "
            "WHERE source = ?",
            parent,
        ):
            digest = digests.get((base[0], base[1]))
            if digest is None:
                continue
            if digest == base[2]:
                taken.append(base)
            else:
                unsure[base[0]].append(base)
        for table, bases in unsure.items():
            local = {b[1]: self.alias[table].get(b[1], b[1]) for b in bases}
            foreign: set[str] = set()
            for chunk in _chunks(list(set(local.values()))):
                marks = ", ".join("?" * len(chunk))
                foreign.update(
                    row_id
                    for row_id, entry in self.conn.execute(
                        f"SELECT row_id, id FROM audit_log WHERE table_name = ? AND row_id IN "
                        f"({marks}) AND action != 'merge'",
                        [table, *chunk],
                    )
                    if entry not in theirs
                )
            taken += [b for b in bases if local[b[1]] not in foreign]
        self.conn.executemany(
            "INSERT OR REPLACE INTO merge_base (source, table_name, row_id, their_hash, "
            "our_hash, their_row) VALUES (?, ?, ?, ?, ?, ?)",
            [(source, *base) for base in taken],
        )

    def _load_base(self, source: int) -> dict[tuple[str, str], tuple[int, int, str | None]]:
        return {
            (t, r): (a, b, row)
            for t, r, a, b, row in self.conn.execute(
                "SELECT table_name, row_id, their_hash, our_hash, their_row FROM merge_base "
                "WHERE source = ?",
                [source],
            )
        }

    def _set_base(
        self, source: int, rows: list[tuple[str, str, int, int, Mapping[str, Any] | None]]
    ) -> None:
        """Record what both sides hold now; the incoming row itself only when they differ."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO merge_base (source, table_name, row_id, their_hash, "
            "our_hash, their_row) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    source,
                    table,
                    row_id,
                    their,
                    our,
                    None if their == our or row is None else json.dumps(row, ensure_ascii=False),
                )
                for table, row_id, their, our, row in rows
            ],
        )

    def _remember_alias(self, table: str, incoming: str, local: str, how: str) -> None:
        self.alias[table][incoming] = local
        self.conn.execute(
            "INSERT OR REPLACE INTO merge_alias (table_name, incoming_id, local_id, how, "
            "decided_at, decided_by) VALUES (?, ?, ?, ?, ?, ?)",
            [table, incoming, local, how, self.now, self.officer],
        )

    def _changed_fields(
        self,
        table: str,
        prior: Mapping[str, Any],
        row: Mapping[str, Any],
        mine: Mapping[str, Any],
    ) -> dict[str, Any]:
        """``mine`` with only the fields the district changed since ``prior`` (what was
        merged last): what the officer kept here, or a confirmed duplicate's own name and
        code, stay as they are."""
        out = dict(mine)
        for column in self.content[table]:
            if row.get(column) != prior.get(column):
                out[column] = row.get(column)
        out["updated_at"], out["updated_by"] = row.get("updated_at"), row.get("updated_by")
        if table == "enterprise":
            out["search_id"] = None  # keys built from the merged values, not copied
        return out

    # -- whole files ----------------------------------------------------------------------

    def merge_source(self, incoming: Incoming) -> None:
        known = self.conn.execute(
            "SELECT 1 FROM merge_source WHERE database_id = ?", [incoming.database_id]
        ).fetchone()
        source = self.source_number(incoming.database_id, incoming.label, str(incoming.path))
        if known is None and incoming.parent_id is not None:
            self._inherit(source, incoming)
        self.old_conflicts = {
            (t, r, k): (cid, a, b)
            for cid, t, r, k, a, b in self.conn.execute(
                "SELECT id, table_name, row_id, kind, their_hash, our_hash FROM merge_conflict "
                "WHERE source = ? AND resolved_at IS NULL",
                [source],
            )
        }
        self.kept_conflicts = set()
        before = self.conn.total_changes
        self.conn.executemany(AUDIT_INSERT, sorted(incoming.audit))
        audit_added = self.conn.total_changes - before
        self.report.audit_added += audit_added
        self.merge_tables(source, incoming.tables, incoming.keys, incoming.label)
        stale = [cid for cid, _, _ in self.old_conflicts.values() if cid not in self.kept_conflicts]
        for chunk in _chunks(stale):
            marks = ", ".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM merge_pending WHERE conflict_id IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM merge_conflict WHERE id IN ({marks})", chunk)
        self.conn.execute(
            "UPDATE merge_source SET label = ?, last_file = ?, last_merged_at = ?, "
            "last_merged_by = ?, merges = merges + 1 WHERE n = ?",
            [incoming.label, str(incoming.path), self.now, self.officer, source],
        )

    def merge_tables(
        self,
        source: int,
        tables: Mapping[str, list[dict[str, Any]]],
        keys: Mapping[int, list[str]],
        label: str,
    ) -> None:
        base = self._load_base(source)
        held: dict[str, dict[str, str]] = defaultdict(dict)
        pending: list[tuple[str, str, str, str]] = []
        for row in tables.get("enterprise", ()):  # districts of rows in the report
            eid = self.alias["enterprise"].get(row["id"], row["id"])
            self.ent_district.setdefault(eid, self._mapped("district", row["district_id"]))
            self.ent_name.setdefault(eid, row["name"])
        for row in tables.get("submission", ()):
            sid = self.alias["submission"].get(row["id"], row["id"])
            self.sub_enterprise[sid] = self._mapped("enterprise", row["enterprise_id"]) or ""
        for spec in SPECS:
            rows = tables.get(spec.name, [])
            if not rows:
                continue
            if spec.append_only:
                self._append(spec, rows, held, pending)
            else:
                self._merge_table(source, spec, rows, base, held, pending, keys, label)
        if pending:
            self.conn.executemany(
                "INSERT OR REPLACE INTO merge_pending (conflict_id, table_name, row_id, payload) "
                "VALUES (?, ?, ?, ?)",
                pending,
            )
        self._renumber()

    # -- rows -------------------------------------------------------------------------------

    def _mapped(self, table: str, value: Any) -> Any:
        if value is None:
            return None
        return self.alias[table].get(value, value)

    def _rewrite(self, spec: TableSpec, row: dict[str, Any]) -> dict[str, Any]:
        out = dict(row)
        for column, table in spec.refs.items():
            if out.get(column) is not None:
                out[column] = self.alias[table].get(out[column], out[column])
        return out

    def _held_by(
        self, spec: TableSpec, row: Mapping[str, Any], held: Mapping[str, Mapping[str, str]]
    ) -> str | None:
        for column, table in spec.refs.items():
            value = row.get(column)
            if value is not None and value in held.get(table, {}):
                return held[table][value]
        return None

    def _district_label(self, district_id: str | None) -> str:
        if district_id is None:
            return NO_DISTRICT
        return self.district_names.get(district_id, district_id)

    def _row_district(self, spec: TableSpec, row: Mapping[str, Any]) -> str:
        if spec.name in ("district", "campaign", "benchmark_enterprise"):
            return SHARED
        if spec.name == "enterprise":
            return self._district_label(row.get("district_id"))
        if spec.name == "review_event":
            enterprise = self.sub_enterprise.get(row["submission_id"])
            if enterprise is None:
                found = self.conn.execute(
                    "SELECT enterprise_id FROM submission WHERE id = ?", [row["submission_id"]]
                ).fetchone()
                enterprise = found[0] if found else ""
                self.sub_enterprise[row["submission_id"]] = enterprise
        else:
            enterprise = row.get("enterprise_id") or ""
        return self._district_label(self.ent_district.get(enterprise))

    def _fetch(self, table: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(ids))
        for chunk in _chunks(unique):
            marks = ", ".join("?" * len(chunk))
            for row in _select(self.conn, f"SELECT * FROM {table} WHERE id IN ({marks})", chunk):
                out[row["id"]] = row
        if table == "recognition" and out:
            scores: dict[str, list[list[Any]]] = {}
            for chunk in _chunks(list(out)):
                marks = ", ".join("?" * len(chunk))
                scores |= _scores_by_recognition(
                    _select(
                        self.conn,
                        f"SELECT * FROM recognition_score WHERE recognition_id IN ({marks})",
                        chunk,
                    )
                )
            for rid, row in out.items():
                row[SCORES_KEY] = scores.get(rid, [])
        return out

    def _match(self, spec: TableSpec, row: Mapping[str, Any]) -> tuple[str, str] | None:
        """A local row that is the incoming one registered separately: (id, how)."""
        if spec.name == "district":
            found = self.conn.execute(
                "SELECT id FROM district WHERE name = ? OR (code IS NOT NULL AND code = ?)",
                [row["name"], row.get("code")],
            ).fetchone()
            return (found[0], "name") if found else None
        if spec.name == "campaign":
            found = self.conn.execute(
                "SELECT id FROM campaign WHERE name = ? AND doc_number = ? "
                "AND ifnull(year, 0) = ifnull(?, 0)",
                [row["name"], row["doc_number"], row.get("year")],
            ).fetchone()
            return (found[0], "name") if found else None
        if spec.name == "benchmark_enterprise":
            from duibiao_tui.domain.search import search_norm

            address = search_norm(row.get("address") or "")
            for other, other_address in self.conn.execute(
                "SELECT id, address FROM benchmark_enterprise WHERE name_key = ? "
                "AND deleted_at IS NULL AND merged_into_id IS NULL",
                [row["name_key"]],
            ):
                if search_norm(other_address) == address:
                    return other, "name"
            return None
        if spec.name == "submission":
            found = self.conn.execute(
                "SELECT id FROM submission WHERE enterprise_id = ? AND campaign_id = ?",
                [row["enterprise_id"], row["campaign_id"]],
            ).fetchone()
            return (found[0], "key") if found else None
        return None

    def _duplicate_of(self, row: Mapping[str, Any], own_id: str) -> tuple[str, str] | None:
        """A live local enterprise the incoming live one would clash with: (id, reason)."""
        if row.get("deleted_at") is not None:
            return None
        uscc = row.get("uscc")
        if uscc and self.uscc_live.get(uscc, own_id) != own_id:
            return self.uscc_live[uscc], "统一社会信用代码相同"
        key = (row.get("district_id") or "", row.get("name_key") or "")
        if self.name_live.get(key, own_id) != own_id:
            return self.name_live[key], "同一辖市区名称相同"
        return None

    def _track_enterprise(
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

    def title_of(self, table: str, row: Mapping[str, Any]) -> str:
        name = self.ent_name.get(row.get("enterprise_id") or "", "")
        if table == "benchmark_item":
            return f"{name} 第{row.get('seq')}行 {row.get('indicator', '')}"
        if table == "submission":
            return f"{name} 报送审核"
        if table == "recognition":
            return f"{name} {row.get('kind', '')}"
        return str(row.get("name") or row.get("id"))

    def _merge_table(
        self,
        source: int,
        spec: TableSpec,
        rows: list[dict[str, Any]],
        base: Mapping[tuple[str, str], tuple[int, int, str | None]],
        held: dict[str, dict[str, str]],
        pending: list[tuple[str, str, str, str]],
        keys: Mapping[int, list[str]],
        label: str,
    ) -> None:
        table = spec.name
        columns = self.content[table]
        work: list[_Work] = []
        for original in rows:
            row = self._rewrite(spec, original)
            holder = self._held_by(spec, original, held) or self._held_by(spec, row, held)
            if holder is not None:
                held[table][row["id"]] = holder
                pending.append((holder, table, row["id"], json.dumps(row, ensure_ascii=False)))
                self.report.add(self._row_district(spec, row), spec.label, DUPLICATE)
                continue
            incoming_id = row["id"]
            local_id = self.alias[table].get(incoming_id, incoming_id)
            digest = row_hash(columns, row)
            seen = base.get((table, incoming_id))
            if seen is not None and seen[0] == digest:
                self.report.add(self._row_district(spec, row), spec.label, UNCHANGED)
                continue
            work.append(_Work(incoming_id, local_id, row, digest, seen))
        if not work:
            return
        local = self._fetch(table, [w.local_id for w in work])
        for w in work:
            if w.local_id not in local and w.base is None:
                found = self._match(spec, w.row)
                if found is not None:
                    self._remember_alias(table, w.incoming_id, found[0], found[1])
                    self.report.matched[spec.label] += 1
                    w.local_id = found[0]
                    local |= self._fetch(table, [found[0]])
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[dict[str, Any], dict[str, Any]]] = []
        bases: list[tuple[str, str, int, int, Mapping[str, Any] | None]] = []
        for w in work:
            row = {**w.row, "id": w.local_id}
            mine = local.get(w.local_id)
            district = self._row_district(spec, row)
            mine_hash = row_hash(columns, mine) if mine is not None else None
            if table == "enterprise" and mine is None:
                clash = self._duplicate_of(row, w.local_id)
                if clash is not None:
                    other = self._fetch("enterprise", [clash[0]])[clash[0]]
                    cid = self._conflict(
                        source,
                        "duplicate",
                        table,
                        w.incoming_id,
                        clash[0],
                        w.row,
                        other,
                        w.hash,
                        row_hash(columns, other),
                        clash[1],
                        row.get("district_id"),
                    )
                    held[table][w.incoming_id] = cid
                    self.report.add(district, spec.label, DUPLICATE)
                    continue
            decision = decide(
                w.hash,
                mine_hash,
                None if w.base is None else w.base[:2],
                incoming_version=int(row.get("version") or 1),
                local_version=int(mine.get("version") or 1) if mine else 1,
                same_row=w.local_id == w.incoming_id,
            )
            reason = "双方在上次合并后都修改了"
            if table == "enterprise" and mine is not None and decision is Decision.UPDATE:
                clash = self._duplicate_of(row, w.local_id)
                if clash is not None:
                    reason = f"{clash[1]}：与本库「{self.ent_name.get(clash[0], '')}」"
                    decision = Decision.CONFLICT
            if decision is Decision.CONFLICT:
                assert mine is not None and mine_hash is not None
                self._conflict(
                    source,
                    "conflict",
                    table,
                    w.incoming_id,
                    w.local_id,
                    row,
                    mine,
                    w.hash,
                    mine_hash,
                    reason,
                    self._district_id(spec, row),
                )
                self.report.add(district, spec.label, CONFLICT)
                continue
            if decision is Decision.INSERT:
                inserts.append(row)
                bases.append((table, w.incoming_id, w.hash, w.hash, None))
                self.report.add(district, spec.label, ADDED)
            elif decision is Decision.UPDATE:
                assert mine is not None
                if w.base is not None and w.base[2] is not None:
                    row = self._changed_fields(table, json.loads(w.base[2]), row, mine)
                updates.append((row, mine))
                bases.append((table, w.incoming_id, w.hash, row_hash(columns, row), w.row))
                self.report.add(district, spec.label, UPDATED)
            else:
                bases.append((table, w.incoming_id, w.hash, mine_hash or w.hash, w.row))
                self.report.add(district, spec.label, UNCHANGED)
        self.insert_rows(spec, inserts, keys)
        for row, mine in updates:
            self.update_row(spec, row, mine, keys)
        self._set_base(source, bases)

    def _district_id(self, spec: TableSpec, row: Mapping[str, Any]) -> str | None:
        if spec.name == "enterprise":
            return row.get("district_id")
        return self.ent_district.get(row.get("enterprise_id") or "")

    def _conflict(
        self,
        source: int,
        kind: str,
        table: str,
        incoming_id: str,
        local_id: str,
        incoming: Mapping[str, Any],
        local: Mapping[str, Any],
        their_hash: int,
        our_hash: int,
        reason: str,
        district_id: str | None,
    ) -> str:
        """Record (or keep, when unchanged since the last merge) a conflict; returns its id."""
        old = self.old_conflicts.get((table, incoming_id, kind))
        title = self.title_of(table, incoming if table != "enterprise" else local)
        if table == "enterprise" and kind == "duplicate":
            title = str(incoming.get("name"))
        if old is not None and old[1] == their_hash and old[2] == our_hash:
            cid = old[0]
            self.kept_conflicts.add(cid)
            self.conn.execute("DELETE FROM merge_pending WHERE conflict_id = ?", [cid])
        else:
            cid = new_id()
            self.conn.execute(
                "INSERT INTO merge_conflict (id, source, kind, table_name, row_id, local_id, "
                "title, district_id, reason, incoming, local, their_hash, our_hash, found_at, "
                "found_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    cid,
                    source,
                    kind,
                    table,
                    incoming_id,
                    local_id,
                    title,
                    district_id,
                    reason,
                    json.dumps(incoming, ensure_ascii=False),
                    json.dumps(local, ensure_ascii=False),
                    their_hash,
                    our_hash,
                    self.now,
                    self.officer,
                ],
            )
        self.report.conflicts.append(
            ConflictRecord(
                cid,
                kind,
                table,
                incoming_id,
                local_id,
                title,
                self._district_label(district_id) if table != "campaign" else SHARED,
                reason,
                "",
                incoming,
                local,
                self.now,
                names=self.names,
            )
        )
        return cid

    def _append(
        self,
        spec: TableSpec,
        rows: list[dict[str, Any]],
        held: dict[str, dict[str, str]],
        pending: list[tuple[str, str, str, str]],
    ) -> None:
        table = spec.name
        fresh: list[dict[str, Any]] = []
        for original in rows:
            row = self._rewrite(spec, original)
            holder = self._held_by(spec, original, held) or self._held_by(spec, row, held)
            if holder is not None:
                pending.append((holder, table, row["id"], json.dumps(row, ensure_ascii=False)))
                self.report.add(self._row_district(spec, row), spec.label, DUPLICATE)
                continue
            fresh.append(row)
        existing: set[str] = set()
        ids = [r["id"] for r in fresh]
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            existing.update(
                r[0]
                for r in self.conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})", chunk)
            )
        new_rows = sorted((r for r in fresh if r["id"] not in existing), key=lambda r: r["id"])
        for row in fresh:
            outcome = UNCHANGED if row["id"] in existing else ADDED
            self.report.add(self._row_district(spec, row), spec.label, outcome)
        columns = [c for c in self.columns[table] if c not in spec.local]
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[r.get(c) for c in columns] for r in new_rows],
        )

    # -- writing ----------------------------------------------------------------------------

    def insert_rows(
        self, spec: TableSpec, rows: list[dict[str, Any]], keys: Mapping[int, list[str]]
    ) -> None:
        if not rows:
            return
        table = spec.name
        if table == "benchmark_enterprise":
            rows = _parents_first(rows)
        else:  # in primary key order: UUIDs are random, sorted ones fill pages in turn
            rows = sorted(rows, key=lambda r: r["id"])
        columns = [c for c in self.columns[table] if c not in spec.local]
        self.conn.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [[r.get(c) for c in columns] for r in rows],
        )
        if table == "enterprise":
            pairs: list[tuple[str, int]] = []
            for row in rows:
                pairs += self._index(row, keys, new=True)
                self._track_enterprise(row["id"], None, row)
            self._insert_keys(pairs)
        elif table == "recognition":
            self._write_scores(rows)
        elif table == "benchmark_item":
            self.touched_forms.update((r["enterprise_id"], r["campaign_id"]) for r in rows)
        elif table == "submission":
            for row in rows:
                self.sub_enterprise[row["id"]] = row["enterprise_id"]

    def update_row(
        self,
        spec: TableSpec,
        row: dict[str, Any],
        mine: Mapping[str, Any],
        keys: Mapping[int, list[str]],
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
                self._insert_keys(
                    self._index(
                        {**row, "search_id": mine.get("search_id")},
                        keys,
                        new=False,
                        incoming_search_id=row.get("search_id"),
                    )
                )
            self._track_enterprise(mine["id"], mine, row)
        elif table == "recognition":
            self._write_scores([row])
        elif table == "benchmark_item":
            self.touched_forms.add((row["enterprise_id"], row["campaign_id"]))

    def _index(
        self,
        row: Mapping[str, Any],
        keys: Mapping[int, list[str]],
        *,
        new: bool,
        incoming_search_id: int | None = None,
    ) -> list[tuple[str, int]]:
        """Give an enterprise its search id; returns its search keys to insert: copied from
        the file it came from (its readings and pinyin came with the row), or built."""
        eid = row["id"]
        copied = keys.get(row.get("search_id") if new else incoming_search_id)  # type: ignore[arg-type]
        search_id = None if new else row.get("search_id")
        if search_id is None:
            search_id = self.next_search_id
            self.next_search_id += 1
        else:
            self.conn.execute("DELETE FROM search_key WHERE search_id = ?", [search_id])
        if copied:
            self.conn.execute("UPDATE enterprise SET search_id = ? WHERE id = ?", [search_id, eid])
            return [(k, search_id) for k in copied]
        from duibiao_tui.domain.search import build_keys

        entry = build_keys(row["name"], [row.get(c) for c in SEARCH_FIELDS[1:]])
        pinyin = " ".join(r[0] for r in json.loads(entry.readings_json))
        self.conn.execute(
            "UPDATE enterprise SET search_id = ?, search_readings = ?, name_pinyin = ? "
            "WHERE id = ?",
            [search_id, entry.readings_json, pinyin, eid],
        )
        return [(k, search_id) for k in entry.keys]

    def _insert_keys(self, pairs: list[tuple[str, int]]) -> None:
        pairs.sort()  # in the primary key's order: appended, not scattered
        self.conn.executemany(
            "INSERT OR IGNORE INTO search_key (key, search_id) VALUES (?, ?)", pairs
        )

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

    def _renumber(self) -> None:
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


# -- the public operations ---------------------------------------------------------------


def merge_files(
    store: Store,
    paths: Sequence[Path | str | Incoming],
    *,
    dry_run: bool = False,
    keep: int = 10,
    progress: Callable[[str], None] | None = None,
) -> MergeReport:
    """Merge every file in ``paths`` into ``store`` in one transaction (see the module).

    Every file is read and checked before anything is written: one refused file (not a
    duibiao file, damaged, newer schema, this very database) refuses the whole merge with
    MergeRefused. A backup is taken first (not for a dry run).
    """
    if store.read_only:
        raise MergeRefused("数据库以只读方式打开，不能合并")
    own_id = store.setting("database_id")
    sources: list[Incoming] = []
    for path in paths:
        if isinstance(path, Incoming):
            incoming = path
        else:
            if progress is not None:
                progress(f"读取 {Path(path).name}")
            incoming = read_source(path)
        if incoming.database_id == own_id or _same_file(incoming.path, store.path):
            raise MergeRefused(f"{incoming.path.name} 就是本数据库（或它的备份），不能合并到自身")
        twin = next((s for s in sources if s.database_id == incoming.database_id), None)
        if twin is not None:
            raise MergeRefused(
                f"{twin.path.name} 和 {incoming.path.name} 是同一数据库（或其未打开过的副本），"
                "不能一起合并。请在各自的电脑上用 duibiao-tui package 打包后再合并"
            )
        sources.append(incoming)
    report = MergeReport(dry_run=dry_run)
    report.sources = [SourceSummary(str(s.path), s.label, s.database_id) for s in sources]
    if not dry_run and store.path is not None:
        from duibiao_tui.store.backup import take_backup

        if progress is not None:
            progress("合并前备份")
        report.backup = str(take_backup(store.path, "合并前", keep=keep))
    cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    # Rows land at random places of the UUID indexes: a large page cache for the merge
    # (city scale: ~3x faster), back to the default after it.
    store.conn.execute(f"PRAGMA cache_size = {-MERGE_CACHE_KIB}")
    try:
        with store.write():
            merger = _Merger(store, report)
            for incoming in sources:
                if progress is not None:
                    progress(f"合并 {incoming.path.name}（{incoming.label}）")
                merger.merge_source(incoming)
            if report.written:
                for incoming in sources:
                    store._audit(
                        "merge_source",
                        incoming.database_id,
                        "merge",
                        {"file": (None, str(incoming.path)), "summary": (None, report.summary())},
                    )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except sqlite3.IntegrityError as error:
        raise MergeRefused(f"来件数据不完整或与本库冲突（{error}），未合并任何内容") from error
    finally:
        store.conn.execute(f"PRAGMA cache_size = {cache}")
    if not dry_run:  # as stored: with their labels and waiting rows
        report.conflicts = open_conflicts(store, sources=[s.database_id for s in sources])
    return report


def _same_file(a: Path, b: Path | None) -> bool:
    try:
        return b is not None and a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _names(conn: sqlite3.Connection) -> dict[str, str]:
    """Ids a conflicting row may refer to → names an officer reads."""
    names: dict[str, str] = {}
    for sql in (
        "SELECT id, name FROM district",
        "SELECT id, name FROM campaign",
        "SELECT id, name FROM benchmark_enterprise",
    ):
        names.update(conn.execute(sql).fetchall())
    return names


def open_conflicts(store: Store, *, sources: Sequence[str] | None = None) -> list[ConflictRecord]:
    """Conflicts and duplicates waiting for the officer (of the given source databases)."""
    sql = (
        "SELECT c.id, c.kind, c.table_name, c.row_id, c.local_id, c.title, c.district_id, "
        "c.reason, s.label, c.incoming, c.local, c.found_at, "
        "(SELECT count(*) FROM merge_pending p WHERE p.conflict_id = c.id), s.database_id "
        "FROM merge_conflict c JOIN merge_source s ON s.n = c.source "
        "WHERE c.resolved_at IS NULL ORDER BY c.kind DESC, c.found_at, c.title, c.id"
    )
    names = _names(store.conn)
    out = []
    for row in store.conn.execute(sql):
        if sources is not None and row[13] not in sources:
            continue
        district = (
            SHARED
            if row[2] in ("campaign", "district", "benchmark_enterprise")
            else (names.get(row[6], NO_DISTRICT) if row[6] else NO_DISTRICT)
        )
        out.append(
            ConflictRecord(
                id=row[0],
                kind=row[1],
                table=row[2],
                row_id=row[3],
                local_id=row[4],
                title=row[5],
                district=district,
                reason=row[7],
                source_label=row[8],
                incoming=json.loads(row[9]),
                local=json.loads(row[10]),
                found_at=row[11],
                waiting=row[12],
                names=names,
            )
        )
    return out


def _open_conflict(store: Store, conflict_id: str) -> tuple[ConflictRecord, int, int, int]:
    found = [c for c in open_conflicts(store) if c.id == conflict_id]
    if not found:
        raise NotFoundError("该冲突已处理或不存在，请刷新列表")
    source, their, our = store.conn.execute(
        "SELECT source, their_hash, our_hash FROM merge_conflict WHERE id = ?", [conflict_id]
    ).fetchone()
    return found[0], source, their, our


def _resolved(store: Store, conflict_id: str, how: str, now: str) -> None:
    store.conn.execute(
        "UPDATE merge_conflict SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
        [now, store.officer, how, conflict_id],
    )


def _integrity(error: sqlite3.IntegrityError) -> DuibiaoError:
    text = str(error)
    if "UNIQUE" in text:
        return DuplicateError("信用代码或名称与本库另一家企业相同；请先在企业登记中修改其中一家")
    return DuibiaoError(f"无法保存：{text}", "无法保存")


def resolve_conflict(
    store: Store, conflict_id: str, choice: str, fields: Mapping[str, str] | None = None
) -> None:
    """Settle a conflict: ``local`` keeps this database's row, ``incoming`` takes the
    district's, ``edit`` takes per field (``fields``: column → "local"/"incoming"; fields
    not named keep the local value). Refused when the local row changed again since the
    conflict was found (merge the file again to see the newer state)."""
    if choice not in ("local", "incoming", "edit"):
        raise ValueError(choice)
    record, source, their, our = _open_conflict(store, conflict_id)
    if record.is_duplicate:
        raise DuibiaoError("这是重复登记的企业：请确认是否同一企业", "不是冲突")
    spec = SPEC_BY_NAME[record.table]
    try:
        with store.write():
            merger = _Merger(store, MergeReport())
            columns = merger.content[spec.name]
            mine = merger._fetch(spec.name, [record.local_id]).get(record.local_id)
            if mine is None:
                raise NotFoundError("本库中已没有这条记录")
            if row_hash(columns, mine) != our:
                raise DuibiaoError(
                    "发现冲突之后，本库的这条记录又被修改过。请重新合并该文件，再处理新的冲突。",
                    "记录已变",
                )
            incoming = {**record.incoming, "id": record.local_id}
            if choice == "local":
                after = our
            elif choice == "incoming":
                merger.update_row(spec, incoming, mine, {})
                after = their
            else:
                chosen = dict(mine)
                for column, side in (fields or {}).items():
                    if column not in columns:
                        raise ValueError(column)
                    if side == "incoming":
                        chosen[column] = incoming.get(column)
                if spec.name == "enterprise":
                    source_row = incoming if (fields or {}).get("name") == "incoming" else mine
                    chosen["name_key"] = source_row.get("name_key")
                chosen["updated_at"] = merger.now
                chosen["updated_by"] = store.officer
                merger.update_row(spec, chosen, mine, {})
                after = row_hash(columns, chosen)
            merger._set_base(source, [(spec.name, record.row_id, their, after, record.incoming)])
            merger._renumber()
            _resolved(store, conflict_id, choice, merger.now)
    except sqlite3.IntegrityError as error:
        raise _integrity(error) from error


def confirm_duplicate(
    store: Store,
    conflict_id: str,
    same: bool,
    *,
    name: str | None = None,
    credit_code: str | None = None,
) -> MergeReport:
    """Decide a duplicate enterprise. ``same``: the incoming one is the local one — the
    mapping is remembered and its waiting rows (form rows, submission, recognitions) attach
    to the local enterprise. Otherwise it is added as a second enterprise, with ``name`` /
    ``credit_code`` changed when given (one of them must differ from the local one's).
    Returns what the waiting rows did (they may raise conflicts of their own)."""
    record, source, their, _ = _open_conflict(store, conflict_id)
    if not record.is_duplicate:
        raise DuibiaoError("这是修改冲突，不是重复企业", "不是重复企业")
    report = MergeReport()
    spec = SPEC_BY_NAME["enterprise"]
    try:
        with store.write():
            merger = _Merger(store, report)
            columns = merger.content["enterprise"]
            incoming = dict(record.incoming)
            label = store.conn.execute(
                "SELECT label FROM merge_source WHERE n = ?", [source]
            ).fetchone()[0]
            if same:
                mine = merger._fetch("enterprise", [record.local_id]).get(record.local_id)
                if mine is None or mine.get("deleted_at") is not None:
                    raise NotFoundError("本库中的那家企业已删除，不能对应到它")
                merger._remember_alias("enterprise", record.row_id, record.local_id, "same")
                after = row_hash(columns, mine)
            else:
                row = _edited_enterprise(incoming, name, credit_code)
                clash = merger._duplicate_of(row, row["id"])
                if clash is not None:
                    field = "统一社会信用代码" if clash[1].startswith("统一") else "名称"
                    raise DuplicateError(
                        f"仍与本库「{merger.ent_name.get(clash[0], '')}」{clash[1]}，请修改{field}",
                        field,
                    )
                merger.insert_rows(spec, [row], {})
                after = row_hash(columns, row)
                if after != their:
                    store._audit(
                        "enterprise",
                        row["id"],
                        "merge",
                        {
                            k: (incoming.get(k), row.get(k))
                            for k in ("name", "uscc")
                            if incoming.get(k) != row.get(k)
                        },
                        at=merger.now,
                    )
            merger._set_base(source, [("enterprise", record.row_id, their, after, incoming)])
            waiting: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for table, payload in store.conn.execute(
                "SELECT table_name, payload FROM merge_pending WHERE conflict_id = ?",
                [conflict_id],
            ):
                waiting[table].append(json.loads(payload))
            store.conn.execute("DELETE FROM merge_pending WHERE conflict_id = ?", [conflict_id])
            merger.merge_tables(source, waiting, {}, label)
            _resolved(store, conflict_id, "same" if same else "distinct", merger.now)
    except sqlite3.IntegrityError as error:
        raise _integrity(error) from error
    report.conflicts = [
        c for c in open_conflicts(store) if c.id in {x.id for x in report.conflicts}
    ]
    return report


def _edited_enterprise(
    incoming: Mapping[str, Any], name: str | None, credit_code: str | None
) -> dict[str, Any]:
    from duibiao_tui.domain.text import clean, name_key, normalise_code
    from duibiao_tui.errors import FieldError, ValidationFailed

    row = dict(incoming)
    if name is not None and clean(name) != incoming.get("name"):
        text = clean(name)
        if not text:
            raise ValidationFailed([FieldError("名称", "不能为空")])
        row["name"], row["name_key"] = text, name_key(text)
    if credit_code is not None:
        code = normalise_code(credit_code) or None
        if code != incoming.get("uscc"):
            if code is not None:
                from duibiao_tui.domain.identifiers import org_code_of, parse_identifier

                try:
                    parsed = parse_identifier(code)
                except FieldError as error:
                    raise ValidationFailed([error]) from error
                if parsed is None or parsed.kind != "uscc":
                    raise ValidationFailed(
                        [FieldError("统一社会信用代码", "应为 18 位统一社会信用代码，或留空")]
                    )
                code = parsed.value
                row["org_code"] = org_code_of(code)
            elif incoming.get("uscc"):
                row["org_code"] = None  # it was the old code's
            row["uscc"] = code
    return row
