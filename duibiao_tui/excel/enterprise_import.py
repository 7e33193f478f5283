"""Import an enterprise list (.xlsx, .xls, .ods, .csv): plan first, then write in one go.

``plan_enterprise_import`` reads the file, finds each sheet's header, turns every row into
an ``EnterpriseInput``, checks it with the same rules as the form, and decides per row:
new, update, unchanged, skip (already registered, left as it is) or refused, with every
refusal located as ``第5行 统一社会信用代码 (C5): 校验位应为 L``. Nothing is written.

``apply_enterprise_import`` then takes a backup of the database (``backups/``, reason
导入前) and writes the plan in ONE store transaction: all or nothing by default (any refused row → nothing written, ``ImportRefused``), or the valid rows only,
with the refused ones copied to ``exports/<name>-错误.xlsx`` (0600) and the reason in an
extra column.

An enterprise already registered is recognised by its credit code (统一社会信用代码, or
the 组织机构代码 inside it, which links 2009-era records), or by its name in the same
district, and is updated or skipped, never registered twice. An update only overwrites
what the file says: a blank cell or a missing column keeps the registered value.

The steps: ``importing.enterprise_rows`` reads a row; this module plans and writes;
``importing.shared`` holds the problems, the refusal, the backup and the error workbook
(re-exported here, where callers have always imported them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from duibiao_tui.domain.enterprise_rules import CleanEnterprise, validate_enterprise
from duibiao_tui.domain.listing import District
from duibiao_tui.domain.models import EnterpriseInput
from duibiao_tui.errors import ValidationFailed
from duibiao_tui.excel.headers import HeaderMap, MissingColumns, find_header
from duibiao_tui.excel.importing.enterprise_rows import (
    ListRow,
    file_values,
    header_cells,
    is_note,
    lists_only,
    look_alike_columns,
)
from duibiao_tui.excel.importing.shared import (
    ERROR_SUFFIX,
    REASON_HEADER,
    ErrorSheet,
    ImportRefused,
    Mode,
    Problem,
    Progress,
    backup_before_import,
    changed_enterprise_fields,
    changed_since_preview,
    comparable_enterprise,
    error_workbook_path,
    formula_note,
    is_total_row,
    write_error_workbook,
)
from duibiao_tui.excel.lookup import ExistingEnterprise, existing_enterprises
from duibiao_tui.excel.readers import SheetData, read_sheets

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = [
    "ERROR_SUFFIX",
    "REASON_HEADER",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Mode",
    "PlannedRow",
    "Problem",
    "apply_enterprise_import",
    "backup_before_import",
    "changed_enterprise_fields",
    "comparable_enterprise",
    "error_workbook_path",
    "look_alike_columns",
    "plan_enterprise_import",
]

Action = Literal["new", "update", "unchanged", "skip", "refused"]


@dataclass(frozen=True)
class PlannedRow:
    sheet: str
    row: int
    action: Action
    name: str
    data: EnterpriseInput | None
    """What will be written (for an update: the registered values with the file's on top)."""
    enterprise_id: str | None = None
    """The registered enterprise this row is (update, unchanged, skip)."""
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    """Fields an update changes (or would change, when skipped)."""
    cells: tuple[str, ...] = ()
    """The row as read, for the error workbook."""
    clean: CleanEnterprise | None = dataclasses.field(default=None, compare=False, repr=False)
    """``data`` as the rules returned it when planned, so writing does not check it again."""


@dataclass(frozen=True)
class ImportPlan:
    """The preview: what an import would do, row by row. Nothing is written to make it."""

    path: Path
    mode: Mode
    headers: tuple[HeaderMap, ...]
    rows: tuple[PlannedRow, ...]
    notes: tuple[str, ...] = ()
    """Rows skipped (合计, hidden), formulas without results, look-alike columns not mapped."""

    @property
    def warnings(self) -> list[str]:
        """Every 提示 of the preview (F7 lists them after the problems): columns not
        imported, the notes, then the rows' own warnings, each naming its sheet and row."""
        return [
            *(
                f"工作表「{h.sheet}」 未识别的列（不导入）：{'、'.join(h.unknown)}"
                for h in self.headers
                if h.unknown
            ),
            *self.notes,
            *(f"工作表「{r.sheet}」 第{r.row}行：{w}" for r in self.rows for w in r.warnings),
        ]

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def skipped(self) -> int:
        return self.count("skip")

    @property
    def refused(self) -> int:
        return self.count("refused")

    @property
    def problems(self) -> list[Problem]:
        return [p for row in self.rows for p in row.problems]

    @property
    def to_write(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action in ("new", "update")]

    def summary(self) -> str:
        """新增 3 家，更新 1 家，无变化 2 家，已存在跳过 0 家，有问题 1 行."""
        return (
            f"新增 {self.new} 家，更新 {self.updated} 家，无变化 {self.unchanged} 家，"
            f"已存在跳过 {self.skipped} 家，有问题 {self.refused} 行"
        )


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    skipped: int
    refused: int
    error_file: Path | None = None
    """Where the refused rows were written (valid-only imports with refusals)."""
    backup: Path | None = None
    """The copy of the database taken before writing (None when nothing was written)."""

    def summary(self) -> str:
        text = f"新增 {self.added} 家，更新 {self.updated} 家，无变化 {self.unchanged} 家"
        if self.skipped:
            text += f"，已登记未更新 {self.skipped} 家"
        if self.refused:
            text += f"，未导入有问题的 {self.refused} 行"
        return text


# -- planning --------------------------------------------------------------------------


class _Register:
    """The live enterprises, indexed the ways a row can name one of them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        entries = existing_enterprises(store)
        self.by_code: dict[str, ExistingEnterprise] = {}
        self.by_name: dict[tuple[str, str | None], ExistingEnterprise] = {}
        self.by_name_only: dict[str, list[ExistingEnterprise]] = {}
        for entry in entries:
            for code in (entry.uscc, entry.org_code, entry.reg_no):
                if code:
                    self.by_code.setdefault(code, entry)
            self.by_name[(entry.name_key, entry.district_id)] = entry
            self.by_name_only.setdefault(entry.name_key, []).append(entry)

    def by_codes(self, found: CleanEnterprise) -> ExistingEnterprise | None:
        for code in (found.uscc, found.org_code, found.reg_no):
            if code and code in self.by_code:
                return self.by_code[code]
        return None

    def by_names(self, found: CleanEnterprise, row: ListRow) -> ExistingEnterprise | None:
        if found.district_id is not None:
            return self.by_name.get((found.name_key, found.district_id))
        namesakes = self.by_name_only.get(found.name_key, [])
        if len(namesakes) > 1:
            places = "、".join(e.name for e in namesakes[:3])
            row.problem(
                ("district",),
                "辖市区",
                f"已登记的同名企业不止一家（{places}…），请填写辖市区以区分",
            )
            return None
        return namesakes[0] if namesakes else None


def plan_enterprise_import(
    store: Store,
    path: Path | str,
    *,
    mode: Mode = "skip",
    progress: Progress | None = None,
    sheets: Sequence[SheetData] | None = None,
) -> ImportPlan:
    """Read ``path`` and decide what importing it would do; writes nothing.

    ``sheets``: the file already read (``read_sheets``), so a caller that looked at it
    first does not read it twice. Raises ``UnreadableFile`` for a file that cannot be read
    and ``MissingColumns`` when no sheet has a header with the 企业名称 column.
    """
    path = Path(path)
    every_sheet = list(sheets) if sheets is not None else read_sheets(path)
    sheets = [s for s in every_sheet if not s.hidden] or every_sheet
    headers: list[tuple[SheetData, HeaderMap]] = []
    first_error: MissingColumns | None = None
    for sheet in sheets:
        if not any(any(c.strip() for c in r) for r in sheet.rows):
            continue
        try:
            headers.append((sheet, find_header(sheet.rows, sheet.name)))
        except MissingColumns as error:
            first_error = first_error or error
    if not headers:
        assert first_error is not None  # read_sheets refused a file without any data
        raise MissingColumns(f"{path.name}：{first_error.message}")

    notes: list[str] = []
    headers = lists_only(headers, notes)
    districts = store.districts()
    known = {d.id for d in districts}
    register = _Register(store)
    seen: dict[tuple[str, ...], int] = {}
    planned: list[PlannedRow] = []
    total = sum(len(sheet.rows) - header.row_number for sheet, header in headers)
    done = 0
    for sheet, header in headers:
        notes.extend(f"工作表「{sheet.name}」 {note}" for note in look_alike_columns(header))
        for r, c in sheet.formulas:
            notes.append(f"工作表「{sheet.name}」 {formula_note(r, c)}")
        heading = header_cells(header)
        for index in range(header.row_number, len(sheet.rows)):
            done += 1
            cells = sheet.rows[index]
            if is_note(cells, header, heading):
                continue
            if index in sheet.hidden_rows:
                notes.append(f"工作表「{sheet.name}」 第{index + 1}行是隐藏行，未导入")
                continue
            if is_total_row(cells):
                notes.append(f"工作表「{sheet.name}」 第{index + 1}行是合计行，未导入")
                continue
            row = ListRow(header, index + 1, cells)
            planned.append(_plan_row(row, districts, known, register, seen, mode))
            if progress is not None and done % 100 == 0:
                progress(done, total)
    if progress is not None:
        progress(total, total)
    return ImportPlan(path, mode, tuple(h for _, h in headers), tuple(planned), tuple(notes))


def _refused(row: ListRow, name: str) -> PlannedRow:
    return PlannedRow(
        row.header.sheet,
        row.number,
        "refused",
        name,
        None,
        problems=tuple(row.problems),
        cells=tuple(row.cells),
    )


def _plan_row(
    row: ListRow,
    districts: list[District],
    known: set[str],
    register: _Register,
    seen: dict[tuple[str, ...], int],
    mode: Mode,
) -> PlannedRow:
    values = file_values(row, districts)
    name = str(values.get("name", ""))
    data = EnterpriseInput(**values)  # type: ignore[arg-type]
    try:
        found = validate_enterprise(data, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            row.field_error(error)
        return _refused(row, name)
    if row.problems:
        return _refused(row, name)

    by_code = register.by_codes(found)
    by_name = register.by_names(found, row)
    if row.problems:
        return _refused(row, name)
    if by_code and by_name and by_code.id != by_name.id:
        row.problem(
            ("name",),
            "名称",
            f"信用代码已登记为「{by_code.name}」，名称却与另一家已登记企业「{by_name.name}」相同",
        )
        return _refused(row, name)
    existing = by_code or by_name

    # The same enterprise twice in the file: by code, by name in a district, or by match.
    district = found.district_id or (existing.district_id if existing else None)
    keys: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
        (("name", found.name_key, district or ""), ("name",)),
    ]
    for code in (found.uscc, found.org_code, found.reg_no):
        if code:
            keys.append((("code", code), (row.code_key or "uscc",)))
    if existing:
        keys.append((("id", existing.id), ("name",)))
    for key, columns in keys:
        if key in seen:
            row.problem(columns, "名称", f"与第{seen[key]}行是同一家企业，文件中重复")
            return _refused(row, name)
    for key, _ in keys:
        seen[key] = row.number

    if existing is None:
        return PlannedRow(
            row.header.sheet,
            row.number,
            "new",
            found.name,
            data,
            warnings=found.warnings,
            cells=tuple(row.cells),
            clean=found,
        )

    current = register.store.get_enterprise(existing.id)
    before = current.to_input()
    if current.uscc and not found.uscc and found.org_code == current.org_code:
        values.pop("credit_code", None)  # a 2009 组织机构代码 must not replace the USCC
    merged = dataclasses.replace(before, **values)  # type: ignore[arg-type]
    try:
        after = validate_enterprise(merged, known_districts=known)
    except ValidationFailed as failed:
        for error in failed.errors:
            row.field_error(error)
        return _refused(row, name)
    try:
        old = comparable_enterprise(validate_enterprise(before, known_districts=known))
    except ValidationFailed:
        old = {}
    changes = changed_enterprise_fields(before, merged)
    if old == comparable_enterprise(after):
        action: Action = "unchanged"
        changes = ()
    else:
        action = "update" if mode == "update" else "skip"
    return PlannedRow(
        row.header.sheet,
        row.number,
        action,
        after.name,
        merged,
        enterprise_id=existing.id,
        warnings=after.warnings,
        changes=changes,
        cells=tuple(row.cells),
        clean=after,
    )


# -- writing ---------------------------------------------------------------------------


def _error_sheets(plan: ImportPlan) -> list[ErrorSheet]:
    """The refused rows of each sheet, as they were read, for the error workbook."""
    sheets: list[ErrorSheet] = []
    for header in plan.headers:
        refused = [r for r in plan.rows if r.action == "refused" and r.sheet == header.sheet]
        if not refused:
            continue
        titles = tuple(
            header.titles.get(col, "") for col in range(max(header.titles, default=-1) + 1)
        )
        rows = tuple((r.row, r.cells, "；".join(str(p) for p in r.problems)) for r in refused)
        sheets.append(ErrorSheet(header.sheet, titles, rows))
    return sheets


def apply_enterprise_import(
    store: Store,
    plan: ImportPlan,
    *,
    valid_only: bool = False,
    progress: Progress | None = None,
    backup_keep: int | None = None,
) -> ImportResult:
    """Write ``plan`` in one transaction, after a backup of the database.

    All or nothing unless ``valid_only``: any refused row raises ``ImportRefused`` and
    nothing is written. With ``valid_only`` the refused rows go to an error workbook beside
    the input (``ImportResult.error_file``). If the register changed since the plan was
    made so that a row no longer fits, everything is rolled back (``ImportRefused``).
    ``backup_keep``: how many backups to keep (the app's setting; default 10).
    """
    if plan.refused and not valid_only:
        raise ImportRefused(
            f"{plan.path.name}：{plan.refused} 行有问题，没有导入任何数据（{plan.summary()}）",
            plan.problems,
            plan.path,
        )
    rows = plan.to_write
    backup = backup_before_import(store, backup_keep) if rows else None
    error_file = write_error_workbook(plan.path, _error_sheets(plan)) if plan.refused else None
    try:
        if rows:
            _write_rows(store, plan, rows, progress)
    except BaseException:
        if error_file is not None:
            error_file.unlink(missing_ok=True)
        raise
    return ImportResult(
        added=plan.new,
        updated=plan.updated,
        unchanged=plan.unchanged,
        skipped=plan.skipped,
        refused=plan.refused,
        error_file=error_file,
        backup=backup,
    )


def _write_rows(
    store: Store, plan: ImportPlan, rows: Sequence[PlannedRow], progress: Progress | None
) -> None:
    """The new and updated rows in one transaction, as ``add_enterprise`` and
    ``update_enterprise`` would write them one by one (``store.bulk.write_enterprises``:
    the same checks, values, search keys and audit, in batches)."""
    from duibiao_tui.store.bulk import EnterpriseWrite, EnterpriseWriteRefused

    writes = []
    for planned in rows:
        assert planned.data is not None
        assert planned.action == "new" or planned.enterprise_id is not None
        enterprise_id = None if planned.action == "new" else planned.enterprise_id
        writes.append(EnterpriseWrite(planned.data, enterprise_id, planned.clean))

    def done(count: int) -> None:
        if progress is not None:
            progress(count, len(rows))

    try:
        store.bulk.write_enterprises(writes, done)
    except EnterpriseWriteRefused as refused:
        planned = rows[refused.index]
        problem = Problem(planned.sheet, planned.row, None, "", refused.error.message)
        raise changed_since_preview(plan.path, problem, [problem]) from refused.error
