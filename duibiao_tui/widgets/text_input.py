"""The one-line text field every form uses: undo, and no select-all on focus.

Textual's Input selects its whole text when focused, so one stray key after Tab (or on a
resumed draft) replaces everything, and it has no undo. Here focus leaves the text alone,
and Ctrl+Z / Ctrl+Y step back and forth through the field's own edits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

UNDO_DEPTH = 200
"""Edits remembered per field; older ones are forgotten first."""


class TextInput(Input):
    """An Input with undo/redo of its edits, that keeps its text unselected on focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+z", "undo", "撤销输入", show=False),
        Binding("ctrl+y,ctrl+shift+z", "redo", "重做输入", show=False),
    ]

    def __init__(self, *args: Any, select_on_focus: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)
        self._undo: list[tuple[str, int]] = []
        self._redo: list[tuple[str, int]] = []
        self.claims_key: Callable[[str], bool] | None = None
        """Set by a drop-down attached to this field (↓, Enter, Esc go to it while open)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Printable keys, and the keys a drop-down attached to the field wants."""
        if super().check_consume_key(key, character):
            return True
        return self.claims_key is not None and self.claims_key(key)

    def replace(self, text: str, start: int, end: int) -> None:
        """Every edit from the keyboard and from paste comes through here: remember the
        text before it (runs of typed characters are one step each, so one Ctrl+Z undoes
        one key — predictable for someone who did not see what happened)."""
        before = (self.value, self.cursor_position)
        super().replace(text, start, end)
        if self.value != before[0]:
            self._remember(before)

    def _remember(self, before: tuple[str, int]) -> None:
        self._undo.append(before)
        del self._undo[:-UNDO_DEPTH]
        self._redo.clear()

    def set_text(self, text: str) -> None:
        """Replace the whole text from code (a draft, a merge, a library entry) as one step
        the officer can undo."""
        if text != self.value:
            self._remember((self.value, self.cursor_position))
            self.value = text
            self.cursor_position = len(text)

    def action_undo(self) -> None:
        if not self._undo:
            self.app.bell()
            return
        self._redo.append((self.value, self.cursor_position))
        self.value, position = self._undo.pop()
        self.cursor_position = position

    def action_redo(self) -> None:
        if not self._redo:
            self.app.bell()
            return
        self._undo.append((self.value, self.cursor_position))
        self.value, position = self._redo.pop()
        self.cursor_position = position
