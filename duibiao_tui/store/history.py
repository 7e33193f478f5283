"""The audit trail of one enterprise or one row, read back for the history screen."""

from __future__ import annotations

from duibiao_tui.domain.audit import AuditEntry
from duibiao_tui.store.core import StoreCore
from duibiao_tui.store.rows import record_columns

__all__ = ["AUDIT_SQL", "HistoryStore"]

AUDIT_SQL = {"table": "table_name", "old": "old_value", "new": "new_value"}
"""Fields of AuditEntry named otherwise in ``audit_log``."""


class HistoryStore(StoreCore):
    def history(self, enterprise_id: str, item_id: str | None = None) -> list[AuditEntry]:
        """Every audited change of the enterprise, its rows (all campaigns, removed ones too),
        its submissions and recognitions — or of one row — newest first."""
        if item_id is not None:
            subjects = self._item_subjects("WHERE id = ?", [item_id])
        else:
            subjects = {enterprise_id: ""}
            subjects |= self._item_subjects("WHERE enterprise_id = ?", [enterprise_id])
            for (sid,) in self.conn.execute(
                "SELECT id FROM submission WHERE enterprise_id = ?", [enterprise_id]
            ):
                subjects[sid] = ""
            for rid, kind in self.conn.execute(
                "SELECT id, kind FROM recognition WHERE enterprise_id = ?", [enterprise_id]
            ):
                subjects[rid] = kind
        if not subjects:
            return []
        ids = list(subjects)
        columns = record_columns(AuditEntry, sql=AUDIT_SQL, left_out=("subject",))
        cursor = self.conn.execute(
            f"SELECT {columns.select} FROM audit_log WHERE row_id IN "
            f"({', '.join('?' * len(ids))}) ORDER BY at DESC, rowid DESC",
            ids,
        )
        return [
            AuditEntry(**values, subject=subjects.get(values["row_id"], ""))
            for values in columns.values(cursor)
        ]

    def _item_subjects(self, where: str, params: list[str]) -> dict[str, str]:
        return {
            r[0]: f"第{r[1]}行 {r[2]}"
            for r in self.conn.execute(
                f"SELECT id, seq, indicator FROM benchmark_item {where}", params
            )
        }
