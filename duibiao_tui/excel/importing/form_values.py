"""A 情况表 cell's text as a value: Excel date serials, 对比结果's verdict, 项目's aspect.

The smallest step of the form import, used by every later one: how a cell that a person
typed (or Excel stored) reads as what the store keeps, and the keys that compare two
texts regardless of width and spacing.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from duibiao_tui.domain.aspects import ALL_ASPECTS, match_aspects
from duibiao_tui.domain.reference import OTHER_ASPECT, VERDICTS
from duibiao_tui.domain.text import clean, fold_width

__all__ = [
    "DATE_TIME",
    "EXCEL_EPOCH",
    "excel_serial_date",
    "map_aspect",
    "seq_number",
    "short_text",
    "split_result",
    "text_key",
]


EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(?::\d{2})?$")
"""A date cell read with its time ('2010-06-30 00:00:00'): group 1 is the date."""
_SERIAL_RANGE = (36526, 73415)
"""Excel serials of 2000-01-01 .. 2100-12-31 (the years parse_due_date accepts)."""


def excel_serial_date(text: str) -> str | None:
    """'40359' (a date cell without a date format: Excel's day number) → '2010-06-30'."""
    found = _SERIAL.match(fold_width(text).strip())
    if found is None:
        return None
    number = int(found.group(1))
    if not _SERIAL_RANGE[0] <= number <= _SERIAL_RANGE[1]:
        return None
    return (EXCEL_EPOCH + timedelta(days=number)).isoformat()


def split_result(text: str) -> tuple[str, str]:
    """对比结果 → (verdict, the rest): '落后 合格率低 1.2 个百分点' → ('落后', '合格率低 …').

    The verdict counts only as a word of its own (followed by a space, punctuation or
    nothing), so '领先同行' stays words. The export writes 'verdict words', so this reads
    every exported 对比结果 back to the same verdict and words.
    """
    shown = clean(text)
    for word in VERDICTS:
        if not shown.startswith(word):
            continue
        rest = shown[len(word) :]
        if not rest:
            return word, ""
        if rest[0] in " :：,，;；、。":
            return word, rest.lstrip(" :：,，;；、。")
        if rest[0] in "(（":
            return word, rest
        break
    return "", shown


def map_aspect(text: str) -> tuple[str, str, str]:
    """项目 as written → (aspect, aspect_other, warning).

    The notice's name (any width or spacing) is taken as it is; its number 1–12, or a
    fragment only one aspect contains (检验 → 检验把关), is mapped with a warning; anything
    else is 其他 with the text as the aspect's name ("其他：环保" gives 其他 / 环保).
    """
    shown = clean(text)
    key = "".join(fold_width(shown).split())
    if not key:
        return "", "", ""
    if key in ALL_ASPECTS:
        if key != shown:  # full-width or spaced: "质量管理 制度"
            return key, "", f"项目「{shown}」按「{key}」导入"
        return key, "", ""
    other = re.fullmatch(r"其[他它][\s:：(（-]*(.*?)[)）]?", shown)
    if other is not None:
        return OTHER_ASPECT, other.group(1).strip(), ""
    if key.isdigit() or not key.isascii():
        found = [a for a in match_aspects(key) if a != OTHER_ASPECT]
        if len(found) == 1:
            return found[0], "", f"项目「{shown}」按「{found[0]}」导入"
    return (
        OTHER_ASPECT,
        shown,
        f"项目「{shown}」不是通知的 12 个项目之一，按「其他」导入，原文保留为项目名称",
    )


def text_key(text: str) -> str:
    return "".join(fold_width(clean(text)).split()).casefold()


def short_text(text: str) -> str:
    shown = clean(text)
    return shown if len(shown) <= 20 else shown[:20] + "…"


def seq_number(text: str) -> int | None:
    folded = fold_width(text).strip()
    if folded.endswith(".0"):
        folded = folded[:-2]
    return int(folded) if folded.isascii() and folded.isdigit() and len(folded) < 9 else None
