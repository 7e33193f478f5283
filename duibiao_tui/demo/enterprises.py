"""The demo's enterprises: one ``random.Random`` drawing names, codes, phones and the rest."""

from __future__ import annotations

import random
from collections.abc import Sequence

from duibiao_tui.demo.enterprise_tables import (
    AWARD_SHARE,
    AWARDS,
    BLANK_PHONE_SHARE,
    CITY_PREFIX,
    CITY_REGION,
    COMPANY_SUFFIXES,
    DISTRICT_BONUS,
    DISTRICT_PLAN,
    FACTORY_SHARE,
    FAMOUS_SHARE,
    GIVEN_NAMES,
    LANDLINE_LEADS,
    LINES,
    MOBILE_PREFIXES,
    NEW_BODY_SHARE,
    NOTE_SHARE,
    NOTES,
    OLD_BODY_LEADS,
    ORG_CODE_SHARE,
    PLACES,
    SURNAMES,
    TRADE_NAMES,
    USCC_SHARE,
    Line,
)
from duibiao_tui.domain import industry
from duibiao_tui.domain.identifiers import USCC_ALPHABET, org_code_check_char, uscc_check_char
from duibiao_tui.domain.models import District, EnterpriseInput, EnterpriseQuery
from duibiao_tui.domain.text import name_key
from duibiao_tui.store.store import Store


class EnterpriseGenerator:
    """All random choices of one fill, from one ``random.Random``."""

    def __init__(self, rng: random.Random, districts: Sequence[District]) -> None:
        self.rng = rng
        self.districts = list(districts)
        self.names_used: set[str] = set()
        """name_key of every name taken; names are kept unique across the whole city."""
        self.bodies_used: set[str] = set()
        self.division_names = {d.code: d.name for d in industry.divisions("C")}

    # -- district and industry ------------------------------------------------------

    def district_plan(self, count: int) -> list[District]:
        """Districts for ``count`` enterprises: each one at least once, the rest by weight."""
        rng = self.rng
        weights = [DISTRICT_PLAN.get(d.name, (5, CITY_REGION))[0] for d in self.districts]
        plan = list(self.districts) if count >= len(self.districts) else []
        plan += rng.choices(self.districts, weights=weights, k=count - len(plan))
        rng.shuffle(plan)
        return plan

    def line_for(self, district: District) -> Line:
        bonus = DISTRICT_BONUS.get(district.name, {})
        weights = [line.weight + bonus.get(line.key, 0) for line in LINES]
        return self.rng.choices(LINES, weights=weights)[0]

    # -- name ---------------------------------------------------------------------------

    def name_for(self, district: District, line: Line) -> str:
        """A name not used yet anywhere in the fill; 4-character trade names once 2 run short."""
        for attempt in range(2000):
            trade = self.rng.choice(TRADE_NAMES)
            if attempt >= 200:
                trade += self.rng.choice(TRADE_NAMES)
            name = self._compose(district, line, trade)
            if self.claim_name(name):
                return name
        raise RuntimeError(f"无法为{district.name}生成不重复的企业名称")

    def _compose(self, district: District, line: Line, trade: str) -> str:
        rng = self.rng
        own = CITY_PREFIX.get(district.name, "镇江市")
        roll = rng.random()
        if roll < 0.70:
            prefix = own
        elif roll < 0.90:
            prefix = "江苏"
        else:
            prefix = ""
        if prefix and prefix != "江苏" and rng.random() < FACTORY_SHARE:
            return f"{prefix}{trade}{rng.choice(line.factory_words)}厂"
        suffixes, weights = zip(*COMPANY_SUFFIXES, strict=True)
        suffix = rng.choices(suffixes, weights=weights)[0]
        return f"{prefix}{trade}{rng.choice(line.company_words)}{suffix}"

    def claim_name(self, name: str) -> bool:
        key = name_key(name)
        if key in self.names_used:
            return False
        self.names_used.add(key)
        return True

    # -- identifiers --------------------------------------------------------------------

    def _body(self, *, new_style: bool) -> str:
        """An 8-character 组织机构代码 body (without its check character) not used before."""
        rng = self.rng
        while True:
            if new_style:
                body = "MA1" + "".join(rng.choices(USCC_ALPHABET, k=5))
            else:
                body = rng.choice(OLD_BODY_LEADS) + "".join(rng.choices("0123456789", k=6))
            if body not in self.bodies_used:
                self.bodies_used.add(body)
                return body

    def credit_code(self, district: District) -> str:
        """A USCC (~85 %), a legacy 组织机构代码 XXXXXXXX-X (~10 %) or nothing."""
        rng = self.rng
        roll = rng.random()
        if roll < USCC_SHARE:
            region = DISTRICT_PLAN.get(district.name, (0, district.code or CITY_REGION))[1]
            body = self._body(new_style=rng.random() < NEW_BODY_SHARE)
            first17 = f"91{region}{body}{org_code_check_char(body)}"
            return first17 + uscc_check_char(first17)
        if roll < USCC_SHARE + ORG_CODE_SHARE:
            body = self._body(new_style=False)
            return f"{body}-{org_code_check_char(body)}"
        return ""

    # -- the rest -----------------------------------------------------------------------

    def address(self, district: District) -> str:
        rng = self.rng
        place = rng.choice(PLACES.get(district.name, ("镇江市",)))
        return f"{place}{rng.randint(1, 299)}号"

    def industry_text(self, line: Line) -> str:
        if self.rng.random() < 0.7:
            return self.division_names.get(line.division, "")
        return self.rng.choice(line.short_texts)

    def products(self, line: Line) -> str:
        count = self.rng.choice((1, 1, 2, 2, 3))
        return "、".join(self.rng.sample(line.products, k=min(count, len(line.products))))

    def person(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)

    def phone(self, district: District) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < BLANK_PHONE_SHARE:
            return ""
        digits = "0123456789"
        if roll < 0.50:
            number = rng.choice(MOBILE_PREFIXES) + "".join(rng.choices(digits, k=8))
            if rng.random() < 0.5:
                return f"{number[:3]} {number[3:7]} {number[7:]}"
            return number
        lead = rng.choice(LANDLINE_LEADS.get(district.name, ("85",)))
        local = lead + "".join(rng.choices(digits, k=6))
        style = rng.random()
        if style < 0.55:
            text = f"0511-{local}"
        elif style < 0.70:
            text = f"0511-{local[:4]} {local[4:]}"
        elif style < 0.85:
            text = f"(0511){local}"
        else:
            text = local  # a bare local number: the app adds 0511
        ext_roll = rng.random()
        if ext_roll < 0.15:
            text += f"转{rng.randint(800, 8999)}"
        elif ext_roll < 0.20:
            text += f"-{rng.randint(800, 8999)}" if text.startswith("0511-") else ""
        return text

    def enterprise(self, district: District) -> EnterpriseInput:
        line = self.line_for(district)
        name = self.name_for(district, line)
        return self.details(district, line, name)

    def details(self, district: District, line: Line, name: str) -> EnterpriseInput:
        rng = self.rng
        credit_code = self.credit_code(district)
        address = self.address(district)
        industry_text = self.industry_text(line)
        products = self.products(line)
        contact = self.person()
        phone = self.phone(district)
        famous = rng.random() < FAMOUS_SHARE
        award = rng.random() < AWARD_SHARE
        award_name = rng.choice(AWARDS) if award else ""
        award_year = str(rng.randint(2003, 2009)) if award else ""
        notes = rng.choice(NOTES) if rng.random() < NOTE_SHARE else ""
        return EnterpriseInput(
            name=name,
            credit_code=credit_code,
            address=address,
            district_id=district.id,
            industry_section="C",
            industry_division=line.division,
            industry_text=industry_text,
            main_products=products,
            contact_name=contact,
            phone=phone,
            famous_brand=famous,
            quality_award=award,
            award_name=award_name,
            award_year=award_year,
            notes=notes,
        )


def reference_line() -> Line:
    return next(line for line in LINES if line.key == "电气")


def reserve_taken(store: Store, gen: EnterpriseGenerator) -> None:
    """Reserve the names and code bodies already in ``store``, so a second fill adds more."""
    for row in store.search_enterprises(EnterpriseQuery()):
        gen.names_used.add(name_key(row.name))
        code = row.credit_code.replace("-", "")
        if len(code) == 18:
            gen.bodies_used.add(code[8:16])
        elif len(code) == 9:
            gen.bodies_used.add(code[:8])
