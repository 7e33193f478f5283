"""A drop-down of names that match what is typed, the way the enterprise search matches.

Officers type ``shdq``, ``电气`` or ``haiLuo`` for 上海电气集团… or 安徽海螺水泥…; a completion
that only extends the typed beginning misses them and they add duplicates. ↓ opens and moves
through the list, Enter takes the highlighted name, Esc closes it; Tab always moves on.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input
from textual_autocomplete import AutoComplete, DropdownItem, TargetState

from duibiao_tui.domain.search import Readings, char_readings, name_matches, search_norm
from duibiao_tui.widgets.text_input import TextInput

MAX_SHOWN = 8


class NameAutoComplete(AutoComplete):
    """Completes ``target`` from ``names()`` (read anew each time: the list may grow)."""

    def __init__(self, target: Input | str, names: Callable[[], list[str]]) -> None:
        super().__init__(target, candidates=self._candidates, prevent_default_tab=False)
        self.names = names
        self._readings: dict[str, Readings] = {}

    def _candidates(self, state: TargetState) -> list[DropdownItem]:
        return [DropdownItem(name) for name in self.names()]

    def on_mount(self) -> None:
        target = self.target
        if isinstance(target, TextInput):
            target.claims_key = self.wants_key

    def wants_key(self, key: str) -> bool:
        """↓ opens the list when there is something to show; ↑ Enter Esc work it while open."""
        if key == "down":
            return self.option_list.option_count > 0
        return bool(self.display) and key in ("up", "enter", "escape")

    def post_completion(self) -> None:
        """The completion was written with Input.Changed held back; the form still needs to
        hear of the new name (it fills the entry's address and class)."""
        super().post_completion()
        target = self.target
        target.post_message(Input.Changed(target, target.value))

    def get_search_string(self, target_state: TargetState) -> str:
        return target_state.text

    def _readings_of(self, name: str) -> Readings:
        if name not in self._readings:
            self._readings[name] = char_readings(name)
        return self._readings[name]

    def get_matches(
        self, target_state: TargetState, candidates: list[DropdownItem], search_string: str
    ) -> list[DropdownItem]:
        typed = search_norm(search_string)
        if not typed:
            return []
        hits = [
            c
            for c in candidates
            if name_matches(search_string, c.value, self._readings_of(c.value))
        ]
        if any(search_norm(c.value) == typed for c in hits):
            return []  # the name is already complete: nothing to offer
        hits.sort(key=lambda c: (not search_norm(c.value).startswith(typed), len(c.value)))
        return hits[:MAX_SHOWN]
