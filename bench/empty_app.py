"""The baseline: an empty Textual app that shows one line of text (see bench/startup.sh)."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class EmptyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("EMPTY-APP-READY")


if __name__ == "__main__":
    EmptyApp().run()
