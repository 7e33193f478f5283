"""The plan of a 情况表 import: per form and per row, what importing it would do.

What ``plan_form_import`` returns and ``apply_form_import`` writes; the preview (F7, the
CLI's ``--dry-run``) reads its counts, summary, problems, 提示 and updates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.excel.importing.shared import Mode, Problem

__all__ = ["FormAction", "FormImportPlan", "PlannedForm", "PlannedItem", "RowAction"]


RowAction = Literal["new", "update", "unchanged", "refused"]
FormAction = Literal["new", "update", "unchanged", "skip", "refused"]


@dataclass(frozen=True)
class PlannedItem:
    """One row of a form and what importing it does."""

    sheet: str
    row: int
    """1-based row in the sheet."""
    action: RowAction
    seq: str
    """序号 as written."""
    data: ItemInput | None
    item_id: str | None = None
    """The stored row it updates (or leaves unchanged)."""
    version: int | None = None
    changes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    """The table's column headings of its sheet, for the error workbook."""
    seq_number: int | None = None
    """The form's 序号 the new row is stored under (None: after the last row)."""
    new_benchmark: tuple[str, str] | None = None
    """(name, address) of a benchmark the two-level heading gives and the library lacks:
    added to the library when written, and the row linked to it."""


@dataclass(frozen=True)
class PlannedForm:
    """One enterprise's form (one sheet, or several when continued) and what it does."""

    sheets: tuple[str, ...]
    name: str
    action: FormAction
    """What happens to the enterprise record ("refused": nothing of this form is written)."""
    data: EnterpriseInput | None
    enterprise_id: str | None
    version: int | None
    changes: tuple[str, ...]
    problems: tuple[Problem, ...]
    """Problems of the header line (the enterprise): every row of the form is refused."""
    items: tuple[PlannedItem, ...]
    kept: int = 0
    """Rows of the database this form does not mention (kept as they are)."""
    warnings: tuple[str, ...] = ()
    filled_on_text: str = ""
    """填报日期 as written in the foot."""
    filled_on: str | None = None
    """填报日期 as an ISO date, when the text names one."""

    def count(self, action: RowAction) -> int:
        return sum(1 for item in self.items if item.action == action)


@dataclass(frozen=True)
class FormImportPlan:
    """The preview of a form import; nothing was written to make it."""

    path: Path
    mode: Mode
    campaign_id: str
    campaign_name: str
    forms: tuple[PlannedForm, ...]
    ignored_sheets: tuple[str, ...] = ()
    """Sheets without a 情况表 table (an instructions sheet, say)."""
    sheet_problems: tuple[Problem, ...] = ()
    """Problems of a sheet as a whole (a second table on one sheet)."""

    def enterprises(self, action: FormAction) -> int:
        return sum(1 for form in self.forms if form.action == action)

    def rows(self, action: RowAction) -> int:
        return sum(form.count(action) for form in self.forms)

    @property
    def refused(self) -> int:
        """Rows refused, plus one per refused sheet problem without rows."""
        return (
            self.rows("refused")
            + sum(1 for f in self.forms if f.action == "refused" and not f.items)
            + len(self.sheet_problems)
        )

    @property
    def items(self) -> list[PlannedItem]:
        return [item for form in self.forms for item in form.items]

    @property
    def problems(self) -> list[Problem]:
        out = list(self.sheet_problems)
        for form in self.forms:
            out.extend(form.problems)
            for item in form.items:
                out.extend(item.problems)
        return out

    @property
    def warnings(self) -> list[str]:
        out = [w for f in self.forms for w in f.warnings]
        out += [w for f in self.forms for i in f.items for w in i.warnings]
        return out

    @property
    def updates(self) -> list[str]:
        """What each update changes, a line each naming its sheet (and row): F7 lists them
        after the 提示, as ``import form --dry-run`` prints them."""
        out: list[str] = []
        for form in self.forms:
            if form.action == "update" and form.changes:
                out.append(
                    f"工作表「{form.sheets[0]}」 企业「{form.name}」：{'、'.join(form.changes)}"
                )
            out.extend(
                f"工作表「{i.sheet}」 第{i.row}行：{'、'.join(i.changes)}"
                for i in form.items
                if i.action == "update"
            )
        return out

    @property
    def writes(self) -> int:
        """Enterprise records and rows that applying would write."""
        return sum(
            (f.action in ("new", "update"))
            + sum(1 for i in f.items if i.action in ("new", "update"))
            for f in self.forms
            if f.action != "refused"
        )

    def summary(self) -> str:
        """企业：新增 1 家，更新 0 家，无变化 0 家；对标行：新增 38 行，更新 0 行，…"""
        firms = (
            f"企业：新增 {self.enterprises('new')} 家，更新 {self.enterprises('update')} 家，"
            f"无变化 {self.enterprises('unchanged')} 家"
        )
        if self.enterprises("skip"):
            firms += f"，已登记未更新 {self.enterprises('skip')} 家"
        if self.enterprises("refused"):
            firms += f"，有问题 {self.enterprises('refused')} 家"
        rows = (
            f"对标行：新增 {self.rows('new')} 行，更新 {self.rows('update')} 行，"
            f"无变化 {self.rows('unchanged')} 行，有问题 {self.rows('refused')} 行"
        )
        kept = sum(f.kept for f in self.forms if f.action != "refused")
        if kept:
            rows += f"（数据库中另有 {kept} 行不在文件中，保留不动）"
        return f"{firms}；{rows}"
