"""``plan_form_import``: read a filled 情况表 and decide what importing it would do.

The steps in order, over every sheet: read (``form_sheet``), group the sheets into forms
and find their enterprises (``form_enterprise``), parse the rows (``form_rows``), pair them
with the stored ones (``form_pairing``); the result is a ``FormImportPlan``. Writes nothing.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from duibiao_tui.domain.dates import parse_due_date
from duibiao_tui.excel.headers import MissingColumns
from duibiao_tui.excel.importing.form_enterprise import (
    EnterpriseRegister,
    assign_enterprise,
    group_forms,
    plan_enterprise,
)
from duibiao_tui.excel.importing.form_pairing import plan_items
from duibiao_tui.excel.importing.form_plan import FormImportPlan, PlannedForm
from duibiao_tui.excel.importing.form_rows import (
    BenchmarkLibrary,
    FileRow,
    check_duplicates,
    validate_row,
)
from duibiao_tui.excel.importing.form_sheet import SheetForm, read_form_sheet
from duibiao_tui.excel.importing.form_values import DATE_TIME, excel_serial_date
from duibiao_tui.excel.importing.shared import Mode, Problem, Progress
from duibiao_tui.excel.readers import SheetData, read_sheets

if TYPE_CHECKING:
    from duibiao_tui.excel.importing.form_enterprise import EnterpriseForm
    from duibiao_tui.store.store import Store

__all__ = ["plan_form_import"]


class _FilledOn(TypedDict, total=False):
    """PlannedForm's 填报日期 fields, typed so they can be passed as keywords."""

    filled_on_text: str
    filled_on: str | None


def _filled_on(form: EnterpriseForm) -> _FilledOn:
    """填报日期 of the foot: the text as written, and the date when it names one."""
    text = form.value("filled_on")
    if not text:
        return {}
    serial = excel_serial_date(text)
    stamp = DATE_TIME.match(text)
    readable = serial or (stamp.group(1) if stamp else text)
    try:
        day = parse_due_date(readable, "填报日期")
    except ValueError:
        day = None
    return {"filled_on_text": text, "filled_on": day.isoformat() if day else None}


def plan_form_import(
    store: Store,
    path: Path | str,
    *,
    mode: Mode = "update",
    sheets: Sequence[SheetData] | None = None,
    progress: Progress | None = None,
    enterprise_id: str | None = None,
    enterprise_strict: bool = True,
) -> FormImportPlan:
    """Read the filled 情况表 at ``path`` and decide what importing it would do.

    ``enterprise_id``: the officer says whose form it is (``--enterprise``, or F7 from an
    enterprise's page): a table without 对标单位 is that enterprise's; a sheet naming another
    enterprise is refused (``enterprise_strict``, the CLI) or imported as named, with a 提示
    (F7 from a page: the officer may have opened the import anywhere).

    Raises ``UnreadableFile`` for a file that cannot be read and ``MissingColumns`` when no
    sheet holds a 情况表 table (naming the columns that are needed). Writes nothing.
    """
    path = Path(path)
    every = list(sheets) if sheets is not None else read_sheets(path)
    visible = [s for s in every if not s.hidden] or every
    parts: list[SheetForm] = []
    ignored: list[str] = []
    broken: list[Problem] = []
    first_error: MissingColumns | None = None
    for sheet in visible:
        if not any(any(c.strip() for c in r) for r in sheet.rows):
            continue
        try:
            part = read_form_sheet(sheet)
        except MissingColumns as error:  # it has 对标单位, but not the table's columns
            first_error = first_error or error
            at = re.search(r"第 (\d+) 行", error.message)
            broken.append(
                Problem(sheet.name, int(at.group(1)) if at else 1, None, "", error.message)
            )
            continue
        if part is None:
            ignored.append(sheet.name)
        else:
            parts.append(part)
    if not parts:
        if first_error is not None:
            raise MissingColumns(f"{path.name}：{first_error.message}")
        raise MissingColumns(
            f"{path.name}：找不到情况表（需要有「项目」「指标内容」等列标题的表格）"
        )

    campaign = store.active_campaign()
    districts = store.districts()
    known = {d.id for d in districts}
    register = EnterpriseRegister(store)
    library = BenchmarkLibrary(store)
    if enterprise_id is not None:
        assign_enterprise(store, parts, enterprise_id, districts, strict=enterprise_strict)
    forms = group_forms(parts)
    for form in forms:
        form.problems.extend(p for part in form.parts for p in part.owner_problems)
    total = sum(len(p.rows) for p in parts)
    done = 0
    planned_forms: list[PlannedForm] = []
    sheet_problems = [*broken, *(p for part in parts for p in part.problems)]
    titles_of = {
        part.sheet.name: tuple(
            part.header.titles.get(col, "")
            for col in range(max(part.header.titles, default=-1) + 1)
        )
        for part in parts
    }
    seen_enterprises: dict[str, str] = {}
    for form in forms:
        for part in form.parts:
            for table_row in part.rows:
                row = FileRow(part, table_row.index, table_row.cells)
                validate_row(row, library)
                form.rows.append(row)
                done += 1
                if progress is not None and done % 100 == 0:
                    progress(done, total)
        check_duplicates(form.rows)
        action, data, enterprise_id, version, changes, warnings = plan_enterprise(
            store, form, register, districts, known, mode
        )
        if enterprise_id is not None and action != "refused":
            other = seen_enterprises.get(enterprise_id)
            if other is not None:
                form.problem_at("name", f"与工作表「{other}」是同一家已登记企业，文件中重复")
                action = "refused"
            else:
                seen_enterprises[enterprise_id] = form.first.sheet.name
        items, kept = plan_items(
            store,
            form.rows,
            enterprise_id if action != "refused" else None,
            campaign.id,
            titles_of,
        )
        if action == "refused":
            items = [
                dataclasses.replace(i, action="refused", item_id=None, changes=()) for i in items
            ]
            kept = 0
        sheet_warnings = [f"工作表「{p.sheet.name}」 {w}" for p in form.parts for w in p.warnings]
        if len(form.parts) > 1:
            names = "、".join(f"「{p.sheet.name}」" for p in form.parts[1:])
            sheet_warnings.append(
                f"工作表{names}没有对标单位，按「{form.first.sheet.name}」的续表导入"
            )
        planned_forms.append(
            PlannedForm(
                sheets=tuple(p.sheet.name for p in form.parts),
                name=form.value("name"),
                action=action,
                data=data,
                enterprise_id=enterprise_id,
                version=version,
                changes=changes,
                problems=tuple(form.problems),
                items=tuple(items),
                kept=kept,
                warnings=tuple(
                    [*(f"工作表「{form.first.sheet.name}」 {w}" for w in warnings), *sheet_warnings]
                ),
                **_filled_on(form),
            )
        )
    if progress is not None:
        progress(total, total)
    return FormImportPlan(
        path,
        mode,
        campaign.id,
        campaign.name,
        tuple(planned_forms),
        tuple(ignored),
        tuple(sheet_problems),
    )
