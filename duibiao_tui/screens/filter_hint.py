"""What a desk says when its 辖市区 filter hides enterprises that match the search.

Officers open F3 and F4 on their default district; searching there for another district's
enterprise used to say only （没有符合条件的企业）. The desks share these words so the
hint reads the same everywhere: how many are hidden, and the keys that show them.
(``keys`` is how the desk reaches its 辖市区 filter: Ctrl+F on the list, Tab on the desk.)
"""

from __future__ import annotations

__all__ = ["empty_placeholder", "hidden_note"]

EMPTY = "（没有符合条件的企业）"


def hidden_note(hidden: int, keys: str) -> str:
    """'另有 3 家在其他辖市区（Ctrl+F 筛选）' for a status line, or ''."""
    if hidden <= 0:
        return ""
    return f"另有 {hidden} 家在其他辖市区（{keys} 筛选）"


def empty_placeholder(hidden: int, district: str, keys: str) -> str:
    """The empty list's line: plain, or naming the matches the district filter hides (short
    enough for 80 columns)."""
    if hidden <= 0:
        return EMPTY
    return f"（{district}没有符合的企业；另有 {hidden} 家在其他辖市区，{keys} 选「全部辖市区」）"
