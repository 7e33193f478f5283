"""A horizontal stacked bar chart drawn with block characters (no plotting library).

One bar per category (a district), one coloured segment per series (a review status). Bars
share one scale, so a district with twice the enterprises gets a bar twice as long; inside a
bar every non-zero count keeps at least one cell, so a single 退回修改 is never lost.

The arithmetic (``bar_widths`` / ``stacked_bars``) is pure and tested on its own; the widget
only turns its result into a ``rich.text.Text``, under its section's title when it has one
(``heading``: one widget fewer than a title Label beside it, in the home screen's first frame).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from duibiao_tui.widgets.cells import fit_cell

__all__ = ["BLOCK", "StackedBarChart", "bar_widths", "stacked_bars"]

BLOCK = "█"
LEGEND_GAP = "  "
HEADING = "stacked-bar-chart--heading"
"""Component class of the title line (bold, in the theme's accent, as the screens' titles)."""


def _distribute(counts: Sequence[int], length: int) -> list[int]:
    """Split ``length`` cells among ``counts`` proportionally (largest remainder), giving
    every non-zero count at least one cell. Assumes ``length`` >= number of non-zero counts."""
    total = sum(counts)
    if total <= 0 or length <= 0:
        return [0] * len(counts)
    ideal = [c * length / total for c in counts]
    widths = [max(1, int(x)) if c > 0 else 0 for c, x in zip(counts, ideal, strict=True)]
    # Too few cells: the biggest shortfalls (ideal - given) get one more each.
    while sum(widths) < length:
        i = max(
            (i for i, c in enumerate(counts) if c > 0),
            key=lambda i: (ideal[i] - widths[i], counts[i]),
        )
        widths[i] += 1
    # Too many (the one-cell minimum pushed over): take from segments most above their share.
    while sum(widths) > length:
        i = max(
            (i for i, w in enumerate(widths) if w > 1),
            key=lambda i: (widths[i] - ideal[i], widths[i]),
        )
        widths[i] -= 1
    return widths


def bar_widths(counts: Sequence[int], width: int, scale: int | None = None) -> list[int]:
    """Cells per segment of one bar, for a chart ``width`` cells wide at full ``scale``.

    The bar is ``sum(counts) / scale * width`` cells long (rounded; ``scale`` defaults to the
    sum, a full-width bar). Every non-zero count gets at least one cell, even when that makes
    the bar a little longer than its exact share — or, with more non-zero counts than
    ``width``, longer than ``width``: a count is never hidden. Negative counts are errors.
    """
    if any(c < 0 for c in counts):
        raise ValueError("counts must not be negative")
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    scale = total if scale is None else scale
    if scale < total:
        raise ValueError(f"scale {scale} is below the bar's total {total}")
    nonzero = sum(1 for c in counts if c > 0)
    length = round(total * max(width, 0) / scale)
    return _distribute(counts, max(length, nonzero))


def stacked_bars(rows: Sequence[Sequence[int]], width: int) -> list[list[int]]:
    """``bar_widths`` for every row on one shared scale: the largest row fills ``width``."""
    scale = max((sum(row) for row in rows), default=0)
    return [bar_widths(row, width, scale or None) for row in rows]


class StackedBarChart(Widget):
    """Labels, one stacked bar each with its total, and a legend of the series' colours."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {HEADING}
    DEFAULT_CSS = """
    StackedBarChart {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    StackedBarChart > .stacked-bar-chart--heading { text-style: bold; color: $accent; }
    """

    def __init__(
        self,
        series: Sequence[str] = (),
        colours: Mapping[str, str] | None = None,
        *,
        heading: str = "",
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's widget signature
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.heading = heading
        self.series: tuple[str, ...] = tuple(series)
        self.colours: dict[str, str] = dict(colours or {})
        self.bars: list[tuple[str, list[int]]] = []

    def set_data(self, series: Sequence[str], bars: Sequence[tuple[str, Sequence[int]]]) -> None:
        """``bars``: (label, one count per series) in display order."""
        self.series = tuple(series)
        self.bars = [(label, list(counts)) for label, counts in bars]
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        """The title, one line per bar (or the 'no data' line), then the legend wrapped to
        the width."""
        return bool(self.heading) + max(1, len(self.bars)) + len(self._legend_lines(width))

    def render(self) -> Text:
        return self.chart_text(self.content_region.width or self.size.width)

    def chart_text(self, width: int) -> Text:
        """The whole chart for ``width`` cells: the title, bars with their totals, then the
        legend."""
        lines: list[Text] = []
        if self.heading:
            style = self.get_component_rich_style(HEADING)
            lines.append(Text(self.heading, style=style))
        if not self.bars:
            lines.append(Text("（暂无数据）", style="italic dim"))
        else:
            label_width = max(cell_len(label) for label, _ in self.bars)
            totals = [sum(counts) for _, counts in self.bars]
            number_width = len(str(max(totals)))
            bar_room = max(1, width - label_width - number_width - 2)
            widths = stacked_bars([counts for _, counts in self.bars], bar_room)
            for (label, _counts), total, cells in zip(self.bars, totals, widths, strict=True):
                line = Text(fit_cell(label, label_width) + " ")
                for series, n in zip(self.series, cells, strict=False):
                    if n:
                        line.append(BLOCK * n, style=self.colours.get(series, ""))
                line.append(" " + str(total).rjust(number_width), style="bold")
                lines.append(line)
        lines += self._legend_lines(width)
        return Text("\n", no_wrap=True, overflow="crop").join(lines)

    def _legend_lines(self, width: int) -> list[Text]:
        """'█ 未报送  █ 已报送 …', wrapped between entries so no entry is cut."""
        lines: list[Text] = []
        current = Text()
        for series in self.series:
            entry = Text.assemble((BLOCK, self.colours.get(series, "")), f" {series}")
            if current.plain and current.cell_len + len(LEGEND_GAP) + entry.cell_len > width:
                lines.append(current)
                current = Text()
            if current.plain:
                current.append(LEGEND_GAP)
            current.append_text(entry)
        if current.plain:
            lines.append(current)
        return lines
