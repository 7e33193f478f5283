"""Every form keeps what was typed as a draft: on quit, on a crash, on a desk key, on Esc.

The mechanism is one mixin for every form screen: it reads the form's own fields (every
Input, TextArea, Select, Checkbox and OptionList with an id), saves them half a second after
the last change and whenever the form goes away unsaved, and offers them back the next time
the same form opens for the same record. A form that saves (or whose officer chose to throw
the typing away) discards its draft.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from textual import on
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Select, TextArea

from duibiao_tui.errors import DuibiaoError


def keeps_draft(screen: object) -> bool:
    """Whether ``screen`` has typing it can keep (forms and the row editor)."""
    return callable(getattr(screen, "save_draft", None))


def field_value(widget: Widget) -> Any:
    """The value a form field holds, as a draft stores it."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Select):
        return widget.value if isinstance(widget.value, str) else None
    if isinstance(widget, (Input, Checkbox)):
        return widget.value
    if isinstance(widget, OptionList):
        return widget.highlighted
    raise TypeError(widget)


def set_field_value(widget: Widget, value: Any) -> None:
    from duibiao_tui.widgets.text_input import TextInput

    if isinstance(widget, TextArea):
        widget.text = str(value or "")
    elif isinstance(widget, Select):
        widget.value = value if value is not None else Select.NULL
    elif isinstance(widget, TextInput):
        widget.set_text(str(value or ""))
    elif isinstance(widget, Input):
        widget.value = str(value or "")
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, OptionList) and isinstance(value, int):
        widget.highlighted = value


class DraftKeeping(Screen[Any]):
    """Mixin for a form: put it before the form's screen class in the bases.

    Subclasses set ``DRAFT_KIND`` and ``draft_key``; the fields are found by id.
    """

    DRAFT_KIND: ClassVar[str] = ""
    draft_delay_s: ClassVar[float] = 0.5
    """Seconds after the last change before the typing is written as a draft (the row editor
    uses it too); 0 writes it at once (tests set 0 through the ``no_draft_delay`` fixture)."""
    DRAFT_FIELDS = (Input, TextArea, Select, Checkbox, OptionList)

    _draft_timer: Timer | None = None
    _draft_opened: dict[str, Any] | None = None
    _draft_closed = False
    _draft_thrown = False
    _draft_slot: str | None = None
    """The record_key this form writes its draft under: ``draft_key``, the key of the draft
    it resumed, or a key of its own when the officer put an older draft aside."""
    _draft_pending: dict[str, Any] | None = None
    """Typing that could not be written (disk full, busy file): kept in memory, retried."""

    @property
    def draft_key(self) -> str:
        """Which record the form is for; one draft per kind and key."""
        return "new"

    # -- reading and writing the fields ---------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        return {
            widget.id: field_value(widget)
            for widget in self.query("*").results()
            if widget.id and isinstance(widget, self.DRAFT_FIELDS) and widget.id != "search"
        }

    def apply_draft(self, values: dict[str, Any]) -> None:
        """Put a draft back into the fields it came from (fields no longer there are left)."""
        for widget_id, value in values.items():
            try:
                widget = self.query_one(f"#{widget_id}")
            except Exception:  # the form changed since the draft was written
                continue
            if isinstance(widget, self.DRAFT_FIELDS):
                try:
                    set_field_value(widget, value)
                except Exception:  # e.g. a Select option that no longer exists
                    continue

    @property
    def has_draft_typing(self) -> bool:
        """Whether anything differs from how the form opened."""
        if self._draft_opened is None:
            return False
        return self.draft_values() != self._draft_opened

    # -- life cycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        # The fields were filled in compose (the form's own on_mount has run too): what
        # they hold now is "as opened"; the draft, if any, is offered once the form shows.
        self._draft_opened = self.draft_values()
        self.call_after_refresh(self._offer_draft)

    @property
    def draft_unsaved(self) -> bool:
        """The last draft could not be written: what is typed lives only on screen."""
        return self._draft_pending is not None

    @property
    def _slot(self) -> str:
        if self._draft_slot is None:
            self._draft_slot = self.draft_key
        return self._draft_slot

    def _offer_draft(self) -> None:
        assert self._draft_opened is not None
        draft = self.store.form_drafts.get(self.DRAFT_KIND, self.draft_key)  # type: ignore[attr-defined]
        if draft is None:
            return
        if draft.values == self._draft_opened:
            self._draft_slot = draft.record_key
            return
        from duibiao_tui.screens.dialogs import ConfirmDialog

        when = draft.updated_at[:16].replace("T", " ")

        def answered(resume: bool | None) -> None:
            if resume:
                self._draft_slot = draft.record_key
                self.apply_draft(draft.values)
                self.notify("已恢复草稿；Ctrl+Z 可逐步撤销各栏的恢复", title="草稿")
            else:  # kept for later: this form's own typing goes beside it, not over it
                self._draft_slot = f"{self.draft_key}:{uuid.uuid4().hex[:12]}"

        # Esc (or a stray key) must not throw typing away: "later" keeps the draft, and it
        # goes only when this form is saved or the officer discards the typing on purpose.
        self.app.push_screen(
            ConfirmDialog(
                f"有一份未保存的草稿（{when}）。继续编辑草稿？选「稍后」草稿仍会保留。",
                confirm_label="继续编辑",
                cancel_label="稍后",
            ),
            answered,
        )

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _draft_changed(self, event: Message) -> None:
        edited = getattr(self, "field_edited", None)  # FieldErrors: a stale error goes
        if callable(edited):
            edited(getattr(event.control, "id", None))
        if self._draft_opened is None or self._draft_closed:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if DraftKeeping.draft_delay_s <= 0:
            self.save_draft()
            return
        self._draft_timer = self.set_timer(DraftKeeping.draft_delay_s, self.save_draft)

    def save_draft(self) -> None:
        """Keep the typing (called after each pause, and before the form goes away)."""
        if self._draft_closed or not self.has_draft_typing:
            return
        values = self.draft_values()
        try:
            self.store.form_drafts.save(self.DRAFT_KIND, self._slot, values)  # type: ignore[attr-defined]
        except DuibiaoError as error:
            if self._draft_pending is None:  # say it once, not after every key
                self.notify(f"草稿暂未写入：{error.message}", title=error.title, severity="warning")
            self._draft_pending = values
            return
        self._draft_pending = None

    def _discard_stored_draft(self) -> None:
        try:
            self.store.form_drafts.discard(self.DRAFT_KIND, self._slot)  # type: ignore[attr-defined]
        except DuibiaoError as error:
            self.notify(error.message, title=error.title, severity="warning")

    def throw_typing_away(self) -> None:
        """The officer chose to discard: the next dismiss forgets the draft too."""
        self._draft_thrown = True

    def dismiss(self, result: Any = None) -> Any:
        """Saved (a result) → the draft is gone; left unsaved → the typing is kept."""
        cancelled = result is None or result is False
        if cancelled and not self._draft_thrown and self.has_draft_typing:
            self.save_draft()
            if self._draft_pending is None:
                self.notify("未保存的内容已存为草稿，下次打开时可恢复", title="草稿")
        else:
            self._discard_stored_draft()
        self._draft_closed = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        return super().dismiss(result)
