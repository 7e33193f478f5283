"""A method of the ``Store`` front that is a repository's method, typed as that method.

``Store`` keeps today's short call sites (``store.add_item(...)``) while each aggregate's
code lives in its own repository: ``add_item = forward("_items", ItemRepository.add_item)``
is ``store._items.add_item``, the repository's bound method (its signature and docstring
for ``inspect`` and ``help``), and mypy checks callers against that method's signature.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

__all__ = ["forward"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class Forward(Generic[R, P, T]):
    """The descriptor ``forward`` makes (a non-data descriptor: an instance attribute of
    the same name, as a test's monkeypatch sets, still wins)."""

    def __init__(self, repository: str, method: Callable[Concatenate[R, P], T]) -> None:
        self.repository = repository
        self.method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, front: None, owner: type[Any]) -> Forward[R, P, T]: ...

    @overload
    def __get__(self, front: object, owner: type[Any]) -> Callable[P, T]: ...

    def __get__(self, front: object | None, owner: type[Any]) -> Forward[R, P, T] | Callable[P, T]:
        if front is None:
            return self
        repository: R = getattr(front, self.repository)
        return cast("Callable[P, T]", MethodType(self.method, repository))


def forward(repository: str, method: Callable[Concatenate[R, P], T]) -> Forward[R, P, T]:
    """``front.<name>(...)`` calls ``method(front.<repository>, ...)``."""
    return Forward(repository, method)
