"""Plain records the store hands to screens and the screens hand back.

Nothing here knows about SQLite or Textual: a screen builds an ``EnterpriseInput`` from
what was typed, the rules turn it into clean column values, the store returns ``Enterprise``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from duibiao_tui.domain.listing import Campaign, District, EnterpriseQuery, EnterpriseRow

__all__ = [
    "Campaign",
    "District",
    "Enterprise",
    "EnterpriseInput",
    "EnterpriseQuery",
    "EnterpriseRow",
]


@dataclass
class EnterpriseInput:
    """What an officer typed (or a file held), before any rule has looked at it."""

    name: str = ""
    credit_code: str = ""
    """统一社会信用代码, or a legacy 组织机构代码 / 15-digit 注册号."""
    address: str = ""
    district_id: str | None = None
    industry_section: str = ""
    industry_division: str = ""
    industry_text: str = ""
    """所在行业 as written on the form, kept whatever the codes say."""
    main_products: str = ""
    contact_name: str = ""
    phone: str = ""
    famous_brand: bool = False
    quality_award: bool = False
    award_name: str = ""
    award_year: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Enterprise:
    id: str
    name: str
    district_id: str | None
    district_name: str
    uscc: str | None
    org_code: str | None
    reg_no: str | None
    address: str
    industry_section: str | None
    industry_division: str | None
    industry_edition: str | None
    industry_text: str
    main_products: str
    contact_name: str
    phone_raw: str
    phone_e164: str | None
    phone_ext: str | None
    famous_brand: bool
    quality_award: bool
    award_name: str
    award_year: int | None
    notes: str
    created_at: str
    updated_at: str
    created_by: str
    updated_by: str
    version: int
    deleted_at: str | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def credit_code(self) -> str:
        """The identifier to show: the USCC, else the legacy code."""
        return self.uscc or self.org_code or self.reg_no or ""

    def to_input(self) -> EnterpriseInput:
        """The values a form starts from when this enterprise is edited."""
        return EnterpriseInput(
            name=self.name,
            credit_code=self.credit_code,
            address=self.address,
            district_id=self.district_id,
            industry_section=self.industry_section or "",
            industry_division=self.industry_division or "",
            industry_text=self.industry_text,
            main_products=self.main_products,
            contact_name=self.contact_name,
            phone=self.phone_raw,
            famous_brand=self.famous_brand,
            quality_award=self.quality_award,
            award_name=self.award_name,
            award_year=str(self.award_year) if self.award_year else "",
            notes=self.notes,
        )
