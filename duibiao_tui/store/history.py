"""The audit trail of one enterprise or one row, read back for the history screen."""

from __future__ import annotations

from duibiao_tui.domain.audit import AuditEntry
from duibiao_tui.store.core import StoreCore

__all__ = ["HistoryStore"]


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
        rows = self.conn.execute(
            "SELECT at, officer, table_name, row_id, action, field, old_value, new_value "
            f"FROM audit_log WHERE row_id IN ({', '.join('?' * len(ids))}) "
            "ORDER BY at DESC, rowid DESC",
            ids,
        ).fetchall()
        return [AuditEntry(*row, subject=subjects.get(row[3], "")) for row in rows]

    def _item_subjects(self, where: str, params: list[str]) -> dict[str, str]:
        return {
            r[0]: f"第{r[1]}行 {r[2]}"
            for r in self.conn.execute(
                f"SELECT id, seq, indicator FROM benchmark_item {where}", params
            )
        }
