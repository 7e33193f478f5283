"""What every duibiao screen shares: typed access to the store and a help text for ``?``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from textual import events
from textual.screen import ModalScreen, Screen

from duibiao_tui.errors import DuibiaoError

UI_BUSY_WAIT_S = 0.5
"""How long one write from the screen waits for another connection's lock: the screen must
not freeze for the store's full busy timeout (retry_when_free tries again instead)."""
BUSY_RETRY_S = 1.0
BUSY_RETRIES = 30

if TYPE_CHECKING:
    from textual.timer import Timer

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

    _busy_attempts = 0
    _busy_retry: Timer | None = None
    """The one pending retry: a save the officer starts meanwhile replaces it, and a save
    that goes through cancels it (two saves of one new row would add it twice)."""

    def retry_when_free(self, save: Callable[[], object], error: DuibiaoError) -> None:
        """Another window or program holds the file: instead of freezing the screen for the
        whole wait, say so and try ``save`` again every second for a while. The typing
        stays in the form all along; Esc or any other key works meanwhile."""
        self._stop_busy_retry()
        if self._busy_attempts >= BUSY_RETRIES:
            self._busy_attempts = 0
            self.show_error(error)
            return
        self._busy_attempts += 1
        self.duibiao.notify(
            f"数据库正被另一个窗口或程序写入，正在等待后自动重试（{self._busy_attempts}/"
            f"{BUSY_RETRIES}）…",
            title="数据库忙",
            timeout=BUSY_RETRY_S * 1.5,
        )
        self._busy_retry = self.set_timer(BUSY_RETRY_S, save)  # type: ignore[attr-defined]

    def saved_after_wait(self) -> None:
        self._busy_attempts = 0
        self._stop_busy_retry()

    def _stop_busy_retry(self) -> None:
        if self._busy_retry is not None:
            self._busy_retry.stop()
            self._busy_retry = None


class DuibiaoScreen(StoreAccess, Screen[None]):
    """A full screen of the app."""

    _landing = False
    """A desk key's focus is still to be put where the desk starts (``land``)."""
    _shown_before = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Shown for the first time: not styled a second time (runs before Textual's own
        handler). Textual restyles every widget of a screen it resumes, for what may have
        changed while the screen was hidden; a screen shown for the first time was styled
        as it mounted, by the stylesheet as it stands (~6 ms of the home screen's first
        frame; tests/functional/test_start_styles.py compares it with a restyled one). What
        it would inherit from the App node, styled after it, each desk sets itself
        (``DuibiaoScreen`` in duibiao.tcss)."""
        if not self._shown_before:
            self._shown_before = True
            if self._css_update_count == self.app._css_update_count:
                event.refresh_styles = False

    def holds_keys(self) -> bool:
        """Whether keys typed now wait, as they do while a screen mounts
        (``DuibiaoApp._ready_for_keys``): a desk key's focus has not landed yet (``F5 f``
        in one burst: ``f`` opened the filters, then the landing took the focus back to
        the list), or the screen's first rows are on their way (``waiting_for_rows``)."""
        return self._landing or self.waiting_for_rows()

    def waiting_for_rows(self) -> bool:
        """The screen's first rows are being read by a worker; none by default."""
        return False

    def land(self) -> None:
        """A desk key (F2–F5) arrived here: the focus goes where the desk starts (its
        search box or list), after the screens above it have gone; keys typed after the
        desk key wait for it."""

        def focus_start() -> None:
            self._landing = False
            selector = self.AUTO_FOCUS
            if selector:
                for widget in self.query(selector).results():
                    if widget.focusable:
                        widget.focus()
                        return

        self._landing = True
        self.call_after_refresh(focus_start)


T = TypeVar("T")


class DuibiaoModal(StoreAccess, ModalScreen[T], Generic[T]):
    """A dialog of the app that returns a value with ``dismiss``."""
