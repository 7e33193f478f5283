"""What every duibiao screen shares: typed access to the store and a help text for ``?``."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from textual.screen import ModalScreen, Screen

from duibiao_tui.errors import DuibiaoError

if TYPE_CHECKING:
    from duibiao_tui.app import DuibiaoApp
    from duibiao_tui.store.store import Store


class StoreAccess:
    """Mixin: ``self.store`` and ``self.duibiao`` typed for screens of the duibiao app."""

    HELP_TEXT: ClassVar[str] = ""
    """Shown above the key list when the officer presses ``?`` on this screen."""

    @property
    def duibiao(self) -> DuibiaoApp:
        return cast("DuibiaoApp", self.app)  # type: ignore[attr-defined]

    @property
    def store(self) -> Store:
        return self.duibiao.store

    def show_error(self, error: DuibiaoError) -> None:
        self.duibiao.notify(error.message, title=error.title, severity="error", timeout=8)


class DuibiaoScreen(StoreAccess, Screen[None]):
    """A full screen of the app."""

    def land(self) -> None:
        """A desk key (F2–F5) arrived here: the focus goes where the desk starts (its
        search box or list), after the screens above it have gone."""

        def focus_start() -> None:
            selector = self.AUTO_FOCUS
            if selector:
                for widget in self.query(selector).results():
                    if widget.focusable:
                        widget.focus()
                        return

        self.call_after_refresh(focus_start)


T = TypeVar("T")


class DuibiaoModal(StoreAccess, ModalScreen[T], Generic[T]):
    """A dialog of the app that returns a value with ``dismiss``."""
