"""完成时间 as officers write it, turned into a date the app can sort and chase.

The paper form has a free-text 完成时间 column, and enterprises fill it the way people talk:
``2010年底``, ``2010年6月``, ``二季度``. Reports and reminders need a real date, so each
spelling maps to the *last* day of the period it names (a target "by June" is met on 30 June).
The text as typed is stored next to the date, so nothing the enterprise wrote is lost.
Anything we cannot read with certainty is refused with an example instead of guessed.

完成时间 is free text on the form, though: ``长期``, ``持续``, ``每季度``, ``2010年起`` are real
answers. ``read_due`` keeps such text with no date (未定) and a note, and refuses only a
date that cannot exist (2010年2月30日, month 13, a year outside 2000–2100): that is a typo
to fix, and it is never rolled over into the next month.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from duibiao_tui.domain.text import clean, fold_width
from duibiao_tui.errors import FieldError

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "DueReading",
    "ImpossibleDate",
    "format_date",
    "parse_due_date",
    "read_due",
]

MIN_YEAR = 2000
MAX_YEAR = 2100
"""Plans in the 2009 campaign run 3–5 years; anything outside this range is a typo."""

EXAMPLES = "2010-06-30、2010年6月 或 2010年底"

# Dashes an IME or a pasted document may produce instead of "-", and the ideographic full stop.
_SEPARATORS = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {"。": "."}
)
_SPACE = re.compile(r"\s+")

_Y = r"(?P<y>[0-9]{4})"
_SEP = r"[-/.]"
# 底/末 ("end of"), optionally followed by 前 ("by"): 2010年底前, 6月底之前.
_END = r"(?:底|末)(?:之|以)?前?"
_BY = r"(?:(?:之|以)?前)?"

_FULL = re.compile(
    rf"{_Y}(?:年(?P<m>[0-9]{{1,2}})月(?P<d>[0-9]{{1,2}})(?:日|号)?"
    rf"|{_SEP}(?P<m2>[0-9]{{1,2}}){_SEP}(?P<d2>[0-9]{{1,2}})"
    rf"|(?P<m3>[0-9]{{2}})(?P<d3>[0-9]{{2}})){_BY}"
)
_MONTH = re.compile(rf"{_Y}(?:年|{_SEP})(?P<m>[0-9]{{1,2}})月?(?:{_END})?")
_YEAR = re.compile(rf"{_Y}(?:年?(?:年?{_END})?)")
_HALF = re.compile(rf"{_Y}年?(?P<h>[上下])半年(?:{_END})?")
_QUARTER = re.compile(
    rf"{_Y}(?:年|{_SEP})?(?:第?(?P<q>[1-4一二三四])季度?|[Qq](?P<q2>[1-4]))(?:{_END})?"
)
_NO_YEAR = re.compile(
    r"(?:[0-9]{1,2}月|[0-9]{1,2}[-/.][0-9]{1,2}$|[上下]半年|第?[一二三四1-4]季度|[Qq][1-4]).*"
)

UNDATED_NOTE = "不是日期，按原文保存，完成日期未定"


class ImpossibleDate(FieldError):
    """The text is a date, but one that does not exist (30 February, month 13, year 2910)."""


@dataclass(frozen=True)
class DueReading:
    """完成时间 as read: the date it names, or None with ``note`` saying the text is kept."""

    date: date | None
    note: str = ""


_QUARTER_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _shown(text: str) -> str:
    """The typed text as quoted back in a message: cleaned and cut short."""
    shown = clean(text)
    return shown if len(shown) <= 20 else shown[:20] + "…"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _normalise(text: str) -> str:
    """Half-width, no spaces, one kind of dash: the IME state must not change the answer."""
    return _SPACE.sub("", fold_width(text).translate(_SEPARATORS))


def parse_due_date(text: str | None, field: str = "完成时间") -> date | None:
    """The last day of the period ``text`` names; None when blank; FieldError otherwise.

    Accepts 2010-06-30, 2010/6/30, 2010.6.30, 20100630, 2010年6月30日 (or 号), 2010年6月 /
    2010-06 (end of month), 2010年底 / 2010年 / 2010 (31 December), 2010年上半年 / 下半年,
    2010年一季度 / 第一季度 / 2010Q1 (end of quarter), with full-width digits and spaces.
    "底"/"末" and a trailing "前" are allowed where they cannot change the meaning
    (2010年6月底前); "2010年前" is refused because it could mean "before 2010".
    """
    if text is None:
        return None
    s = _normalise(text)
    if not s:
        return None

    def refuse(reason: str) -> FieldError:
        return FieldError(field, f"{reason}，请写成 {EXAMPLES}")

    def impossible(reason: str) -> FieldError:
        return ImpossibleDate(field, f"{reason}，请写成 {EXAMPLES}")

    if m := _FULL.fullmatch(s):
        year = int(m["y"])
        month = int(m["m"] or m["m2"] or m["m3"])
        day = int(m["d"] or m["d2"] or m["d3"])
        _check_year(year, impossible)
        if not 1 <= month <= 12:
            raise impossible(f"「{_shown(text)}」的月份应为 1–12")
        try:
            return date(year, month, day)
        except ValueError:
            raise impossible(f"{year}年{month}月没有{day}日") from None
    if m := _MONTH.fullmatch(s):
        year, month = int(m["y"]), int(m["m"])
        _check_year(year, impossible)
        if not 1 <= month <= 12:
            raise impossible(f"「{_shown(text)}」的月份应为 1–12")
        return _month_end(year, month)
    if m := _HALF.fullmatch(s):
        year = int(m["y"])
        _check_year(year, impossible)
        return date(year, 6, 30) if m["h"] == "上" else date(year, 12, 31)
    if m := _QUARTER.fullmatch(s):
        year = int(m["y"])
        _check_year(year, impossible)
        quarter = _QUARTER_NUMBERS[m["q"] or m["q2"]]
        return _month_end(year, quarter * 3)
    if m := _YEAR.fullmatch(s):
        year = int(m["y"])
        _check_year(year, impossible)
        return date(year, 12, 31)
    if _NO_YEAR.fullmatch(s):
        raise refuse(f"「{_shown(text)}」缺少年份")
    raise refuse(f"无法识别「{_shown(text)}」")


def _check_year(year: int, refuse: Callable[[str], FieldError]) -> None:
    """Four digits are not enough: 1010 or 2910 is a slip of the finger, not a plan."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise refuse(f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间，现为 {year}")


def read_due(text: str | None, field: str = "完成时间") -> DueReading:
    """完成时间 as the form allows it: a date when the text names one, else the text kept
    with no date (``note`` says so). Raises ``ImpossibleDate`` only for a date that cannot
    exist (2010年2月30日 stays a problem to fix; it never becomes 3月2日)."""
    try:
        return DueReading(parse_due_date(text, field))
    except ImpossibleDate:
        raise
    except FieldError:
        return DueReading(None, f"「{_shown(text or '')}」{UNDATED_NOTE}")


def format_date(d: date | None) -> str:
    """ISO form, as stored and shown in tables: it sorts correctly as text; "" for no date."""
    return d.isoformat() if d is not None else ""
