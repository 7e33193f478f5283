"""The keystroke baseline: Textual's own Input echoing a key (see bench/keystroke.sh).

The Input is focused, empty and has no placeholder, so a typed text such as ``zjdq`` is on
screen only once its last key has been echoed; ``INPUT-ECHO-READY`` marks the first paint.
"""

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class InputEchoApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("INPUT-ECHO-READY")
        yield Input(id="echo")

    def on_mount(self) -> None:
        self.query_one("#echo", Input).focus()


if __name__ == "__main__":
    InputEchoApp().run()
