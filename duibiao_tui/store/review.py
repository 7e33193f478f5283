"""Storage of the review: submissions and their history, the desk, flagged rows.

A repository over the ``Session``. Every status step goes through
``domain.review.check_transition`` and is written with its ``review_event`` and audit rows
in one transaction; a bulk step over many enterprises is one transaction too, so it either
happens for all of them or for none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.listing import EnterpriseQuery
from duibiao_tui.domain.reference import ReviewStatus
from duibiao_tui.domain.review import (
    AUTOMATIC,
    NOT_SUBMITTED,
    Receipt,
    ReviewEvent,
    ReviewQuery,
    ReviewRow,
    Submission,
    TransitionRefused,
    check_transition,
    status_after_edit,
)
from duibiao_tui.errors import NotFoundError
from duibiao_tui.store.followup import IS_OVERDUE
from duibiao_tui.store.rows import named_rows, record_columns
from duibiao_tui.store.session import Session, new_id

if TYPE_CHECKING:
    from duibiao_tui.store.enterprises import EnterpriseRepository

__all__ = ["FlaggedItem", "ReviewRepository"]

REVIEW_EVENT_SQL = {"source": "e.from_status", "target": "e.to_status"}
"""ReviewEvent's fields that the review_event table names otherwise."""

FLAGGED_SQL = {
    "item_id": "i.id",
    "enterprise_name": "e.name",
    "aspect": "CASE WHEN i.aspect_other != '' THEN i.aspect_other ELSE i.aspect END",
    "comment": "i.flag_comment",
}
"""FlaggedItem's fields that are not ``i.<field>``: the row's id, the enterprise's name, the
aspect as shown (其他 spelled out) and the flag's comment."""


@dataclasses.dataclass(frozen=True)
class FlaggedItem:
    """A row marked 有问题 during review, with where it is."""

    item_id: str
    enterprise_id: str
    enterprise_name: str
    seq: int
    aspect: str
    indicator: str
    comment: str
    updated_by: str
    updated_at: str


class ReviewRepository:
    """Submissions, their steps, the review desk and flagged rows, over one session."""

    def __init__(self, session: Session, enterprises: EnterpriseRepository) -> None:
        self.session = session
        self.enterprises = enterprises

    def submission(self, enterprise_id: str, campaign_id: str | None = None) -> Submission:
        campaign = self.session.campaign_id(campaign_id)
        columns = record_columns(Submission)
        found = columns.first(
            self.session.conn.execute(
                f"SELECT {columns.select} FROM submission WHERE enterprise_id = ? "
                "AND campaign_id = ?",
                [enterprise_id, campaign],
            )
        )
        return found if found is not None else Submission(enterprise_id, campaign)

    def statuses(self, campaign_id: str | None = None) -> dict[str, ReviewStatus]:
        """enterprise id → status for every enterprise with a recorded step."""
        return {
            enterprise_id: ReviewStatus(status)
            for enterprise_id, status in self.session.conn.execute(
                "SELECT enterprise_id, status FROM submission WHERE campaign_id = ?",
                [self.session.campaign_id(campaign_id)],
            )
        }

    def _record_step(
        self,
        current: Submission,
        target: ReviewStatus,
        comment: str,
        now: str,
        receipt: Receipt | None = None,
        *,
        automatic: bool = False,
    ) -> None:
        """Write one step (submission row, review_event, audit) inside a transaction."""
        values: dict[str, Any] = {"status": target, "last_comment": comment or current.last_comment}
        if not automatic:
            values["reviewer"] = self.session.officer
        if receipt is not None:
            values |= {
                "received_date": receipt.received_date.isoformat(),
                "handed_in_by": receipt.handed_in_by,
                "copy_city": int(receipt.copy_city),
                "copy_district": int(receipt.copy_district),
            }
        elif target == NOT_SUBMITTED:
            values |= {"received_date": None, "copy_city": 0, "copy_district": 0}
        if current.id is None:
            submission_id = new_id()
            row = {
                "id": submission_id,
                "enterprise_id": current.enterprise_id,
                "campaign_id": current.campaign_id,
                **values,
            }
            self.session.conn.execute(
                f"INSERT INTO submission ({', '.join(row)}, created_at, updated_at, created_by, "
                f"updated_by) VALUES ({', '.join('?' * len(row))}, ?, ?, ?, ?)",
                [*row.values(), now, now, self.session.officer, self.session.officer],
            )
            self.session.audit(
                "submission", submission_id, "insert", {"status": (None, target)}, at=now
            )
        else:
            submission_id = current.id
            old = dataclasses.asdict(current)
            changes = {k: (old.get(k), v) for k, v in values.items() if old.get(k) != v}
            sets = ", ".join(f"{k} = ?" for k in values)
            self.session.conn.execute(
                f"UPDATE submission SET {sets}, updated_at = ?, updated_by = ?, "
                "version = version + 1 WHERE id = ?",
                [*values.values(), now, self.session.officer, submission_id],
            )
            self.session.audit("submission", submission_id, "update", changes, at=now)
        self.session.conn.execute(
            "INSERT INTO review_event (id, submission_id, from_status, to_status, comment, "
            "officer, at, created_at, updated_at, created_by, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_id(),
                submission_id,
                current.status,
                target,
                comment,
                self.session.officer,
                now,
                now,
                now,
                self.session.officer,
                self.session.officer,
            ],
        )

    def change_status(
        self,
        enterprise_ids: Sequence[str],
        target: ReviewStatus,
        comment: str = "",
        *,
        receipt: Receipt | None = None,
        campaign_id: str | None = None,
    ) -> int:
        """Take every listed form to ``target`` with one comment, all or nothing.

        Raises TransitionRefused naming the first enterprise whose form cannot take the step
        (``plan_status_change`` tells beforehand which can), ValidationFailed for a missing
        comment. A hand-in step without a receipt records today, copies not stated.
        """
        campaign = self.session.campaign_id(campaign_id)
        now = self.session.clock()
        with self.session.write():
            for enterprise_id in enterprise_ids:
                name = self.enterprises.live_name(enterprise_id)
                current = self.submission(enterprise_id, campaign)
                try:
                    step = check_transition(current.status, target, comment)
                except TransitionRefused as refused:
                    raise TransitionRefused(f"{name}：{refused.message}") from None
                given = receipt
                if step.records_receipt and given is None:
                    given = Receipt(self.session.today())
                self._record_step(
                    current, target, comment, now, given if step.records_receipt else None
                )
        return len(enterprise_ids)

    def plan_status_change(
        self, enterprise_ids: Iterable[str], target: ReviewStatus, campaign_id: str | None = None
    ) -> tuple[list[str], dict[ReviewStatus, list[str]]]:
        """Which forms can take the step (ids) and which cannot, grouped by their status."""
        statuses = self.statuses(campaign_id)
        able: list[str] = []
        unable: dict[ReviewStatus, list[str]] = {}
        for enterprise_id in enterprise_ids:
            status = statuses.get(enterprise_id, NOT_SUBMITTED)
            try:
                check_transition(status, target, "…")
            except TransitionRefused:
                unable.setdefault(status, []).append(enterprise_id)
            else:
                able.append(enterprise_id)
        return able, unable

    def record_filled_on(
        self, enterprise_id: str, campaign_id: str, text: str, day: str | None
    ) -> None:
        """填报日期 of an imported form, kept with the hand-in (the submission row, created
        as 未报送 when there is none). Like 序号, bookkeeping: audited, no version bump."""
        now = self.session.clock()
        with self.session.write():
            row = self.session.conn.execute(
                "SELECT id, filled_on_text, filled_on FROM submission "
                "WHERE enterprise_id = ? AND campaign_id = ?",
                [enterprise_id, campaign_id],
            ).fetchone()
            if row is None:
                submission_id = new_id()
                self.session.conn.execute(
                    "INSERT INTO submission (id, enterprise_id, campaign_id, filled_on_text, "
                    "filled_on, created_at, updated_at, created_by, updated_by) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        submission_id,
                        enterprise_id,
                        campaign_id,
                        text,
                        day,
                        now,
                        now,
                        self.session.officer,
                        self.session.officer,
                    ],
                )
                changes = {"filled_on_text": (None, text), "filled_on": (None, day)}
                self.session.audit("submission", submission_id, "insert", changes, at=now)
                return
            if (row[1], row[2]) == (text, day):
                return
            self.session.conn.execute(
                "UPDATE submission SET filled_on_text = ?, filled_on = ? WHERE id = ?",
                [text, day, row[0]],
            )
            changes = {"filled_on_text": (row[1], text), "filled_on": (row[2], day)}
            self.session.audit("submission", row[0], "update", changes, at=now)

    def filled_on(
        self, enterprise_id: str, campaign_id: str | None = None
    ) -> tuple[str, str | None]:
        """(填报日期 as written, as an ISO date) of the enterprise's hand-in; ("", None)."""
        row = self.session.conn.execute(
            "SELECT filled_on_text, filled_on FROM submission WHERE enterprise_id = ? "
            "AND campaign_id = ?",
            [enterprise_id, self.session.campaign_id(campaign_id)],
        ).fetchone()
        return (row[0] or "", row[1]) if row else ("", None)

    def form_last_change(
        self, enterprise_id: str, campaign_id: str | None = None
    ) -> tuple[str, str]:
        """(time, officer) of the last change to the enterprise or its form in the campaign:
        the latest audit entry, since moving a row changes only 序号 (no ``updated_at``) and
        a row's edits never touch the enterprise's own ``updated_at``."""
        row = self.session.conn.execute(
            "SELECT at, officer FROM audit_log WHERE (table_name = 'enterprise' AND row_id = ?) "
            "OR (table_name = 'benchmark_item' AND row_id IN (SELECT id FROM benchmark_item "
            "WHERE enterprise_id = ? AND campaign_id = ?)) ORDER BY at DESC, rowid DESC LIMIT 1",
            [enterprise_id, enterprise_id, self.session.campaign_id(campaign_id)],
        ).fetchone()
        if row is None:
            row = self.session.conn.execute(
                "SELECT updated_at, updated_by FROM enterprise WHERE id = ?", [enterprise_id]
            ).fetchone()
        return (row[0], row[1]) if row else ("", "")

    def form_edited(self, enterprise_id: str, campaign_id: str, now: str) -> None:
        """Called inside every write that changes a form's rows: an approved form becomes
        已修改 so it is reviewed again."""
        current = self.submission(enterprise_id, campaign_id)
        target = status_after_edit(current.status)
        if target is not None:
            self._record_step(current, target, AUTOMATIC.label, now, automatic=True)

    def review_history(
        self, enterprise_id: str, campaign_id: str | None = None
    ) -> list[ReviewEvent]:
        """Every status step of the form, oldest first."""
        columns = record_columns(ReviewEvent, alias="e", sql=REVIEW_EVENT_SQL)
        return columns.records(
            self.session.conn.execute(
                f"SELECT {columns.select} "
                "FROM review_event e JOIN submission s ON s.id = e.submission_id "
                "WHERE s.enterprise_id = ? AND s.campaign_id = ? ORDER BY e.at, e.rowid",
                [enterprise_id, self.session.campaign_id(campaign_id)],
            )
        )

    def _desk_figures(
        self, campaign: str
    ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """Status, receipt and last comment, and counts of rows, flagged rows and overdue
        measures, per enterprise (the review desk's columns), named as ReviewRow's fields."""
        submissions = {
            r.pop("enterprise_id"): r | {"status": ReviewStatus(r["status"])}
            for r in named_rows(
                self.session.conn.execute(
                    "SELECT enterprise_id, status, ifnull(received_date, '') AS received_date, "
                    "reviewer, last_comment FROM submission WHERE campaign_id = ?",
                    [campaign],
                )
            )
        }
        counts = {
            r.pop("enterprise_id"): r
            for r in named_rows(
                self.session.conn.execute(
                    f"SELECT enterprise_id, count(*) AS items, sum(flagged) AS flagged, "
                    f"sum({IS_OVERDUE}) AS overdue "
                    "FROM benchmark_item i WHERE campaign_id = ? AND deleted_at IS NULL "
                    "GROUP BY enterprise_id",
                    [self.session.today().isoformat(), campaign],
                )
            )
        }
        return submissions, counts

    def review_rows(self, query: ReviewQuery) -> list[ReviewRow]:
        """The review desk: enterprises matching the search and district, with status and
        counts (rows, flagged rows, overdue measures), filtered by status."""
        campaign = self.session.campaign_id(query.campaign_id)
        listed = self.enterprises.search_enterprises(
            EnterpriseQuery(text=query.text, district_id=query.district_id)
        )
        submissions, counts = self.session.cached(
            ("desk", campaign, self.session.today()), lambda: self._desk_figures(campaign)
        )
        unrecorded = {
            "status": NOT_SUBMITTED,
            "received_date": "",
            "reviewer": "",
            "last_comment": "",
        }
        uncounted = {"items": 0, "flagged": 0, "overdue": 0}
        rows: list[ReviewRow] = []
        for entry in listed:
            submission = submissions.get(entry.id, unrecorded)
            if query.status and submission["status"] != query.status:
                continue
            count = counts.get(entry.id, uncounted)
            rows.append(
                ReviewRow(
                    enterprise_id=entry.id,
                    name=entry.name,
                    district_name=entry.district_name,
                    **submission,
                    items=count["items"],
                    flagged=count["flagged"] or 0,
                    overdue=count["overdue"] or 0,
                )
            )
        return rows

    # -- rows flagged during review ------------------------------------------------------

    def flag_item(self, item_id: str, flagged: bool, comment: str = "") -> None:
        """Mark a row 有问题 (with what is wrong) or clear the mark. Not a form edit: the
        status does not change."""
        from duibiao_tui.domain.text import clean
        from duibiao_tui.errors import FieldError, ValidationFailed

        comment = clean(comment)
        if flagged and not comment:
            raise ValidationFailed([FieldError("问题说明", "请写明这一行有什么问题")])
        now = self.session.clock()
        with self.session.write():
            row = self.session.conn.execute(
                "SELECT flagged, flag_comment FROM benchmark_item WHERE id = ? "
                "AND deleted_at IS NULL",
                [item_id],
            ).fetchone()
            if row is None:
                raise NotFoundError("该对标记录不存在或已删除")
            new = (int(flagged), comment if flagged else "")
            changes = {
                k: (old, value)
                for k, old, value in zip(("flagged", "flag_comment"), row, new, strict=True)
                if old != value
            }
            if not changes:
                return
            self.session.conn.execute(
                "UPDATE benchmark_item SET flagged = ?, flag_comment = ?, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ?",
                [*new, now, self.session.officer, item_id],
            )
            self.session.audit("benchmark_item", item_id, "update", changes, at=now)

    def flagged_items(
        self, campaign_id: str | None = None, enterprise_id: str | None = None
    ) -> list[FlaggedItem]:
        columns = record_columns(FlaggedItem, alias="i", sql=FLAGGED_SQL)
        sql = (
            f"SELECT {columns.select} "
            "FROM benchmark_item i JOIN enterprise e ON e.id = i.enterprise_id "
            "WHERE i.flagged AND i.deleted_at IS NULL AND e.deleted_at IS NULL "
            "AND i.campaign_id = ?"
        )
        params: list[Any] = [self.session.campaign_id(campaign_id)]
        if enterprise_id:
            sql += " AND i.enterprise_id = ?"
            params.append(enterprise_id)
        sql += " ORDER BY e.name_pinyin, i.seq"
        return columns.records(self.session.conn.execute(sql, params))
