"""Whose form it is: the sheets of one enterprise's form, and what it does to the record.

A sheet without 对标单位 continues the previous one; the enterprise is found by its credit
code, else its name within the district, else its name alone; an unregistered one is
registered, and a registered one updated (or, with ``mode="skip"``, left) from the header.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from duibiao_tui.domain import industry
from duibiao_tui.domain.enterprise_rules import validate_enterprise
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.domain.text import clean, fold_width, name_key
from duibiao_tui.errors import ValidationFailed
from duibiao_tui.excel.form_export import industry_text as printed_industry
from duibiao_tui.excel.headers import column_letter
from duibiao_tui.excel.importing.form_header import LABEL_TITLES, HeaderLabel
from duibiao_tui.excel.importing.form_plan import FormAction
from duibiao_tui.excel.importing.form_rows import FileRow
from duibiao_tui.excel.importing.form_sheet import SheetForm
from duibiao_tui.excel.importing.form_values import short_text
from duibiao_tui.excel.importing.shared import (
    Mode,
    Problem,
    changed_enterprise_fields,
    comparable_enterprise,
)
from duibiao_tui.excel.lookup import existing_enterprises, match_district

if TYPE_CHECKING:
    from duibiao_tui.domain.listing import District
    from duibiao_tui.store.store import Store

__all__ = [
    "EnterpriseForm",
    "EnterpriseRegister",
    "assign_enterprise",
    "group_forms",
    "plan_enterprise",
]


# Fields of the enterprise a validation error points at (by the rules' field names).
_ENTERPRISE_FIELD_LABELS: dict[str, str] = {
    "名称": "name",
    "统一社会信用代码": "credit_code",
    "辖市区": "district",
    "电话": "phone",
    "行业门类": "industry",
    "行业大类": "industry",
}


@dataclass
class EnterpriseForm:
    """The sheets of one enterprise's form (a continuation adds sheets) and its rows."""

    parts: list[SheetForm]
    rows: list[FileRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def first(self) -> SheetForm:
        return self.parts[0]

    def label(self, key: str) -> HeaderLabel | None:
        for part in self.parts:
            if key in part.labels:
                return part.labels[key]
        return None

    def value(self, key: str) -> str:
        found = self.label(key)
        return clean(found.value) if found else ""

    def problem_at(self, key: str, reason: str) -> None:
        found = self.label(key)
        sheet = self.first.sheet.name
        title = LABEL_TITLES.get(key, "")
        if found is None:
            row = self.first.header.row_number
            self.problems.append(Problem(sheet, row, None, title or "表头", reason))
            return
        owner = next(p for p in self.parts if found is p.labels.get(key))
        self.problems.append(
            Problem(owner.sheet.name, found.row + 1, column_letter(found.col), found.title, reason)
        )


def _identity(part: SheetForm) -> str | None:
    code = part.labels.get("credit_code")
    if code is not None and clean(code.value):
        return "code:" + "".join(fold_width(code.value).split()).upper()
    name = part.labels.get("name")
    if name is not None and clean(name.value):
        return "name:" + name_key(clean(name.value))
    return None


def _continues(previous: SheetForm, part: SheetForm) -> bool:
    if "续" in part.sheet.name:
        return True
    before, after = previous.seqs(), part.seqs()
    return bool(before and after and after[0] == max(before) + 1)


def group_forms(parts: list[SheetForm]) -> list[EnterpriseForm]:
    forms: list[EnterpriseForm] = []
    by_identity: dict[str, EnterpriseForm] = {}
    for part in parts:
        identity = _identity(part)
        previous = forms[-1] if forms else None
        if identity is None:
            if previous is not None and _continues(previous.parts[-1], part):
                previous.parts.append(part)
                continue
            form = EnterpriseForm([part])
            form.problems.append(
                Problem(
                    part.sheet.name,
                    part.header.row_number,
                    None,
                    "对标单位",
                    "找不到「对标单位：企业名称」，不知道这张表是哪家企业的"
                    "（表头可写 对标单位、企业名称 或 单位名称）",
                )
            )
            forms.append(form)
            continue
        earlier = by_identity.get(identity)
        if earlier is not None:
            if earlier is previous and _continues(previous.parts[-1], part):
                previous.parts.append(part)
                continue
            form = EnterpriseForm([part])
            form.problem_at(
                "name",
                f"与工作表「{earlier.first.sheet.name}」是同一家企业，文件中重复"
                "（如为续表，请让序号接着上一张表编）",
            )
            forms.append(form)
            continue
        form = EnterpriseForm([part])
        by_identity[identity] = form
        forms.append(form)
    return forms


def _enterprise_values(
    form: EnterpriseForm, districts: list[District]
) -> tuple[dict[str, object], bool]:
    """The EnterpriseInput values the header gives (non-blank only), and whether the
    district was written (not guessed from the address)."""
    values: dict[str, object] = {}
    for key in ("name", "credit_code", "address", "main_products", "contact_name", "phone"):
        text = form.value(key)
        if text:
            values[key] = text
    industry_text = form.value("industry")
    if industry_text:
        values["industry_text"] = industry_text
        section, division = industry.match_industry(industry_text)
        if division is not None:
            values["industry_section"] = division.section
            values["industry_division"] = division.code
        elif section is not None:
            values["industry_section"] = section.code
            values["industry_division"] = ""
    written = form.value("district")
    if written:
        found = match_district(districts, written)
        if found is None:
            names = "、".join(d.name for d in districts)
            form.problem_at("district", f"「{written}」不是镇江市的辖市区，应为 {names}")
        else:
            values["district_id"] = found.id
        return values, True
    address = form.value("address")
    if address:
        hits = [d for d in districts if d.name in address]
        if len(hits) == 1:
            values["district_id"] = hits[0].id
    return values, False


class EnterpriseRegister:
    """The live enterprises, by credit code (without dashes), by name in a district, and
    by name alone: the three ways a form's header names its enterprise."""

    def __init__(self, store: Store) -> None:
        self.by_code: dict[str, str] = {}
        self.by_name: dict[tuple[str, str | None], list[str]] = {}
        self.by_name_only: dict[str, list[str]] = {}
        for entry in existing_enterprises(store):
            for code in (entry.uscc, entry.org_code, entry.reg_no):
                if code:
                    self.by_code.setdefault(code.replace("-", ""), entry.id)
            self.by_name.setdefault((entry.name_key, entry.district_id), []).append(entry.id)
            self.by_name_only.setdefault(entry.name_key, []).append(entry.id)


def plan_enterprise(
    store: Store,
    form: EnterpriseForm,
    register: EnterpriseRegister,
    districts: list[District],
    known: set[str],
    mode: Mode,
) -> tuple[FormAction, EnterpriseInput | None, str | None, int | None, tuple[str, ...], list[str]]:
    values, district_written = _enterprise_values(form, districts)
    warnings: list[str] = []
    if "name" not in values:
        if not form.problems:
            form.problem_at("name", "对标单位（企业名称）为空，请填写企业全称")
        return "refused", None, None, None, (), warnings
    data = EnterpriseInput(**values)  # type: ignore[arg-type]
    try:
        found = validate_enterprise(data, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            form.problem_at(_ENTERPRISE_FIELD_LABELS.get(error.field, "name"), error.reason)
        return "refused", None, None, None, (), warnings
    if form.problems:
        return "refused", None, None, None, (), warnings
    existing: str | None = None
    for code in (found.uscc, found.org_code, found.reg_no):
        if code and code.replace("-", "") in register.by_code:
            existing = register.by_code[code.replace("-", "")]
            break
    if existing is None:
        namesakes = register.by_name_only.get(found.name_key, [])
        in_district = register.by_name.get((found.name_key, found.district_id), [])
        if district_written:
            existing = in_district[0] if in_district else None
        elif len(namesakes) == 1:
            existing = namesakes[0]
        elif len(in_district) == 1:
            existing = in_district[0]
        elif namesakes:
            form.problem_at(
                "name",
                f"已登记的同名企业有 {len(namesakes)} 家，请在表头写明 统一社会信用代码 或 辖市区",
            )
            return "refused", None, None, None, (), warnings
    if existing is None:
        return "new", data, None, None, (), [*found.warnings]
    current = store.get_enterprise(existing)
    before = current.to_input()
    if values.get("industry_text") == printed_industry(current):
        # What the export printed for this record (the GB/T name when no words were
        # given): not a change of the enterprise's 所在行业.
        for key in ("industry_text", "industry_section", "industry_division"):
            values.pop(key, None)
    if current.uscc and not found.uscc and found.org_code == current.org_code:
        values.pop("credit_code", None)  # a 2009 组织机构代码 must not replace the USCC
    if not district_written:
        values.pop("district_id", None)  # a guess from the address never moves a record
    merged = dataclasses.replace(before, **values)  # type: ignore[arg-type]
    try:
        after = validate_enterprise(merged, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            form.problem_at(_ENTERPRISE_FIELD_LABELS.get(error.field, "name"), error.reason)
        return "refused", None, existing, current.version, (), warnings
    try:
        old = comparable_enterprise(validate_enterprise(before, known_districts=known))
    except ValidationFailed:
        old = {}
    if old == comparable_enterprise(after):
        return "unchanged", merged, existing, current.version, (), warnings
    changes = changed_enterprise_fields(before, merged)
    action: FormAction = "update" if mode == "update" else "skip"
    return action, merged, existing, current.version, changes, [*after.warnings]


def assign_enterprise(
    store: Store,
    parts: list[SheetForm],
    enterprise_id: str,
    districts: list[District],
    *,
    strict: bool = True,
) -> None:
    """Tables without 对标单位 become the given enterprise's (its name, code and district
    as registered are put in as the header); a sheet naming another one is a problem."""
    current = store.get_enterprise(enterprise_id)
    code = current.uscc or current.org_code or current.reg_no or ""
    district = current.district_name or next(
        (d.name for d in districts if d.id == current.district_id), ""
    )
    previous: SheetForm | None = None
    for part in parts:
        row, col = part.header.row_index, 0
        if _identity(part) is None:
            if previous is not None and _continues(previous, part):
                previous = part
                continue
            part.labels["name"] = HeaderLabel("name", "对标单位", current.name, row, col)
            if code:
                part.labels["credit_code"] = HeaderLabel(
                    "credit_code", "统一社会信用代码", code, row, col
                )
            if district and "district" not in part.labels:
                part.labels["district"] = HeaderLabel("district", "辖市区", district, row, col)
            part.warnings.append(f"没有对标单位，按指定的企业「{current.name}」导入")
        else:
            written = part.labels.get("name")
            written_code = part.labels.get("credit_code")
            same_name = written is not None and name_key(clean(written.value)) == name_key(
                current.name
            )
            same_code = (
                written_code is not None
                and code
                and (
                    "".join(fold_width(written_code.value).split()).upper().replace("-", "")
                    == code.replace("-", "")
                )
            )
            if not (same_name or same_code) and not strict:
                label = written or written_code
                assert label is not None
                part.warnings.append(
                    f"表头写的是「{short_text(label.value)}」，按表头导入（不是打开导入时的企业"
                    f"「{current.name}」）"
                )
            elif not (same_name or same_code):
                label = written or written_code
                assert label is not None
                part.owner_problems.append(
                    Problem(
                        part.sheet.name,
                        label.row + 1,
                        column_letter(label.col),
                        label.title,
                        f"表头写的是「{short_text(label.value)}」，不是指定的企业「{current.name}」",
                    )
                )
        previous = part
