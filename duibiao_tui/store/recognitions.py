"""Recognitions (推介 and 推荐) of enterprises, with their self-assessment scores.

A repository over the ``Session``: each recognition and its scores are written in one
transaction and audited; removal is soft and can be undone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from duibiao_tui.errors import NotFoundError
from duibiao_tui.store.rows import record_columns
from duibiao_tui.store.session import Session, new_id

if TYPE_CHECKING:
    from duibiao_tui.domain.recognition import Recognition, RecognitionInput
    from duibiao_tui.store.enterprises import EnterpriseRepository

__all__ = ["RecognitionRepository"]


class RecognitionRepository:
    """The ``recognition`` and ``recognition_score`` tables, over one session."""

    def __init__(self, session: Session, enterprises: EnterpriseRepository) -> None:
        self.session = session
        self.enterprises = enterprises

    def _recognitions(self, where: str, params: Sequence[Any]) -> list[Recognition]:
        from duibiao_tui.domain.recognition import Recognition

        columns = record_columns(
            Recognition, sql={"edition": "score_edition"}, left_out=("scores",)
        )
        rows = list(
            columns.values(
                self.session.conn.execute(
                    f"SELECT {columns.select} FROM recognition "
                    f"WHERE deleted_at IS NULL AND {where} ORDER BY created_at, rowid",
                    list(params),
                )
            )
        )
        scores: dict[str, dict[str, float]] = {}
        ids = [r["id"] for r in rows]
        for rid, clause, points in self.session.conn.execute(
            "SELECT recognition_id, clause, points FROM recognition_score "
            f"WHERE recognition_id IN ({', '.join('?' * len(ids))}) ORDER BY clause",
            ids,
        ):
            scores.setdefault(rid, {})[clause] = points
        return [Recognition(**r, scores=scores.get(r["id"], {})) for r in rows]

    def recognitions_for(self, enterprise_id: str) -> list[Recognition]:
        return self._recognitions("enterprise_id = ?", [enterprise_id])

    def recognitions(self, campaign_id: str | None = None) -> list[Recognition]:
        return self._recognitions("campaign_id = ?", [self.session.campaign_id(campaign_id)])

    def get_recognition(self, recognition_id: str) -> Recognition:
        found = self._recognitions("id = ?", [recognition_id])
        if not found:
            raise NotFoundError("该推介/推荐记录不存在或已删除")
        return found[0]

    def _write_scores(
        self, recognition_id: str, edition: str | None, scores: dict[str, float], now: str
    ) -> None:
        from duibiao_tui.domain.recognition import EDITIONS

        self.session.conn.execute(
            "DELETE FROM recognition_score WHERE recognition_id = ?", [recognition_id]
        )
        if edition is None:
            return
        for category in EDITIONS[edition]:
            if category.clause in scores:
                self.session.conn.execute(
                    "INSERT INTO recognition_score (id, recognition_id, clause, category, "
                    "points, max_points, edition, created_at, updated_at, created_by, "
                    "updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        new_id(),
                        recognition_id,
                        category.clause,
                        category.name,
                        scores[category.clause],
                        category.max_points,
                        edition,
                        now,
                        now,
                        self.session.officer,
                        self.session.officer,
                    ],
                )

    def add_recognition(
        self, enterprise_id: str, data: RecognitionInput, campaign_id: str | None = None
    ) -> Recognition:
        from duibiao_tui.domain.recognition import validate_recognition

        clean = validate_recognition(data)
        campaign = self.session.campaign_id(campaign_id)
        now = self.session.clock()
        recognition_id = new_id()
        with self.session.write():
            self.enterprises.live_name(enterprise_id)
            values = self._recognition_values(clean)
            self.session.conn.execute(
                f"INSERT INTO recognition (id, enterprise_id, campaign_id, {', '.join(values)}, "
                f"created_at, updated_at, created_by, updated_by) VALUES "
                f"({', '.join('?' * (len(values) + 7))})",
                [
                    recognition_id,
                    enterprise_id,
                    campaign,
                    *values.values(),
                    now,
                    now,
                    self.session.officer,
                    self.session.officer,
                ],
            )
            self._write_scores(recognition_id, clean.edition, clean.scores, now)
            self.session.audit(
                "recognition",
                recognition_id,
                "insert",
                {
                    k: (None, v)
                    for k, v in self._audited(values, clean).items()
                    if v not in (None, "")
                },
                at=now,
            )
        return self.get_recognition(recognition_id)

    @staticmethod
    def _recognition_values(clean: Any) -> dict[str, Any]:
        return {
            "kind": clean.kind,
            "method": clean.method,
            "event_date": clean.event_date,
            "award_year": clean.award_year,
            "outcome": clean.outcome,
            "score_edition": clean.edition,
            "note": clean.note,
        }

    @staticmethod
    def _audited(values: dict[str, Any], clean: Any) -> dict[str, Any]:
        scores = "；".join(f"{k}={v:g}" for k, v in clean.scores.items())
        return {**values, "scores": scores or None}

    def update_recognition(self, recognition_id: str, data: RecognitionInput) -> Recognition:
        from duibiao_tui.domain.recognition import validate_recognition

        clean = validate_recognition(data)
        old = self.get_recognition(recognition_id)
        now = self.session.clock()
        values = self._recognition_values(clean)
        before = self._audited({**self._recognition_values(old), "score_edition": old.edition}, old)
        changes = {
            k: (before.get(k), v)
            for k, v in self._audited(values, clean).items()
            if before.get(k) != v
        }
        if not changes:
            return old
        with self.session.write():
            sets = ", ".join(f"{k} = ?" for k in values)
            self.session.conn.execute(
                f"UPDATE recognition SET {sets}, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE id = ?",
                [*values.values(), now, self.session.officer, recognition_id],
            )
            self._write_scores(recognition_id, clean.edition, clean.scores, now)
            self.session.audit("recognition", recognition_id, "update", changes, at=now)
        return self.get_recognition(recognition_id)

    def remove_recognition(self, recognition_id: str) -> None:
        now = self.session.clock()
        with self.session.write():
            self.get_recognition(recognition_id)
            self.session.conn.execute(
                "UPDATE recognition SET deleted_at = ?, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE id = ?",
                [now, now, self.session.officer, recognition_id],
            )
            self.session.audit("recognition", recognition_id, "delete", at=now)

    def restore_recognition(self, recognition_id: str) -> Recognition:
        now = self.session.clock()
        with self.session.write():
            updated = self.session.conn.execute(
                "UPDATE recognition SET deleted_at = NULL, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL",
                [now, self.session.officer, recognition_id],
            ).rowcount
            if not updated:
                raise NotFoundError("该推介/推荐记录不在已删除列表中")
            self.session.audit("recognition", recognition_id, "restore", at=now)
        return self.get_recognition(recognition_id)
