"""Storage of the 情况表: the rows of each enterprise's form and their drafts.

A repository over the ``Session`` (its connection, ``write()`` transaction, audit, clock
and officer), so every write here is one short ``BEGIN IMMEDIATE`` transaction stamped and
audited like the enterprise register.

序号 is kept contiguous (1..n over the live rows of an enterprise in a campaign) after every
add, duplicate, move, removal and restore. A row's position is a property of the form, not
of the row's content: renumbering is audited (field ``seq``) but does not bump the row's
``version`` or ``updated_at``, so an officer editing row 7 in one window is not told it
conflicts because row 2 was deleted in another.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from duibiao_tui.errors import NotFoundError
from duibiao_tui.store.rows import RecordColumns, named_rows, record_columns
from duibiao_tui.store.session import Session, new_id

if TYPE_CHECKING:
    from duibiao_tui.domain.item_rules import CleanItem, ItemInput
    from duibiao_tui.domain.items import BenchmarkItem, ItemDraft
    from duibiao_tui.store.enterprises import EnterpriseRepository
    from duibiao_tui.store.library import BenchmarkLibrary
    from duibiao_tui.store.review import ReviewRepository

# The row rules and records are imported by the methods that need them: Store is on the
# launch path and the first paint of the enterprise list must not pay for them.

__all__ = ["ITEM_COLUMNS", "ITEM_INSERT", "ItemRepository", "item_row_values", "new_id"]

ITEM_COLUMNS: tuple[str, ...] = (
    "benchmark_id",
    "benchmark_text",
    "aspect",
    "aspect_other",
    "indicator",
    "benchmark_level",
    "result_text",
    "verdict",
    "measures",
    "department",
    "due_date",
    "due_text",
    "remarks",
)
"""Content columns of benchmark_item: the fields of CleanItem, in their order (a test
keeps the two in step)."""

ITEM_FIELD_GROUPS = (("benchmark_id", "benchmark_text"), ("aspect_other", "aspect"))
"""Fields of ItemInput that change together when merging two officers' edits."""

INPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "benchmark_id": ("benchmark_id", "benchmark_text"),
    "benchmark_text": ("benchmark_id", "benchmark_text"),
    "aspect": ("aspect", "aspect_other"),
    "aspect_other": ("aspect", "aspect_other"),
    "due_text": ("due_text", "due_date"),
}
"""The stored columns each field of ItemInput decides (the rest decide their own)."""


def touched_columns(base: ItemInput, mine: ItemInput) -> set[str]:
    """The columns an edit may write: those of the fields that differ from how the form
    was opened. Opening a row and saving it unchanged writes nothing, and a field the
    officer did not touch never changes, whatever the rules would now make of it."""
    touched: set[str] = set()
    for field in dataclasses.fields(base):
        if (getattr(base, field.name) or "") != (getattr(mine, field.name) or ""):
            touched.update(INPUT_COLUMNS.get(field.name, (field.name,)))
    return touched


ITEM_SQL = {
    "benchmark_name": "ifnull(b.name, '')",
    "benchmark_address": "ifnull(b.address, '')",
}
"""Fields of BenchmarkItem that are not a column of ``benchmark_item i`` of the same name."""
ITEM_FROM = "FROM benchmark_item i LEFT JOIN benchmark_enterprise b ON b.id = i.benchmark_id"


def _item_columns() -> RecordColumns[BenchmarkItem]:
    from duibiao_tui.domain.items import BenchmarkItem

    return record_columns(BenchmarkItem, alias="i", sql=ITEM_SQL)


ITEM_INSERT = (
    f"INSERT INTO benchmark_item (id, enterprise_id, campaign_id, seq, {', '.join(ITEM_COLUMNS)}, "
    "created_at, updated_at, created_by, updated_by, version) "
    f"VALUES ({', '.join('?' * (len(ITEM_COLUMNS) + 9))})"
)
"""One row with its stamps; ``item_row_values`` gives the parameters (bulk loads use it too)."""

NO_SUBMISSION = "未报送"


def item_row_values(
    item_id: str,
    enterprise_id: str,
    campaign_id: str,
    seq: int,
    clean: CleanItem,
    now: str,
    officer: str,
) -> tuple[Any, ...]:
    """Parameters of ITEM_INSERT for one new row."""
    return (
        item_id,
        enterprise_id,
        campaign_id,
        seq,
        *(getattr(clean, column) for column in ITEM_COLUMNS),
        now,
        now,
        officer,
        officer,
        1,
    )


def _item_input(payload: str) -> ItemInput:
    """A draft's values; keys a later release added or dropped are tolerated."""
    from duibiao_tui.domain.item_rules import ItemInput

    data = json.loads(payload)
    known = {f.name for f in dataclasses.fields(ItemInput)}
    return ItemInput(**{k: v for k, v in data.items() if k in known})


class ItemRepository:
    """The rows of the 情况表 and their drafts, over one session; a row names a library
    entry (``library``), belongs to a live enterprise (``enterprises``) and editing it
    reopens an approved form (``review``)."""

    def __init__(
        self,
        session: Session,
        enterprises: EnterpriseRepository,
        library: BenchmarkLibrary,
        review: ReviewRepository,
    ) -> None:
        self.session = session
        self.enterprises = enterprises
        self.library = library
        self.review = review

    def _select_items(self, where: str, params: Sequence[Any]) -> list[BenchmarkItem]:
        """Rows as records, ``where`` over ``benchmark_item i`` (and ``b``, its benchmark)."""
        columns = _item_columns()
        return columns.records(
            self.session.conn.execute(f"SELECT {columns.select} {ITEM_FROM} {where}", params)
        )

    def _live_row(self, item_id: str) -> dict[str, Any]:
        cur = self.session.conn.execute(
            "SELECT * FROM benchmark_item WHERE id = ? AND deleted_at IS NULL", [item_id]
        )
        row = cur.fetchone()
        if row is None:
            raise NotFoundError("该对标记录不存在或已删除")
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _live_order(self, enterprise_id: str, campaign_id: str) -> list[tuple[str, int]]:
        """(id, seq) of the live rows of one form, in 序号 order."""
        return self.session.conn.execute(
            "SELECT id, seq FROM benchmark_item WHERE enterprise_id = ? AND campaign_id = ? "
            "AND deleted_at IS NULL ORDER BY seq, rowid",
            [enterprise_id, campaign_id],
        ).fetchall()

    def _renumber(self, order: Sequence[str], current: dict[str, int], now: str) -> None:
        """Give the rows of ``order`` 序号 1..n; only rows whose number changes are written."""
        self._set_seqs({item_id: seq for seq, item_id in enumerate(order, start=1)}, current, now)

    def _set_seqs(self, wanted: dict[str, int], current: dict[str, int], now: str) -> None:
        """Give rows the 序号 ``wanted`` names; only rows whose number changes are written."""
        changes = [
            (seq, item_id, current.get(item_id))
            for item_id, seq in wanted.items()
            if current.get(item_id) != seq
        ]
        if not changes:
            return
        self.session.conn.executemany(
            "UPDATE benchmark_item SET seq = ? WHERE id = ?", [(s, i) for s, i, _ in changes]
        )
        self.session.audit_many(
            "benchmark_item", [(i, "update", "seq", old, s) for s, i, old in changes], now
        )

    def _discard_in_write(self, draft_id: str | None) -> None:
        if draft_id is not None:
            self.session.conn.execute("DELETE FROM item_draft WHERE id = ?", [draft_id])

    def items_for(self, enterprise_id: str, campaign_id: str | None = None) -> list[BenchmarkItem]:
        """The live rows of one enterprise's form, in 序号 order."""
        return self._select_items(
            "WHERE i.enterprise_id = ? AND i.campaign_id = ? AND i.deleted_at IS NULL "
            "ORDER BY i.seq, i.rowid",
            [enterprise_id, self.session.campaign_id(campaign_id)],
        )

    def get_item(self, item_id: str) -> BenchmarkItem:
        """A live row; removed rows are NotFound (``restore_item`` brings them back)."""
        rows = self._select_items("WHERE i.id = ? AND i.deleted_at IS NULL", [item_id])
        if not rows:
            raise NotFoundError("该对标记录不存在或已删除")
        return rows[0]

    def _next_seq(self, enterprise_id: str, campaign_id: str) -> int:
        """The 序号 after the last live row of the form."""
        return int(
            self.session.conn.execute(
                "SELECT ifnull(max(seq), 0) + 1 FROM benchmark_item WHERE enterprise_id = ? "
                "AND campaign_id = ? AND deleted_at IS NULL",
                [enterprise_id, campaign_id],
            ).fetchone()[0]
        )

    def _insert_item(
        self, enterprise_id: str, campaign_id: str, seq: int, clean: CleanItem, now: str
    ) -> str:
        item_id = new_id()
        self.session.conn.execute(
            ITEM_INSERT,
            item_row_values(
                item_id, enterprise_id, campaign_id, seq, clean, now, self.session.officer
            ),
        )
        values = {"seq": seq, **dataclasses.asdict(clean)}
        self.session.audit(
            "benchmark_item",
            item_id,
            "insert",
            {k: (None, v) for k, v in values.items() if v not in (None, "")},
            at=now,
        )
        return item_id

    def add_item(
        self,
        enterprise_id: str,
        data: ItemInput,
        campaign_id: str | None = None,
        *,
        draft_id: str | None = None,
        seq: int | None = None,
    ) -> BenchmarkItem:
        """Append a row to the form; raises ValidationFailed listing every field problem.

        ``seq`` (an import keeping the form's 序号) places the row under that number when no
        live row of the form has it; otherwise the row goes after the last one.

        ``draft_id``, when given, is discarded in the same transaction, so a crash can never
        leave both the saved row and its draft (which would be saved twice on recovery).
        """
        from duibiao_tui.domain.item_rules import validate_item

        clean = validate_item(data)
        campaign = self.session.campaign_id(campaign_id)
        now = self.session.clock()
        with self.session.write():
            self.enterprises.check_live(enterprise_id)
            clean = self.library.resolve(clean)
            if (
                seq is None
                or seq < 1
                or self.session.conn.execute(
                    "SELECT 1 FROM benchmark_item WHERE enterprise_id = ? AND campaign_id = ? "
                    "AND seq = ? AND deleted_at IS NULL",
                    [enterprise_id, campaign, seq],
                ).fetchone()
            ):
                seq = self._next_seq(enterprise_id, campaign)
            item_id = self._insert_item(enterprise_id, campaign, seq, clean, now)
            self.review.form_edited(enterprise_id, campaign, now)
            self._discard_in_write(draft_id)
        return self.get_item(item_id)

    def update_item(
        self,
        item_id: str,
        data: ItemInput,
        *,
        draft_id: str | None = None,
        base: ItemInput | None = None,
        base_version: int | None = None,
    ) -> BenchmarkItem:
        """Save the fields that changed (version + 1, one audit row per field); an untouched
        form writes nothing. ``draft_id`` is discarded in the same transaction.

        With ``base`` (the values the form was opened with) and ``base_version``: when the
        row was saved by someone else in between, their changes to other fields are kept and
        a field both changed differently raises ConflictError — never a lost update.
        """
        from duibiao_tui.domain.item_rules import validate_item

        now = self.session.clock()
        mine = data
        with self.session.write():
            row = self._live_row(item_id)
            if base is not None and base_version is not None and row["version"] != base_version:
                data = self._merge_item(item_id, base, data, row)
            clean = self.library.resolve(validate_item(data))
            changes = {k: (row[k], v) for k, v in dataclasses.asdict(clean).items() if row[k] != v}
            if base is not None:  # only what the officer changed: untouched fields stay
                touched = touched_columns(base, mine)
                changes = {k: change for k, change in changes.items() if k in touched}
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                self.session.conn.execute(
                    f"UPDATE benchmark_item SET {sets}, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [*(new for _, new in changes.values()), now, self.session.officer, item_id],
                )
                self.session.audit("benchmark_item", item_id, "update", changes, at=now)
                self.review.form_edited(row["enterprise_id"], row["campaign_id"], now)
            self._discard_in_write(draft_id)
        return self.get_item(item_id)

    def _merge_item(
        self, item_id: str, base: ItemInput, mine: ItemInput, row: dict[str, Any]
    ) -> ItemInput:
        from duibiao_tui.domain.conflicts import ConflictError, three_way_merge

        theirs = self.get_item(item_id).to_input()
        merged, clashes = three_way_merge(base, mine, theirs, ITEM_FIELD_GROUPS)
        if clashes:
            raise ConflictError(
                clashes, merged, theirs, row["version"], row["updated_by"], row["updated_at"]
            )
        return merged

    def duplicate_item(self, item_id: str) -> BenchmarkItem:
        """A copy of the row directly below it; the rows after it move down one."""
        from duibiao_tui.domain.item_rules import CleanItem

        now = self.session.clock()
        with self.session.write():
            row = self._live_row(item_id)
            clean = CleanItem(**{k: row[k] for k in ITEM_COLUMNS})
            enterprise_id, campaign_id = row["enterprise_id"], row["campaign_id"]
            live = self._live_order(enterprise_id, campaign_id)
            order = [i for i, _ in live]
            copy_id = self._insert_item(enterprise_id, campaign_id, row["seq"] + 1, clean, now)
            order.insert(order.index(item_id) + 1, copy_id)
            self._renumber(order, {**dict(live), copy_id: row["seq"] + 1}, now)
            self.review.form_edited(enterprise_id, campaign_id, now)
        return self.get_item(copy_id)

    def move_item(self, item_id: str, delta: int) -> None:
        """Move a row ``delta`` places (−1 up, +1 down: a swap with the neighbour); moving
        past either end stops there, at the end it is a no-op."""
        now = self.session.clock()
        with self.session.write():
            row = self._live_row(item_id)
            live = self._live_order(row["enterprise_id"], row["campaign_id"])
            order = [i for i, _ in live]
            at = order.index(item_id)
            order.insert(max(0, min(len(order) - 1, at + delta)), order.pop(at))
            if order != [i for i, _ in live]:
                self._renumber(order, dict(live), now)
                self.review.form_edited(row["enterprise_id"], row["campaign_id"], now)

    def place_items(self, seqs: dict[str, int]) -> None:
        """Give live rows the 序号 an imported form gives them (audited like a move; the
        version stays). The caller keeps the numbers of a form unique."""
        now = self.session.clock()
        with self.session.write():
            rows = [self._live_row(item_id) for item_id in seqs]
            self._set_seqs(seqs, {row["id"]: row["seq"] for row in rows}, now)
            moved = {
                (r["enterprise_id"], r["campaign_id"]) for r in rows if r["seq"] != seqs[r["id"]]
            }
            for enterprise_id, campaign_id in moved:
                self.review.form_edited(enterprise_id, campaign_id, now)

    def remove_item(self, item_id: str) -> None:
        """Soft delete (undo with ``restore_item``); the rows after it move up one."""
        now = self.session.clock()
        with self.session.write():
            row = self._live_row(item_id)
            self.session.conn.execute(
                "UPDATE benchmark_item SET deleted_at = ?, deleted_by = ?, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ?",
                [now, self.session.officer, now, self.session.officer, item_id],
            )
            self.session.audit("benchmark_item", item_id, "delete", at=now)
            live = self._live_order(row["enterprise_id"], row["campaign_id"])
            self._renumber([i for i, _ in live], dict(live), now)
            self.review.form_edited(row["enterprise_id"], row["campaign_id"], now)

    def restore_item(self, item_id: str) -> BenchmarkItem:
        """Undo a removal: the row comes back at the 序号 it had when it was removed.

        A removed row keeps its last 序号, so undoing removals in reverse order restores the
        form exactly; a stale position past the end puts the row last.
        """
        now = self.session.clock()
        with self.session.write():
            row = self.session.conn.execute(
                "SELECT enterprise_id, campaign_id, seq FROM benchmark_item "
                "WHERE id = ? AND deleted_at IS NOT NULL",
                [item_id],
            ).fetchone()
            if row is None:
                raise NotFoundError("该对标记录不在已删除列表中")
            enterprise_id, campaign_id, seq = row
            live = self._live_order(enterprise_id, campaign_id)
            self.session.conn.execute(
                "UPDATE benchmark_item SET deleted_at = NULL, deleted_by = NULL, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ?",
                [now, self.session.officer, item_id],
            )
            self.session.audit("benchmark_item", item_id, "restore", at=now)
            order = [i for i, _ in live]
            order.insert(max(0, min(len(order), seq - 1)), item_id)
            self._renumber(order, {**dict(live), item_id: seq}, now)
            self.review.form_edited(enterprise_id, campaign_id, now)
        return self.get_item(item_id)

    def departments_for(self, enterprise_id: str) -> list[str]:
        """落实部门 used before on this enterprise's live rows (all campaigns), most recently
        saved first, to complete the field."""
        return [
            r[0]
            for r in self.session.conn.execute(
                "SELECT department FROM benchmark_item WHERE enterprise_id = ? "
                "AND deleted_at IS NULL AND department != '' GROUP BY department "
                "ORDER BY max(updated_at) DESC, max(rowid) DESC",
                [enterprise_id],
            )
        ]

    def item_count(self, enterprise_id: str, campaign_id: str | None = None) -> int:
        return int(
            self.session.conn.execute(
                "SELECT count(*) FROM benchmark_item WHERE enterprise_id = ? AND campaign_id = ? "
                "AND deleted_at IS NULL",
                [enterprise_id, self.session.campaign_id(campaign_id)],
            ).fetchone()[0]
        )

    def submission_status(self, enterprise_id: str, campaign_id: str | None = None) -> str:
        row = self.session.conn.execute(
            "SELECT status FROM submission WHERE enterprise_id = ? AND campaign_id = ?",
            [enterprise_id, self.session.campaign_id(campaign_id)],
        ).fetchone()
        return row[0] if row else NO_SUBMISSION

    # -- drafts -----------------------------------------------------------------------

    def save_draft(
        self,
        enterprise_id: str,
        values: ItemInput,
        *,
        item_id: str | None = None,
        campaign_id: str | None = None,
    ) -> str:
        """Keep what is typed, unvalidated: one draft per enterprise, campaign and row
        (``item_id`` None for a new row), replaced on every save; returns its id.

        Not audited (it is not data yet) but written in a transaction like everything else.
        """
        campaign = self.session.campaign_id(campaign_id)
        payload = json.dumps(dataclasses.asdict(values), ensure_ascii=False)
        now = self.session.clock()
        with self.session.write(changes_figures=False):
            row = self.session.conn.execute(
                "SELECT id FROM item_draft WHERE enterprise_id = ? AND campaign_id = ? "
                "AND item_id IS ?",
                [enterprise_id, campaign, item_id],
            ).fetchone()
            if row is not None:
                self.session.conn.execute(
                    "UPDATE item_draft SET payload = ?, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [payload, now, self.session.officer, row[0]],
                )
                return str(row[0])
            draft_id = new_id()
            self.session.conn.execute(
                "INSERT INTO item_draft (id, enterprise_id, campaign_id, item_id, payload, "
                "created_at, updated_at, created_by, updated_by, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                [
                    draft_id,
                    enterprise_id,
                    campaign,
                    item_id,
                    payload,
                    now,
                    now,
                    self.session.officer,
                    self.session.officer,
                ],
            )
        return draft_id

    def drafts_for(self, enterprise_id: str, campaign_id: str | None = None) -> list[ItemDraft]:
        """Unsaved rows of one enterprise's form, newest first."""
        from duibiao_tui.domain.items import ItemDraft

        columns = record_columns(ItemDraft, left_out=("values",))
        drafts = []
        for row in named_rows(
            self.session.conn.execute(
                f"SELECT {columns.select}, payload FROM item_draft "
                "WHERE enterprise_id = ? AND campaign_id = ? ORDER BY updated_at DESC, rowid DESC",
                [enterprise_id, self.session.campaign_id(campaign_id)],
            )
        ):
            payload = row.pop("payload")
            drafts.append(ItemDraft(**row, values=_item_input(payload)))
        return drafts

    def discard_draft(self, draft_id: str) -> None:
        """Forget a draft (saved or thrown away); an unknown id is not an error."""
        with self.session.write(changes_figures=False):
            self._discard_in_write(draft_id)
