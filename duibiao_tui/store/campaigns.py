"""Campaigns (one a year, from the city bureau's notice): listed, added, made active, and
the carry-over of open measures from one campaign into the next.

A repository over the ``Session``; every write is audited.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.listing import Campaign
from duibiao_tui.errors import NotFoundError
from duibiao_tui.store.rows import record_columns
from duibiao_tui.store.session import Session

if TYPE_CHECKING:
    from duibiao_tui.domain.campaigns import CampaignInput

__all__ = ["CampaignRepository"]


class CampaignRepository:
    """The ``campaign`` table and the active campaign's setting, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def campaigns(self) -> list[Campaign]:
        columns = record_columns(Campaign)
        return columns.records(
            self.session.conn.execute(
                f"SELECT {columns.select} FROM campaign "
                "WHERE deleted_at IS NULL ORDER BY year, deadline, created_at"
            )
        )

    def get_campaign(self, campaign_id: str) -> Campaign:
        for campaign in self.campaigns():
            if campaign.id == campaign_id:
                return campaign
        raise NotFoundError("该活动不存在")

    def add_campaign(self, data: CampaignInput) -> Campaign:
        """A new campaign (not yet active: ``set_active_campaign`` switches)."""
        from duibiao_tui.domain.campaigns import validate_campaign
        from duibiao_tui.errors import DuplicateError

        clean = validate_campaign(data)
        if any(c.name == clean.name for c in self.campaigns()):
            raise DuplicateError("已有同名活动", "活动名称")
        now = self.session.clock()
        campaign_id = str(uuid.uuid4())
        with self.session.write():
            self.session.conn.execute(
                "INSERT INTO campaign (id, name, doc_number, issuer, year, deadline, recipients, "
                "created_at, updated_at, created_by, updated_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    campaign_id,
                    clean.name,
                    clean.doc_number,
                    clean.issuer,
                    clean.year,
                    clean.deadline,
                    clean.recipients,
                    now,
                    now,
                    self.session.officer,
                    self.session.officer,
                ],
            )
            self.session.audit(
                "campaign",
                campaign_id,
                "insert",
                {"name": (None, clean.name), "deadline": (None, clean.deadline)},
                at=now,
            )
        return self.get_campaign(campaign_id)

    def set_active_campaign(self, campaign_id: str) -> Campaign:
        campaign = self.get_campaign(campaign_id)
        old = self.session.setting("active_campaign_id")
        if old == campaign_id:
            return campaign
        with self.session.write():
            self.session.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('active_campaign_id', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [campaign_id],
            )
            self.session.audit(
                "setting", "active_campaign_id", "update", {"value": (old, campaign_id)}
            )
        return campaign

    def _to_carry(
        self, source_id: str, target_id: str, enterprise_ids: list[str] | None, all_rows: bool
    ) -> tuple[str, list[Any]]:
        """FROM/WHERE of the rows a carry-over copies (shared by the count and the copy)."""
        sql = (
            "FROM benchmark_item i JOIN enterprise e ON e.id = i.enterprise_id "
            "WHERE i.campaign_id = ? AND i.deleted_at IS NULL AND e.deleted_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM benchmark_item c WHERE c.carried_over_from = i.id "
            "AND c.campaign_id = ? AND c.deleted_at IS NULL)"
        )
        if not all_rows:
            sql += " AND i.measure_state != '已完成' AND i.measures != ''"
        params: list[Any] = [source_id, target_id]
        if enterprise_ids is not None:
            sql += f" AND i.enterprise_id IN ({', '.join('?' * len(enterprise_ids))})"
            params += enterprise_ids
        return sql, params

    def carry_over_count(
        self,
        source_id: str,
        target_id: str,
        enterprise_ids: list[str] | None = None,
        *,
        all_rows: bool = False,
    ) -> int:
        """How many rows ``carry_over_measures`` would copy now (asked before confirming)."""
        sql, params = self._to_carry(source_id, target_id, enterprise_ids, all_rows)
        return int(self.session.conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0])

    def carry_over_measures(
        self,
        source_id: str,
        target_id: str,
        enterprise_ids: list[str] | None = None,
        *,
        all_rows: bool = False,
    ) -> int:
        """Copy the open measures (not 已完成) of ``source_id`` into ``target_id`` — or, with
        ``all_rows``, every row of the forms, so next year's form starts from this year's —
        after the rows each form already has there, marked with the row they came from
        (progress and verdicts can then be compared year by year). A row already carried
        over is not copied twice. Returns the number of rows copied."""
        from duibiao_tui.store.items import ITEM_COLUMNS

        if source_id == target_id:
            raise NotFoundError("来源活动与目标活动相同")
        self.get_campaign(source_id)
        self.get_campaign(target_id)
        now = self.session.clock()
        where, params = self._to_carry(source_id, target_id, enterprise_ids, all_rows)
        columns = ", ".join(ITEM_COLUMNS)
        copied = 0
        with self.session.write():
            rows = self.session.conn.execute(
                f"SELECT i.id, i.enterprise_id {where} ORDER BY i.enterprise_id, i.seq", params
            ).fetchall()
            for item_id, enterprise_id in rows:
                seq = self.session.conn.execute(
                    "SELECT ifnull(max(seq), 0) + 1 FROM benchmark_item WHERE enterprise_id = ? "
                    "AND campaign_id = ? AND deleted_at IS NULL",
                    [enterprise_id, target_id],
                ).fetchone()[0]
                new_id = str(uuid.uuid4())
                self.session.conn.execute(
                    f"INSERT INTO benchmark_item (id, enterprise_id, campaign_id, seq, {columns}, "
                    "measure_state, carried_over_from, created_at, updated_at, created_by, "
                    f"updated_by) SELECT ?, enterprise_id, ?, ?, {columns}, measure_state, id, "
                    "?, ?, ?, ? FROM benchmark_item WHERE id = ?",
                    [
                        new_id,
                        target_id,
                        seq,
                        now,
                        now,
                        self.session.officer,
                        self.session.officer,
                        item_id,
                    ],
                )
                self.session.audit(
                    "benchmark_item",
                    new_id,
                    "insert",
                    {"carried_over_from": (None, item_id), "campaign_id": (None, target_id)},
                    at=now,
                )
                copied += 1
        return copied
