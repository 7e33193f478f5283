"""A method of the ``Store`` front that is a repository's method, typed as that method.

``Store`` keeps today's short call sites (``store.add_item(...)``) while each aggregate's
code lives in its own repository: ``add_item = forward("_items", ItemRepository.add_item)``
is ``store._items.add_item``, the repository's bound method, and mypy checks callers
against that method's signature.

Start-up is measured (the home screen needs two of the fourteen repositories), so the
front names its repository classes through ``lazy_class``: mypy sees the real class (the
import under ``TYPE_CHECKING``), the running program a stand-in that imports the class's
module when a repository is first built or a forwarded method first called.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import MethodType
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, cast, overload

__all__ = ["LazyClass", "forward", "lazy_class"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


class LazyClass:
    """A class known by module and name, imported on first use."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def resolve(self) -> Any:
        return getattr(importlib.import_module(self.module), self.name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> LazyMember:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return LazyMember(self, attribute)


class LazyMember:
    """``LazyClass.attribute``: the class's attribute, looked up once its module is in."""

    def __init__(self, owner: LazyClass, attribute: str) -> None:
        self.owner = owner
        self.attribute = attribute

    def resolve(self) -> Any:
        return getattr(self.owner.resolve(), self.attribute)


def lazy_class(module: str, name: str) -> Any:
    """A stand-in for ``module.name`` that imports the module when first used."""
    return LazyClass(module, name)


class Forward(Generic[R, P, T]):
    """The descriptor ``forward`` makes (a non-data descriptor: an instance attribute of
    the same name, as a test's monkeypatch sets, still wins)."""

    def __init__(self, repository: str, method: Callable[Concatenate[R, P], T]) -> None:
        self.repository = repository
        self._method: Callable[Concatenate[R, P], T] | LazyMember = method

    @property
    def method(self) -> Callable[Concatenate[R, P], T]:
        if isinstance(self._method, LazyMember):
            self._method = self._method.resolve()
        return cast("Callable[Concatenate[R, P], T]", self._method)

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return self.method.__doc__

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
