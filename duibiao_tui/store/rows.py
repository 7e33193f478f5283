"""Rows read into records by column name, with the SELECT list built from the record.

A record's fields, not a hand-kept column string, decide what is selected (``e.name AS
name``…), and each value goes to the field of its column's name: adding a column to a table
or a field to a record in the middle shifts nothing. Fields annotated ``bool`` are stored
as 0/1 and converted back explicitly; fields annotated with a ``StrEnum`` (or ``Enum | None``)
come back from SQLite as plain str and are turned into the member here, the store's edge, so
records hold what their types say. A record is a dataclass or a NamedTuple (the kind
chosen where tens of thousands are built).
"""

from __future__ import annotations

import dataclasses
import sqlite3
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from enum import StrEnum
from typing import Any, Generic, TypeVar

__all__ = ["RecordColumns", "field_converter", "named_rows", "record_columns"]

T = TypeVar("T")


def _record_fields(record: type[Any]) -> list[tuple[str, Any]]:
    """(name, annotation) of each field of a dataclass or a NamedTuple, in order."""
    if dataclasses.is_dataclass(record):
        fields = [(f.name, f.type) for f in dataclasses.fields(record)]
    else:
        annotations = getattr(record, "__annotations__", {})
        fields = [(name, annotations.get(name)) for name in record._fields]
    module = vars(sys.modules.get(record.__module__, types))
    return [(name, _resolved(kind, module)) for name, kind in fields]


def _resolved(kind: Any, module: dict[str, Any]) -> Any:
    """An annotation written as a string (``from __future__ import annotations``) as the
    type it names in the record's module; as written when it cannot be (a name imported
    for type checking only)."""
    if not isinstance(kind, str):
        return kind
    try:
        return eval(kind, module)  # noqa: S307 - the record's own annotation, not input
    except Exception:  # noqa: BLE001 - unresolvable: the string is all we know
        return kind


def _str_enum(kind: Any) -> type[StrEnum] | None:
    """The StrEnum of an annotation ``E`` or ``E | None``; None for any other."""
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        named = [a for a in typing.get_args(kind) if a is not type(None)]
        if len(named) == 1:
            return _str_enum(named[0])
    return None


def field_converter(kind: Any) -> Callable[[Any], Any] | None:
    """How a stored value becomes the field's value, for an annotation that needs it:
    ``bool`` from 0/1, a StrEnum member from its string (NULL stays None). None otherwise.

    A value outside the enum raises KeyError: the schema's CHECK constraints keep them out.
    """
    if kind in ("bool", bool):
        return bool
    enum = _str_enum(kind)
    if enum is None:
        return None
    members: dict[Any, Any] = {None: None, **{m.value: m for m in enum}}
    return members.__getitem__


def named_rows(cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
    """Each row of ``cursor`` as {column name: value}."""
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


class RecordColumns(Generic[T]):
    """How one record type is selected and built: one ``expression AS field`` per field."""

    def __init__(
        self,
        record: type[T],
        *,
        alias: str = "",
        sql: Mapping[str, str] | None = None,
        left_out: tuple[str, ...] = (),
    ) -> None:
        """``sql`` gives a field's expression when it is not ``alias.field`` (a joined name,
        a renamed column); ``left_out`` are fields the caller fills in (not columns)."""
        self.record = record
        expressions = dict(sql or {})
        prefix = f"{alias}." if alias else ""
        fields = [(name, kind) for name, kind in _record_fields(record) if name not in left_out]
        self.fields = tuple(name for name, _ in fields)
        self.select = ", ".join(
            f"{expressions.get(name, prefix + quoted)} AS {quoted}"
            for name, quoted in ((name, f'"{name}"') for name in self.fields)
        )
        """The SELECT list, in the record's field order (names quoted: ``table`` is one)."""
        self.converters: dict[str, Callable[[Any], Any]] = {
            name: convert for name, kind in fields if (convert := field_converter(kind)) is not None
        }

    def values(self, cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT of ``self.select`` as field values, booleans and enums converted."""
        converters = self.converters.items()
        for values in named_rows(cursor):
            for name, convert in converters:
                values[name] = convert(values[name])
            yield values

    def records(self, cursor: sqlite3.Cursor, **extra: Any) -> list[T]:
        """Every row as a record; ``extra`` fills the left-out fields alike for all."""
        return [self.record(**values, **extra) for values in self.values(cursor)]

    def first(self, cursor: sqlite3.Cursor, **extra: Any) -> T | None:
        """The first row as a record, or None."""
        for values in self.values(cursor):
            return self.record(**values, **extra)
        return None


_BUILT: dict[tuple[Any, ...], RecordColumns[Any]] = {}


def record_columns(
    record: type[T],
    *,
    alias: str = "",
    sql: Mapping[str, str] | None = None,
    left_out: tuple[str, ...] = (),
) -> RecordColumns[T]:
    """``RecordColumns`` built once per record type and options (sites call it per read)."""
    key = (record, alias, tuple(sorted((sql or {}).items())), left_out)
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = RecordColumns(record, alias=alias, sql=sql, left_out=left_out)
    return built
