"""Narrowing the 项目 picker by what the officer types.

The 项目 column takes one of the notice's twelve aspects (or 其他). Officers on a site visit
type fast and often without switching the IME to Chinese, so the picker must answer to
Chinese fragments (工艺), pinyin initials (jljc), full pinyin (shebei) and the aspect's
number in the notice (9). Pinyin matching reuses the enterprise search's per-character
readings, so polyphonic characters (种 zhong/chong, 其 qi/ji …) match under every reading.

Chinese is matched anywhere in the aspect, pinyin only from its first character: initials
are typed from the start of a term, and matching them mid-word lets rare readings through
(平 also reads bing, so "sb" would offer 标准水平 next to 设备).
"""

from __future__ import annotations

from functools import cache

from duibiao_tui.domain.reference import ASPECTS, OTHER_ASPECT
from duibiao_tui.domain.search import (
    Readings,
    _initials_match_at,
    _pinyin_match_at,
    char_readings,
    search_norm,
)

__all__ = ["ALL_ASPECTS", "aspect_number", "match_aspects"]

ALL_ASPECTS: tuple[str, ...] = (*ASPECTS, OTHER_ASPECT)
"""What the picker offers: the twelve aspects in the notice's order, then 其他."""


@cache
def _readings(aspect: str) -> Readings:
    """Readings of one aspect, computed once: pypinyin is loaded only when pinyin is typed."""
    return char_readings(aspect)


def aspect_number(aspect: str) -> int | None:
    """The aspect's number in the notice (1–12), None for 其他 or an unknown name."""
    try:
        return ASPECTS.index(aspect) + 1
    except ValueError:
        return None


def _matches(term: str, aspect: str) -> bool:
    if term in search_norm(aspect):
        return True
    if term.isascii() and term.isalpha():
        readings = _readings(aspect)
        return _initials_match_at(term, readings, 0) or _pinyin_match_at(term, readings, 0)
    return False


def match_aspects(typed: str) -> list[str]:
    """The aspects ``typed`` may mean, in the notice's order; empty input offers all 13.

    A number picks exactly that aspect (``1`` is 设备, not also 10–12), because the officer
    reads the number off the paper form. Letters match pinyin initials (``jljc``) or a
    full-pinyin prefix (``shebei``, ``sheb``) from the aspect's first character; Chinese
    matches anywhere (``质量`` finds both 质量 aspects).
    """
    term = search_norm(typed)
    if not term:
        return list(ALL_ASPECTS)
    if term.isascii() and term.isdigit():
        number = int(term)
        return [ASPECTS[number - 1]] if 1 <= number <= len(ASPECTS) else []
    return [aspect for aspect in ALL_ASPECTS if _matches(term, aspect)]
