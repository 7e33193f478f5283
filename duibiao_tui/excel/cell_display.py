"""What an .xlsx cell shows, not only what it holds; hidden rows; formulas without results.

calamine gives a cell's value: 0.985 for a cell formatted ``0.0%`` that shows ``98.5%``,
12345.5 for ``#,##0.00`` that shows ``12,345.50``, a date for ``yyyy"年"m"月"``. The
enterprise read and meant what the cell shows, so that is what is imported. This module
reads the sheet XML once more (streamed, through ``defusedxml``) for:

- each numeric cell's number format, applied the way Excel and LibreOffice apply it
  (percentages, thousands separators, fixed and optional decimals, literal text and
  currency, CJK date formats such as ``yyyy"年"m"月"d"日``; a plain date stays ISO, which
  every reader of ours understands; scientific and fraction formats are left as the value);
- rows marked hidden (a list with rows hidden by a filter);
- cells holding a formula but no cached value (a file written by a program, never opened
  in Excel): they come in blank, so the importers name them by row and column.

Everything here is best effort: a part it cannot read leaves the values as calamine gave
them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from posixpath import join, normpath

__all__ = ["SheetDetails", "format_number", "xlsx_details"]

_BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "yyyy-mm-dd",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "yyyy-mm-dd h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
    # The zh-CN built-ins Chinese Excel writes by number only.
    27: 'yyyy"年"m"月"',
    28: 'm"月"d"日"',
    29: 'm"月"d"日"',
    30: "m-d-yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"',
    51: 'm"月"d"日"',
    52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"',
    54: 'm"月"d"日"',
    57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}

_MAX_SHEET_BYTES = 64 * 1024 * 1024
"""Sheets bigger than this unpacked are not read twice (their values stay as read)."""

_EPOCH = datetime(1899, 12, 30)


@dataclass
class SheetDetails:
    """What the second reading of one sheet found (0-based rows and columns)."""

    shown: dict[tuple[int, int], str] = field(default_factory=dict)
    """Numeric cells whose number format changes what they show: the text they show."""
    hidden_rows: set[int] = field(default_factory=set)
    formulas: list[tuple[int, int]] = field(default_factory=list)
    """Cells with a formula and no cached value, in sheet order."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _split_sections(code: str) -> list[str]:
    sections, current, quoted, escaped = [], [], False, False
    for ch in code:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            current.append(ch)
            escaped = True
        elif ch == '"':
            current.append(ch)
            quoted = not quoted
        elif ch == ";" and not quoted:
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
    sections.append("".join(current))
    return sections


_BRACKET = re.compile(r"\[([^\]]*)\]")


def _tokens(section: str) -> list[tuple[str, str]]:
    """("lit", text) and ("code", char) tokens of one format section."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append(("lit", section[i + 1 : end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            out.append(("lit", section[i + 1]))
            i += 2
        elif ch in "_*" and i + 1 < len(section):
            out.append(("lit", " " if ch == "_" else ""))
            i += 2
        elif ch == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inner = section[i + 1 : end]
            if inner.startswith("$"):  # [$¥-804]: the currency symbol
                out.append(("lit", inner[1:].split("-", 1)[0]))
            elif re.fullmatch(r"[hms]+", inner, re.IGNORECASE):
                out.append(("code", inner[0]))  # elapsed time
            i = end + 1
        else:
            out.append(("code", ch))
            i += 1
    return out


def _is_date(tokens: list[tuple[str, str]]) -> bool:
    return any(kind == "code" and ch.lower() in "ymdhs" for kind, ch in tokens)


def _format_date(value: float, tokens: list[tuple[str, str]]) -> str | None:
    """Only CJK date formats are applied (2010年6月); other dates stay ISO as read."""
    if not any(kind == "lit" and re.search(r"[年月日]", text) for kind, text in tokens):
        return None
    if any(kind == "code" and ch.lower() in "hs" for kind, ch in tokens):
        return None
    try:
        moment = _EPOCH + timedelta(days=value)
    except OverflowError:
        return None
    codes = "".join(ch if kind == "code" else "\0" for kind, ch in tokens)
    out: list[str] = []
    literal_iter = iter(text for kind, text in tokens if kind == "lit")
    i = 0
    while i < len(codes):
        ch = codes[i]
        if ch == "\0":
            out.append(next(literal_iter))
            i += 1
            continue
        run = 1
        while i + run < len(codes) and codes[i + run].lower() == ch.lower():
            run += 1
        low = ch.lower()
        if low == "y":
            out.append(f"{moment.year % 100:02d}" if run <= 2 else str(moment.year))
        elif low == "m":
            out.append(f"{moment.month:02d}" if run == 2 else str(moment.month))
        elif low == "d":
            out.append(f"{moment.day:02d}" if run == 2 else str(moment.day))
        else:
            out.append(ch * run)
        i += run
    return "".join(out)


def format_number(value: float, code: str) -> str | None:
    """``value`` as a cell with number format ``code`` shows it, or None when the format
    does not change how we show it (General, text) or is one we do not render."""
    if not code or code.lower() == "general" or code == "@":
        return None
    sections = _split_sections(code)
    negative = value < 0
    section = sections[0]
    if negative and len(sections) > 1 and sections[1].strip():
        section, value = sections[1], -value
        negative = False
    elif value == 0 and len(sections) > 2 and sections[2].strip():
        section = sections[2]
    tokens = _tokens(section)
    if _is_date(tokens):
        return _format_date(value, tokens)
    codes = [ch for kind, ch in tokens if kind == "code"]
    numeric = [ch for ch in codes if ch in "0#?.,"]
    if not numeric or any(ch in "Ee/" for ch in codes):
        return None
    percent = codes.count("%")
    digits = "".join(numeric)
    integer_part, _, decimal_part = digits.partition(".")
    grouped = "," in integer_part.strip(",")
    scale = len(integer_part) - len(integer_part.rstrip(","))  # 0.0,, = millions
    minimum = decimal_part.count("0")
    optional = decimal_part.count("#") + decimal_part.count("?")
    try:
        number = Decimal(repr(abs(value))) * (Decimal(100) ** percent) / (Decimal(1000) ** scale)
        places = Decimal(1).scaleb(-(minimum + optional))
        rounded = number.quantize(places, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None
    text = f"{rounded:,f}" if grouped else f"{rounded:f}"
    if optional and "." in text:
        whole, frac = text.split(".")
        frac = frac[: minimum + optional].rstrip("0")
        frac = frac.ljust(minimum, "0")
        text = f"{whole}.{frac}" if frac else whole
        if not frac and decimal_part and minimum == 0 and "." in digits:
            text = whole + "." if digits.endswith(".") else whole
    if negative and rounded != 0:
        text = "-" + text
    out: list[str] = []
    placed = False
    for kind, ch in tokens:
        if kind == "lit":
            out.append(ch)
        elif ch in "0#?.,":
            if not placed:
                out.append(text)
                placed = True
        elif ch == "%":
            out.append("%")
        elif ch not in "@":
            out.append(ch)
    return "".join(out).strip() or None


def _workbook_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of every worksheet, in workbook order."""
    from defusedxml import ElementTree

    rels: dict[str, str] = {}
    root = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in root:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        rels[rel.get("Id", "")] = path
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    out = []
    for element in book.iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        if rid in rels:
            out.append((element.get("name", ""), rels[rid]))
    return out


def _styles(archive: zipfile.ZipFile) -> list[str]:
    """The number format code of every cell style (cellXfs), by index."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return []
    custom: dict[int, str] = {}
    formats: list[str] = []
    for element in root:
        name = _local(element.tag)
        if name == "numFmts":
            for fmt in element:
                try:
                    custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
                except ValueError:
                    continue
        elif name == "cellXfs":
            for xf in element:
                try:
                    number = int(xf.get("numFmtId", "0"))
                except ValueError:
                    number = 0
                formats.append(custom.get(number) or _BUILTIN_FORMATS.get(number, "General"))
    return formats


_REF = re.compile(r"([A-Z]{1,3})(\d{1,9})")


def _position(ref: str) -> tuple[int, int] | None:
    found = _REF.fullmatch(ref)
    if found is None:
        return None
    col = 0
    for ch in found.group(1):
        col = col * 26 + ord(ch) - 64
    return int(found.group(2)) - 1, col - 1


_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_CELL_REF_ATTR = re.compile(rb'\br="([A-Z]{1,3}\d{1,9})"')
_TYPE_ATTR = re.compile(rb'\bt="(\w+)"')
_STYLE_ATTR = re.compile(rb'\bs="(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_CELL_OPEN = re.compile(rb"<(?:\w+:)?c\s")
_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")


def _read_sheet(data: bytes, styles: list[str]) -> SheetDetails:
    """Regular expressions over the sheet's XML (in C, fast on 100,000 rows): only the
    cells that matter are looked at one by one."""
    details = SheetDetails()
    for found in _HIDDEN_ROW.finditer(data):
        row_number = _ROW_NUMBER.search(found.group())
        if row_number is not None:
            details.hidden_rows.add(int(row_number.group(1)) - 1)
    if _FORMULA.search(data):
        for found in _FORMULA.finditer(data):
            start = max(
                (
                    m.start()
                    for m in _CELL_OPEN.finditer(data, max(0, found.start() - 400), found.start())
                ),
                default=-1,
            )
            if start < 0:
                continue
            close = _CELL_CLOSE.search(data, found.start())
            cell = data[start : close.end() if close else len(data)]
            value = _VALUE.search(cell)
            if value is not None and value.group(1).strip():
                continue
            ref = _CELL_REF_ATTR.search(cell[: cell.find(b">") + 1])
            where = _position(ref.group(1).decode()) if ref else None
            if where is not None and where not in details.formulas:
                details.formulas.append(where)
    formatted = [
        str(index).encode()
        for index, code in enumerate(styles)
        if code and code.lower() != "general" and code != "@"
    ]
    if not formatted:
        return details
    styled = re.compile(
        rb'<(?:\w+:)?c\b(?=[^>]*?\bs="(?:'
        + b"|".join(formatted)
        + rb')")([^>]*)>(.*?)</(?:\w+:)?c>',
        re.S,
    )
    for found in styled.finditer(data):
        attrs, body = found.group(1), found.group(2)
        kind = _TYPE_ATTR.search(attrs)
        if kind is not None and kind.group(1) != b"n":
            continue
        value = _VALUE.search(body)
        ref = _CELL_REF_ATTR.search(attrs)
        style = _STYLE_ATTR.search(attrs)
        if value is None or ref is None or style is None:
            continue
        where = _position(ref.group(1).decode())
        try:
            number = float(value.group(1))
            code = styles[int(style.group(1))]
        except (ValueError, IndexError):
            continue
        shown = format_number(number, code)
        if where is not None and shown is not None:
            details.shown[where] = shown
    return details


def xlsx_details(data: bytes) -> dict[str, SheetDetails]:
    """Per sheet name, what the second reading found; {} when the parts cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles = _styles(archive)
            out: dict[str, SheetDetails] = {}
            for sheet, part in _workbook_parts(archive):
                try:
                    info = archive.getinfo(part)
                except KeyError:
                    continue
                if info.file_size > _MAX_SHEET_BYTES:
                    continue
                out[sheet] = _read_sheet(archive.read(info), styles)
            return out
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception:  # best effort: the values as calamine read them stay
        return {}
