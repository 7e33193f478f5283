"""What an officer does between the checks: reach a desk, find an enterprise, move to a field.

These helpers are the *approach* to what a test is about, so they go one step at a time and
wait for the screen to confirm each step; the keys under test are sent by the tests
themselves, in bursts.
"""

from __future__ import annotations

from .terminal import Terminal, cell_width

LIST_TITLE = "企业名录"
PAGE_HEADER = "对标单位"
NEW_ROW_TITLE = "新增对标项目"
EDIT_ROW_TITLE = "修改对标项目"
NEW_ENTERPRISE_TITLE = "登记新企业"


def open_list(t: Terminal) -> None:
    """F3: the enterprise register, its search box focused."""
    t.send("f3")
    t.wait_for(LIST_TITLE)
    t.wait_for("显示 ")  # the status line: the rows are there
    t.wait_idle()


def search(t: Terminal, text: str, expect: str) -> None:
    """Type ``text`` into the list's search box and wait until ``expect`` shows."""
    t.send(text)
    t.wait_for(expect)
    t.wait_idle()


def open_enterprise(t: Terminal, name: str) -> None:
    """From the list: search for the full name, Enter, wait for its page (情况表)."""
    search(t, name, "显示 1 家")
    t.send("enter")
    t.wait_for(PAGE_HEADER)
    t.wait_for(name)
    t.wait_idle()


def page_header_name(t: Terminal) -> str:
    """The enterprise whose page is shown (the 对标单位 cell of the header)."""
    for line in t.screen_lines():
        stripped = line.strip()
        if stripped.startswith(PAGE_HEADER):
            return stripped[len(PAGE_HEADER) :].strip().split("  ")[0].strip()
    raise AssertionError(f"no enterprise page on screen{t.describe()}")


def focused_label(t: Terminal) -> str:
    """The label of the form row holding the terminal cursor ('' when none is recognised).

    Textual puts the terminal cursor in the focused text field, but computes it when the
    field gets the focus: a hint line appearing above it afterwards leaves it one row off
    until the cursor next moves. Good for waiting on a form, not for steering by it.
    """
    line = t.focused_line().strip()
    return line.split(" ")[0] if line else ""


def wait_focus(t: Terminal, label: str, timeout: float = 5) -> None:
    """Give a form that just opened a moment to put the cursor in ``label`` (its first field).

    Never fails: where the keys really land is what the tests check, on screen and in the
    database.
    """
    try:
        t.wait_until(lambda: focused_label(t) == label, f"the cursor in {label!r}", timeout)
    except AssertionError:
        pass
    t.wait_idle()


def click_field(t: Terminal, label: str) -> None:
    """Put the focus in the text field right of ``label`` with a click (just the approach
    to a field; the keys under test are typed after it)."""
    for y, line in enumerate(t.screen_lines()):
        stripped = line.strip()
        if stripped == label or stripped.startswith(label + " "):
            x, _ = t.locate(label)
            # the label's cells, the gap, then one cell into the field
            start = x + cell_width(label) + 2
            t.click(start, y)
            t.wait_until(
                lambda: focused_label(t) == label, f"the cursor in {label!r} after a click"
            )
            t.wait_idle()
            return
    raise AssertionError(f"no field {label!r} on screen{t.describe()}")
