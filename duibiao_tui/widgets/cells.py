"""Text fitted to a number of terminal cells, for widgets that draw their own lines.

Its own module so that the dashboard's chart does not import the list's table (and what
that brings) for one function: the dashboard is the home screen, and its start is measured.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

ELLIPSIS = "…"


def cut_cell(text: str, width: int) -> str:
    """``text`` as it is if it fits ``width`` cells, else cut to them, ending with '…'.

    Works on display width, so a CJK character counts as 2 cells; a wide character that would
    straddle the limit is replaced by a space (rich's ``set_cell_size`` behaviour).
    """
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + ELLIPSIS


def fit_cell(text: str, width: int) -> str:
    """Pad or truncate ``text`` to exactly ``width`` cells, ending with '…' when cut."""
    cut = cut_cell(text, width)
    return cut + " " * max(0, width - cell_len(cut))
