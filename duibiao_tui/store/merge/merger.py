"""Merging: what each incoming row does here, and the bookkeeping that makes a merge repeatable.

``Merger.merge_source`` takes one read file (``source.Incoming``): its audit entries by id,
then table by table each row is matched (by id, by a remembered alias, or by name or key),
compared with the base of the last merge of that source (``domain.merge.decide``) and
added, updated, left, listed as a conflict, or held as a duplicate enterprise with the rows
that hang on it (``merge_pending``). The bases (what both sides held after the merge),
aliases and conflicts are stored here; the rows are written by ``writing.RowWriter``.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
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
    SPECS,
    UNCHANGED,
    UPDATED,
    ConflictRecord,
    Decision,
    MergeReport,
    TableSpec,
    decide,
    row_hash,
)
from duibiao_tui.store.merge.digests import AUDIT, SCORES, counts_of, merge_context, remember
from duibiao_tui.store.merge.source import (
    AUDIT_COLUMNS,
    Incoming,
    scores_by_recognition,
    select_rows,
)
from duibiao_tui.store.merge.writing import AUDIT_INSERT, RowWriter
from duibiao_tui.store.session import new_id

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["Merger", "referred_names"]

CHUNK = 900
"""Ids per ``IN (...)`` query (SQLite allows 32,766 parameters; smaller chunks stay fast)."""


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def referred_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Ids a conflicting row may refer to → names an officer reads."""
    names: dict[str, str] = {}
    for sql in (
        "SELECT id, name FROM district",
        "SELECT id, name FROM campaign",
        "SELECT id, name FROM benchmark_enterprise",
    ):
        names.update(conn.execute(sql).fetchall())
    return names


@dataclass
class _Work:
    incoming_id: str
    local_id: str
    row: dict[str, Any]
    hash: int
    base: tuple[int, int, str | None] | None


class Merger(RowWriter):
    """One merge transaction over ``store``; ``merge_source`` once per file. It decides what
    each incoming row does; ``RowWriter`` writes it."""

    def __init__(self, store: Store, report: MergeReport) -> None:
        super().__init__(store)
        self.store = store
        self.report = report
        self.alias: dict[str, dict[str, str]] = defaultdict(dict)
        for table, incoming, local in self.conn.execute(
            "SELECT table_name, incoming_id, local_id FROM merge_alias"
        ):
            self.alias[table][incoming] = local
        self.district_names: dict[str, str] = dict(
            self.conn.execute("SELECT id, name FROM district")
        )
        self.names = referred_names(self.conn)
        self.old_conflicts: dict[tuple[str, str, str], tuple[str, int, int]] = {}
        self.kept_conflicts: set[str] = set()
        self.merged: list[tuple[int, Incoming]] = []
        self.attached: dict[Path, str] = {}
        self._copy_source: str | None = None
        """The attached package of the file being merged, if it is one (``attach``)."""
        """An unpacked package → the schema it is attached as (``attach``)."""
        self.outcomes: dict[int, dict[str, tuple[bool, dict[str, int]]]] = defaultdict(dict)
        """Source → table → (merged clean, its rows per district), for ``remember_digests``."""
        self.changed = False
        """Set when the merge writes more than its counters: a new source, aliases, bases
        taken over, stale conflicts dropped (rows, audit and conflicts are in the report)."""

    # -- bookkeeping ----------------------------------------------------------------------

    def source_number(self, database_id: str, label: str, path: str) -> int:
        row = self.conn.execute(
            "SELECT n FROM merge_source WHERE database_id = ?", [database_id]
        ).fetchone()
        if row is None:
            self.changed = True
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
        theirs = {entry[0] for entry in incoming.audit_rows()}
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
        self.changed = self.changed or bool(taken)
        self.conn.executemany(
            "INSERT OR REPLACE INTO merge_base (source, table_name, row_id, their_hash, "
            "our_hash, their_row) VALUES (?, ?, ?, ?, ?, ?)",
            [(source, *base) for base in taken],
        )

    def _load_base(
        self, source: int, tables: Sequence[str]
    ) -> dict[tuple[str, str], tuple[int, int, str | None]]:
        marks = ", ".join("?" * len(tables))
        return {
            (t, r): (a, b, row)
            for t, r, a, b, row in self.conn.execute(
                "SELECT table_name, row_id, their_hash, our_hash, their_row FROM merge_base "
                f"WHERE source = ? AND table_name IN ({marks})",
                [source, *tables],
            )
        }

    def set_base(
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
                # in the primary key's order (WITHOUT ROWID): appended, not scattered
                for table, row_id, their, our, row in sorted(rows, key=lambda r: (r[0], r[1]))
            ],
        )

    def remember_alias(self, table: str, incoming: str, local: str, how: str) -> None:
        self.alias[table][incoming] = local
        self.changed = True
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
        # none are open for a table not read (it merged clean), but none is dropped unseen
        self.kept_conflicts = {
            cid
            for (table, _, _), (cid, _, _) in self.old_conflicts.items()
            if table in incoming.reused
        }
        self._copy_source = self.attach(incoming)
        before = self.conn.total_changes
        self._merge_audit(incoming)
        audit_added = self.conn.total_changes - before
        self.report.audit_added += audit_added
        self._count_reused(source, incoming)
        self.merge_tables(source, incoming.tables, incoming.label, incoming.reused)
        self.merged.append((source, incoming))
        stale = [cid for cid, _, _ in self.old_conflicts.values() if cid not in self.kept_conflicts]
        self.changed = self.changed or bool(stale)
        for chunk in _chunks(stale):
            marks = ", ".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM merge_pending WHERE conflict_id IN ({marks})", chunk)
            self.conn.execute(f"DELETE FROM merge_conflict WHERE id IN ({marks})", chunk)
        self.conn.execute(
            "UPDATE merge_source SET label = ?, last_file = ?, last_merged_at = ?, "
            "last_merged_by = ?, merges = merges + 1 WHERE n = ?",
            [incoming.label, str(incoming.path), self.now, self.officer, source],
        )

    def _count_reused(self, source: int, incoming: Incoming) -> None:
        """The rows of tables not read, as unchanged: per district, as last counted."""
        if not incoming.reused:
            return
        self.report.reused.setdefault(incoming.label, []).extend(
            [spec.label for spec in SPECS if spec.name in incoming.reused]
            + (["修改记录"] if AUDIT in incoming.reused else [])
        )
        stored = counts_of(self.conn, source)
        for spec in SPECS:
            if spec.name in incoming.reused:
                for district, n in stored.get(spec.name, {}).items():
                    self.report.add(district, spec.label, UNCHANGED, n)

    def remember_digests(self) -> None:
        """After every file merged: each file's digests of the tables that merged clean
        (or were not read), in the context the merge leaves (``merge.digests``)."""
        if not self.merged:
            return
        context = merge_context(self.conn)
        for source, incoming in self.merged:
            outcomes = self.outcomes.get(source, {})
            stored = counts_of(self.conn, source) if incoming.reused else {}
            clean: dict[str, tuple[str, Mapping[str, int]]] = {}
            for table, digest in incoming.digests.items():
                if table in incoming.reused:
                    clean[table] = (digest, stored.get(table, {}))
                elif table == AUDIT:  # inserted by id: every entry is here now
                    clean[table] = (digest, {})
                elif table == SCORES:  # they travel with their recognitions
                    recognitions = outcomes.get("recognition", (False, {}))[0]
                    if "recognition" in incoming.reused or recognitions:
                        clean[table] = (digest, {})
                elif table in outcomes and outcomes[table][0]:
                    clean[table] = (digest, outcomes[table][1])
            if remember(self.conn, source, context, clean):
                self.changed = True

    def _outcome(self, source: int, spec: TableSpec, before: Mapping[str, Counter[str]]) -> None:
        """Whether ``spec``'s table merged clean from ``source`` (no row held or left as a
        conflict), and its rows per district: what the report counted since ``before``."""
        rows: dict[str, int] = {}
        clean = True
        for (district, label), counter in self.report.counts.items():
            if label != spec.label:
                continue
            delta = counter - before.get(district, Counter())
            if delta[CONFLICT] or delta[DUPLICATE]:
                clean = False
            if delta.total():
                rows[district] = delta.total()
        self.outcomes[source][spec.name] = (clean, rows)

    def _counted(self, spec: TableSpec) -> dict[str, Counter[str]]:
        return {d: Counter(c) for (d, t), c in self.report.counts.items() if t == spec.label}

    def _merge_audit(self, incoming: Incoming) -> None:
        """The entries of ``incoming``'s audit log this database does not hold yet, in id
        order: copied inside SQLite from an unpacked package, else offered from Python."""
        schema = self._copy_source if incoming.audit is None else None
        if schema is not None:
            columns = ", ".join(AUDIT_COLUMNS)
            missing = self.conn.execute(
                f"SELECT count(*) FROM {schema}.audit_log "
                "WHERE id NOT IN (SELECT id FROM main.audit_log)"
            ).fetchone()[0]
            with self.bulk("audit_log", missing):
                self.conn.execute(
                    f"INSERT OR IGNORE INTO main.audit_log ({columns}) "
                    f"SELECT {columns} FROM {schema}.audit_log ORDER BY id"
                )
            return
        entries = incoming.audit_rows()
        # Entries this database holds already (all of them, merging a file again) are
        # found by id in chunks: cheaper than offering each whole entry to INSERT OR IGNORE
        held_ids: set[str] = set()
        for chunk in _chunks([entry[0] for entry in entries]):
            marks = ", ".join("?" * len(chunk))
            held_ids.update(
                r[0]
                for r in self.conn.execute(f"SELECT id FROM audit_log WHERE id IN ({marks})", chunk)
            )
        missing_rows = [e for e in entries if e[0] not in held_ids] if held_ids else entries
        with self.bulk("audit_log", len(missing_rows)):
            self.conn.executemany(AUDIT_INSERT, missing_rows)  # in id order, as read

    def attach(self, incoming: Incoming) -> str | None:
        """The schema name of ``incoming``'s unpacked package, attached to this connection
        for the merge (``detach`` after its transaction); None for a plain file, or when
        SQLite's limit of attached files is reached (that file is then read from Python)."""
        if incoming.plain is None:
            return None
        if incoming.path in self.attached:
            return self.attached[incoming.path]
        if len(self.attached) >= self.conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED):
            return None
        schema = f"incoming_{len(self.attached)}"
        self.conn.execute(f"ATTACH DATABASE ? AS {schema}", [str(incoming.plain)])
        self.attached[incoming.path] = schema
        return schema

    def detach(self) -> None:
        """Let go of the attached packages: after the transaction (SQLite refuses during)."""
        for schema in self.attached.values():
            self.conn.execute(f"DETACH DATABASE {schema}")
        self.attached = {}

    def merge_tables(
        self,
        source: int,
        tables: Mapping[str, list[dict[str, Any]]],
        label: str,
        reused: frozenset[str] = frozenset(),
    ) -> None:
        base = self._load_base(source, [s.name for s in SPECS if s.name not in reused])
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
            if spec.name in reused:
                continue
            rows = tables.get(spec.name, [])
            before = self._counted(spec)
            if rows and spec.append_only:
                self._append(spec, rows, held, pending)
            elif rows:
                self._merge_table(source, spec, rows, base, held, pending, label)
            self._outcome(source, spec, before)
        if pending:
            self.conn.executemany(
                "INSERT OR REPLACE INTO merge_pending (conflict_id, table_name, row_id, payload) "
                "VALUES (?, ?, ?, ?)",
                pending,
            )
        self.renumber()

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
            ids = held.get(table)
            if ids:  # most merges hold nothing back: no lookups then
                value = row.get(column)
                if value is not None and value in ids:
                    return ids[value]
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

    def fetch(self, table: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        unique = list(dict.fromkeys(ids))
        for chunk in _chunks(unique):
            marks = ", ".join("?" * len(chunk))
            for row in select_rows(
                self.conn, f"SELECT * FROM {table} WHERE id IN ({marks})", chunk
            ):
                out[row["id"]] = row
        if table == "recognition" and out:
            scores: dict[str, list[list[Any]]] = {}
            for chunk in _chunks(list(out)):
                marks = ", ".join("?" * len(chunk))
                scores |= scores_by_recognition(
                    select_rows(
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

    def duplicate_of(self, row: Mapping[str, Any], own_id: str) -> tuple[str, str] | None:
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
        label: str,
    ) -> None:
        table = spec.name
        columns = self.content[table]
        work: list[_Work] = []
        # Aliases of this table are remembered only after this loop: when none of the
        # tables it refers to has one, a row is as it came (not copied; never changed)
        aliased = any(self.alias.get(t) for t in spec.refs.values())
        for original in rows:
            row = self._rewrite(spec, original) if aliased else original
            holder = self._held_by(spec, original, held) or (
                self._held_by(spec, row, held) if aliased else None
            )
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
        local = self.fetch(table, [w.local_id for w in work])
        for w in work:
            if w.local_id not in local and w.base is None:
                found = self._match(spec, w.row)
                if found is not None:
                    self.remember_alias(table, w.incoming_id, found[0], found[1])
                    self.report.matched[spec.label] += 1
                    w.local_id = found[0]
                    local |= self.fetch(table, [found[0]])
        inserts: list[dict[str, Any]] = []
        updates: list[tuple[dict[str, Any], dict[str, Any]]] = []
        bases: list[tuple[str, str, int, int, Mapping[str, Any] | None]] = []
        for w in work:
            row = {**w.row, "id": w.local_id}
            mine = local.get(w.local_id)
            district = self._row_district(spec, row)
            mine_hash = row_hash(columns, mine) if mine is not None else None
            if table == "enterprise" and mine is None:
                clash = self.duplicate_of(row, w.local_id)
                if clash is not None:
                    other = self.fetch("enterprise", [clash[0]])[clash[0]]
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
                clash = self.duplicate_of(row, w.local_id)
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
        # rows as they came, not mapped to other ids: copied from the package inside SQLite
        as_they_came = not aliased and all(w.local_id == w.incoming_id for w in work)
        self.insert_rows(spec, inserts, copy_from=self._copy_source if as_they_came else None)
        for row, mine in updates:
            self.update_row(spec, row, mine)
        self.set_base(source, bases)

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
        with self.bulk(table, len(new_rows)):
            self.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                [[r.get(c) for c in columns] for r in new_rows],
            )
