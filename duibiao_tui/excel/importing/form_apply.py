"""``apply_form_import``: write a 情况表 plan in one transaction, after a backup.

The writing step of the form import. All or nothing by default; ``valid_only`` writes the
good forms and rows and copies the refused ones to the error workbook. A plan that no
longer fits the database (edited since the preview) rolls everything back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.errors import DuplicateError, NotFoundError, ValidationFailed
from duibiao_tui.excel.importing.form_plan import FormImportPlan, PlannedForm, PlannedItem
from duibiao_tui.excel.importing.form_rows import BenchmarkLibrary
from duibiao_tui.excel.importing.form_values import text_key
from duibiao_tui.excel.importing.shared import (
    ErrorSheet,
    ImportRefused,
    Progress,
    backup_before_import,
    changed_since_preview,
    write_error_workbook,
)

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["FormImportResult", "apply_form_import"]


@dataclass(frozen=True)
class FormImportResult:
    enterprises_added: int
    enterprises_updated: int
    rows_added: int
    rows_updated: int
    rows_unchanged: int
    refused: int
    error_file: Path | None = None
    backup: Path | None = None

    def summary(self) -> str:
        text = (
            f"企业新增 {self.enterprises_added} 家、更新 {self.enterprises_updated} 家；"
            f"对标行新增 {self.rows_added} 行、更新 {self.rows_updated} 行、"
            f"无变化 {self.rows_unchanged} 行"
        )
        if self.refused:
            text += f"；未导入有问题的 {self.refused} 行"
        return text


def _error_sheets(plan: FormImportPlan) -> list[ErrorSheet]:
    """The refused rows as read, one sheet per input sheet; a refused header line (the
    enterprise) and a sheet's own problems are listed with their reasons too."""
    by_sheet: dict[str, list[tuple[int, tuple[str, ...], str, tuple[str, ...]]]] = {}
    for problem in plan.sheet_problems:
        by_sheet.setdefault(problem.sheet, []).append((problem.row, (), str(problem), ()))
    for form in plan.forms:
        form_reason = "；".join(str(p) for p in form.problems)
        if form.action == "refused" and not form.items:
            for problem in form.problems:
                by_sheet.setdefault(problem.sheet, []).append((problem.row, (), str(problem), ()))
        for item in form.items:
            if item.action != "refused":
                continue
            reasons = [str(p) for p in item.problems]
            if form.action == "refused" and form_reason:
                reasons.append(f"本表的对标单位有问题：{form_reason}")
            by_sheet.setdefault(item.sheet, []).append(
                (item.row, item.cells, "；".join(reasons), item.titles)
            )
    return [
        ErrorSheet(
            sheet,
            next((t for *_, t in entries if t), ()),
            tuple((number, cells, reason) for number, cells, reason, _ in entries),
        )
        for sheet, entries in by_sheet.items()
    ]


def apply_form_import(
    store: Store,
    plan: FormImportPlan,
    *,
    valid_only: bool = False,
    progress: Progress | None = None,
    backup_keep: int | None = None,
) -> FormImportResult:
    """Write ``plan`` in ONE transaction, after a backup of the database.

    All or nothing unless ``valid_only``: any refused row raises ``ImportRefused`` and
    nothing is written. With ``valid_only`` the good forms and rows are written and the
    refused rows copied to an error workbook beside the file. If the database changed since
    the preview so that the plan no longer fits (a row edited, an enterprise registered or
    removed, the active campaign switched), everything is rolled back (``ImportRefused``).
    """
    if plan.refused and not valid_only:
        raise ImportRefused(
            f"{plan.path.name}：{plan.refused} 处有问题，没有导入任何数据（{plan.summary()}）",
            plan.problems,
            plan.path,
        )
    forms = [f for f in plan.forms if f.action != "refused"]
    total = plan.writes
    backup = backup_before_import(store, backup_keep) if total else None
    error_file = write_error_workbook(plan.path, _error_sheets(plan)) if plan.refused else None
    added = updated = rows_added = rows_updated = 0
    try:
        if total:
            with store.write():
                if store.active_campaign().id != plan.campaign_id:
                    raise _changed(plan, "当前活动已切换")
                done = 0
                benchmarks: dict[str, str] = {}
                for form in forms:
                    enterprise_id = _write_enterprise(store, plan, form)
                    if form.action == "new":
                        added += 1
                        done += 1
                    elif form.action == "update":
                        updated += 1
                        done += 1
                    if form.filled_on_text:
                        store.record_filled_on(
                            enterprise_id, plan.campaign_id, form.filled_on_text, form.filled_on
                        )
                    _place_items(store, plan, form)
                    for item in form.items:
                        if item.action == "new":
                            assert item.data is not None
                            data = _with_benchmark(store, item, benchmarks)
                            store.add_item(
                                enterprise_id, data, plan.campaign_id, seq=item.seq_number
                            )
                            rows_added += 1
                        elif item.action == "update":
                            _update_item(store, plan, item)
                            rows_updated += 1
                        else:
                            continue
                        done += 1
                        if progress is not None and (done % 20 == 0 or done == total):
                            progress(done, total)
    except BaseException:
        if error_file is not None:
            error_file.unlink(missing_ok=True)
        raise
    return FormImportResult(
        enterprises_added=added,
        enterprises_updated=updated,
        rows_added=rows_added,
        rows_updated=rows_updated,
        rows_unchanged=sum(f.count("unchanged") for f in forms),
        refused=plan.refused,
        error_file=error_file,
        backup=backup,
    )


def _changed(plan: FormImportPlan, what: str) -> ImportRefused:
    return changed_since_preview(plan.path, what)


def _write_enterprise(store: Store, plan: FormImportPlan, form: PlannedForm) -> str:
    try:
        if form.action == "new":
            assert form.data is not None
            return store.add_enterprise(form.data).id
        assert form.enterprise_id is not None
        current = store.get_enterprise(form.enterprise_id)
        if current.deleted_at is not None or current.version != form.version:
            raise _changed(plan, f"企业「{form.name}」已被修改或删除")
        if form.action == "update":
            assert form.data is not None
            store.update_enterprise(form.enterprise_id, form.data)
        return form.enterprise_id
    except (ValidationFailed, DuplicateError, NotFoundError) as error:
        raise _changed(plan, f"企业「{form.name}」：{error.message}") from error


def _with_benchmark(store: Store, item: PlannedItem, added: dict[str, str]) -> ItemInput:
    """The row linked to its benchmark's library entry, added when the library lacks it
    (name and address from the two-level heading; one entry however many rows name it)."""
    assert item.data is not None
    if item.new_benchmark is None:
        return item.data
    name, address = item.new_benchmark
    key = text_key(f"{name}/{address}")
    if key not in added:
        try:
            added[key] = store.add_benchmark(name, address).id
        except (ValidationFailed, DuplicateError):
            existing = BenchmarkLibrary(store).find_exact(f"{name}/{address}")
            if existing is None:  # too long for the library, say: the row keeps the text
                return item.data
            added[key] = existing
    return dataclasses.replace(item.data, benchmark_id=added[key], benchmark_text="")


def _place_items(store: Store, plan: FormImportPlan, form: PlannedForm) -> None:
    """Updated rows take the form's 序号 first, so the new rows find their numbers free."""
    seqs = {
        item.item_id: item.seq_number
        for item in form.items
        if item.action == "update" and item.item_id is not None and item.seq_number is not None
    }
    if not seqs:
        return
    try:
        store.place_items(seqs)
    except NotFoundError as error:
        raise _changed(plan, f"企业「{form.name}」的对标行已被删除") from error


def _update_item(store: Store, plan: FormImportPlan, item: PlannedItem) -> None:
    assert item.item_id is not None and item.data is not None
    try:
        current = store.get_item(item.item_id)
        if current.version != item.version:
            raise _changed(plan, f"工作表「{item.sheet}」第{item.row}行对应的对标行已被修改")
        store.update_item(item.item_id, item.data)
    except (ValidationFailed, NotFoundError) as error:
        raise _changed(plan, f"工作表「{item.sheet}」第{item.row}行：{error.message}") from error
