"""A small table of figures with a cell cursor, drawn line by line.

The dashboard is the home screen, so its first paint is measured. Textual's DataTable
brings a large stylesheet and measures every cell through its own machinery; the
dashboard's tables are a dozen rows each and need only: a header, right-aligned numbers,
zebra rows, a cell cursor moved by arrows or the mouse, and Enter to open a number.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

__all__ = ["FigureTable"]

PAD = 1
"""Spaces on each side of a cell."""


class FigureTable(Widget, can_focus=True):
    """Columns ``[(key, label)]`` and rows ``[(key, [Text cells])]``; posts CellSelected."""

    DEFAULT_CSS = """
    FigureTable { width: auto; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "上", show=False),
        Binding("down", "move(1, 0)", "下", show=False),
        Binding("left", "move(0, -1)", "左", show=False),
        Binding("right", "move(0, 1)", "右", show=False),
        Binding("home", "edge(-1)", "行首", show=False),
        Binding("end", "edge(1)", "行尾", show=False),
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

    def __init__(self, *, id: str, text_columns: tuple[str, ...] = ()) -> None:  # noqa: A002
        super().__init__(id=id)
        self.text_columns = text_columns
        self.columns: list[tuple[str, str]] = []
        self.rows: list[tuple[str, list[Text]]] = []
        self._widths: list[int] = []

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

    # -- keys and mouse -------------------------------------------------------------------

    def action_move(self, rows: int, columns: int) -> None:
        if not self.rows:
            return
        row, column = self.cursor
        self.cursor = (
            max(0, min(len(self.rows) - 1, row + rows)),
            max(0, min(len(self.columns) - 1, column + columns)),
        )

    def action_edge(self, direction: int) -> None:
        row, _ = self.cursor
        self.cursor = (row, 0 if direction < 0 else max(len(self.columns) - 1, 0))

    def action_select_cursor(self) -> None:
        if self.rows and self.columns:
            self.post_message(self.CellSelected(self, *self.cell_keys()))

    def _on_click(self, event: events.Click) -> None:
        row = event.y - 1
        if not 0 <= row < len(self.rows):
            return
        x = 0
        for column, width in enumerate(self._widths):
            if x <= event.x < x + width:
                self.cursor = (row, column)
                if event.chain >= 2:
                    self.action_select_cursor()
                return
            x += width

    def watch_cursor(self) -> None:
        self.refresh()

    # -- drawing --------------------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(self._widths) or 1

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows) + 1

    def _cell(self, text: Text, width: int, left: bool) -> Text:
        inner = width - 2 * PAD
        cut = text.copy()
        cut.truncate(inner, overflow="ellipsis")
        gap = " " * max(0, inner - cut.cell_len)
        out = Text(" " * PAD)
        out.append_text(cut if left else Text(gap))
        out.append_text(Text(gap) if left else cut)
        out.append(" " * PAD)
        return out

    def render(self) -> RenderableType:
        header_style = Style(bold=True, bgcolor="#1f2a36")
        zebra = Style(bgcolor="#1a1f24")
        cursor_style = Style(reverse=True) if self.has_focus else Style(bgcolor="#23384d")
        lines = Text(no_wrap=True, overflow="ignore")
        for i, (key, label) in enumerate(self.columns):
            cell = self._cell(Text(label), self._widths[i], key in self.text_columns)
            cell.stylize(header_style)
            lines.append_text(cell)
        crow, ccol = self.cursor
        for r, (_, cells) in enumerate(self.rows):
            lines.append("\n")
            for c, text in enumerate(cells):
                key = self.columns[c][0] if c < len(self.columns) else ""
                cell = self._cell(text, self._widths[c], key in self.text_columns)
                if r == crow and c == ccol:
                    cell.stylize(cursor_style)
                elif r % 2:
                    cell.stylize(zebra)
                lines.append_text(cell)
        return lines
