"""The audit trail of one enterprise or one row, read back for the history screen."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from duibiao_tui.domain.audit import AuditEntry
from duibiao_tui.store.rows import record_columns
from duibiao_tui.store.session import Session

__all__ = ["AUDIT_SQL", "HistoryRepository"]

AUDIT_SQL = {"table": "table_name", "old": "old_value", "new": "new_value"}
"""Fields of AuditEntry named otherwise in ``audit_log``."""
NAMED_BY = {"benchmark_id": "benchmark_enterprise", "district_id": "district"}
"""Audited fields holding the id of a record in another table, and that table."""


def _name_of(value: str | None, names: dict[str, str]) -> str | None:
    if not value:
        return value
    return names.get(value, "（库中已无此记录）")


class HistoryRepository:
    """The audit log read back, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def audit_for(self, table: str, row_id: str) -> list[dict[str, Any]]:
        """The raw audit rows of one record, oldest first."""
        return list(
            self.session.db.query(
                "SELECT at, officer, action, field, old_value, new_value FROM audit_log "
                "WHERE table_name = ? AND row_id = ? ORDER BY at, rowid",
                [table, row_id],
            )
        )

    def history(self, enterprise_id: str, item_id: str | None = None) -> list[AuditEntry]:
        """Every audited change of the enterprise, its rows (all campaigns, removed ones too),
        its submissions and recognitions — or of one row — newest first."""
        if item_id is not None:
            subjects = self._item_subjects("WHERE id = ?", [item_id])
        else:
            subjects = {enterprise_id: ""}
            subjects |= self._item_subjects("WHERE enterprise_id = ?", [enterprise_id])
            for (sid,) in self.session.conn.execute(
                "SELECT id FROM submission WHERE enterprise_id = ?", [enterprise_id]
            ):
                subjects[sid] = ""
            for rid, kind in self.session.conn.execute(
                "SELECT id, kind FROM recognition WHERE enterprise_id = ?", [enterprise_id]
            ):
                subjects[rid] = kind
        if not subjects:
            return []
        ids = list(subjects)
        columns = record_columns(AuditEntry, sql=AUDIT_SQL, left_out=("subject",))
        cursor = self.session.conn.execute(
            f"SELECT {columns.select} FROM audit_log WHERE row_id IN "
            f"({', '.join('?' * len(ids))}) ORDER BY at DESC, rowid DESC",
            ids,
        )
        entries = [
            AuditEntry(**values, subject=subjects.get(values["row_id"], ""))
            for values in columns.values(cursor)
        ]
        return self._named(entries)

    def _named(self, entries: list[AuditEntry]) -> list[AuditEntry]:
        """Fields that hold another record's id (the library benchmark, the district) read
        as that record's name: an officer cannot tell one UUID from another."""
        wanted: dict[str, set[str]] = {}
        for entry in entries:
            if entry.field in NAMED_BY:
                wanted.setdefault(entry.field, set()).update(v for v in (entry.old, entry.new) if v)
        names: dict[str, dict[str, str]] = {}
        for field, ids in wanted.items():
            table = NAMED_BY[field]
            marks = ", ".join("?" * len(ids))
            names[field] = dict(
                self.session.conn.execute(
                    f"SELECT id, name FROM {table} WHERE id IN ({marks})", list(ids)
                )
            )
        return [
            replace(
                entry,
                old=_name_of(entry.old, names[entry.field]),
                new=_name_of(entry.new, names[entry.field]),
            )
            if entry.field in names
            else entry
            for entry in entries
        ]

    def _item_subjects(self, where: str, params: list[str]) -> dict[str, str]:
        return {
            r[0]: f"第{r[1]}行 {r[2]}"
            for r in self.session.conn.execute(
                f"SELECT id, seq, indicator FROM benchmark_item {where}", params
            )
        }
