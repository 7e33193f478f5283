"""What the enterprise form and the item editor share: errors shown under their fields.

A form names its fields with the same Chinese labels the domain validators use, so a
``FieldError("完成时间", …)`` lands under the 完成时间 input without a lookup table per form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual.screen import Screen
from textual.widgets import Label

from duibiao_tui.errors import DuplicateError, ValidationFailed


class FieldErrors:
    """Mixin for screens with ``#f-<key>`` inputs and ``#err-<key>`` labels beneath them."""

    FIELD_KEYS: ClassVar[Mapping[str, str]] = {}
    """Field label as validators name it → key of its widget (``#f-key``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._error_values: dict[str, object] = {}
        """What each field held when its error was shown: a change message that arrives
        late (after the save that showed the error) must not clear it."""

    def clear_errors(self) -> None:
        screen = self._screen()
        for label in screen.query(".field-error").results(Label):
            label.update("")
            label.remove_class("-shown")

    def show_field_error(self, field_label: str, reason: str) -> bool:
        """Show ``reason`` under the field; False when this form has no such field."""
        key = self.FIELD_KEYS.get(field_label)
        if key is None:
            return False
        label = self._screen().query_one(f"#err-{key}", Label)
        label.update(reason)
        label.add_class("-shown")
        self._error_values[key] = self._value_of(key)
        return True

    def _value_of(self, key: str) -> object:
        from duibiao_tui.screens.drafts import field_value

        try:
            return field_value(self._screen().query_one(f"#f-{key}"))
        except Exception:  # a field without a widget of its own (a group's error line)
            return None

    def field_edited(self, widget_id: str | None) -> None:
        """The officer changed a field: its old error no longer describes it (the next
        save checks it again)."""
        key = (widget_id or "").removeprefix("f-")
        errored = self._error_values
        if key in errored and errored[key] == self._value_of(key):
            return  # a change message that arrived late: the error is about this value
        for label in self._screen().query(f"#err-{key}").results(Label):
            if label.has_class("-shown"):
                label.update("")
                label.remove_class("-shown")

    def show_failure(self, failure: ValidationFailed | DuplicateError) -> None:
        """Every error next to its field, focus on the first, one notification."""
        screen = self._screen()
        if isinstance(failure, ValidationFailed):
            errors = [(e.field, e.reason) for e in failure.errors]
        else:
            errors = [(failure.field or "", failure.reason)]
        unplaced = [f"{f}: {r}" for f, r in errors if not self.show_field_error(f, r)]
        first = next((self.FIELD_KEYS[f] for f, _ in errors if f in self.FIELD_KEYS), None)
        if first:
            screen.query_one(f"#f-{first}").focus()
        title = "未保存：重复" if isinstance(failure, DuplicateError) else "未保存"
        message = "；".join(unplaced) if unplaced else f"有 {len(errors)} 处需要修改"
        screen.notify(message, title=title, severity="error")

    def _screen(self) -> Screen[object]:
        assert isinstance(self, Screen)
        return self
