"""Phone numbers and known people's names typed into free text, masked for public exports.

The public export leaves out the personal columns (单位填报人, 电话, 报送人, 审核人 …), but an
enterprise may write "联系人张三 13912345678" into 提升计划和措施 or 备注. ``Masker`` finds
phone numbers (mobiles, landlines with area code and extension, 400/800 numbers, and local
numbers after 电话/手机) and the names of the people the database knows (填报人, 报送人,
审核人, the officers who entered records) in the free-text columns, replaces each with
``＊＊＊``, and counts what it masked so the export can say how many.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from duibiao_tui.domain.text import fold_width

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["FREE_TEXT_COLUMNS", "MASK", "Masker", "known_names", "masked_words"]

MASK = "＊＊＊"
FREE_TEXT_COLUMNS = frozenset(
    {
        "指标内容",
        "标杆水平",
        "对比结果",
        "提升计划和措施",
        "落实部门",
        "备注",
        "完成说明",
        "说明",
        "结果",
    }
)
"""Columns of the flat tables where people write freely (推介说明 is 说明 there)."""

_PHONE = re.compile(
    r"(?<![0-9])(?:"
    r"(?:\+?86[-\s]?)?1[3-9][0-9](?:[-\s]?[0-9]{4}){2}"  # mobile
    r"|\(?0[0-9]{2,3}\)?[-\s]?[0-9]{3,4}[-\s]?[0-9]{4}"  # landline with area code
    r"(?:\s*(?:转|分机|-|x|ext\.?)\s*[0-9]{1,5})?"
    r"|[48]00[-\s]?[0-9]{3}[-\s]?[0-9]{4}"  # 400 / 800
    r")(?![0-9])"
    r"|(?<=电话)[:\s]*[0-9]{7,8}(?![0-9])|(?<=手机)[:\s]*[0-9]{11}(?![0-9])"
)
_CJK = re.compile(r"[\u3400-\u9fff]")


def known_names(store: Store) -> list[str]:
    """The people the database knows by name: contacts, those who handed forms in, reviewers
    and officers (two to ten characters, with at least one Chinese character)."""
    names: set[str] = set()
    for value in store.people_named():
        name = " ".join(value.split())
        if 2 <= len(name) <= 10 and _CJK.search(name):
            names.add(name)
    return sorted(names, key=lambda n: (-len(n), n))


class Masker:
    """Masks phones and the given names in text; ``count`` is how many it masked."""

    def __init__(self, names: list[str]) -> None:
        self.count = 0
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._names = re.compile(alternatives) if alternatives else None

    def __call__(self, text: str) -> str:
        folded = fold_width(text)  # one character for one: spans stay valid
        spans = [m.span() for m in _PHONE.finditer(folded) if m.group().strip(": ")]
        if self._names is not None:
            spans += [m.span() for m in self._names.finditer(text)]
        if not spans:
            return text
        spans.sort()
        out: list[str] = []
        end = 0
        for start, stop in spans:
            if start < end:  # overlapping matches: the first one counts
                continue
            out.append(text[end:start])
            out.append(MASK)
            self.count += 1
            end = stop
        out.append(text[end:])
        return "".join(out)


def masked_words(masker: Masker | None) -> str:
    """What the public export says about masking (always, so 0 is said too)."""
    count = masker.count if masker is not None else 0
    return f"公开版的自由文本中隐去了 {count} 处电话号码或姓名（以 {MASK} 代替）"
