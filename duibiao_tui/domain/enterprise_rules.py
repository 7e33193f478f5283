"""The rules an enterprise record must meet, as data: every problem at once, per field.

Shared by the form, the importers (later) and the store, which calls it before any write
so that no path can store an unchecked value.
"""

from __future__ import annotations

from dataclasses import dataclass

from duibiao_tui.domain import industry
from duibiao_tui.domain.identifiers import org_code_of, parse_identifier
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.phone import parse_phone
from duibiao_tui.domain.text import clean, fold_width, name_key
from duibiao_tui.errors import FieldError, ValidationFailed

NAME_MAX = 100
FIRST_AWARD_YEAR = 1990
LAST_AWARD_YEAR = 2100


@dataclass(frozen=True)
class CleanEnterprise:
    """Column values ready to store; ``warnings`` are hints that do not block saving."""

    name: str
    name_key: str
    district_id: str | None
    uscc: str | None
    org_code: str | None
    reg_no: str | None
    address: str
    industry_section: str | None
    industry_division: str | None
    industry_edition: str | None
    industry_text: str
    industry_label: str
    """What lists show for 所在行业 (the 大类 or 门类 name, else the text), kept with the row."""
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
    warnings: tuple[str, ...] = ()


def validate_enterprise(data: EnterpriseInput, *, known_districts: set[str]) -> CleanEnterprise:
    """Check and normalise ``data``; raise ``ValidationFailed`` listing every field error."""
    errors: list[FieldError] = []
    warnings: list[str] = []

    name = clean(data.name)
    if not name:
        errors.append(FieldError("名称", "必填，请输入企业全称"))
    elif len(name) > NAME_MAX:
        errors.append(FieldError("名称", f"最多 {NAME_MAX} 个字，现为 {len(name)} 个"))

    district_id = data.district_id or None
    if district_id is not None and district_id not in known_districts:
        errors.append(FieldError("辖市区", "请从列表中选择镇江市的辖市区或功能区"))

    ident = None
    try:
        ident = parse_identifier(data.credit_code, "统一社会信用代码")
    except FieldError as error:
        errors.append(error)
    uscc = org_code = reg_no = None
    if ident is not None:
        warnings.extend(ident.warnings)
        if ident.kind == "uscc":
            uscc = ident.value
            org_code = org_code_of(ident.value)
        elif ident.kind == "org_code":
            org_code = ident.value
        else:
            reg_no = ident.value

    section_code = clean(data.industry_section).upper() or None
    division_code = clean(data.industry_division) or None
    if section_code and industry.section(section_code) is None:
        errors.append(FieldError("行业门类", "应为 GB/T 4754-2017 门类字母 A–T"))
    if division_code:
        division = industry.division(division_code)
        if division is None:
            errors.append(FieldError("行业大类", "应为 GB/T 4754-2017 两位大类代码，如 38"))
        else:
            division_code = division.code
            if section_code and division.section != section_code:
                errors.append(
                    FieldError(
                        "行业大类",
                        f"{division.label} 属于门类 {division.section}，不属于 {section_code}",
                    )
                )
            section_code = division.section

    phone = None
    try:
        phone = parse_phone(data.phone, zhenjiang=True, field="电话")
    except FieldError as error:
        errors.append(error)

    award_year: int | None = None
    year_text = clean(data.award_year)
    if year_text:
        year_text = fold_width(year_text)  # full-width digits from an IME
        if (
            year_text.isascii()
            and year_text.isdigit()
            and FIRST_AWARD_YEAR <= int(year_text) <= LAST_AWARD_YEAR
        ):
            award_year = int(year_text)
        else:
            errors.append(FieldError("获奖年份", "应为四位年份，如 2008"))
    if (clean(data.award_name) or award_year) and not data.quality_award:
        errors.append(FieldError("质量奖企业", "填写了奖项或年份，请同时勾选质量奖企业"))

    if errors:
        raise ValidationFailed(errors)
    return CleanEnterprise(
        name=name,
        name_key=name_key(name),
        district_id=district_id,
        uscc=uscc,
        org_code=org_code,
        reg_no=reg_no,
        address=clean(data.address),
        industry_section=section_code,
        industry_division=division_code,
        industry_edition=industry.INDUSTRY_EDITION if (section_code or division_code) else None,
        industry_text=clean(data.industry_text),
        industry_label=industry.label_for(section_code, division_code, clean(data.industry_text)),
        main_products=clean(data.main_products),
        contact_name=clean(data.contact_name),
        phone_raw=clean(data.phone),
        phone_e164=phone.e164 if phone else None,
        phone_ext=(phone.extension or None) if phone else None,
        famous_brand=bool(data.famous_brand),
        quality_award=bool(data.quality_award),
        award_name=clean(data.award_name),
        award_year=award_year,
        notes=(data.notes or "").strip(),
        warnings=tuple(warnings),
    )
