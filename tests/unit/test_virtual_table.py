"""Tests for VirtualTable: constant-cost rendering, cursor/keys/mouse, CJK alignment."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot

from duibiao_tui.widgets.cells import fit_cell
from duibiao_tui.widgets.virtual_table import Column, VirtualTable, compute_widths

COLUMNS = [
    Column("name", "企业名称", 20),
    Column("code", "代码", 8),
    Column("district", "区县"),
]


class TableApp(App[None]):
    """Minimal host that records every message the table posts."""

    def __init__(self, columns: list[Column] | None = None) -> None:
        super().__init__()
        self.columns = columns if columns is not None else COLUMNS
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield VirtualTable(self.columns, id="table")

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self.messages.append(message)

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.messages.append(message)

    def on_virtual_table_sort_requested(self, message: VirtualTable.SortRequested) -> None:
        self.messages.append(message)

    def last(self, kind: type[Message]) -> Message:
        """Latest message of ``kind`` (fails the test if none)."""
        found = [message for message in self.messages if isinstance(message, kind)]
        assert found, f"no {kind.__name__} posted"
        return found[-1]


def make_rows(count: int) -> tuple[list[str], list[list[str]]]:
    keys = [f"k{index}" for index in range(count)]
    rows = [[f"企业{index}", f"C{index:05d}", "江北区"] for index in range(count)]
    return keys, rows


def line_text(table: VirtualTable, y: int) -> str:
    return table.render_line(y).text


async def setup(pilot: Pilot[None], count: int) -> VirtualTable:
    table = pilot.app.query_one(VirtualTable)
    table.set_rows(*make_rows(count))
    table.focus()
    await pilot.pause()
    return table


# ---------------------------------------------------------------- pure helpers


def test_fit_cell_exact_width_for_mixed_text() -> None:
    samples = ["", "abc", "中华人民共和国", "中a华b人c民", "ＡＢＣ全角", "x" * 40]
    for text in samples:
        for width in range(1, 25):
            fitted = fit_cell(text, width)
            assert cell_len(fitted) == width, (text, width, fitted)
            if cell_len(text) > width:
                assert fitted.endswith("…")
            else:
                assert fitted.rstrip(" ") == text.rstrip(" ")


def test_compute_widths_flexible_share_and_minimum() -> None:
    columns = [Column("a", "A", 10), Column("b", "B"), Column("c", "C")]
    # 50 - 10 fixed - 2 gaps = 38 → 19 + 19
    assert compute_widths(columns, 50) == (10, 19, 19)
    # odd remainder goes to the leftmost flexible column
    assert compute_widths(columns, 51) == (10, 20, 19)
    # never below 6 cells
    assert compute_widths(columns, 5) == (10, 6, 6)


# ---------------------------------------------------------------- rendering


async def test_100k_rows_set_fast_and_render() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        keys, rows = make_rows(100_000)
        table.set_rows(keys, rows)  # how fast: bench/, never a timed test
        assert table.virtual_size.height == 100_001
        assert table.row_count == 100_000

        await pilot.pause()

        assert line_text(table, 0).startswith("企业名称")
        assert line_text(table, 1).startswith("企业0 ")
        assert "C00000" in line_text(table, 1)
        # the last visible line is still a data row
        assert line_text(table, table.size.height - 1).startswith("企业")
        assert table.cursor_key == "k0"

        # rendering a screen at the end costs the same
        table.cursor_row = 99_999
        await pilot.pause()
        assert table.scroll_offset.y == table.max_scroll_y
        assert "C99999" in line_text(table, table.size.height - 1)


async def test_header_is_fixed_and_shows_sort_indicator() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 500)
        table.sort_key = "code"
        table.sort_descending = False
        table.cursor_row = 300
        await pilot.pause()
        assert table.scroll_offset.y > 0
        header = line_text(table, 0)
        assert header.startswith("企业名称")
        assert "代码 ▲" in header
        table.sort_descending = True
        await pilot.pause()
        assert "代码 ▼" in line_text(table, 0)


async def test_empty_placeholder() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_rows([], [])
        await pilot.pause()
        assert table.cursor_key is None
        assert table.row_count == 0
        assert line_text(table, 1).strip() == "（无数据）"
        assert line_text(table, 2).strip() == ""
        table.placeholder = "没有符合条件的企业"
        await pilot.pause()
        assert line_text(table, 1).strip() == "没有符合条件的企业"
        assert app.last(VirtualTable.RowHighlighted).key is None


async def test_chinese_and_ascii_rows_align() -> None:
    columns = [Column("name", "名称", 12), Column("code", "代码", 6), Column("x", "备注")]
    app = TableApp(columns)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_rows(
            ["cn", "en", "mix"],
            [["江北区质量", "C1", "中文"], ["abc", "C2", "ascii"], ["中a文b", "C3", "-"]],
        )
        await pilot.pause()
        offsets = set()
        for y, code in ((1, "C1"), (2, "C2"), (3, "C3")):
            text = line_text(table, y)
            offsets.add(cell_len(text[: text.index(code)]))
        assert offsets == {13}  # 12 cells + one separating space
        header = line_text(table, 0)
        assert cell_len(header[: header.index("代码")]) == 13
        for y in range(4):
            assert table.render_line(y).cell_length == table.size.width


async def test_truncation_adds_ellipsis_within_width() -> None:
    columns = [Column("name", "名称", 9), Column("code", "代码", 4)]
    app = TableApp(columns)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_rows(
            ["a", "b", "c"],
            [
                ["重庆市江北区某某建筑工程有限公司", "LONGCODE"],
                ["abcdefghijklmnop", "Z"],
                ["刚好九格a", "Q"],  # exactly 9 cells: no ellipsis
            ],
        )
        await pilot.pause()
        first = line_text(table, 1)
        name_cell = first[: first.index("LON") - 1]
        assert name_cell.endswith("…")
        assert cell_len(name_cell) <= 9
        code_cell = first[first.index("LON") :][:4]
        assert code_cell == "LON…"
        second = line_text(table, 2)
        assert second.startswith("abcdefgh… Z")
        assert line_text(table, 3).startswith("刚好九格a Q")


async def test_resize_recomputes_flexible_widths() -> None:
    columns = [Column("name", "名称", 10), Column("a", "甲"), Column("b", "乙")]
    app = TableApp(columns)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_rows(["k"], [["x", "A", "B"]])
        await pilot.pause()
        narrow = line_text(table, 1)
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        wide = line_text(table, 1)
        assert len(wide) == 120
        assert wide.index("B") > narrow.index("B")
        # the two flexible columns share the extra space equally
        assert wide.index("B") - wide.index("A") == (120 - 10 - 2) // 2 + 1


# ---------------------------------------------------------------- cursor and keys


async def test_keys_move_cursor_and_post_messages() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 1000)
        page = table.scrollable_content_region.height - 1

        await pilot.press("down")
        assert table.cursor_row == 1
        assert app.last(VirtualTable.RowHighlighted).key == "k1"

        await pilot.press("pagedown")
        assert table.cursor_row == 1 + page
        assert app.last(VirtualTable.RowHighlighted).key == f"k{1 + page}"

        await pilot.press("end")
        assert table.cursor_key == "k999"
        assert app.last(VirtualTable.RowHighlighted).key == "k999"
        assert table.scroll_offset.y == table.max_scroll_y

        await pilot.press("up")
        assert table.cursor_key == "k998"

        await pilot.press("home")
        assert table.cursor_row == 0
        assert table.scroll_offset.y == 0
        assert app.last(VirtualTable.RowHighlighted).key == "k0"

        await pilot.press("ctrl+end")
        assert table.cursor_key == "k999"
        await pilot.press("pageup")
        assert table.cursor_row == 999 - page
        await pilot.press("ctrl+home")
        assert table.cursor_key == "k0"

        await pilot.press("up")  # clamped at the top
        assert table.cursor_row == 0

        await pilot.press("down", "enter")
        selected = app.last(VirtualTable.RowSelected)
        assert selected.key == "k1"
        assert selected.control is table
        assert selected.table is table


async def test_move_cursor_to_key_scrolls_into_view() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 5000)
        assert table.move_cursor_to_key("k4321")
        assert not table.move_cursor_to_key("missing")
        await pilot.pause()
        assert table.cursor_row == 4321
        top = table.scroll_offset.y
        assert top <= 4321 < top + table.size.height - 1
        assert "C04321" in "".join(line_text(table, y) for y in range(table.size.height))


async def test_cursor_kept_on_key_after_reorder() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 200)
        table.cursor_row = 10
        await pilot.pause()
        keys, rows = make_rows(200)
        table.set_rows(keys[::-1], rows[::-1])
        await pilot.pause()
        assert table.cursor_key == "k10"
        assert table.cursor_row == 189
        assert app.last(VirtualTable.RowHighlighted).key == "k10"
        top = table.scroll_offset.y
        assert top <= 189 < top + table.size.height - 1

        # key gone: cursor index is clamped into the new range
        table.set_rows(keys[:5], rows[:5])
        await pilot.pause()
        assert table.cursor_row == 4
        assert table.cursor_key == "k4"
        assert app.last(VirtualTable.RowHighlighted).key == "k4"


async def test_set_rows_rejects_mismatched_lengths() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)):
        table = app.query_one(VirtualTable)
        try:
            table.set_rows(["a"], [])
        except ValueError:
            pass
        else:  # pragma: no cover - assertion path
            raise AssertionError("expected ValueError")


# ---------------------------------------------------------------- mouse


async def test_click_row_moves_cursor_second_click_selects() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 100)
        await pilot.click(VirtualTable, offset=(3, 4))  # viewport line 4 → row 3
        assert table.cursor_row == 3
        assert app.last(VirtualTable.RowHighlighted).key == "k3"
        assert not any(isinstance(m, VirtualTable.RowSelected) for m in app.messages)
        await pilot.click(VirtualTable, offset=(3, 4))
        assert app.last(VirtualTable.RowSelected).key == "k3"


async def test_header_click_posts_sort_requested() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 100)
        await pilot.click(VirtualTable, offset=(22, 0))  # inside "代码" (cells 21-28)
        message = app.last(VirtualTable.SortRequested)
        assert message.column_key == "code"
        assert message.key == "code"
        assert message.control is table
        await pilot.click(VirtualTable, offset=(2, 0))
        assert app.last(VirtualTable.SortRequested).column_key == "name"
        await pilot.click(VirtualTable, offset=(40, 0))
        assert app.last(VirtualTable.SortRequested).column_key == "district"
        assert table.cursor_row == 0  # header clicks never move the cursor


async def test_mouse_wheel_scrolls_without_moving_cursor() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 1000)
        # Pilot has no public wheel helper; this is the same path it uses for clicks.
        await pilot._post_mouse_events([events.MouseScrollDown], VirtualTable, offset=(5, 5))
        await pilot.pause()
        assert table.scroll_offset.y > 0
        assert table.cursor_row == 0
        first_visible = table.scroll_offset.y
        assert f"C{first_visible:05d}" in line_text(table, 1)


async def test_rendering_reads_only_the_visible_rows() -> None:
    """What a frame costs must not grow with the row count: count the rows read."""
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        keys, rows = make_rows(100_000)
        table.set_rows(keys, rows)
        await pilot.pause()

        class Counting(list):  # type: ignore[type-arg]
            reads = 0

            def __getitem__(self, index):  # type: ignore[no-untyped-def]
                Counting.reads += 1
                return super().__getitem__(index)

        table._rows = Counting(table._rows)
        for y in range(table.size.height):
            table.render_line(y)
        assert 0 < Counting.reads <= table.size.height * 2


async def test_cursor_strong_only_when_focused() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await setup(pilot, 10)
        focused = list(table.render_line(1))[0].style
        table.blur()
        await pilot.pause()
        blurred = list(table.render_line(1))[0].style
        assert focused is not None and blurred is not None
        assert focused.bgcolor != blurred.bgcolor
        assert focused.bold and not blurred.bold
        # the cursor is still visible (differs from a plain row) when blurred
        assert blurred.bgcolor != list(table.render_line(2))[0].style.bgcolor


class EarlyApp(App[None]):
    """Rows set in compose, before the table is mounted or sized."""

    def compose(self) -> ComposeResult:
        table = VirtualTable(COLUMNS)
        table.set_rows(*make_rows(10_000))
        table.move_cursor_to_key("k5000")
        yield table


async def test_rows_set_before_mount_scroll_to_cursor() -> None:
    app = EarlyApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(VirtualTable)
        assert table.cursor_key == "k5000"
        top = table.scroll_offset.y
        assert top <= 5000 < top + table.size.height - 1


async def test_narrow_viewport_scrolls_horizontally() -> None:
    columns = [Column("name", "企业名称", 40), Column("code", "代码", 30)]
    app = TableApp(columns)
    async with app.run_test(size=(50, 10)) as pilot:
        table = await setup(pilot, 3)
        assert table.virtual_size.width == 71
        assert table.show_horizontal_scrollbar
        table.scroll_to(x=table.max_scroll_x, animate=False)
        await pilot.pause()
        scroll_x = table.scroll_offset.x
        assert scroll_x == 71 - table.scrollable_content_region.width
        header, row = line_text(table, 0), line_text(table, 1)
        assert cell_len(header[: header.index("代码")]) == 41 - scroll_x
        assert cell_len(row[: row.index("C00000")]) == 41 - scroll_x
        assert table.render_line(1).cell_length == table.size.width


async def test_hostile_text_keeps_the_columns_aligned() -> None:
    """Control characters, escape sequences, zero-width and bidi marks, emoji and very long
    texts: every line keeps the table's width and the next column starts where it should."""
    from duibiao_tui.domain.text import clean

    columns = [Column("name", "名称", 14), Column("code", "代码", 6), Column("x", "备注")]
    app = TableApp(columns)
    hostile = [
        "a\x07b\x1b[31m红\x00",
        "\u202e反向\u2066文字",
        "零\u200b宽\u200d字",
        "🏭工厂👨\u200d👩\u200d👧",
        "长" * 12000,
        "\ud800孤",
    ]
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(VirtualTable)
        table.set_rows(
            [str(i) for i in range(len(hostile))],
            [[clean(text), f"C{i}", text[:50]] for i, text in enumerate(hostile)],
        )
        await pilot.pause()
        for y in range(len(hostile) + 1):
            assert table.render_line(y).cell_length == table.size.width
        for i in range(len(hostile)):
            text = line_text(table, i + 1)
            assert cell_len(text[: text.index(f"C{i}")]) == 15, repr(text)


def test_cut_cell_cuts_only_what_does_not_fit() -> None:
    """What the dashboard's tables show of a cell: as written when it fits, else cut to
    exactly the width with '…' (a wide character that would straddle the edge is a space)."""
    from rich.cells import cell_len

    from duibiao_tui.widgets.cells import cut_cell

    assert cut_cell("镇江", 6) == "镇江"
    assert cut_cell("镇江市京口区", 7) == "镇江市…"
    assert cut_cell("镇江市京口区", 6) == "镇江 …"
    assert cell_len(cut_cell("镇江市京口区", 6)) == 6
    assert cut_cell("abc", 0) == ""
