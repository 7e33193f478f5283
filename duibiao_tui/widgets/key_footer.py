"""The footer: this screen's keys first, the desk keys last, as many as fit the width.

Textual's ``Footer`` lays out every shown binding in the order the DOM yields them (the
App's desk keys first) and lets the line run off the right edge, so at 80 or 120 columns
the keys of the screen in front of the officer were the ones cut off. This footer orders
the keys by where they are defined — the focused widget's and the screen's before the
App's — drops whole keys that do not fit, and always keeps F1, which lists every key.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

HELP_ACTION = "help"
"""The App's F1: it lists every key of the screen, so it is never dropped."""
MORE_LABEL = "更多"
"""F1's label when some keys did not fit."""


class FooterItem(NamedTuple):
    key: str
    label: str
    enabled: bool
    action: str = ""
    desk: bool = False
    """Defined by the App (desk keys, F1, quit) rather than by the screen or its widgets."""


def footer_items(screen: Screen[object], app: App[object]) -> list[FooterItem]:
    """The screen's shown keys, one per action: the screen's own first, the App's last."""
    own: list[FooterItem] = []
    desk: list[FooterItem] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.show or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        on_app = isinstance(active.node, App)
        item = FooterItem(
            app.get_key_display(binding),
            binding.description,
            active.enabled,
            binding.action,
            on_app,
        )
        (desk if on_app else own).append(item)
    return own + desk


def fit(items: list[FooterItem], width: int) -> list[FooterItem]:
    """Whole items, in order, that fit ``width`` cells; the help key always among them."""
    help_items = [i for i in items if i.desk and i.action == HELP_ACTION]
    rest = [i for i in items if i not in help_items]
    reserve = sum(item_width(i) for i in help_items)
    shown: list[FooterItem] = []
    used = 0
    for item in rest:
        if used + item_width(item) + reserve > width:
            break
        shown.append(item)
        used += item_width(item)
    if len(shown) < len(rest):
        help_items = [i._replace(label=MORE_LABEL) for i in help_items]
    return shown + help_items


def item_width(item: FooterItem) -> int:
    """`` key label `` and one space between items."""
    return cell_len(item.key) + cell_len(item.label) + 3


class KeyFooter(Widget):
    """One line of keys at the bottom of a screen; repaints when its bindings change."""

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--label"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 100%;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyFooter > .key-footer--label {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.refresh()

    def shown_items(self) -> list[FooterItem]:
        """What the footer shows at its current width (tests read this)."""
        return fit(footer_items(self.screen, self.app), self.size.width)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key")
        label_style = self.get_component_rich_style("key-footer--label")
        line = Text(no_wrap=True, overflow="crop")
        for item in self.shown_items():
            dim = Style() if item.enabled else Style(dim=True)
            line.append(f" {item.key}", key_style + dim)
            line.append(f" {item.label} ", label_style + dim)
        return line
