"""The light records of the first screen: districts, the campaign, list rows and queries.

Split from ``models`` because the list is what the officer waits for at start-up; the
larger records (``Enterprise``, ``EnterpriseInput``) load with the first form or page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class District:
    id: str
    name: str
    code: str | None
    kind: str
    is_zone: bool

    @property
    def label(self) -> str:
        return f"{self.name}（{self.code}）" if self.code else f"{self.name}（{self.kind}）"


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    doc_number: str
    issuer: str
    year: int | None
    deadline: str | None
    """ISO date (YYYY-MM-DD) by which forms are handed in."""
    recipients: str


class EnterpriseRow(NamedTuple):
    """One line of the enterprise list: only what the table shows.

    A NamedTuple, not a dataclass: the list builds thousands at start-up and a frozen
    dataclass costs several times more to construct.
    """

    id: str
    name: str
    district_name: str
    industry: str
    main_products: str
    credit_code: str
    famous_brand: bool
    quality_award: bool

    @property
    def flags(self) -> str:
        if self.famous_brand:
            return "名牌 质量奖" if self.quality_award else "名牌"
        return "质量奖" if self.quality_award else ""


@dataclass(frozen=True)
class EnterpriseQuery:
    """The list's search box, filters and sort, as one value."""

    text: str = ""
    district_id: str | None = None
    industry_section: str | None = None
    industry_division: str | None = None
    famous_brand: bool = False
    quality_award: bool = False
    sort_key: str = "name"
    descending: bool = False
    removed: bool = False
    """True lists removed (soft-deleted) enterprises instead of live ones."""
