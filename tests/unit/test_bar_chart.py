"""The stacked bar chart's arithmetic: proportional widths, no non-zero count hidden."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from duibiao_tui.widgets.bar_chart import BLOCK, StackedBarChart, bar_widths, stacked_bars


def test_full_bar_splits_width_in_proportion() -> None:
    assert bar_widths([1, 1, 2], 40) == [10, 10, 20]
    assert bar_widths([3, 1], 20) == [15, 5]


def test_widths_always_add_up_to_the_bar_length() -> None:
    for counts in ([1, 2, 3], [7, 0, 5, 1], [100, 1, 1, 1], [2, 2, 2], [9, 1]):
        for width in (6, 7, 13, 40, 61):
            assert sum(bar_widths(counts, width)) == width, (counts, width)


def test_every_non_zero_count_keeps_a_cell() -> None:
    widths = bar_widths([1000, 1, 0, 1, 2], 10)
    assert widths[2] == 0
    assert all(w >= 1 for c, w in zip([1000, 1, 0, 1, 2], widths, strict=True) if c)
    assert sum(widths) == 10
    assert widths[0] == 7, "the big count gives up the cells the small ones need"


def test_more_non_zero_counts_than_cells_still_shows_each() -> None:
    assert bar_widths([1, 1, 1, 1, 1, 1], 3) == [1, 1, 1, 1, 1, 1]


def test_zero_counts_draw_nothing() -> None:
    assert bar_widths([0, 0, 0], 30) == [0, 0, 0]
    assert bar_widths([], 30) == []


def test_bars_share_one_scale() -> None:
    bars = stacked_bars([[10, 10], [5, 0], [1, 0], [0, 0]], 40)
    assert bars[0] == [20, 20]
    assert bars[1] == [10, 0], "half the enterprises, half the length"
    assert bars[2] == [2, 0]
    assert bars[3] == [0, 0]


def test_a_tiny_bar_is_still_visible() -> None:
    assert stacked_bars([[1000], [1]], 20) == [[20], [1]]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        bar_widths([1, -1], 10)
    with pytest.raises(ValueError, match="scale"):
        bar_widths([5, 5], 10, scale=3)


def test_chart_text_draws_labels_bars_totals_and_legend() -> None:
    chart = StackedBarChart(("未报送", "已通过"), {"未报送": "grey50", "已通过": "green"})
    chart.set_data(("未报送", "已通过"), [("京口区", [3, 1]), ("镇江新区", [0, 2])])
    lines = chart.chart_text(40).plain.split("\n")
    assert lines[0].startswith("京口区   ")  # labels padded to the widest (镇江新区 = 8 cells)
    assert lines[0].endswith(" 4")
    assert lines[1].startswith("镇江新区 ")
    assert lines[1].endswith(" 2")
    full = lines[0].count(BLOCK)
    assert full == 40 - 8 - 1 - 2  # width minus label, gaps and the widest total
    assert lines[1].count(BLOCK) == round(full / 2)
    assert lines[2] == f"{BLOCK} 未报送  {BLOCK} 已通过"


def test_legend_wraps_between_entries() -> None:
    series = ("未报送", "已报送", "审核中", "已通过", "退回修改", "已修改")
    chart = StackedBarChart(series)
    chart.set_data(series, [("京口区", [1, 1, 1, 1, 1, 1])])
    legend = chart.chart_text(29).plain.split("\n")[1:]
    assert legend == [
        f"{BLOCK} 未报送  {BLOCK} 已报送  {BLOCK} 审核中",
        f"{BLOCK} 已通过  {BLOCK} 退回修改",
        f"{BLOCK} 已修改",
    ]
    assert all(cell_len(line) <= 29 for line in legend)
    assert " ".join(legend).count(BLOCK) == 6
