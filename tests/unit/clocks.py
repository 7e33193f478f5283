"""A store clock for tests where the order of writes matters."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime, timedelta

START = datetime.fromisoformat("2009-10-08T09:00:00+08:00")


def ticking(start: int = 0) -> Callable[[], str]:
    """A clock one second further at every call, so stamps tell writes apart and 'most
    recent first' orders are defined."""
    counter = itertools.count(start)

    def now() -> str:
        return (START + timedelta(seconds=next(counter))).isoformat(timespec="seconds")

    return now
