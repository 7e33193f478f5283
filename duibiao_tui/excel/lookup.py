"""Look-ups the exports, imports and command line need: a district or an enterprise from
what an officer typed. The reads are the store's (``Store.ids_by_code`` and the like).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from duibiao_tui.domain.listing import District, EnterpriseQuery
from duibiao_tui.domain.text import fold_width, name_key, normalise_code
from duibiao_tui.errors import DuibiaoError, NotFoundError
from duibiao_tui.store.enterprises import ExistingEnterprise

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = [
    "AmbiguousName",
    "ExistingEnterprise",
    "existing_enterprises",
    "find_district",
    "match_district",
    "resolve_enterprise",
    "live_enterprise_ids",
]

_DISTRICT_SUFFIXES = ("区", "市", "县")
CANDIDATES_SHOWN = 10


class AmbiguousName(DuibiaoError):
    """A name or fragment given on the command line fits several enterprises."""

    title = "不唯一"


def _district_key(text: str) -> str:
    key = "".join(fold_width(text).split()).removeprefix("江苏省")
    for city in ("镇江市", "镇江"):
        if key.startswith(city) and len(key) > len(city):
            key = key[len(city) :]
            break
    for suffix in _DISTRICT_SUFFIXES:
        if len(key) > 2 and key.endswith(suffix):
            return key[: -len(suffix)]
    return key


def match_district(districts: list[District], text: str) -> District | None:
    """The district ``text`` names: 京口区, 京口, 镇江市京口区, 321102, 镇江新区, 新区 …"""
    wanted = "".join(fold_width(text).split())
    if not wanted:
        return None
    for district in districts:
        if wanted in (district.name, district.code):
            return district
    key = _district_key(wanted)
    matches = [d for d in districts if _district_key(d.name) == key]
    if len(matches) == 1:
        return matches[0]
    return None


def find_district(store: Store, text: str) -> District:
    """The district for a ``--district`` option; the message lists the valid names."""
    districts = store.districts()
    found = match_district(districts, text)
    if found is None:
        names = "、".join(d.name for d in districts)
        raise NotFoundError(f"没有辖市区「{text}」；可选：{names}")
    return found


def live_enterprise_ids(store: Store, district_id: str | None = None) -> list[str]:
    """Live enterprises in the list's order (pinyin of the name), optionally of one district."""
    return store.live_enterprise_ids(district_id)


def _describe(store: Store, ids: list[str]) -> str:
    lines = []
    for enterprise_id in ids[:CANDIDATES_SHOWN]:
        e = store.get_enterprise(enterprise_id)
        parts = [p for p in (e.district_name, e.credit_code) if p]
        lines.append(f"  {e.name}（{'，'.join(parts)}）" if parts else f"  {e.name}")
    if len(ids) > CANDIDATES_SHOWN:
        lines.append(f"  …… 共 {len(ids)} 家")
    return "\n".join(lines)


def resolve_enterprise(store: Store, text: str) -> str:
    """The one live enterprise ``text`` means: a credit code (exactly), an exact name, or a
    search that finds a single enterprise. Several → ``AmbiguousName`` listing them."""
    code = normalise_code(text)
    if code:
        coded = store.ids_by_code(code)
        if len(coded) == 1:
            return coded[0]
    exact = store.ids_by_name_key(name_key(text))
    ids = exact or [row.id for row in store.search_enterprises(EnterpriseQuery(text=text))]
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise NotFoundError(f"没有找到企业「{text}」（可用企业名称、名称片段或信用代码）")
    raise AmbiguousName(
        f"「{text}」对应 {len(ids)} 家企业，请写全名或信用代码：\n{_describe(store, ids)}"
    )


def existing_enterprises(store: Store) -> list[ExistingEnterprise]:
    """Every live enterprise's identity, in one query (an import checks thousands of rows)."""
    return store.existing_enterprises()
