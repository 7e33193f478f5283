"""Unsaved typing of every form, kept so that quitting, a crash or a desk key loses nothing.

A draft is what the officer typed, as the form's own field values (strings, booleans,
None), unvalidated: it is not data yet, so it is neither audited nor merged nor packaged.
One draft per form kind and record (``record_key``: the record's id, or ``new`` plus what
the form was opened for).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from duibiao_tui.store.rows import named_rows, record_columns

if TYPE_CHECKING:
    from duibiao_tui.store.session import Session


@dataclass(frozen=True)
class FormDraft:
    kind: str
    record_key: str
    values: dict[str, Any]
    updated_at: str


class FormDrafts:
    """The ``form_draft`` table behind ``store.form_drafts``."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, kind: str, record_key: str, values: dict[str, Any]) -> None:
        """Keep (or replace) the draft of one form; one short transaction."""
        payload = json.dumps(values, ensure_ascii=False, sort_keys=True)
        session = self.session
        with session.write(changes_figures=False):
            session.conn.execute(
                "INSERT INTO form_draft (kind, record_key, payload, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, record_key) DO UPDATE SET "
                "payload = excluded.payload, updated_at = excluded.updated_at, "
                "updated_by = excluded.updated_by",
                [kind, record_key, payload, session.clock(), session.officer],
            )

    def get(self, kind: str, record_key: str) -> FormDraft | None:
        """The newest draft for the record: kept under ``record_key`` itself, or under
        ``record_key:…`` when the officer put an older one aside and typed anew."""
        columns = record_columns(FormDraft, left_out=("values",))
        cursor = self.session.conn.execute(
            f"SELECT {columns.select}, payload FROM form_draft WHERE kind = ? "
            "AND (record_key = ? OR substr(record_key, 1, ?) = ?) "
            "ORDER BY updated_at DESC, rowid DESC LIMIT 1",
            [kind, record_key, len(record_key) + 1, record_key + ":"],
        )
        row = next(named_rows(cursor), None)
        if row is None:
            return None
        try:
            values = json.loads(row.pop("payload"))
        except ValueError:  # a draft we cannot read is no use to anyone
            return None
        return FormDraft(**row, values=values if isinstance(values, dict) else {})

    def discard(self, kind: str, record_key: str) -> None:
        """Forget one draft (its form was saved, or the officer threw the typing away)."""
        session = self.session
        exists = session.conn.execute(
            "SELECT 1 FROM form_draft WHERE kind = ? AND record_key = ?", [kind, record_key]
        ).fetchone()
        if session.read_only or exists is None:
            return
        with session.write(changes_figures=False):
            session.conn.execute(
                "DELETE FROM form_draft WHERE kind = ? AND record_key = ?", [kind, record_key]
            )
