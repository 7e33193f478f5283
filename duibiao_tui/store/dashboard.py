"""The numbers of the dashboard, and the campaigns they are counted in. A mixin of Store.

Each figure is one GROUP BY over indexed columns, so the whole dashboard of a city
(thousands of enterprises, ~100,000 rows) is counted in a few tens of milliseconds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.listing import Campaign
from duibiao_tui.domain.reference import ASPECTS, OTHER_ASPECT, REVIEW_STATUSES
from duibiao_tui.errors import NotFoundError
from duibiao_tui.store.core import StoreCore
from duibiao_tui.store.followup import IS_OVERDUE, IS_PENDING
from duibiao_tui.store.rows import record_columns

if TYPE_CHECKING:
    from duibiao_tui.domain.campaigns import CampaignInput

__all__ = ["DashboardFigures", "DashboardStore", "NO_DISTRICT"]

NO_DISTRICT = "未填辖市区"


@dataclass(frozen=True)
class DashboardFigures:
    campaign: Campaign
    today: date
    districts: list[tuple[str | None, str]]
    """(district id, name) in the table's order; None for enterprises without one."""
    status_by_district: dict[str | None, dict[str, int]]
    items_by_aspect: dict[str, int]
    verdicts_by_aspect: dict[str, dict[str, int]]
    overdue: list[tuple[str | None, str, str, int]]
    """(district id, district name, department, overdue measures), most first."""
    recognitions: dict[str, int] = field(default_factory=dict)
    """kind → enterprises with at least one such recognition."""
    progress: dict[str, int] = field(default_factory=dict)
    """Rows carried over from an earlier campaign: carried, behind_before, improved."""
    pending: int = 0
    """Rows 待补: a 落实部门 or 完成时间 but no 提升计划和措施 (not counted as measures)."""

    def status_total(self, status: str) -> int:
        return sum(row.get(status, 0) for row in self.status_by_district.values())

    @property
    def enterprises(self) -> int:
        return sum(sum(row.values()) for row in self.status_by_district.values())


class DashboardStore(StoreCore):
    def dashboard(self, campaign_id: str | None = None) -> DashboardFigures:
        campaign = self.get_campaign(self._campaign(campaign_id))
        today = self.today()
        status_by: dict[str | None, dict[str, int]] = {}
        for district_id, status, count in self.conn.execute(
            "SELECT e.district_id, ifnull(s.status, ?), count(*) FROM enterprise e "
            "LEFT JOIN submission s ON s.enterprise_id = e.id AND s.campaign_id = ? "
            "WHERE e.deleted_at IS NULL GROUP BY 1, 2",
            [REVIEW_STATUSES[0], campaign.id],
        ):
            status_by.setdefault(district_id, {})[status] = count
        districts: list[tuple[str | None, str]] = [(d.id, d.name) for d in self.districts()]
        if None in status_by:
            districts.append((None, NO_DISTRICT))
        # Rows are counted from covering indexes (migration 0002); rows of removed
        # enterprises are left out by one small list instead of a join per row.
        live_items = (
            "FROM benchmark_item i WHERE i.deleted_at IS NULL AND i.campaign_id = ? "
            "AND i.enterprise_id NOT IN (SELECT id FROM enterprise WHERE deleted_at IS NOT NULL)"
        )
        by_aspect: dict[str, int] = dict.fromkeys((*ASPECTS, OTHER_ASPECT), 0)
        verdicts: dict[str, dict[str, int]] = {a: {} for a in by_aspect}
        for aspect, verdict, count in self.conn.execute(
            f"SELECT i.aspect, i.verdict, count(*) {live_items} GROUP BY i.aspect, i.verdict",
            [campaign.id],
        ):
            aspect = aspect if aspect in by_aspect else OTHER_ASPECT
            by_aspect[aspect] += count
            if verdict:
                verdicts[aspect][verdict] = verdicts[aspect].get(verdict, 0) + count
        names = dict(districts)
        overdue = [
            (district_id, names.get(district_id, NO_DISTRICT), department, count)
            for district_id, department, count in self.conn.execute(
                "SELECT e.district_id, t.department, sum(t.n) FROM (SELECT i.enterprise_id, "
                "i.department, count(*) AS n FROM benchmark_item i WHERE i.deleted_at IS NULL "
                f"AND i.campaign_id = ? AND {IS_OVERDUE} "
                "GROUP BY i.enterprise_id, i.department) t JOIN enterprise e "
                "ON e.id = t.enterprise_id WHERE e.deleted_at IS NULL GROUP BY 1, 2 "
                "ORDER BY 3 DESC, 2",
                [campaign.id, today.isoformat()],
            )
        ]
        pending = self.conn.execute(
            f"SELECT count(*) {live_items} AND {IS_PENDING}", [campaign.id]
        ).fetchone()[0]
        recognitions = dict(
            self.conn.execute(
                "SELECT r.kind, count(DISTINCT r.enterprise_id) FROM recognition r "
                "JOIN enterprise e ON e.id = r.enterprise_id WHERE r.deleted_at IS NULL "
                "AND e.deleted_at IS NULL AND r.campaign_id = ? GROUP BY 1",
                [campaign.id],
            ).fetchall()
        )
        return DashboardFigures(
            campaign,
            today,
            districts,
            status_by,
            by_aspect,
            verdicts,
            overdue,
            recognitions,
            self.verdict_progress(campaign.id),
            int(pending),
        )

    def rows_ever(self) -> int:
        """How many form rows the file has held (the largest rowid: no scan) — a size hint."""
        return int(
            self.conn.execute("SELECT ifnull(max(rowid), 0) FROM benchmark_item").fetchone()[0]
        )

    def recognised_enterprises(self, kind: str, campaign_id: str | None = None) -> list[str]:
        """Ids of enterprises with a live recognition of ``kind`` (the drill-down)."""
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT r.enterprise_id FROM recognition r JOIN enterprise e "
                "ON e.id = r.enterprise_id WHERE r.deleted_at IS NULL AND e.deleted_at IS NULL "
                "AND r.kind = ? AND r.campaign_id = ?",
                [kind, self._campaign(campaign_id)],
            )
        ]

    # -- campaigns -----------------------------------------------------------------------

    def campaigns(self) -> list[Campaign]:
        columns = record_columns(Campaign)
        return columns.records(
            self.conn.execute(
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
        now = self.clock()
        campaign_id = str(uuid.uuid4())
        with self.write():
            self.conn.execute(
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
                    self.officer,
                    self.officer,
                ],
            )
            self._audit(
                "campaign",
                campaign_id,
                "insert",
                {"name": (None, clean.name), "deadline": (None, clean.deadline)},
                at=now,
            )
        return self.get_campaign(campaign_id)

    def set_active_campaign(self, campaign_id: str) -> Campaign:
        campaign = self.get_campaign(campaign_id)
        old = self.setting("active_campaign_id")
        if old == campaign_id:
            return campaign
        with self.write():
            self.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('active_campaign_id', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [campaign_id],
            )
            self._audit("setting", "active_campaign_id", "update", {"value": (old, campaign_id)})
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
        return int(self.conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0])

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
        now = self.clock()
        where, params = self._to_carry(source_id, target_id, enterprise_ids, all_rows)
        columns = ", ".join(ITEM_COLUMNS)
        copied = 0
        with self.write():
            rows = self.conn.execute(
                f"SELECT i.id, i.enterprise_id {where} ORDER BY i.enterprise_id, i.seq", params
            ).fetchall()
            for item_id, enterprise_id in rows:
                seq = self.conn.execute(
                    "SELECT ifnull(max(seq), 0) + 1 FROM benchmark_item WHERE enterprise_id = ? "
                    "AND campaign_id = ? AND deleted_at IS NULL",
                    [enterprise_id, target_id],
                ).fetchone()[0]
                new_id = str(uuid.uuid4())
                self.conn.execute(
                    f"INSERT INTO benchmark_item (id, enterprise_id, campaign_id, seq, {columns}, "
                    "measure_state, carried_over_from, created_at, updated_at, created_by, "
                    f"updated_by) SELECT ?, enterprise_id, ?, ?, {columns}, measure_state, id, "
                    "?, ?, ?, ? FROM benchmark_item WHERE id = ?",
                    [new_id, target_id, seq, now, now, self.officer, self.officer, item_id],
                )
                self._audit(
                    "benchmark_item",
                    new_id,
                    "insert",
                    {"carried_over_from": (None, item_id), "campaign_id": (None, target_id)},
                    at=now,
                )
                copied += 1
        return copied
