"""The 情况表 of the notice (镇质监质发[2009]173号, 附件) as a printable workbook.

Laid out like the attachment so officers can hand it over or print it for signatures:
the title, the header line (对标单位, 地址, 所在行业, 主导产品), the ten columns in the
notice's order, the submission note with the campaign's deadline and recipients, and
单位填报人 / 电话 at the foot. Several enterprises make one workbook with a sheet each.

The pieces are public so the summary and public exports can reuse them: ``item_cells``
gives a row's ten printed values, ``write_form_sheet(..., personal=False)`` leaves out
单位填报人 and 电话, and ``unique_sheet_title`` names sheets.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from duibiao_tui.domain.industry import label_for
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.excel.atomic import check_target, safe_filename, save_workbook
from duibiao_tui.excel.safe_text import TextCleaner, put_text

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from duibiao_tui.domain.items import BenchmarkItem
    from duibiao_tui.domain.listing import Campaign
    from duibiao_tui.domain.models import Enterprise
    from duibiao_tui.store.store import Store

__all__ = [
    "COLUMNS_ROW",
    "FIRST_ITEM_ROW",
    "FOOT_LABELS",
    "FORM_COLUMNS",
    "FORM_TITLE",
    "HEADER_LABELS",
    "ExportResult",
    "FormData",
    "Progress",
    "build_forms_workbook",
    "display_width",
    "export_forms",
    "form_filename",
    "industry_text",
    "item_cells",
    "load_form",
    "submission_note",
    "unique_sheet_title",
    "write_form_sheet",
]

Progress = Callable[[int, int], None]
"""Called with (done, total) after each enterprise."""

FORM_TITLE = "镇江市工业企业质量标杆对比活动情况表"
HEADER_LABELS = ("对标单位", "地址", "所在行业", "主导产品")
FOOT_LABELS = ("单位填报人", "电话")
FORM_COLUMNS: tuple[str, ...] = (
    "序号",
    "标杆(优秀)企业/地址",
    "项目",
    "指标内容",
    "标杆水平",
    "对比结果",
    "提升计划和措施",
    "落实部门",
    "完成时间",
    "备注",
)
"""The table's columns, in the notice's order and wording."""

TITLE_ROW = 1
HEADER_ROW = 2
COLUMNS_ROW = 3
FIRST_ITEM_ROW = 4
BLANK_ROWS = 8
"""An enterprise without rows yet gets this many empty ruled rows, to fill in by hand."""

# (min, max) column widths in Excel units (about one Latin digit; a Chinese character is 2).
COLUMN_WIDTHS: tuple[tuple[int, int], ...] = (
    (6, 6),
    (18, 30),
    (10, 16),
    (14, 26),
    (10, 18),
    (14, 26),
    (22, 40),
    (10, 14),
    (12, 14),
    (8, 18),
)
CENTRED_COLUMNS = frozenset({0, 2, 7, 8})
"""序号, 项目, 落实部门, 完成时间: short values that read best centred."""
# The header line's four parts as (first, last) columns, 1-based: A:C, D:F, G:H, I:J.
HEADER_SPANS = ((1, 3), (4, 6), (7, 8), (9, 10))
FOOT_SPANS = ((1, 5), (6, 10))
LINE_HEIGHT = 16.0
"""Points per wrapped line at 11 pt, with room for Chinese glyphs."""
MAX_ROW_HEIGHT = 409.0
"""Excel's limit for one row."""
BODY_FONT = "宋体"
TITLE_FONT = "黑体"

SHEET_TITLE_MAX = 31
_NOT_IN_SHEET_TITLES = str.maketrans(dict.fromkeys("[]:*?/\\", None))
_RESERVED_SHEET_TITLES = frozenset({"history"})
"""Excel keeps the name History for change tracking."""


def display_width(text: str) -> int:
    """Columns ``text`` takes in a spreadsheet: wide (CJK, full-width) characters count 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines_needed(text: str, width: float) -> int:
    """Wrapped lines a text needs in a column ``width`` units wide."""
    usable = max(width - 1, 1)
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


@dataclass(frozen=True)
class FormData:
    """One enterprise's 情况表: everything a sheet shows, read once from the store."""

    enterprise: Enterprise
    items: Sequence[BenchmarkItem]
    campaign: Campaign


def load_form(store: Store, enterprise_id: str, campaign: Campaign | None = None) -> FormData:
    """The 情况表 of one enterprise in ``campaign`` (default: the active one)."""
    campaign = campaign or store.active_campaign()
    return FormData(
        enterprise=store.get_enterprise(enterprise_id),
        items=store.items_for(enterprise_id, campaign.id),
        campaign=campaign,
    )


def industry_text(enterprise: Enterprise) -> str:
    """所在行业 as the form prints it: the enterprise's own words if it gave any, else the
    GB/T 4754 name (the paper form asked for words, not codes)."""
    if enterprise.industry_text:
        return enterprise.industry_text
    return label_for(enterprise.industry_section, enterprise.industry_division, "")


def item_cells(item: BenchmarkItem) -> tuple[str | int, ...]:
    """The ten printed values of one row, in FORM_COLUMNS order.

    对比结果 is the verdict (领先/持平/落后) then the enterprise's words, as the page shows
    it; 完成时间 is the text the enterprise wrote (``2010年底``), else the date.
    """
    result = " ".join(part for part in (item.verdict or "", item.result_text) if part)
    return (
        item.seq,
        item.benchmark_label,
        item.aspect_label,
        item.indicator,
        item.benchmark_level,
        result,
        item.measures,
        item.department,
        item.due_text or item.due_date or "",
        item.remarks,
    )


def _chinese_date(iso: str) -> str:
    """'2009-10-20' → '2009年10月20日', as the notice writes dates."""
    try:
        year, month, day = (int(part) for part in iso.split("-"))
    except ValueError:
        return iso
    return f"{year}年{month}月{day}日"


def submission_note(campaign: Campaign) -> str:
    """The note under the table, from the campaign (deadline and recipients)."""
    recipients = campaign.recipients.strip().rstrip("。")
    if campaign.deadline:
        deadline = _chinese_date(campaign.deadline)
        return (
            f"注：此表请于{deadline}前报送（{recipients}）。"
            if recipients
            else (f"注：此表请于{deadline}前报送。")
        )
    return f"注：此表请报送（{recipients}）。" if recipients else "注：此表请按时报送。"


def _utf16_prefix(text: str, units: int) -> str:
    """The longest start of ``text`` within ``units`` UTF-16 code units: Excel counts a
    sheet title's 31 in UTF-16, where a character outside the BMP (𠀀) takes two, and a
    cut between the two halves of such a character would leave an unreadable title."""
    used = 0
    for index, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def unique_sheet_title(name: str, used: set[str]) -> str:
    """A sheet title Excel accepts and no other sheet of the workbook has; adds it to ``used``.

    Chinese is kept; ``[]:*?/\\`` are removed, the result is cut to 31 UTF-16 code units
    (whole characters only), and a repeated title gets "(2)", "(3)"… (compared ignoring
    case, as Excel does).
    """
    base = " ".join(name.translate(_NOT_IN_SHEET_TITLES).split()).strip("'") or "情况表"
    base = _utf16_prefix(base, SHEET_TITLE_MAX).rstrip("'") or "情况表"
    taken = used | _RESERVED_SHEET_TITLES
    title = base
    number = 1
    while title.casefold() in taken:
        number += 1
        suffix = f"({number})"
        title = _utf16_prefix(base, SHEET_TITLE_MAX - len(suffix)).rstrip("'") + suffix
    used.add(title.casefold())
    return title


# Named styles, registered once per workbook: assigning a name is much cheaper than
# setting font, alignment and border cell by cell (which dominated a 3,000-sheet export).
STYLE_TITLE = "情况表-标题"
STYLE_LINE = "情况表-表头行"
STYLE_HEADING = "情况表-列标题"
STYLE_CELL = "情况表-单元格"
STYLE_CELL_CENTRED = "情况表-单元格居中"
STYLE_FOOT = "情况表-表尾"


def _ensure_styles(workbook: Workbook) -> None:
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    if STYLE_TITLE in workbook.named_styles:
        return
    body = Font(name=BODY_FONT, size=11)
    thin = Side(style="thin", color="000000")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    wrap_centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for style in (
        NamedStyle(
            STYLE_TITLE,
            font=Font(name=TITLE_FONT, size=18, bold=True),
            alignment=Alignment(horizontal="center", vertical="center"),
        ),
        NamedStyle(STYLE_LINE, font=body, alignment=wrap_left),
        NamedStyle(
            STYLE_HEADING,
            font=Font(name=BODY_FONT, size=11, bold=True),
            alignment=wrap_centre,
            border=ruled,
        ),
        NamedStyle(STYLE_CELL, font=body, alignment=wrap_left, border=ruled),
        NamedStyle(STYLE_CELL_CENTRED, font=body, alignment=wrap_centre, border=ruled),
        NamedStyle(
            STYLE_FOOT, font=body, alignment=Alignment(horizontal="left", vertical="center")
        ),
    ):
        workbook.add_named_style(style)


def _column_widths(rows: Sequence[Sequence[object]]) -> list[int]:
    """Widths that fit the content (Chinese counted double), within each column's bounds."""
    widths = []
    for index, (low, high) in enumerate(COLUMN_WIDTHS):
        longest = max(
            (display_width(line) for r in rows for line in str(r[index]).split("\n")),
            default=0,
        )
        wanted = max(longest, display_width(FORM_COLUMNS[index])) + 2
        widths.append(max(low, min(high, wanted)))
    return widths


def write_form_sheet(
    ws: Worksheet, form: FormData, cleaner: TextCleaner, *, personal: bool = True
) -> None:
    """Fill an empty worksheet with one enterprise's 情况表, ready to print.

    ``personal=False`` leaves out 单位填报人 and 电话 (public exports, 简报).
    """
    from openpyxl.cell.cell import Cell
    from openpyxl.utils import get_column_letter

    workbook = ws.parent
    assert workbook is not None, "a sheet from Workbook.create_sheet has its workbook"
    _ensure_styles(workbook)
    enterprise = form.enterprise
    ncols = len(FORM_COLUMNS)

    def put(row: int, col: int, value: object, style: str, where: str) -> str:
        """Style first, then the text: put_text may add the quote prefix to the style."""
        cell = ws.cell(row=row, column=col)
        # Only a merge's top-left cell is written, and that one is a Cell, not a MergedCell.
        assert isinstance(cell, Cell), f"{where or 'cell'} falls inside a merge"
        cell.style = style
        if isinstance(value, int):
            cell.value = value
            return str(value)
        put_text(cell, value, cleaner, f"{enterprise.name} {where}" if where else "")
        return str(cell.value)

    def span(row: int, first: int, last: int) -> None:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    # Title.
    span(TITLE_ROW, 1, ncols)
    put(TITLE_ROW, 1, FORM_TITLE, STYLE_TITLE, "")
    ws.row_dimensions[TITLE_ROW].height = 36

    # Rows first, so the column widths can follow their content.
    rows: list[tuple[str | int, ...]] = [item_cells(item) for item in form.items]
    if not rows:
        rows = [("",) * ncols for _ in range(BLANK_ROWS)]
    widths = _column_widths(rows)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width

    # Header line: 对标单位 / 地址 / 所在行业 / 主导产品, each "标签：值" over a merged span.
    header_values = (
        enterprise.name,
        enterprise.address,
        industry_text(enterprise),
        enterprise.main_products,
    )
    header_lines = 1
    for label, value, (first, last) in zip(HEADER_LABELS, header_values, HEADER_SPANS, strict=True):
        span(HEADER_ROW, first, last)
        shown = put(HEADER_ROW, first, f"{label}：{value or ''}", STYLE_LINE, label)
        header_lines = max(header_lines, _lines_needed(shown, sum(widths[first - 1 : last])))
    ws.row_dimensions[HEADER_ROW].height = min(MAX_ROW_HEIGHT, 8 + LINE_HEIGHT * header_lines)

    # Column headings.
    for col, heading in enumerate(FORM_COLUMNS, start=1):
        put(COLUMNS_ROW, col, heading, STYLE_HEADING, "")
    heading_lines = max(_lines_needed(h, w) for h, w in zip(FORM_COLUMNS, widths, strict=True))
    ws.row_dimensions[COLUMNS_ROW].height = heading_lines * LINE_HEIGHT + 6

    # The rows.
    row = FIRST_ITEM_ROW
    for values in rows:
        lines = 1
        for col, cell_value in enumerate(values, start=1):
            style = STYLE_CELL_CENTRED if col - 1 in CENTRED_COLUMNS else STYLE_CELL
            shown = put(row, col, cell_value, style, f"第{values[0]}行 {FORM_COLUMNS[col - 1]}")
            lines = max(lines, _lines_needed(shown, widths[col - 1]))
        ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 6)
        row += 1

    # The note, then 单位填报人 / 电话.
    note_row = row
    span(note_row, 1, ncols)
    note = put(note_row, 1, submission_note(form.campaign), STYLE_LINE, "注")
    ws.row_dimensions[note_row].height = 8 + LINE_HEIGHT * _lines_needed(note, sum(widths))
    last_row = note_row
    if personal:
        foot_row = note_row + 1
        foot_values = (enterprise.contact_name, enterprise.phone_raw)
        for label, value, (first, last) in zip(FOOT_LABELS, foot_values, FOOT_SPANS, strict=True):
            span(foot_row, first, last)
            put(foot_row, first, f"{label}：{value or ''}", STYLE_FOOT, label)
        ws.row_dimensions[foot_row].height = 24
        last_row = foot_row

    # Printing: A4 landscape, one page wide, the column headings on every page.
    from duibiao_tui.excel.print_setup import print_setup

    print_setup(ws, f"{COLUMNS_ROW}:{COLUMNS_ROW}")
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"
    ws.print_options.horizontalCentered = True
    ws.freeze_panes = f"A{FIRST_ITEM_ROW}"  # the first item row's top-left cell, always written


def build_forms_workbook(
    forms: Iterable[FormData],
    cleaner: TextCleaner,
    *,
    personal: bool = True,
    total: int = 0,
    progress: Progress | None = None,
) -> Workbook:
    """A workbook with one 情况表 sheet per enterprise, in the order given."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the blank sheet a new workbook starts with
    used: set[str] = set()
    for done, form in enumerate(forms, start=1):
        ws = workbook.create_sheet(unique_sheet_title(form.enterprise.name, used))
        write_form_sheet(ws, form, cleaner, personal=personal)
        if progress is not None:
            progress(done, total)
    if not workbook.worksheets:
        raise DuibiaoError("没有可导出的企业", "无可导出")
    return workbook


def form_filename(label: str) -> str:
    """Default file name of a 情况表 export: 情况表-<enterprise or district>.xlsx."""
    return safe_filename(f"情况表-{label}", ".xlsx")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote, for the CLI line and the app's notification."""

    path: Path
    sheets: int
    rows: int
    warnings: tuple[str, ...] = field(default=())


def export_forms(
    store: Store,
    enterprise_ids: Sequence[str],
    target: Path | str,
    *,
    force: bool = False,
    personal: bool = True,
    campaign: Campaign | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the 情况表 of ``enterprise_ids`` (one sheet each) to ``target`` atomically.

    Raises ``FileExistsRefused`` before doing any work when ``target`` exists and not
    ``force``; ``CellTooLong`` when a text does not fit a cell (nothing is written then).
    """
    target = Path(target)
    if not enterprise_ids:
        raise DuibiaoError("没有可导出的企业", "无可导出")
    check_target(target, force=force)
    campaign = campaign or store.active_campaign()
    cleaner = TextCleaner()
    row_count = 0

    def forms() -> Iterable[FormData]:
        nonlocal row_count
        for enterprise_id in enterprise_ids:
            form = load_form(store, enterprise_id, campaign)
            row_count += len(form.items)
            yield form

    workbook = build_forms_workbook(
        forms(), cleaner, personal=personal, total=len(enterprise_ids), progress=progress
    )
    # 单位填报人 and 电话: readable by the officer only
    save_workbook(workbook, target, force=force, private=personal)
    warnings = (cleaner.report,) if cleaner.report else ()
    return ExportResult(target, len(workbook.worksheets), row_count, warnings)
