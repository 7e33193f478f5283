"""Fixtures of the unit tests that need more than one database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from duibiao_tui.store.store import Store


@pytest.fixture
def make_db(tmp_path: Path) -> Iterator[Callable[[str, str, str], Store]]:
    opened: list[Store] = []

    def make(name: str, officer: str, at: str) -> Store:
        store = Store.open(tmp_path / f"{name}.db", officer=officer, clock=lambda: at)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
