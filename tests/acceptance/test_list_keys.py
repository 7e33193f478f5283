"""企业名录: the officer moves through the register with the arrow and page keys, fast."""

from __future__ import annotations

from pathlib import Path

from .database import enterprise_names
from .officer import PAGE_HEADER, open_list, page_header_name
from .terminal import Launch, Terminal


def _name_prefixes(db: Path) -> set[str]:
    """Enough of each name to recognise its table row, even when a narrow column cuts it."""
    return {name[:4] for name in enterprise_names(db)}


def _visible_rows(t: Terminal, prefixes: set[str]) -> list[str]:
    return [line.strip() for line in t.screen_lines() if line.strip().startswith(tuple(prefixes))]


def test_arrow_burst_on_the_list_keeps_the_app_running(launch: Launch, db: Path) -> None:
    t = launch()
    open_list(t)
    prefixes = _name_prefixes(db)

    t.send("down", "down", "up", "pagedown", "pageup")
    t.wait_idle(0.5)

    t.assert_running()
    assert "企业名录" in t.screen_text(), t.describe()
    highlighted = t.highlighted(prefixes)
    assert highlighted, f"no row under the cursor{t.describe()}"
    # The highlighted row is the one Enter opens.
    t.send("enter")
    t.wait_for(PAGE_HEADER)
    t.wait_idle()
    opened = page_header_name(t)
    assert highlighted.startswith(opened[:6]), f"opened {opened!r}, cursor was on {highlighted!r}"


def test_down_down_up_moves_the_cursor_to_the_second_row(launch: Launch, db: Path) -> None:
    t = launch()
    open_list(t)
    prefixes = _name_prefixes(db)
    rows = _visible_rows(t, prefixes)
    assert len(rows) >= 3, t.describe()
    assert t.highlighted(prefixes) == rows[0], f"cursor not on the first row{t.describe()}"

    t.send("down", "down", "up")
    t.wait_idle(0.5)

    t.assert_running()
    assert t.highlighted(prefixes) == rows[1], f"cursor not on the second row{t.describe()}"


def test_pagedown_moves_a_page_and_pageup_comes_back(launch: Launch, db: Path) -> None:
    t = launch()
    open_list(t)
    prefixes = _name_prefixes(db)
    first_page = _visible_rows(t, prefixes)

    t.send("pagedown")
    t.wait_idle(0.5)
    t.assert_running()
    after_down = t.highlighted(prefixes)
    assert after_down and after_down != first_page[0], f"PageDown did not move{t.describe()}"

    t.send("pageup")
    t.wait_idle(0.5)
    t.assert_running()
    assert t.highlighted(prefixes) in first_page, f"PageUp did not come back{t.describe()}"


def test_mixed_key_burst_on_a_small_terminal(launch: Launch, db: Path) -> None:
    """80×24: arrows, page keys, search letters and backspaces in one burst."""
    t = launch(rows=24, cols=80)
    open_list(t)
    prefixes = _name_prefixes(db)

    t.send(
        "down",
        "down",
        "pagedown",
        "up",
        "zj",
        "down",
        "backspace",
        "backspace",
        "pageup",
        "down",
        "pagedown",
        "pagedown",
        "up",
    )
    t.wait_idle(0.5)

    t.assert_running()
    screen = t.screen_text()
    assert "企业名录" in screen and "共 60 家，显示 60 家" in screen, t.describe()
    assert t.highlighted(prefixes), f"no row under the cursor{t.describe()}"
    t.quit()
