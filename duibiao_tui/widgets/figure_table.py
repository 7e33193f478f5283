"""A small table of figures with a cell cursor, drawn line by line.

The dashboard is the home screen, so its first paint is measured. Textual's DataTable
brings a large stylesheet and measures every cell through its own machinery; the
dashboard's tables are a dozen rows each and need only: a header, right-aligned numbers,
zebra rows, a cell cursor moved by arrows or the mouse, and Enter to open a number.

A table may hold more rows than its height (a city's overdue measures by district and
department run to a hundred): then the rows scroll under the header with the cursor, the
合计 row stays at the bottom, and a last line says how many rows are above and below.

A table may draw its section's title as its first line (``heading``): a title Label and the
container holding it with the table were two more widgets each for Textual to compose,
style and lay out in the home screen's first frame.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from duibiao_tui.widgets.cells import cut_cell

__all__ = ["FigureTable"]

PAD = 1
"""Spaces on each side of a cell."""
MORE_LINE_FROM = 12
"""Tables longer than this may not fit, and keep room for the line saying so."""
MORE_LINE_WIDTH = 30
HEADER_STYLE = Style(bold=True, bgcolor="#1f2a36")
ZEBRA_STYLE = Style(bgcolor="#1a1f24")
CURSOR_STYLE = Style(reverse=True)
CURSOR_UNFOCUSED_STYLE = Style(bgcolor="#23384d")
MORE_STYLE = Style(italic=True)
HEADING = "figure-table--heading"
"""Component class of the title line (bold, in the theme's accent, as the screens' titles)."""
TOTAL_KEY = "__total__"
"""Key of the 合计 row and column: the row stays in view, the column sums the others."""


class FigureTable(Widget, can_focus=True):
    """Columns ``[(key, label)]`` and rows ``[(key, [Text cells])]``; posts CellSelected."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {HEADING}
    DEFAULT_CSS = """
    FigureTable { width: auto; height: auto; }
    FigureTable > .figure-table--heading { text-style: bold; color: $accent; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "上", show=False),
        Binding("down", "move(1, 0)", "下", show=False),
        Binding("left", "move(0, -1)", "左", show=False),
        Binding("right", "move(0, 1)", "右", show=False),
        Binding("home", "edge(-1)", "行首", show=False),
        Binding("end", "edge(1)", "行尾", show=False),
        Binding("pageup", "page(-1)", "上一页", show=False),
        Binding("pagedown", "page(1)", "下一页", show=False),
        Binding(
            "enter",
            "select_cursor",
            "打开",
            tooltip="列出这个数字背后的企业或行",
            id="dashboard-open",
        ),
    ]

    class CellSelected(Message):
        """Enter (or a click) on a cell: its row and column keys."""

        def __init__(self, table: FigureTable, row_key: str, column_key: str) -> None:
            super().__init__()
            self.table = table
            self.row_key = row_key
            self.column_key = column_key

        @property
        def control(self) -> FigureTable:
            return self.table

    cursor: reactive[tuple[int, int]] = reactive((0, 0), layout=False)

    def __init__(
        self,
        *,
        id: str,  # noqa: A002 - Textual's widget signature
        text_columns: tuple[str, ...] = (),
        heading: str = "",
    ) -> None:
        super().__init__(id=id)
        self.text_columns = text_columns
        self.heading = heading
        self.heading_lines = 1 if heading else 0
        """Lines above the column header: the title's."""
        self.columns: list[tuple[str, str]] = []
        self.rows: list[tuple[str, list[Text]]] = []
        self._widths: list[int] = []
        self.top = 0
        """The first body row shown when the rows do not all fit."""

    # -- data -----------------------------------------------------------------------------

    def fill(self, columns: list[tuple[str, str]], rows: list[tuple[str, list[Text]]]) -> None:
        """Replace everything, keeping the cursor on the same cell when it still exists."""
        self.columns, self.rows = columns, rows
        self._widths = [
            max([cell_len(label)] + [r[1][i].cell_len for r in rows if i < len(r[1])]) + 2 * PAD
            for i, (_, label) in enumerate(columns)
        ]
        row, column = self.cursor
        self.cursor = (min(row, max(len(rows) - 1, 0)), min(column, max(len(columns) - 1, 0)))
        self._follow_cursor()
        self.refresh(layout=True)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_coordinate(self) -> Coordinate:
        return Coordinate(*self.cursor)

    def move_cursor(self, *, row: int | None = None, column: int | None = None) -> None:
        r, c = self.cursor
        self.cursor = (r if row is None else row, c if column is None else column)

    def get_cell(self, row_key: str, column_key: str) -> Text:
        keys = [k for k, _ in self.columns]
        for key, cells in self.rows:
            if key == row_key:
                return cells[keys.index(column_key)]
        raise KeyError(row_key)

    def cell_keys(self) -> tuple[str, str]:
        """(row key, column key) under the cursor."""
        row, column = self.cursor
        return self.rows[row][0], self.columns[column][0]

    # -- what fits ------------------------------------------------------------------------

    @property
    def pinned(self) -> bool:
        """The last row is the 合计: it stays at the bottom while the others scroll."""
        return bool(self.rows) and self.rows[-1][0] == TOTAL_KEY

    @property
    def body_rows(self) -> int:
        """Rows that scroll (all but a pinned 合计)."""
        return len(self.rows) - self.pinned

    @property
    def overflowing(self) -> bool:
        height = self.size.height
        return 0 < height < self.heading_lines + len(self.rows) + 1

    @property
    def visible_body(self) -> int:
        """How many scrolling rows show: all, or the height less the title, the header, the
        pinned 合计 and the line saying what is hidden."""
        if not self.overflowing:
            return self.body_rows
        return max(1, self.size.height - self.heading_lines - 2 - self.pinned)

    def shown_rows(self) -> list[int]:
        """Indexes of the rows drawn, top to bottom (the pinned 合计 last)."""
        shown = list(range(self.top, min(self.body_rows, self.top + self.visible_body)))
        if self.pinned:
            shown.append(len(self.rows) - 1)
        return shown

    def _follow_cursor(self) -> None:
        """Scroll so the cursor's row is drawn (a pinned 合计 always is)."""
        row = self.cursor[0]
        visible = self.visible_body
        top = max(0, min(self.top, self.body_rows - visible))
        if row < self.body_rows:
            if row < top:
                top = row
            elif row >= top + visible:
                top = row - visible + 1
        self.top = top

    def on_resize(self) -> None:
        self._follow_cursor()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self.overflowing and self.top + self.visible_body < self.body_rows:
            event.stop()
            self.top += 1
            self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self.overflowing and self.top > 0:
            event.stop()
            self.top -= 1
            self.refresh()

    # -- keys and mouse -------------------------------------------------------------------

    def action_move(self, rows: int, columns: int) -> None:
        if not self.rows:
            return
        row, column = self.cursor
        self.cursor = (
            max(0, min(len(self.rows) - 1, row + rows)),
            max(0, min(len(self.columns) - 1, column + columns)),
        )

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.visible_body - 1), 0)

    def action_edge(self, direction: int) -> None:
        row, _ = self.cursor
        self.cursor = (row, 0 if direction < 0 else max(len(self.columns) - 1, 0))

    def action_select_cursor(self) -> None:
        if self.rows and self.columns:
            self.post_message(self.CellSelected(self, *self.cell_keys()))

    def on_click(self, event: events.Click) -> None:
        shown = self.shown_rows()
        line = event.y - self.heading_lines - 1
        if not 0 <= line < len(shown):
            return
        row = shown[line]
        x = 0
        for column, width in enumerate(self._widths):
            if x <= event.x < x + width:
                self.cursor = (row, column)
                if event.chain >= 2:
                    self.action_select_cursor()
                return
            x += width

    def watch_cursor(self) -> None:
        self._follow_cursor()
        self.refresh()
        if self.has_focus and self.size.height:
            # In a scrolling screen (the dashboard at 80x24) the table comes into view too.
            self.scroll_visible(animate=False)

    # -- drawing --------------------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The columns; wide enough for the title, and for the line under rows that do not
        all fit."""
        width = max(sum(self._widths), cell_len(self.heading), 1)
        if len(self.rows) > MORE_LINE_FROM:
            width = max(width, MORE_LINE_WIDTH)
        return width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.heading_lines + len(self.rows) + 1

    def render_line(self, y: int) -> Strip:
        """Line ``y``: the title, the header, a row, or the line saying which rows show.

        Drawn as segments (Textual's line API): a rich Text of the whole table went
        through Textual's conversion of every styled cell, ~1 ms a table of the home
        screen's first frame."""
        width = self.size.width
        base = self.rich_style
        shown = self.shown_rows()
        line = y - self.heading_lines
        if line < 0:
            style = base + self.get_component_rich_style(HEADING)
            segments = [Segment(cut_cell(self.heading, width), style)]
        elif line == 0:
            header = base + HEADER_STYLE
            segments = [
                segment
                for i, (key, label) in enumerate(self.columns)
                for segment in self._cell(
                    label, self._widths[i], key in self.text_columns, header, header
                )
            ]
        elif line <= len(shown):
            segments = self._row_segments(shown[line - 1], base)
        elif line == len(shown) + 1 and self.overflowing:
            segments = [Segment(self._more_words(), base + MORE_STYLE)]
        else:
            return Strip.blank(width, base)
        return Strip(segments).crop_extend(0, width, base).apply_offsets(0, y)

    def _row_segments(self, r: int, base: Style) -> list[Segment]:
        crow, ccol = self.cursor
        cursor = CURSOR_STYLE if self.has_focus else CURSOR_UNFOCUSED_STYLE
        zebra = ZEBRA_STYLE if r % 2 else None
        segments: list[Segment] = []
        for c, text in enumerate(self.rows[r][1]):
            key = self.columns[c][0] if c < len(self.columns) else ""
            mark = cursor if r == crow and c == ccol else zebra
            around = base + mark if mark is not None else base
            style = text.style
            own = Style.parse(style) if isinstance(style, str) else style
            inner = base + own + mark if mark is not None else base + own
            segments += self._cell(
                text.plain, self._widths[c], key in self.text_columns, inner, around
            )
        return segments

    @staticmethod
    def _cell(plain: str, width: int, left: bool, inner: Style, around: Style) -> list[Segment]:
        """A cell's segments: its text cut to the cell with '…' and aligned, in ``inner``;
        the padding and the gap, in ``around``."""
        room = width - 2 * PAD
        plain = cut_cell(plain, room)
        gap = Segment(" " * max(0, room - cell_len(plain)), around)
        pad = Segment(" " * PAD, around)
        body = Segment(plain, inner)
        return [pad, body, gap, pad] if left else [pad, gap, body, pad]

    def _more_words(self) -> str:
        """Which rows show of how many: ' ↑↓ 第 4–18 行，共 119 行', cut to the width."""
        last = self.top + self.visible_body
        return cut_cell(f" ↑↓ 第 {self.top + 1}–{last} 行，共 {self.body_rows} 行", self.size.width)
