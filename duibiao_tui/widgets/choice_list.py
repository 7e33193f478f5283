"""An option list inside a form, that passes typing on to the form's text field.

The status dialog opens on its list of steps (↑↓ to choose) with the comment field below.
An officer who knows the step they want starts typing the comment at once — and an
``OptionList`` swallows every letter, so the comment stayed empty and the save was refused.
Here a printable key moves to the text field and is typed there, in order, with the keys
after it (the app's key router sends each key to the widget focused at its turn).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input, OptionList


class ChoiceList(OptionList):
    """``OptionList`` whose typed characters go to the field ``typing_field`` (a selector)."""

    def __init__(self, *options: Any, typing_field: str, **kwargs: Any) -> None:
        super().__init__(*options, **kwargs)
        self.typing_field = typing_field

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Printable keys are ours (to pass on), so no binding of the screen takes them."""
        return character is not None and character.isprintable() and key != "space"

    def on_key(self, event: events.Key) -> None:
        if not self.check_consume_key(event.key, event.character):
            return
        event.stop()
        event.prevent_default()
        field = self.screen.query_one(self.typing_field, Input)
        field.focus()
        field.insert_text_at_cursor(event.character or "")
