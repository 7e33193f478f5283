"""The summary workbook (汇总) and its public version for 简报 and 现场会.

Sheets: 汇总 (enterprises by district and status, totals, a stacked bar chart), then the
flat tables of ``queries``: 企业名单, 对标项目, 提升措施跟踪, 推介与推荐. Each sheet has its
heading row frozen and an autofilter; column widths follow the headings and the first rows
(a Chinese character counts 2). The filters of one export (campaign, district, status)
apply to every sheet.

A city has ~100,000 rows, so the workbook is written with openpyxl's write-only mode: rows
go from the SQLite cursor to the file one at a time and memory stays flat however many
there are. Only the heading row and the rare formula-looking text are styled cells
(``WriteOnlyCell``); every other value is appended as it is. 汇总 is small and written the
same way (a write-only workbook holds only write-only sheets), with its chart added through
``add_chart``.

``public=True`` leaves out every column marked personal in ``queries`` (单位填报人, 电话,
报送人, 审核人, 审核意见, 登记人): they are not even read from the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from duibiao_tui.excel.atomic import check_target, safe_filename, save_workbook
from duibiao_tui.excel.form_export import display_width
from duibiao_tui.excel.masking import masked_words
from duibiao_tui.excel.print_setup import print_setup
from duibiao_tui.excel.queries import flat_tables, make_scope, status_counts
from duibiao_tui.excel.safe_text import (
    EXCEL_CELL_MAX,
    FORMULA_STARTS,
    TextCleaner,
    put_text,
)
from duibiao_tui.store.export_tables import (
    MEASURE_STATES_SHOWN,
    TABLE_ITEMS,
    TABLE_MEASURES,
    TABLE_RECOGNITIONS,
    VERDICT_COLUMNS,
    Column,
    ExportScope,
    FlatTable,
    StatusCounts,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from duibiao_tui.store.store import Store

__all__ = [
    "SUMMARY_SHEET",
    "SummaryResult",
    "build_summary_workbook",
    "export_summary",
    "summary_filename",
]

Progress = Callable[[int, int], None]
"""Called with (rows done, rows in all) every ``PROGRESS_EVERY`` rows and at the end."""

SUMMARY_SHEET = "汇总"
SUMMARY_HEADING_ROW = 4
"""汇总: title on row 1, scope on row 2, the table's headings on row 4."""
SAMPLE_ROWS = 200
"""Rows read before a sheet is started, to size its columns (write-only sheets take their
widths before the first row)."""
PROGRESS_EVERY = 2000
SHORT_TEXT = EXCEL_CELL_MAX // 2
"""A row's texts this short together cannot exceed a cell even if every character took two
UTF-16 units."""
ILLEGAL_CHARACTERS = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
"""What ``safe_text.strip_illegal`` drops (a test keeps the two in step)."""
DATE_WIDTH = 11
HEADING_FILL = "DDEBF7"
PUBLIC_NOTE = "公开版：不含单位填报人、电话、报送人、审核人、审核意见与登记人"
_ATTENTION = re.compile(
    f"{ILLEGAL_CHARACTERS}|(?:^|\n)[{re.escape(''.join(sorted(FORMULA_STARTS)))}]"
)
"""In the texts of a row joined by newlines: a character a workbook cannot hold, or a text
starting like a formula (a line starting so inside a text is a false alarm, settled cell
by cell)."""


@dataclass(frozen=True)
class SummaryResult:
    """What a summary export wrote, for the CLI line and the app's notification."""

    path: Path
    counts: dict[str, int]
    """Sheet title → data rows (汇总: districts)."""
    warnings: tuple[str, ...] = field(default=())
    public: bool = False

    @property
    def rows(self) -> int:
        return sum(n for title, n in self.counts.items() if title != SUMMARY_SHEET)

    @property
    def words(self) -> str:
        """企业 30 家，对标项目 1,000 行，提升措施 800 条，推介与推荐 12 条."""
        c = self.counts
        return (
            f"企业 {c.get('企业名单', 0):,} 家，对标项目 {c.get(TABLE_ITEMS, 0):,} 行，"
            f"提升措施 {c.get(TABLE_MEASURES, 0):,} 条，推介与推荐 {c.get(TABLE_RECOGNITIONS, 0):,} 条"
        )


def summary_filename(scope: ExportScope, *, public: bool = False) -> str:
    """汇总-全市.xlsx, 汇总-京口区-已通过.xlsx, 公开版-全市.xlsx."""
    return safe_filename(f"{'公开版' if public else '汇总'}-{scope.label}", ".xlsx")


class _Styles:
    """The few styles of a summary workbook, made once."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.heading_font = Font(bold=True)
        self.heading_fill = PatternFill("solid", fgColor=HEADING_FILL)
        self.heading_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.heading_border = Border(bottom=Side(style="thin", color="808080"))
        self.title_font = Font(bold=True, size=14)
        self.note_font = Font(color="595959")
        self.total_font = Font(bold=True)


class _SheetWriter:
    """Writes rows into write-only sheets: cleans every text, keeps formula-looking text as
    text (quote prefix), counts and reports progress."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.cleaner = TextCleaner()
        self.styles = _Styles()
        self.total = total
        self.done = 0
        self.progress = progress

    def tick(self, rows: int) -> None:
        self.done += rows
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)

    def text_cell(self, ws: WriteOnlyWorksheet, value: Any, where: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws)
        put_text(cell, value, self.cleaner, where)
        return cell

    def heading_cells(self, ws: WriteOnlyWorksheet, labels: Iterable[str]) -> list[Any]:
        cells = []
        for label in labels:
            cell = self.text_cell(ws, label, "")
            cell.font = self.styles.heading_font
            cell.fill = self.styles.heading_fill
            cell.alignment = self.styles.heading_align
            cell.border = self.styles.heading_border
            cells.append(cell)
        return cells

    def row_values(
        self, ws: WriteOnlyWorksheet, row: Sequence[Any], table: FlatTable, number: int
    ) -> Sequence[Any]:
        """One row as ws.append takes it: the row itself when none of its texts needs
        anything (one regex over them all), else a copy with the texts cleaned and the
        formula-looking ones as quote-prefixed text cells."""
        texts = [value for value in row if value.__class__ is str]
        if not texts:
            return row
        joined = "\n".join(texts)
        if len(joined) <= SHORT_TEXT and _ATTENTION.search(joined) is None:
            return row
        values = list(row)
        for index, value in enumerate(values):
            if value.__class__ is not str or not value:
                continue
            where = f"{table.title} 第{number}行 {table.columns[index].label}"
            text = self.cleaner(value, where)
            values[index] = text
            if text and text[0] in FORMULA_STARTS:
                values[index] = self.text_cell(ws, text, "")
        return values


def _column_widths(columns: Sequence[Column], sample: Sequence[Sequence[Any]]) -> list[int]:
    widths = []
    for index, column in enumerate(columns):
        longest = display_width(column.label)
        if column.kind == "date":
            longest = max(longest, DATE_WIDTH - 2)
        for row in sample:
            value = row[index]
            if value is None or value == "":
                continue
            text = value if isinstance(value, str) else str(value)
            longest = max(longest, max(display_width(line) for line in text.split("\n")))
        widths.append(max(column.min_width, min(column.max_width, longest + 2)))
    return widths


def _write_flat_sheet(workbook: Workbook, table: FlatTable, writer: _SheetWriter) -> int:
    """One flat table as a sheet: widths, frozen heading, autofilter; returns rows written."""
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(table.title)
    print_setup(ws, "1:1")  # A4 landscape, one page wide, the heading on every page
    rows: Iterator[Sequence[Any]] = table.read()
    sample = list(islice(rows, SAMPLE_ROWS))
    for index, width in enumerate(_column_widths(table.columns, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.append(writer.heading_cells(ws, table.headings))
    written = 0
    pending = 0
    for row in chain(sample, rows):
        written += 1
        ws.append(writer.row_values(ws, row, table, written + 1))
        pending += 1
        if pending == PROGRESS_EVERY:
            writer.tick(pending)
            pending = 0
    writer.tick(pending)
    last = get_column_letter(len(table.columns))
    ws.auto_filter.ref = f"A1:{last}{written + 1}"
    return written


def _write_summary_sheet(
    workbook: Workbook,
    scope: ExportScope,
    counts: StatusCounts,
    tables: Sequence[FlatTable],
    writer: _SheetWriter,
    public: bool,
) -> int:
    """汇总: enterprises by district x status with totals, a few figures, and the chart."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(SUMMARY_SHEET)
    print_setup(ws, f"{SUMMARY_HEADING_ROW}:{SUMMARY_HEADING_ROW}")
    styles = writer.styles
    statuses = counts.statuses
    ncols = len(statuses) + 2
    labels = [name for name, _ in counts.rows] + [aspect for aspect, _ in counts.aspects]
    ws.column_dimensions["A"].width = max(14, *(display_width(t) + 2 for t in labels))
    for index in range(2, ncols + 1):
        ws.column_dimensions[get_column_letter(index)].width = 10
    ws.freeze_panes = f"A{SUMMARY_HEADING_ROW + 1}"

    def styled(value: Any, font: Any = None) -> Any:
        if isinstance(value, str):
            cell = writer.text_cell(ws, value, SUMMARY_SHEET)
        else:
            cell = WriteOnlyCell(ws, value)
        if font is not None:
            cell.font = font
        return cell

    campaign = scope.campaign
    ws.append([styled(f"{campaign.name} — 汇总", styles.title_font)])
    note = f"范围：{scope.words}　　截至 {scope.today.isoformat()}"
    if campaign.doc_number:
        note = f"{campaign.doc_number}　　{note}"
    ws.append([styled(note, styles.note_font)])
    ws.append([styled(PUBLIC_NOTE, styles.note_font)] if public else [])
    ws.append(writer.heading_cells(ws, ["辖市区", *statuses, "合计"]))
    for name, by_status in counts.rows:
        values = [by_status.get(status, 0) for status in statuses]
        ws.append([writer.text_cell(ws, name, SUMMARY_SHEET), *values, sum(values)])
    ws.append(
        [
            styled("合计", styles.total_font),
            *(styled(counts.total(status), styles.total_font) for status in statuses),
            styled(counts.total(), styles.total_font),
        ]
    )
    ws.append([])
    for label, number, unit, bold in summary_figures(counts, tables):
        ws.append([styled(label, styles.total_font if bold else None), number, styled(unit)])
    ws.append([])
    ws.append(writer.heading_cells(ws, ["项目", "行数", *VERDICT_COLUMNS]))
    for aspect, verdicts in counts.aspects:
        values = [verdicts.get(v, 0) for v in VERDICT_COLUMNS]
        ws.append([writer.text_cell(ws, aspect, SUMMARY_SHEET), sum(values), *values])
    columns = [sum(v.get(c, 0) for _, v in counts.aspects) for c in VERDICT_COLUMNS]
    ws.append(
        [
            styled("合计", styles.total_font),
            styled(sum(columns), styles.total_font),
            *(styled(n, styles.total_font) for n in columns),
        ]
    )

    districts = len(counts.rows)
    if districts:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "各辖市区报送与审核状态"
        chart.y_axis.title = "企业数"
        chart.x_axis.title = "辖市区"
        chart.y_axis.majorGridlines = None
        # openpyxl 3.1 hides the axes unless told otherwise (delete=True by default).
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        first, last = SUMMARY_HEADING_ROW + 1, SUMMARY_HEADING_ROW + districts
        data = Reference(
            ws,
            min_col=2,
            max_col=1 + len(statuses),
            min_row=SUMMARY_HEADING_ROW,
            max_row=last,
        )
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
        chart.width = 18
        chart.height = 9
        ws.add_chart(chart, f"{get_column_letter(ncols + 2)}{SUMMARY_HEADING_ROW}")
    return districts


PENDING_WORDS = "行（有落实部门或完成时间，未填提升计划和措施，不计入措施）"


def summary_figures(
    counts: StatusCounts, tables: Sequence[FlatTable]
) -> list[tuple[str, int, str, bool]]:
    """The 汇总 sheet's figure lines (label, number, unit, bold): 提升措施 is followed by its
    parts, which add up to it; the rows 待补 are a line of their own, outside them."""
    by_title = {table.title: table.count for table in tables}
    measures = by_title.get(TABLE_MEASURES, 0)
    lines = [
        ("企业", counts.total(), "家", True),
        ("对标项目", by_title.get(TABLE_ITEMS, 0), "行", True),
        ("提升措施", measures, "条", True),
        *(
            (f"　{state}", counts.measures.get(state, 0), "条", False)
            for state in MEASURE_STATES_SHOWN
        ),
        ("措施待补", counts.pending, PENDING_WORDS, True),
        ("推介与推荐", by_title.get(TABLE_RECOGNITIONS, 0), "条", True),
    ]
    return lines


def build_summary_workbook(
    store: Store,
    scope: ExportScope,
    *,
    public: bool = False,
    progress: Progress | None = None,
    masked: list[Any] | None = None,
) -> tuple[Workbook, dict[str, int], TextCleaner]:
    """The write-only workbook (not yet saved), the rows of each sheet, and the cleaner
    (for its report of dropped characters)."""
    from openpyxl import Workbook

    tables = flat_tables(store, scope, public=public)
    if masked is not None and tables and tables[0].masker is not None:
        masked.append(tables[0].masker)  # the caller reads how many were masked
    counts = status_counts(store, scope)
    writer = _SheetWriter(sum(t.count for t in tables), progress)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "duibiao-tui"
    workbook.properties.title = f"{scope.campaign.name} 汇总"
    written = {SUMMARY_SHEET: _write_summary_sheet(workbook, scope, counts, tables, writer, public)}
    for table in tables:
        written[table.title] = _write_flat_sheet(workbook, table, writer)
    return workbook, written, writer.cleaner


def export_summary(
    store: Store,
    target: Path | str,
    *,
    district_id: str | None = None,
    status: str | None = None,
    campaign_id: str | None = None,
    public: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> SummaryResult:
    """Write the summary workbook (or its public version) for the filters to ``target``.

    Raises ``FileExistsRefused`` before any work when ``target`` exists and not ``force``;
    ``CellTooLong`` when a text does not fit a cell (nothing is written then).
    """
    target = Path(target)
    check_target(target, force=force)
    scope = make_scope(store, district_id=district_id, status=status, campaign_id=campaign_id)
    masked: list[Any] = []
    workbook, written, cleaner = build_summary_workbook(
        store, scope, public=public, progress=progress, masked=masked
    )

    # names and phone numbers: readable by the officer only
    save_workbook(workbook, target, force=force, private=not public)
    warnings: tuple[str, ...] = (cleaner.report,) if cleaner.report else ()
    if public:
        warnings += (masked_words(masked[0] if masked else None),)
    return SummaryResult(target, written, warnings, public)
