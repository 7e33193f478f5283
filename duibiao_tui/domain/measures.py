"""Follow-up of improvement measures: the 提升计划和措施 of each row, chased until done.

A measure is 未开始, 进行中 or 已完成; 逾期 is not stored but derived (a measure not done
whose 完成时间 has passed), so it is always true on the day it is read.

A measure is a row with a 提升计划和措施. A row with a 落实部门 or a 完成时间 but no measure
is not one (it is counted nowhere as a measure, and never as overdue): it is 待补, the
measure is still to be written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from duibiao_tui.domain.dates import format_date, parse_due_date
from duibiao_tui.domain.reference import MEASURE_STATES, MeasureState
from duibiao_tui.domain.text import clean
from duibiao_tui.errors import FieldError, ValidationFailed

__all__ = [
    "DONE",
    "IN_PROGRESS",
    "NOT_STARTED",
    "NO_MEASURE",
    "OVERDUE",
    "PENDING",
    "MeasureUpdate",
    "is_overdue",
    "row_kind",
    "shown_state",
    "validate_measure_update",
]

NOT_STARTED = MeasureState.NOT_STARTED
IN_PROGRESS = MeasureState.IN_PROGRESS
DONE = MeasureState.DONE
OVERDUE = "逾期"
PENDING = "待补"
"""A row with a 落实部门 or 完成时间 but no 提升计划和措施: the measure is still to be written."""
NO_MEASURE = "无措施"
"""A row with neither (a 领先 row, say): listed only when every row is (a dashboard drill)."""
FIELD_STATE = "落实情况"
FIELD_DONE_DATE = "完成日期"
FIELD_DONE_NOTE = "说明"
NOTE_MAX = 500


def is_overdue(state: str, due_date: str | None, today: date) -> bool:
    """Not done and its 完成时间 (the last day of the period named) is before today."""
    return state != DONE and due_date is not None and due_date < today.isoformat()


def shown_state(state: str, due_date: str | None, today: date) -> str:
    """The state as a list shows it: 逾期 replaces 未开始/进行中 once the date has passed."""
    return OVERDUE if is_overdue(state, due_date, today) else state


def row_kind(measures: str, department: str, due_text: str, due_date: str | None) -> str:
    """ "" for a measure, PENDING for a row that only names its department or date,
    NO_MEASURE for a row with none of them (``store.followup`` says the same in SQL)."""
    if measures.strip():
        return ""
    if department.strip() or due_text.strip() or due_date:
        return PENDING
    return NO_MEASURE


def shown_row_state(
    measures: str, department: str, due_text: str, due_date: str | None, state: str, today: date
) -> str:
    """What a list shows for a row: its measure's state (or 逾期), else 待补 or 无措施."""
    return row_kind(measures, department, due_text, due_date) or shown_state(state, due_date, today)


@dataclass(frozen=True)
class MeasureUpdate:
    state: str
    done_date: str | None
    """ISO date; set only for 已完成."""
    note: str


def validate_measure_update(
    state: str, done_date: str = "", note: str = "", *, today: date
) -> MeasureUpdate:
    """A change of a measure's state as typed. 已完成 needs the date it was done (today when
    left blank, never in the future); other states clear it."""
    errors: list[FieldError] = []
    if state not in MEASURE_STATES:
        errors.append(FieldError(FIELD_STATE, f"应为 {'、'.join(MEASURE_STATES)} 之一"))
    done: date | None = None
    if state == DONE:
        try:
            done = parse_due_date(done_date, FIELD_DONE_DATE) or today
        except FieldError as error:
            errors.append(error)
        else:
            if done > today:
                errors.append(FieldError(FIELD_DONE_DATE, f"不能晚于今天（{today.isoformat()}）"))
    text = clean(note)
    if len(text) > NOTE_MAX:
        errors.append(FieldError(FIELD_DONE_NOTE, f"最多 {NOTE_MAX} 字，现为 {len(text)} 字"))
    if errors:
        raise ValidationFailed(errors)
    return MeasureUpdate(state, format_date(done) or None, text)


DUE_THIS_MONTH = "本月到期"
DUE_OVERDUE = "已逾期"
DUE_FILTERS = (DUE_THIS_MONTH, DUE_OVERDUE)


@dataclass(frozen=True)
class MeasureQuery:
    """The follow-up screen's filters as one value (None/"" = all)."""

    district_id: str | None = None
    department: str = ""
    aspect: str = ""
    due: str = ""
    """"" for every measure, or one of DUE_FILTERS."""
    state: str = ""
    """A MEASURE_STATES value, OVERDUE, or PENDING (the rows still without a measure)."""
    verdict: str = ""
    """A VERDICTS value, or NO_VERDICT for the rows without one."""
    enterprise_id: str | None = None
    year: int | None = None
    """Only measures falling due in this year (the year-by-year view)."""
    all_rows: bool = False
    """Every row of the forms, not only those with a measure (dashboard drill-down)."""
    campaign_id: str | None = None


class MeasureRow(NamedTuple):
    """One measure in the follow-up list (a NamedTuple: a city lists ~100,000 of them)."""

    item_id: str
    enterprise_id: str
    enterprise_name: str
    district_name: str
    seq: int
    aspect: str
    indicator: str
    verdict: str
    measures: str
    department: str
    due_date: str | None
    due_text: str
    state: str
    done_date: str | None
    done_note: str
    shown: str
    """state, or 逾期."""


NO_VERDICT = "未定"
"""The verdict column of rows without 领先 / 持平 / 落后 (so the parts add up to 行数)."""


def by_year(rows: list[MeasureRow]) -> dict[str, dict[str, int]]:
    """Year → {state shown → count}: what falls due in each year of a 3–5 year plan.
    Rows without a date are counted under 未定."""
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        year = row.due_date[:4] if row.due_date else "未定"
        states = out.setdefault(year, {})
        states[row.shown] = states.get(row.shown, 0) + 1
    return dict(sorted(out.items()))
