"""What an .xls (Excel 97–2003, BIFF8) cell shows: its number format applied.

calamine reads an .xls's values; the formats are in the same file, in records it does not
expose. This reads the compound file's ``Workbook`` stream (a small reader of the CFB
container: header, FAT, directory) and, from it, the FORMAT and XF records and each sheet's
NUMBER, RK and MULRK cells and hidden ROW records; ``format_number`` (cell_display) renders
them. Best effort: a file it cannot follow gives {} and the values stay as calamine read them.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from duibiao_tui.excel.cell_display import _BUILTIN_FORMATS, SheetDetails, format_number

__all__ = ["xls_details"]

_FREESECT, _ENDOFCHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_SECTORS = 1 << 22


def _chain(fat: list[int], start: int) -> list[int]:
    out: list[int] = []
    seen: set[int] = set()
    sector = start
    while sector not in (_ENDOFCHAIN, _FREESECT) and sector < len(fat) and sector not in seen:
        seen.add(sector)
        out.append(sector)
        sector = fat[sector]
    return out


def _workbook_stream(data: bytes) -> bytes | None:
    """The ``Workbook`` (or ``Book``) stream of a compound file."""
    if len(data) < 512:
        return None
    shift = struct.unpack_from("<H", data, 30)[0]
    mini_shift = struct.unpack_from("<H", data, 32)[0]
    size = 1 << shift
    mini_size = 1 << mini_shift
    n_fat, first_dir, _tx, mini_cutoff, first_mini_fat, n_mini_fat, first_difat, n_difat = (
        struct.unpack_from("<IIIIIIII", data, 44)
    )

    def sector(n: int) -> bytes:
        offset = (n + 1) * size
        return data[offset : offset + size]

    difat = list(struct.unpack_from("<109I", data, 76))
    next_difat = first_difat
    for _ in range(min(n_difat, _MAX_SECTORS)):
        if next_difat in (_ENDOFCHAIN, _FREESECT):
            break
        block = sector(next_difat)
        links = struct.unpack(f"<{size // 4}I", block)
        difat.extend(links[:-1])
        next_difat = links[-1]
    fat: list[int] = []
    for n in difat[: min(n_fat, _MAX_SECTORS)]:
        if n in (_FREESECT, _ENDOFCHAIN):
            continue
        block = sector(n)
        if len(block) == size:
            fat.extend(struct.unpack(f"<{size // 4}I", block))
    directory = b"".join(sector(n) for n in _chain(fat, first_dir))
    entries: list[tuple[str, int, int]] = []
    for offset in range(0, len(directory) - 127, 128):
        name_len = struct.unpack_from("<H", directory, offset + 64)[0]
        name = directory[offset : offset + max(0, name_len - 2)].decode("utf-16-le", "replace")
        start, length = struct.unpack_from("<IQ", directory, offset + 116)
        entries.append((name, start, length & 0xFFFFFFFF))
    if not entries:
        return None
    root_start = entries[0][1]
    wanted = next((e for e in entries if e[0] in ("Workbook", "Book")), None)
    if wanted is None:
        return None
    _, start, length = wanted
    if length >= mini_cutoff:
        stream = b"".join(sector(n) for n in _chain(fat, start))
        return stream[:length]
    mini_fat: list[int] = []
    for n in _chain(fat, first_mini_fat)[:n_mini_fat]:
        mini_fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))
    mini_stream = b"".join(sector(n) for n in _chain(fat, root_start))
    stream = b"".join(
        mini_stream[n * mini_size : (n + 1) * mini_size] for n in _chain(mini_fat, start)
    )
    return stream[:length]


def _records(stream: bytes, start: int = 0) -> Iterator[tuple[int, bytes]]:
    """BIFF records as (kind, body) from ``start``; a sheet substream stops at its EOF."""
    offset = start
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4 : offset + 4 + length]
        offset += 4 + length
        if kind == 0x000A and start:  # EOF of a sheet substream
            return


def _unicode_string(body: bytes, offset: int, length_bytes: int) -> str:
    count = body[offset] if length_bytes == 1 else struct.unpack_from("<H", body, offset)[0]
    flags = body[offset + length_bytes]
    text = body[offset + length_bytes + 1 :]
    if flags & 0x08:  # rich text run count
        text = text[2:]
    if flags & 0x04:  # far-east data size
        text = text[4:]
    if flags & 0x01:
        return text[: count * 2].decode("utf-16-le", "replace")
    return text[:count].decode("latin-1")


def _rk(value: int) -> float:
    if value & 0x02:
        number = float(value >> 2 if not value & 0x80000000 else (value >> 2) - (1 << 30))
    else:
        number = struct.unpack("<d", struct.pack("<Q", (value & 0xFFFFFFFC) << 32))[0]
    return number / 100 if value & 0x01 else number


def xls_details(data: bytes) -> dict[str, SheetDetails]:
    """Per sheet name, the text numeric cells show and the hidden rows; {} on any doubt."""
    try:
        stream = _workbook_stream(data)
        if stream is None:
            return {}
        formats = dict(_BUILTIN_FORMATS)
        xf_formats: list[int] = []
        sheets: list[tuple[str, int]] = []
        for kind, body in _records(stream):
            if kind == 0x041E and len(body) > 4:  # FORMAT
                formats[struct.unpack_from("<H", body, 0)[0]] = _unicode_string(body, 2, 2)
            elif kind == 0x00E0 and len(body) >= 4:  # XF
                xf_formats.append(struct.unpack_from("<H", body, 2)[0])
            elif kind == 0x0085 and len(body) > 8:  # BOUNDSHEET
                position = struct.unpack_from("<I", body, 0)[0]
                if body[5] == 0:  # a worksheet
                    sheets.append((_unicode_string(body, 6, 1), position))
            elif kind == 0x000A:  # EOF of the globals
                break
        out: dict[str, SheetDetails] = {}
        for name, position in sheets:
            details = SheetDetails()

            def show(row: int, col: int, xf: int, number: float, into: SheetDetails) -> None:
                if xf < len(xf_formats):
                    code = formats.get(xf_formats[xf], "General")
                    shown = format_number(number, code)
                    if shown is not None:
                        into.shown[(row, col)] = shown

            for kind, body in _records(stream, position):
                if kind == 0x0203 and len(body) >= 14:  # NUMBER
                    row, col, xf = struct.unpack_from("<HHH", body, 0)
                    show(row, col, xf, struct.unpack_from("<d", body, 6)[0], details)
                elif kind == 0x027E and len(body) >= 10:  # RK
                    row, col, xf, rk = struct.unpack_from("<HHHI", body, 0)
                    show(row, col, xf, _rk(rk), details)
                elif kind == 0x00BD and len(body) >= 6:  # MULRK
                    row, first = struct.unpack_from("<HH", body, 0)
                    count = (len(body) - 6) // 6
                    for n in range(count):
                        xf, rk = struct.unpack_from("<HI", body, 4 + 6 * n)
                        show(row, first + n, xf, _rk(rk), details)
                elif kind == 0x0208 and len(body) >= 16:  # ROW
                    row = struct.unpack_from("<H", body, 0)[0]
                    if struct.unpack_from("<H", body, 12)[0] & 0x0020:
                        details.hidden_rows.add(row)
            out[name] = details
        return out
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception:  # best effort: the values as calamine read them stay
        return {}
