"""A virtual, line-rendered table for very large in-memory lists.

Textual's ``DataTable`` measures every cell of every row it holds before the first paint
(~0.2 ms per row), so a list of a few thousand enterprises takes most of a second to appear.
``VirtualTable`` keeps the rows as plain strings and renders only the lines that are on screen
through the Line API, so showing 100,000 rows costs the same as showing 100.

Layout is computed from the *columns* only (never from the data): fixed-width columns take
their width, flexible columns share what is left.  Cells are padded / truncated by display
width so that Chinese text (2 cells per character) stays aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from duibiao_tui.widgets.cells import fit_cell

__all__ = ["Column", "VirtualTable"]

MIN_FLEX_WIDTH = 6
"""Flexible columns never shrink below this many cells (horizontal scrolling takes over)."""

SORT_ASCENDING = " ▲"
SORT_DESCENDING = " ▼"

# Control characters have a cell width of 0 and would break alignment (or the terminal).
_CONTROL_TO_SPACE = {code: " " for code in (*range(32), 127)}


@dataclass(frozen=True)
class Column:
    """A table column; ``width`` is in terminal cells, 0 means flexible."""

    key: str
    label: str
    width: int = 0


class _Layout(NamedTuple):
    """Column widths for one available width, cached because every line needs it."""

    widths: tuple[int, ...]
    total: int


def _clean(value: object) -> str:
    """Coerce a cell value to single-line text whose cell width is meaningful."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return text.translate(_CONTROL_TO_SPACE)


def compute_widths(columns: Sequence[Column], available: int) -> tuple[int, ...]:
    """Resolve column widths: fixed ones as given, flexible ones share the rest equally.

    Any remainder of the equal split goes to the leftmost flexible columns so the table fills
    ``available`` exactly; flexible columns are never narrower than ``MIN_FLEX_WIDTH``.
    """
    if not columns:
        return ()
    fixed = sum(column.width for column in columns if column.width > 0)
    flex_count = sum(1 for column in columns if column.width <= 0)
    gaps = len(columns) - 1
    share, extra = 0, 0
    if flex_count:
        remaining = max(0, available - fixed - gaps)
        share, extra = divmod(remaining, flex_count)
        if share < MIN_FLEX_WIDTH:
            share, extra = MIN_FLEX_WIDTH, 0
    widths: list[int] = []
    for column in columns:
        if column.width > 0:
            widths.append(column.width)
        else:
            widths.append(share + (1 if extra > 0 else 0))
            extra -= 1
    return tuple(widths)


class VirtualTable(ScrollView, can_focus=True):
    """A read-only table that renders only visible lines, with a row cursor and fixed header.

    Rows are sequences of strings in column order, each identified by a unique string key.
    Sorting is the owner's job: header clicks post ``SortRequested``; the owner sorts, sets
    ``sort_key`` / ``sort_descending`` and calls ``set_rows`` again.
    """

    DEFAULT_CSS = """
    VirtualTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;

        &:focus {
            background-tint: $foreground 5%;
            & > .virtual-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .virtual-table--header {
                background-tint: $foreground 5%;
            }
        }

        &:dark > .virtual-table--even-row {
            background: $surface-darken-1 40%;
        }

        & > .virtual-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .virtual-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }

        & > .virtual-table--even-row {
            background: $surface-lighten-1 50%;
        }

        & > .virtual-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }

        & > .virtual-table--placeholder {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--even-row",
        "virtual-table--placeholder",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "上一行", show=False),
        Binding("down", "cursor_down", "下一行", show=False),
        Binding("pageup", "page_up", "上一页", show=False),
        Binding("pagedown", "page_down", "下一页", show=False),
        Binding("home,ctrl+home", "cursor_first", "首行", show=False),
        Binding("end,ctrl+end", "cursor_last", "末行", show=False),
        Binding("enter", "select_cursor", "选择", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, repaint=False)
    """Index of the highlighted row (0 when there are no rows)."""

    sort_key: reactive[str | None] = reactive(None)
    """Key of the column the owner sorted by; its header shows ▲/▼."""

    sort_descending: reactive[bool] = reactive(False)
    """Direction of the sort shown in the header (▼ when True)."""

    placeholder: reactive[str] = reactive("（无数据）")
    """Dim text on the first data line when there are no rows."""

    zebra_stripes: reactive[bool] = reactive(True)
    """Shade even rows so long lines are easier to follow."""

    class RowHighlighted(Message):
        """The cursor moved or the rows changed; ``key`` is None when the table is empty."""

        def __init__(self, table: VirtualTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            """The table that posted the message (for ``@on(..., "#id")``)."""
            return self.table

    class RowSelected(Message):
        """The user pressed Enter on, or clicked the highlighted, row ``key``."""

        def __init__(self, table: VirtualTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> VirtualTable:
            """The table that posted the message (for ``@on(..., "#id")``)."""
            return self.table

    class SortRequested(Message):
        """The user clicked the header of ``column_key``; the owner decides how to sort."""

        def __init__(self, table: VirtualTable, column_key: str) -> None:
            super().__init__()
            self.table = table
            self.key = column_key
            self.column_key = column_key

        @property
        def control(self) -> VirtualTable:
            """The table that posted the message (for ``@on(..., "#id")``)."""
            return self.table

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's widget signature
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._columns: tuple[Column, ...] = ()
        self._keys: list[str] = []
        self._rows: list[Sequence[str]] = []
        self._key_index: dict[str, int] | None = None
        self._column_layout_cache: tuple[int, _Layout] | None = None
        self._scroll_pending = False
        if columns:
            self.set_columns(columns)

    # ------------------------------------------------------------------ public API

    @property
    def columns(self) -> tuple[Column, ...]:
        """The current columns (immutable)."""
        return self._columns

    @property
    def row_count(self) -> int:
        """Number of data rows."""
        return len(self._rows)

    @property
    def cursor_key(self) -> str | None:
        """Key of the highlighted row, or None when empty."""
        if not self._keys:
            return None
        return self._keys[self.cursor_row]

    def get_row(self, key: str) -> Sequence[str] | None:
        """Return the cell values of ``key`` (as given to ``set_rows``), or None."""
        index = self._index_of(key)
        return None if index is None else self._rows[index]

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns; rows stay (cells are matched to columns by position)."""
        self._columns = tuple(columns)
        self._column_layout_cache = None
        self._update_virtual_size()
        self.refresh()

    def set_rows(self, keys: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Replace all rows in O(n) (two list copies, no measuring).

        The cursor stays on the same key when it is still present, otherwise it is clamped to
        the new row range; ``RowHighlighted`` is always posted since the data changed.
        """
        if len(keys) != len(rows):
            raise ValueError(f"set_rows: {len(keys)} keys but {len(rows)} rows")
        old_key = self.cursor_key
        old_row = self.cursor_row
        self._keys = list(keys)
        self._rows = list(rows)
        self._key_index = None
        new_row = old_row
        if old_key is not None:
            try:
                new_row = self._keys.index(old_key)
            except ValueError:
                new_row = old_row
        self.set_reactive(VirtualTable.cursor_row, self.validate_cursor_row(new_row))
        self._update_virtual_size()
        self.refresh()
        self._scroll_cursor_into_view()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    def move_cursor_to_key(self, key: str) -> bool:
        """Highlight the row ``key`` (scrolling to it); return False if there is no such row."""
        index = self._index_of(key)
        if index is None:
            return False
        self.cursor_row = index
        return True

    # ------------------------------------------------------------------ reactives

    def validate_cursor_row(self, value: int) -> int:
        """Keep the cursor inside the rows (0 when empty)."""
        return max(0, min(value, len(self._rows) - 1))

    def watch_cursor_row(self, old_row: int, new_row: int) -> None:
        """Repaint the two affected lines, follow the cursor and tell the owner."""
        self._refresh_row(old_row)
        self._refresh_row(new_row)
        self._scroll_cursor_into_view()
        self.post_message(self.RowHighlighted(self, self.cursor_key))

    # ------------------------------------------------------------------ actions

    def action_cursor_up(self) -> None:
        """Move the cursor one row up."""
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        """Move the cursor one row down."""
        self.cursor_row += 1

    def action_page_up(self) -> None:
        """Scroll a page up and move the cursor with it, keeping its screen position."""
        page = max(1, self._page_height())
        self.scroll_to(y=self.scroll_offset.y - page, animate=False, force=True)
        self.cursor_row -= page

    def action_page_down(self) -> None:
        """Scroll a page down and move the cursor with it, keeping its screen position."""
        page = max(1, self._page_height())
        self.scroll_to(y=self.scroll_offset.y + page, animate=False, force=True)
        self.cursor_row += page

    def action_cursor_first(self) -> None:
        """Jump to the first row."""
        self.cursor_row = 0

    def action_cursor_last(self) -> None:
        """Jump to the last row."""
        self.cursor_row = len(self._rows) - 1

    def action_select_cursor(self) -> None:
        """Post ``RowSelected`` for the highlighted row."""
        key = self.cursor_key
        if key is not None:
            self.post_message(self.RowSelected(self, key))

    # ------------------------------------------------------------------ events

    def on_click(self, event: events.Click) -> None:
        """Header click requests a sort; a row click moves the cursor, a second one selects."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        scroll_x, scroll_y = self.scroll_offset
        if offset.y == 0:
            column_key = self._column_at(offset.x + scroll_x)
            if column_key is not None:
                event.stop()
                self.post_message(self.SortRequested(self, column_key))
            return
        index = scroll_y + offset.y - 1
        if not 0 <= index < len(self._rows):
            return
        event.stop()
        if index == self.cursor_row:
            self.action_select_cursor()
        else:
            self.cursor_row = index

    def on_resize(self, event: events.Resize) -> None:
        """Flexible widths depend on the viewport, and a deferred scroll can now happen."""
        self._column_layout_cache = None
        self.refresh()
        if self._scroll_pending:
            self._scroll_cursor_into_view()

    # ------------------------------------------------------------------ rendering

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Header plus rows, but at least 2 lines so the empty placeholder shows (height: auto)."""
        return max(2, self.virtual_size.height)

    def render_line(self, y: int) -> Strip:
        """Render viewport line ``y``: the fixed header at 0, then rows from ``scroll_y``."""
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        layout = self._get_layout()
        base_style = self.rich_style
        if y == 0:
            style = base_style + self.get_component_rich_style("virtual-table--header")
            text = self._header_text(layout.widths)
            length = layout.total
        else:
            index = scroll_y + y - 1
            if index >= len(self._rows):
                if y == 1 and not self._rows and self.placeholder:
                    style = base_style + self.get_component_rich_style("virtual-table--placeholder")
                    text = fit_cell(_clean(self.placeholder), max(width, 0))
                    return Strip([Segment(text, style)], cell_len(text))
                return Strip.blank(width, base_style)
            style = self._row_style(index, base_style)
            text = self._row_text(self._rows[index], layout.widths)
            length = layout.total
        strip = Strip([Segment(text, style)], length)
        if scroll_x:
            strip = strip.crop(scroll_x, scroll_x + width)
        return strip.adjust_cell_length(width, style)

    # ------------------------------------------------------------------ internals

    def _index_of(self, key: str) -> int | None:
        """Row index of ``key`` via a lazily built dict (O(n) once per ``set_rows``)."""
        if self._key_index is None:
            self._key_index = {row_key: index for index, row_key in enumerate(self._keys)}
        return self._key_index.get(key)

    def _available_width(self) -> int:
        """Width visible for cells: the content area minus a vertical scrollbar."""
        return self.scrollable_content_region.width

    def _get_layout(self) -> _Layout:
        """Column widths for the current viewport width (cached per width)."""
        available = self._available_width()
        cached = self._column_layout_cache
        if cached is not None and cached[0] == available:
            return cached[1]
        widths = compute_widths(self._columns, available)
        total = sum(widths) + max(0, len(widths) - 1)
        layout = _Layout(widths, total)
        self._column_layout_cache = (available, layout)
        return layout

    def _update_virtual_size(self) -> None:
        """Virtual width is the minimum table width (so narrow screens scroll sideways)."""
        min_widths = compute_widths(self._columns, 0)
        min_total = sum(min_widths) + max(0, len(min_widths) - 1)
        self.virtual_size = Size(min_total, len(self._rows) + 1)

    def _header_text(self, widths: Sequence[int]) -> str:
        """Labels fitted to their columns, with ▲/▼ kept visible after the sorted label."""
        parts: list[str] = []
        for column, width in zip(self._columns, widths, strict=False):
            label = _clean(column.label)
            if column.key == self.sort_key:
                indicator = SORT_DESCENDING if self.sort_descending else SORT_ASCENDING
                room = width - cell_len(indicator)
                if cell_len(label) > room:
                    label = fit_cell(label, room) if room > 0 else ""
                parts.append(fit_cell(label + indicator, width))
            else:
                parts.append(fit_cell(label, width))
        return " ".join(parts)

    def _row_text(self, row: Sequence[str], widths: Sequence[int]) -> str:
        """One data line: each cell fitted to its column width, one space between columns."""
        cell_count = len(row)
        return " ".join(
            fit_cell(_clean(row[index]) if index < cell_count else "", width)
            for index, width in enumerate(widths)
        )

    def _row_style(self, index: int, base_style: Style) -> Style:
        """Zebra and cursor styling; the cursor is strong only when focused (see CSS)."""
        style = base_style
        if self.zebra_stripes and index % 2 == 0:
            style += self.get_component_rich_style("virtual-table--even-row")
        if index == self.cursor_row:
            style += self.get_component_rich_style("virtual-table--cursor")
        return style

    def _column_at(self, x: int) -> str | None:
        """Key of the column under virtual x (a column owns the gap to its right)."""
        right = 0
        for column, width in zip(self._columns, self._get_layout().widths, strict=False):
            right += width + 1
            if x < right:
                return column.key
        return None

    def _page_height(self) -> int:
        """Number of data lines visible below the header."""
        return self.scrollable_content_region.height - 1

    def _refresh_row(self, index: int) -> None:
        """Repaint the line of row ``index`` if it is on screen."""
        y = index - self.scroll_offset.y + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_cursor_into_view(self) -> None:
        """Scroll the minimum needed to show the cursor row below the fixed header."""
        page = self._page_height()
        if page <= 0:
            # Not laid out yet: retry on the first resize.
            self._scroll_pending = True
            return
        self._scroll_pending = False
        top = self.scroll_offset.y
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + page:
            self.scroll_to(y=row - page + 1, animate=False, force=True)
