"""What every part of the Store relies on, declared once for type checkers.

``Store`` is assembled from mixins (items, review, follow-up, dashboard, history,
progress), each a module with one job; they share the connection, the clock, the officer,
the write transaction and the audit log, which ``Store`` (and ``ItemStore``/``ReviewStore``
for ``_campaign``/``today``) implement. At run time this class is empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Sequence
    from contextlib import AbstractContextManager
    from datetime import date

    from sqlite_utils import Database

    from duibiao_tui.domain.listing import Campaign, District, EnterpriseQuery, EnterpriseRow


class StoreCore:
    if TYPE_CHECKING:
        conn: sqlite3.Connection
        officer: str
        clock: Callable[[], str]

        @property
        def db(self) -> Database: ...

        def write(self) -> AbstractContextManager[None]: ...

        def active_campaign(self) -> Campaign: ...

        def setting(self, key: str) -> str | None: ...

        def districts(self) -> list[District]: ...

        def search_enterprises(self, query: EnterpriseQuery) -> list[EnterpriseRow]: ...

        def _campaign(self, campaign_id: str | None) -> str: ...

        def cached(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any: ...

        def today(self) -> date: ...

        def _form_edited(self, enterprise_id: str, campaign_id: str, now: str) -> None: ...

        def _audit(
            self,
            table: str,
            row_id: str,
            action: str,
            changes: dict[str, tuple[Any, Any]] | None = None,
            at: str | None = None,
        ) -> None: ...

        def verdict_progress(self, campaign_id: str | None = None) -> dict[str, int]: ...

        def _audit_many(self, table: str, entries: Sequence[Any], at: str) -> None: ...
