"""What a desk says when its 辖市区 filter hides enterprises that match the search.

Officers open F3 and F4 on their default district; searching there for another district's
enterprise used to say only （没有符合条件的企业）. The desks share these words so the
hint reads the same everywhere: how many are hidden, and the keys that show them.
"""

from __future__ import annotations

__all__ = ["empty_placeholder", "hidden_note"]

EMPTY = "（没有符合条件的企业）"


def hidden_note(hidden: int, district: str, keys: str) -> str:
    """'其他辖市区另有 3 家符合（Ctrl+F 到辖市区，选「全部辖市区」显示）', or ''."""
    if hidden <= 0:
        return ""
    return f"{district}以外另有 {hidden} 家符合（{keys} 到辖市区，选「全部辖市区」显示）"


def empty_placeholder(hidden: int, district: str, keys: str) -> str:
    """The empty list's line: plain, or naming the matches the district filter hides."""
    if hidden <= 0:
        return EMPTY
    return f"（{district}没有符合条件的企业；{hidden_note(hidden, district, keys)}）"
