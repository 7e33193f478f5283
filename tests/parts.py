""" "Parts add up": every figure table's parts sum to its total, across and down.

A table is a grid of numbers with labelled columns and rows. The column headed 合计 (or
行数, the aspect table's total) is the sum of the other number columns; the row labelled
合计 is the sum of the rows above it. The screens and the summary workbook are read into
this one shape, so the same check holds every table they show — a new one included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

TOTAL_LABELS = ("合计", "行数")


@dataclass(frozen=True)
class Grid:
    name: str
    headings: Sequence[str]
    """The number columns' headings."""
    rows: Sequence[tuple[str, Sequence[int]]]
    """(row label, numbers under ``headings``)."""
    total: int | None = None
    """Index of the total column; by default the one headed 合计 or 行数."""


def assert_adds_up(grid: Grid) -> None:
    """Fails naming the table, the row or column and the numbers that do not add up; and
    when the table has no total column at all (a table must say what its total is)."""
    totals = [i for i, h in enumerate(grid.headings) if h in TOTAL_LABELS]
    if grid.total is not None:
        totals = [grid.total]
    assert totals, f"{grid.name}: no 合计 column among {list(grid.headings)}"
    total = totals[0]
    parts = [i for i in range(len(grid.headings)) if i != total]
    if parts:
        for label, numbers in grid.rows:
            got = sum(numbers[i] for i in parts)
            assert numbers[total] == got, (
                f"{grid.name} · {label}: {grid.headings[total]} {numbers[total]} ≠ "
                f"{' + '.join(f'{grid.headings[i]} {numbers[i]}' for i in parts)} = {got}"
            )
    sums = [(label, numbers) for label, numbers in grid.rows if label == "合计"]
    if sums:
        _, bottom = sums[-1]
        above = [numbers for label, numbers in grid.rows if label != "合计"]
        for i, heading in enumerate(grid.headings):
            got = sum(numbers[i] for numbers in above)
            assert bottom[i] == got, f"{grid.name} · {heading}: 合计 {bottom[i]} ≠ rows {got}"


def number(text: str) -> int | None:
    text = text.strip().replace(",", "")
    return int(text) if text.isdigit() else None
