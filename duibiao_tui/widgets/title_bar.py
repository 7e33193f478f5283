"""A one-line title bar: the app's title, the officer and the database file.

Textual's ``Header`` costs about 50 ms before the first paint here (icon, title widgets,
command-palette hooks); a single ``Static`` that follows the app's ``title`` and
``sub_title`` shows the same line for next to nothing.
"""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    """Shows ``App.title — App.sub_title`` and updates when either changes."""

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
        self.watch(self.app, "title", self._follow, init=False)
        self.watch(self.app, "sub_title", self._follow)

    def _follow(self, _value: str) -> None:
        app = self.app
        self.update(f"{app.title} — {app.sub_title}" if app.sub_title else app.title)
