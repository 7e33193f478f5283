"""A one-line title bar: the app's title, the officer and the database file.

Textual's ``Header`` costs about 50 ms before the first paint here (icon, title widgets,
command-palette hooks). This widget renders ``App.title — App.sub_title`` itself, so the
first frame already holds the line and a later change repaints it without a layout pass.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget


class TitleBar(Widget):
    """Shows ``App.title — App.sub_title`` and repaints when either changes."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-align: center;
        text-style: bold;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._repaint, init=False)
        self.watch(self.app, "sub_title", self._repaint, init=False)

    def _repaint(self, _value: str) -> None:
        self.refresh()

    def render(self) -> Text:
        # Text, not a str: a path like /data/[2009]/x.db must not be read as markup.
        return Text(title_line(self.app.title, self.app.sub_title, self.size.width))


def title_line(title: str, sub_title: str, width: int) -> str:
    """The line that fits ``width``: the database path matters more than the app's name,
    and the end of the path (the file) more than its start."""
    full = f"{title} — {sub_title}" if sub_title else title
    if not sub_title or cell_len(full) <= width:
        return full
    if cell_len(sub_title) <= width:
        return sub_title
    who, _, path = sub_title.rpartition(" · ")
    prefix = f"{who} · " if who else ""
    kept = ""
    for char in reversed(path):
        if cell_len(prefix) + cell_len(char + kept) + 1 > width:
            break
        kept = char + kept
    return f"{prefix}…{kept}"
