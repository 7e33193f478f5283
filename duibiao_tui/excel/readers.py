"""Read any spreadsheet an officer is sent into plain rows of strings, or say clearly why not.

.xlsx, .xlsm, .xls (Excel 97–2003) and .ods go through python-calamine (fast, and the one
library here that reads all three); .csv (and .txt/.tsv) in UTF-8 with or without BOM,
UTF-16 (Excel's "Unicode text"), or GBK/GB18030 as older Chinese Excel saves it.

The format is decided by the file's content, not only its name: a workbook renamed .xls
still opens, while a CSV or a web page renamed .xlsx gets a message saying what it is.
Every failure is an ``UnreadableFile`` naming the file, never a traceback; limits on size,
rows and columns keep a huge or hostile file from exhausting memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from duibiao_tui.errors import DuibiaoError

__all__ = [
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNZIPPED_BYTES",
    "SPREADSHEET_SUFFIXES",
    "SheetData",
    "UnreadableFile",
    "cell_text",
    "read_sheets",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
"""An .xlsx is a zip: this bounds what it may unpack to (a "zip bomb" is refused up front)."""
MAX_RATIO = 500
"""A part of an .xlsx that unpacks to more than this many times its packed size (and to
more than RATIO_FLOOR_BYTES) is a zip bomb: real sheets pack about 5–50 times."""
RATIO_FLOOR_BYTES = 4 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
SPREADSHEET_SUFFIXES = WORKBOOK_SUFFIXES + TEXT_SUFFIXES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
"""An encrypted .xlsx is an OLE container with this stream instead of a zip."""
_DETAIL_MAX = 120


class UnreadableFile(DuibiaoError):
    """A file given to an import cannot be read; the message names it and says why."""

    title = "无法读取文件"

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}：{reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class SheetData:
    """One sheet as rows of strings; ``rows[i][j]`` is Excel's cell (i+1, column j+1)."""

    name: str
    rows: list[list[str]]
    hidden: bool = False
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """Merged ranges as (first row, first column, last row, last column), 0-based: the
    value is in the first cell only (a form's 标杆企业 merged over the rows of one run)."""
    hidden_rows: frozenset[int] = frozenset()
    """0-based rows the sheet marks hidden (.xlsx only)."""
    formulas: tuple[tuple[int, int], ...] = ()
    """0-based (row, column) of cells holding a formula but no computed value (.xlsx
    only): they read as blank, and the importers say so by row and column."""


def cell_text(value: object) -> str:
    """A cell value as an officer would read it: 12 not 12.0, 2010-06-30 not a datetime."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(value, ".15g")  # Excel shows 15 significant digits
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def _detail(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= _DETAIL_MAX else text[:_DETAIL_MAX] + "…"


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop empty rows at the end (Excel often keeps formatted but empty rows)."""
    end = len(rows)
    while end and not any(cell.strip() for cell in rows[end - 1]):
        end -= 1
    return rows[:end]


def _check_shape(path: Path, sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise UnreadableFile(
            path,
            f"工作表「{sheet}」过大（{rows} 行 × {columns} 列；上限 {MAX_ROWS} 行 × "
            f"{MAX_COLUMNS} 列），请只保留要导入的数据",
        )


def read_sheets(path: Path | str) -> list[SheetData]:
    """Every worksheet of ``path`` as rows of strings (a CSV is one sheet named after the file).

    Raises ``UnreadableFile`` for a missing, empty, huge, truncated, encrypted or
    non-spreadsheet file, and for a file with no data at all.
    """
    path = Path(path)
    if not path.is_file():
        raise UnreadableFile(path, "文件不存在")
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise UnreadableFile(
            path, f"不支持的文件类型「{path.suffix or '无扩展名'}」，请用 .xlsx、.xls、.ods 或 .csv"
        )
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(path, "文件是空的（0 字节）")
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(path, f"文件过大（{_mb(size)}，上限 {_mb(MAX_FILE_BYTES)}）")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(path, f"无法打开：{error.strerror or error}") from error

    if suffix in TEXT_SUFFIXES:
        if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            raise UnreadableFile(path, "这是 Excel 工作簿，不是 CSV；请把扩展名改为 .xlsx 或 .xls")
        sheets = [_read_csv(path, data)]
    else:
        sheets = _read_workbook(path, data)
    if not any(any(cell.strip() for cell in row) for sheet in sheets for row in sheet.rows):
        raise UnreadableFile(path, "文件中没有任何数据")
    return sheets


def _not_a_workbook(path: Path, data: bytes) -> UnreadableFile:
    """Say what a file that claims to be a workbook really is, when we can tell."""
    if data.startswith(b"%PDF"):
        return UnreadableFile(
            path, "这是 PDF 文件，不是 Excel 工作簿；请要 Excel 原文件（.xlsx 或 .xls）"
        )
    if data.startswith((b"{\\rtf", b"\x7fELF", b"MZ", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return UnreadableFile(path, "不是 Excel 工作簿（是文档、图片或程序文件）")
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return UnreadableFile(
            path,
            "这是网页（HTML/XML）格式，不是真正的 Excel 文件；请在 Excel 中另存为 .xlsx 再导入",
        )
    sample = data[:4096]
    if b"\x00" not in sample:
        for encoding in ("utf-8", "gb18030"):
            try:
                sample.decode(encoding)
            except UnicodeDecodeError:
                continue
            return UnreadableFile(
                path,
                "内容是纯文本（可能是改了扩展名的 CSV），不是 Excel 工作簿；"
                "请把扩展名改为 .csv，或在 Excel 中另存为 .xlsx",
            )
    return UnreadableFile(path, "不是 Excel 工作簿（文件内容无法识别）")


def _read_workbook(path: Path, data: bytes) -> list[SheetData]:
    if data.startswith(_ZIP_MAGIC):
        _check_zip(path, data)
    elif data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise _password(path)
    else:
        raise _not_a_workbook(path, data)

    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    details = {}
    if data.startswith(_ZIP_MAGIC):
        from duibiao_tui.excel.cell_display import xlsx_details

        details = xlsx_details(data)
    elif data.startswith(_OLE_MAGIC):  # .xls: BIFF8 records for the formats and hidden rows
        from duibiao_tui.excel.xls_display import xls_details

        details = xls_details(data)

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            sheets = []
            for meta in workbook.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    continue
                sheet = workbook.get_sheet_by_name(meta.name)
                end = sheet.end
                if end is None:
                    sheets.append(
                        SheetData(meta.name, [], meta.visible != SheetVisibleEnum.Visible)
                    )
                    continue
                _check_shape(path, meta.name, end[0] + 1, end[1] + 1)
                rows = [
                    [cell_text(value) for value in row]
                    for row in sheet.to_python(skip_empty_area=False)
                ]
                hidden = meta.visible != SheetVisibleEnum.Visible
                found = details.get(meta.name)
                if found is not None:  # what the cells show (98.5%, 12,345.50, 2010年6月)
                    for (r, c), text in found.shown.items():
                        if r < len(rows) and c < len(rows[r]):
                            rows[r][c] = text
                sheets.append(
                    SheetData(
                        meta.name,
                        _trim(rows),
                        hidden,
                        _merged(sheet),
                        frozenset(found.hidden_rows) if found else frozenset(),
                        tuple(found.formulas) if found else (),
                    )
                )
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except PasswordError as error:
        raise _password(path) from error
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as error:  # calamine's errors, and a Rust panic (BaseException)
        raise UnreadableFile(
            path, f"文件已损坏或不完整，无法作为 Excel 工作簿读取（{_detail(error)}）"
        ) from error
    return sheets


def _password(path: Path) -> UnreadableFile:
    return UnreadableFile(
        path, "文件设置了打开密码；请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后另存再导入"
    )


def _merged(sheet: object) -> tuple[tuple[int, int, int, int], ...]:
    ranges = getattr(sheet, "merged_cell_ranges", None) or ()
    try:
        return tuple((r1, c1, r2, c2) for (r1, c1), (r2, c2) in ranges)
    except (TypeError, ValueError):
        return ()


_WORKSHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]{0,3})(\d*)(?::([A-Za-z]{1,3})(\d+))?"'
)
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d{1,9})"[^>]*(?<!/)>')
"""A cell with content (<c r="AB12" …>…</c>; an empty formatted <c r="AB12" s="3"/> is
not content): the sheet is judged by where its content is, not by what it declares."""
_SCAN_CHUNK = 1024 * 1024


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def _too_big(path: Path, sheet: str, rows: int, columns: int, how: str) -> UnreadableFile:
    return UnreadableFile(
        path,
        f"工作表 {sheet} {how}过大（{rows} 行 × {columns} 列；上限 {MAX_ROWS} 行 × "
        f"{MAX_COLUMNS} 列），请只保留要导入的数据",
    )


def _scan_worksheet(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a sheet whose declared range or cell addresses are beyond the limits.

    calamine builds a dense grid from the first to the last cell, so two cells at A1 and
    XFD1048576 in a 10 KB file would ask for billions of cells: the addresses are read
    from the XML (streamed, never held whole) before calamine sees the file.
    """
    sheet = info.filename.rsplit("/", 1)[-1]
    max_row = max_col = 0
    tail = b""
    first = True
    declared_too_big = False
    with archive.open(info) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            data = tail + chunk
            if first:
                first = False
                found = _DIMENSION.search(data[:65536])
                if found is not None and found.group(3):
                    rows = int(found.group(4))
                    columns = _column_number(found.group(3))
                    # A declared range is only a claim (LibreOffice and some programs
                    # declare the whole grid): the content decides, below.
                    declared_too_big = rows > MAX_ROWS or columns > MAX_COLUMNS
            found_refs = _CELL_REF.findall(data)
            if found_refs:
                max_row = max(max_row, *(int(number) for _, number in found_refs))
                letters = {column for column, _ in found_refs if column}
                max_col = max(max_col, *map(_column_number, letters), 0)
            if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
                how = "声明的范围" if declared_too_big else "的单元格范围"
                raise _too_big(path, sheet, max_row, max_col, how)
            tail = data[-512:]


def _check_zip(path: Path, data: bytes) -> None:
    """A truncated download, a zip bomb or a sheet of absurd size is refused before calamine
    unpacks anything: the sizes the zip's directory declares (in total, and per part against
    its packed size), then every worksheet's declared range and cell addresses."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            unpacked = sum(info.file_size for info in infos)
            if unpacked > MAX_UNZIPPED_BYTES:
                raise UnreadableFile(
                    path, f"文件解压后过大（{_mb(unpacked)}，上限 {_mb(MAX_UNZIPPED_BYTES)}）"
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
                    raise UnreadableFile(
                        path,
                        f"文件压缩比异常（{info.filename} 压缩 {ratio:.0f} 倍，解压后 "
                        f"{_mb(info.file_size)}），可能是恶意构造的压缩包，已拒绝",
                    )
            for info in infos:
                if _WORKSHEET.match(info.filename):
                    _scan_worksheet(path, archive, info)
    except UnreadableFile:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        ValueError,
        OSError,
        EOFError,
        RuntimeError,  # an encrypted member
        NotImplementedError,  # a compression method zipfile does not know
    ) as error:
        raise UnreadableFile(
            path, f"文件已损坏或不完整（可能没有下载完），无法打开（{_detail(error)}）"
        ) from error


def _decode(path: Path, data: bytes) -> str:
    """UTF-16 when it says so (BOM), else UTF-8 (BOM or not), else GB18030 (superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data[:8192]:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UnreadableFile(
        path, "不是文本格式的 CSV，或编码无法识别；请在 Excel 中另存为「CSV UTF-8」或 .xlsx"
    )


def _read_csv(path: Path, data: bytes) -> SheetData:
    text = _decode(path, data)
    sample = text[:16384]
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        pass
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            _check_shape(path, path.stem, len(rows) + 1, len(row))
            rows.append(row)
    except csv.Error as error:
        raise UnreadableFile(
            path, f"CSV 格式有误（第 {reader.line_num} 行：{_detail(error)}）"
        ) from error
    return SheetData(path.stem, _trim(rows))
