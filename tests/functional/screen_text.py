"""The text of the screen as the officer sees it, for tests that read what is on screen.

Built like ``App.export_screenshot`` (the compositor's full frame printed on a recording
console) but exported as plain text: cut-off words and leaked English show as they would in
the terminal, including dialogs over the screen below.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console


def screen_text(app: Any) -> str:
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    # Textual has no public way to read the composed frame; export_screenshot does this.
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()
