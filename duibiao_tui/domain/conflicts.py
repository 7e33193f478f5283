"""Two officers, one row: a three-way merge of what each typed, field by field.

When a row was saved by someone else after it was opened here (its version moved on),
saving must neither overwrite their change nor drop ours. Comparing both sides with the
values the form was opened with (the base) tells who changed what: fields only one side
changed are taken from that side; a field both changed to different values is a clash the
officer resolves (keep mine, take theirs, or edit) — nothing is decided silently.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from duibiao_tui.errors import DuibiaoError

__all__ = ["Clash", "ConflictError", "three_way_merge"]

T = TypeVar("T")


@dataclass(frozen=True)
class Clash:
    field: str
    """The input's field name (the first of its group)."""
    mine: Any
    theirs: Any


class ConflictError(DuibiaoError):
    """Someone else saved the same fields in between; carries what is needed to resolve."""

    title = "他人已修改此记录"

    def __init__(
        self,
        clashes: list[Clash],
        merged: Any,
        theirs: Any,
        version: int,
        updated_by: str,
        updated_at: str,
    ) -> None:
        who = updated_by or "另一位办事员"
        super().__init__(
            f"{who} 于 {updated_at[:16].replace('T', ' ')} 修改了同一记录的 {len(clashes)} 个字段，"
            "请逐项选择保留哪一方"
        )
        self.clashes = clashes
        self.merged = merged
        """Both sides' changes combined, with *my* values in the clashing fields."""
        self.theirs = theirs
        self.version = version
        self.updated_by = updated_by
        self.updated_at = updated_at


def _norm(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def three_way_merge(
    base: T, mine: T, theirs: T, groups: tuple[tuple[str, ...], ...] = ()
) -> tuple[T, list[Clash]]:
    """Combine ``mine`` and ``theirs`` (dataclass inputs of one type) against ``base``.

    ``groups`` are fields that move together (a benchmark's id and its name): a change to
    any member takes the whole group from that side. Returns the merged input, with mine in
    the clashing groups, and the clashes.
    """
    names = [f.name for f in dataclasses.fields(base)]  # type: ignore[arg-type]
    grouped = {name for group in groups for name in group}
    units = [*groups, *((n,) for n in names if n not in grouped)]
    b, m, t = (dataclasses.asdict(x) for x in (base, mine, theirs))  # type: ignore[call-overload]
    merged = dict(m)
    clashes: list[Clash] = []
    for unit in units:
        mine_changed = any(_norm(m[n]) != _norm(b[n]) for n in unit)
        theirs_changed = any(_norm(t[n]) != _norm(b[n]) for n in unit)
        if theirs_changed and not mine_changed:
            merged.update({n: t[n] for n in unit})
        elif theirs_changed and mine_changed and any(_norm(m[n]) != _norm(t[n]) for n in unit):
            clashes.append(Clash(unit[-1], m[unit[-1]], t[unit[-1]]))
    return type(base)(**merged), clashes
