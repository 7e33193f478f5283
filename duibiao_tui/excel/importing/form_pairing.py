"""Plan a form's rows against the enterprise's stored rows: pair, compare, number.

Re-importing the same form must not duplicate anything: each file row is paired with at
most one live stored row (by content, then 项目 + 指标内容 + 标杆企业, then 项目 + 指标内容,
then 序号 + 项目), and gets the 序号 it is stored under.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from duibiao_tui.domain.item_rules import (
    FIELD_ASPECT,
    FIELD_BENCHMARK,
    FIELD_BENCHMARK_LEVEL,
    FIELD_DEPARTMENT,
    FIELD_DUE,
    FIELD_INDICATOR,
    FIELD_MEASURES,
    FIELD_REMARKS,
    FIELD_RESULT,
    CleanItem,
    validate_item,
)
from duibiao_tui.errors import ValidationFailed
from duibiao_tui.excel.importing.form_plan import PlannedItem, RowAction
from duibiao_tui.excel.importing.form_rows import FileRow, content_key
from duibiao_tui.excel.importing.form_values import seq_number, text_key

if TYPE_CHECKING:
    from duibiao_tui.domain.items import BenchmarkItem
    from duibiao_tui.store.store import Store

__all__ = ["plan_items"]


_ITEM_LABELS = {
    "benchmark_id": FIELD_BENCHMARK,
    "benchmark_text": FIELD_BENCHMARK,
    "aspect": FIELD_ASPECT,
    "aspect_other": FIELD_ASPECT,
    "indicator": FIELD_INDICATOR,
    "benchmark_level": FIELD_BENCHMARK_LEVEL,
    "result_text": FIELD_RESULT,
    "verdict": "结论",
    "measures": FIELD_MEASURES,
    "department": FIELD_DEPARTMENT,
    "due_date": FIELD_DUE,
    "due_text": FIELD_DUE,
    "remarks": FIELD_REMARKS,
}


def _stored_clean(item: BenchmarkItem) -> CleanItem | None:
    try:
        return validate_item(item.to_input())
    except ValidationFailed:
        return None


@dataclass
class _Stored:
    item: BenchmarkItem
    clean: CleanItem | None
    label_key: str
    taken: bool = False


def _pair_rows(rows: list[FileRow], stored: list[_Stored]) -> dict[int, _Stored]:
    """Pair file rows (by position in ``rows``) with stored rows, in the documented order."""
    pairs: dict[int, _Stored] = {}

    def stage(
        key_of_file: Callable[[FileRow], object], key_of_stored: Callable[[_Stored], object]
    ) -> None:
        index: dict[object, list[_Stored]] = {}
        for entry in stored:
            if not entry.taken and entry.clean is not None:
                key = key_of_stored(entry)
                if key is not None:
                    index.setdefault(key, []).append(entry)
        for position, row in enumerate(rows):
            if position in pairs or row.clean is None:
                continue
            key = key_of_file(row)
            if key is None:
                continue
            for entry in index.get(key, []):
                if not entry.taken:
                    entry.taken = True
                    pairs[position] = entry
                    break

    def content(row: FileRow) -> object:
        assert row.clean is not None
        return content_key(row.clean, row.label)

    def stored_content(entry: _Stored) -> object:
        assert entry.clean is not None
        return content_key(entry.clean, entry.item.benchmark_label)

    def full(row: FileRow) -> object:
        assert row.clean is not None
        c = row.clean
        return (c.aspect, c.aspect_other, text_key(c.indicator), text_key(row.label))

    def stored_full(entry: _Stored) -> object:
        c = entry.item
        return (c.aspect, c.aspect_other, text_key(c.indicator), text_key(c.benchmark_label))

    def indicator(row: FileRow) -> object:
        assert row.clean is not None
        c = row.clean
        return (c.aspect, c.aspect_other, text_key(c.indicator))

    def stored_indicator(entry: _Stored) -> object:
        c = entry.item
        return (c.aspect, c.aspect_other, text_key(c.indicator))

    def seq(row: FileRow) -> object:
        assert row.clean is not None
        number = seq_number(row.seq)
        return None if number is None else (number, row.clean.aspect)

    def stored_seq(entry: _Stored) -> object:
        return (entry.item.seq, entry.item.aspect)

    stage(content, stored_content)
    stage(full, stored_full)
    stage(indicator, stored_indicator)
    stage(seq, stored_seq)
    return pairs


def plan_items(
    store: Store,
    rows: list[FileRow],
    enterprise_id: str | None,
    campaign_id: str,
    titles_of: dict[str, tuple[str, ...]],
) -> tuple[list[PlannedItem], int]:
    stored: list[_Stored] = []
    if enterprise_id is not None:
        stored = [
            _Stored(item, _stored_clean(item), text_key(item.benchmark_label))
            for item in store.items_for(enterprise_id, campaign_id)
        ]
    pairs = _pair_rows(rows, stored)
    written = [p for p, row in enumerate(rows) if not _refused(row)]
    places, place_notes = _place_rows(rows, pairs, stored, written)
    planned: list[PlannedItem] = []
    for position, row in enumerate(rows):
        common = {
            "sheet": row.sheet,
            "row": row.number,
            "seq": row.seq,
            "warnings": tuple(row.warnings),
            "cells": tuple(row.cells),
            "titles": titles_of[row.sheet],
        }
        if _refused(row):
            planned.append(
                PlannedItem(action="refused", data=row.data, problems=tuple(row.problems), **common)  # type: ignore[arg-type]
            )
            continue
        assert row.clean is not None and row.data is not None
        if position in place_notes:
            common["warnings"] = (
                *row.warnings,
                f"工作表「{row.sheet}」 {row.where}：{place_notes[position]}",
            )
        pair = pairs.get(position)
        if pair is None:
            planned.append(
                PlannedItem(
                    action="new",
                    data=row.data,
                    seq_number=places[position],
                    new_benchmark=row.new_benchmark,
                    **common,  # type: ignore[arg-type]
                )
            )
            continue
        data = row.data
        if text_key(row.label) == pair.label_key:  # same benchmark as printed: keep its link
            data = dataclasses.replace(
                data, benchmark_id=pair.item.benchmark_id, benchmark_text=pair.item.benchmark_text
            )
        assert pair.clean is not None
        if content_key(row.clean, row.label) == content_key(pair.clean, pair.item.benchmark_label):
            changes: tuple[str, ...] = ()
        else:
            new_clean = validate_item(data)
            old = dataclasses.asdict(pair.clean)
            old["benchmark_id"] = pair.item.benchmark_id
            old["benchmark_text"] = pair.item.benchmark_text
            changes = tuple(
                dict.fromkeys(
                    _ITEM_LABELS.get(k, k)
                    for k, v in dataclasses.asdict(new_clean).items()
                    if old.get(k) != v
                )
            )
        if places[position] != pair.item.seq:  # the form numbers (or orders) it otherwise
            changes = (*changes, "序号")
        action: RowAction = "update" if changes else "unchanged"
        planned.append(
            PlannedItem(
                action=action,
                data=data,
                item_id=pair.item.id,
                version=pair.item.version,
                changes=changes,
                seq_number=places[position],
                **common,  # type: ignore[arg-type]
            )
        )
    kept = sum(1 for entry in stored if not entry.taken)
    return planned, kept


def _refused(row: FileRow) -> bool:
    return bool(row.problems) or row.clean is None or row.data is None


def _place_rows(
    rows: list[FileRow], pairs: dict[int, _Stored], stored: list[_Stored], written: list[int]
) -> tuple[dict[int, int], dict[int, str]]:
    """The 序号 each written row (by position) is stored under, and what to say about it.

    The form's own number, new rows and updated ones alike, so the stored form keeps the
    form's numbering and order — unless a stored row this import leaves alone (one the
    form does not mention, or whose row is refused) holds it: then a paired row keeps its
    stored number, and a new row goes after the last.
    """
    moving = {pairs[p].item.id for p in written if p in pairs}
    claimed = {entry.item.seq for entry in stored if entry.item.id not in moving}
    places: dict[int, int] = {}
    for position in written:
        number = seq_number(rows[position].seq)
        if number is not None and number not in claimed:  # repeats were refused
            places[position] = number
            claimed.add(number)
    notes: dict[int, str] = {}
    for position in written:
        if position in places:
            continue
        number = seq_number(rows[position].seq)
        pair = pairs.get(position)
        if pair is not None and pair.item.seq not in claimed:
            places[position] = pair.item.seq
            claimed.add(pair.item.seq)
            if number is not None:
                notes[position] = (
                    f"序号 {number} 已是本企业另一行的序号，这一行保留原序号 {pair.item.seq}"
                )
        elif number is not None:
            notes[position] = f"序号 {number} 已是本企业另一行的序号，这一行排在最后"
    end = max(claimed, default=0)
    for position in written:
        if position not in places:
            end += 1
            places[position] = end
    return places, notes
