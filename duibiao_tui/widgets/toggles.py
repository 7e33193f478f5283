"""Checkboxes and radio buttons whose state reads without colour.

Textual draws ``▐X▌`` for a checkbox and ``▐●▌`` for a radio button whether they are on or
off, and tells the two apart only by colour — invisible on a monochrome terminal or to a
colour-blind officer. These draw the mark only when on: ``▐X▌`` / ``▐ ▌``, ``▐●▌`` / ``▐ ▌``.
"""

from __future__ import annotations

from textual.widgets import Checkbox as TextualCheckbox
from textual.widgets import RadioButton as TextualRadioButton

OFF = " "


class Checkbox(TextualCheckbox):
    """A checkbox showing X only when ticked."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return "X" if self.value else OFF


class RadioButton(TextualRadioButton):
    """A radio button showing ● only when chosen."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return "●" if self.value else OFF
