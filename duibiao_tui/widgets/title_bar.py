"""A one-line title bar: the app's title, the officer and the database file.

Textual's ``Header`` costs about 50 ms before the first paint here (icon, title widgets,
command-palette hooks). This widget renders ``App.title — App.sub_title`` itself, so the
first frame already holds the line and a later change repaints it without a layout pass.
"""

from __future__ import annotations

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
        app = self.app
        # Text, not a str: a path like /data/[2009]/x.db must not be read as markup.
        return Text(f"{app.title} — {app.sub_title}" if app.sub_title else app.title)
