"""Progress across campaigns: the same indicator of one enterprise year by year, and how
many rows that lagged (落后) last time now match (持平) or lead (领先).

The notice asks for 3–5 year plans; a row carried into the next campaign remembers where
it came from (``carried_over_from``), and rows typed anew are matched by enterprise,
aspect and 指标内容, so the comparison works whichever way the form was filled. A
repository over the ``Session``.
"""

from __future__ import annotations

from dataclasses import dataclass

from duibiao_tui.domain.text import name_key
from duibiao_tui.errors import NotFoundError
from duibiao_tui.store.session import Session

__all__ = ["IndicatorYear", "ProgressRepository"]


@dataclass(frozen=True)
class IndicatorYear:
    campaign_id: str
    campaign_name: str
    year: int | None
    benchmark_level: str
    result_text: str
    verdict: str
    measure_state: str
    item_id: str


class ProgressRepository:
    """Rows compared across campaigns, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def indicator_history(self, item_id: str) -> list[IndicatorYear]:
        """The row's indicator in every campaign, oldest first: rows linked by carry-over
        and rows of the same enterprise with the same aspect and 指标内容."""
        row = self.session.conn.execute(
            "SELECT enterprise_id, aspect, aspect_other, indicator FROM benchmark_item "
            "WHERE id = ? AND deleted_at IS NULL",
            [item_id],
        ).fetchone()
        if row is None:
            raise NotFoundError("该对标记录不存在或已删除")
        enterprise_id, aspect, aspect_other, indicator = row
        linked = self._carry_chain(item_id)
        wanted = (aspect, aspect_other, name_key(indicator))
        found: dict[str, IndicatorYear] = {}
        for r in self.session.conn.execute(
            "SELECT i.id, i.campaign_id, c.name, c.year, i.benchmark_level, i.result_text, "
            "ifnull(i.verdict, ''), i.measure_state, i.aspect, i.aspect_other, i.indicator "
            "FROM benchmark_item i JOIN campaign c ON c.id = i.campaign_id "
            "WHERE i.enterprise_id = ? AND i.deleted_at IS NULL "
            "ORDER BY c.year, c.deadline, i.seq",
            [enterprise_id],
        ):
            same = (r[8], r[9], name_key(r[10])) == wanted
            if (r[0] in linked or same) and r[1] not in found:
                found[r[1]] = IndicatorYear(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[0])
        return list(found.values())

    def _carry_chain(self, item_id: str) -> set[str]:
        """Ids linked to ``item_id`` by carry-over, back to the first and on to the last."""
        chain = {item_id}
        frontier = [item_id]
        while frontier:
            ids = ", ".join("?" * len(frontier))
            rows = self.session.conn.execute(
                f"SELECT id, carried_over_from FROM benchmark_item WHERE (id IN ({ids}) "
                f"OR carried_over_from IN ({ids})) AND deleted_at IS NULL",
                [*frontier, *frontier],
            ).fetchall()
            frontier = []
            for own, source in rows:
                for linked in (own, source):
                    if linked and linked not in chain:
                        chain.add(linked)
                        frontier.append(linked)
        return chain

    def verdict_progress(self, campaign_id: str | None = None) -> dict[str, int]:
        """For rows of the campaign carried over from an earlier one: how many there are,
        how many were 落后 before, and how many of those are now 持平 or 领先."""
        carried, behind, improved = self.session.conn.execute(
            "SELECT count(*), ifnull(sum(o.verdict = '落后'), 0), "
            "ifnull(sum(o.verdict = '落后' AND i.verdict IN ('持平', '领先')), 0) "
            "FROM benchmark_item i JOIN benchmark_item o ON o.id = i.carried_over_from "
            "WHERE i.campaign_id = ? AND i.carried_over_from IS NOT NULL AND i.deleted_at IS NULL",
            [self.session.campaign_id(campaign_id)],
        ).fetchone()
        return {"carried": carried, "behind_before": behind, "improved": improved}
