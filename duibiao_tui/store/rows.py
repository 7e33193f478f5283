"""Rows read into records by column name, with the SELECT list built from the record.

A record's fields, not a hand-kept column string, decide what is selected (``e.name AS
name``…), and each value goes to the field of its column's name: adding a column to a table
or a field to a record in the middle shifts nothing. Fields annotated ``bool`` are stored
as 0/1 and converted back explicitly. A record is a dataclass or a NamedTuple (the kind
chosen where tens of thousands are built).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["RecordColumns", "named_rows", "record_columns"]

T = TypeVar("T")


def _record_fields(record: type[Any]) -> list[tuple[str, Any]]:
    """(name, annotation) of each field of a dataclass or a NamedTuple, in order."""
    if dataclasses.is_dataclass(record):
        return [(f.name, f.type) for f in dataclasses.fields(record)]
    annotations = getattr(record, "__annotations__", {})
    return [(name, annotations.get(name)) for name in record._fields]


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
            name: bool for name, kind in fields if kind in ("bool", bool)
        }

    def values(self, cursor: sqlite3.Cursor) -> Iterator[dict[str, Any]]:
        """The rows of a SELECT of ``self.select`` as field values, booleans converted."""
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
