"""Merging district databases into the city's: the rules, without SQL.

Every synced row carries a UUID, so a row of a district file is the *same* row in the city's
file when the ids match. What the merge must decide for each such row, given

- the content hash of the incoming row,
- the content hash of the local row (if any),
- the hashes both sides had right after the last merge of this source (the *base*),

is one of: insert, update, unchanged, keep local, or conflict (both sides changed it since
the last merge, differently). Nothing here touches a database; ``store.merge`` reads the
rows, asks ``decide`` and writes.

Hashes cover a row's content only: not its id (a duplicate enterprise mapped to a local one
is compared field by field), not its version, stamps or 序号, and not what each file derives
for itself (search ids, pinyin readings).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import Any

from duibiao_tui.domain.audit import FIELDS, TABLES

__all__ = [
    "ADDED",
    "CONFLICT",
    "DUPLICATE",
    "SHARED",
    "SPECS",
    "UNCHANGED",
    "UPDATED",
    "ConflictRecord",
    "Decision",
    "FieldDiff",
    "MergeReport",
    "TableSpec",
    "decide",
    "display_width",
    "row_hash",
]

ADDED, UPDATED, UNCHANGED, CONFLICT, DUPLICATE = "新增", "更新", "未变", "冲突", "待确认"
OUTCOMES = (ADDED, UPDATED, UNCHANGED, CONFLICT, DUPLICATE)
SHARED = "全市共用"
"""District label of rows every district shares: districts, campaigns, the benchmark library."""
NO_DISTRICT = "未填辖市区"

STAMPS = frozenset({"created_at", "created_by", "updated_at", "updated_by"})
NOT_CONTENT = STAMPS | {"id", "version"}


@dataclass(frozen=True)
class TableSpec:
    """How one synced table is merged."""

    name: str
    refs: Mapping[str, str] = field(default_factory=dict)
    """Column → table it refers to (rewritten when the referred row is mapped)."""
    derived: frozenset[str] = frozenset()
    """Columns each file computes for itself: never compared."""
    local: frozenset[str] = frozenset()
    """Columns that are never copied from another file (local integers)."""
    append_only: bool = False
    """Rows never change once written: missing ones are inserted by id, nothing else."""

    @property
    def label(self) -> str:
        return TABLE_LABELS.get(self.name, TABLES.get(self.name, self.name))

    def content_columns(self, columns: Iterable[str]) -> list[str]:
        skip = NOT_CONTENT | self.derived | self.local
        return sorted(c for c in columns if c not in skip)


TABLE_LABELS = {
    "district": "辖市区",
    "campaign": "活动",
    "benchmark_enterprise": "标杆库",
    "enterprise": "企业",
    "submission": "报送审核",
    "benchmark_item": "对标项目",
    "review_event": "审核记录",
    "recognition": "推介推荐",
    "audit_log": "修改记录",
}

SPECS: tuple[TableSpec, ...] = (
    TableSpec("district"),
    TableSpec("campaign"),
    TableSpec("benchmark_enterprise", refs={"merged_into_id": "benchmark_enterprise"}),
    TableSpec(
        "enterprise",
        refs={"district_id": "district"},
        derived=frozenset({"name_pinyin", "search_readings"}),
        local=frozenset({"search_id"}),
    ),
    TableSpec("submission", refs={"enterprise_id": "enterprise", "campaign_id": "campaign"}),
    TableSpec(
        "benchmark_item",
        refs={
            "enterprise_id": "enterprise",
            "campaign_id": "campaign",
            "benchmark_id": "benchmark_enterprise",
        },
        derived=frozenset({"seq"}),
    ),
    TableSpec("review_event", refs={"submission_id": "submission"}, append_only=True),
    TableSpec("recognition", refs={"enterprise_id": "enterprise", "campaign_id": "campaign"}),
)
"""Synced tables in the order they are merged (a row's parents come before it).

Not synced: ``item_draft`` (unsaved typing stays on its laptop), ``search_index`` (rebuilt),
``setting`` and the merge's own tables (state of one file). ``recognition_score`` travels
with its recognition (its rows are rewritten whenever the recognition is saved), and
``audit_log`` is append-only: missing entries are inserted by id.
"""
SPEC_BY_NAME = {spec.name: spec for spec in SPECS}
SCORES_KEY = "_scores"
"""Pseudo-column of a recognition: its self-assessment scores, sorted by clause."""


_VALUES: dict[tuple[str, ...], Callable[[Mapping[str, Any]], tuple[Any, ...]]] = {}
"""Columns → their values' getter (``itemgetter``: a first merge hashes ~130,000 rows)."""


def _values(columns: Sequence[str], row: Mapping[str, Any]) -> list[Any]:
    """``row``'s values in ``columns``, None for a column it lacks."""
    if len(columns) > 1:
        key = tuple(columns)
        getter = _VALUES.get(key)
        if getter is None:
            getter = _VALUES[key] = itemgetter(*key)
        try:
            return list(getter(row))
        except KeyError:  # a column this row lacks (a file of an older release)
            pass
    return [row.get(c) for c in columns]


def row_hash(columns: Sequence[str], row: Mapping[str, Any]) -> int:
    """A signed 64-bit hash of ``row``'s values in ``columns`` (fits an SQLite INTEGER)."""
    # repr of str/int/float/None (and lists of them) is stable, and survives a JSON round
    # trip unchanged, which conflicts and waiting rows make. Bases stored in a city file
    # are these hashes: the payload must stay the repr of this list.
    payload = repr(_values(columns, row))
    digest = hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class Decision(StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    """Both sides hold the same content (or the incoming side did not change)."""
    KEEP = "keep"
    """Only this database changed the row: it stays as it is."""
    CONFLICT = "conflict"


def decide(
    incoming: int,
    local: int | None,
    base: tuple[int, int] | None,
    *,
    incoming_version: int = 1,
    local_version: int = 1,
    same_row: bool = True,
) -> Decision:
    """What to do with one incoming row.

    ``base`` is (incoming hash, local hash) right after the last merge of this source. A row
    never merged before (no base) that differs is only taken without asking when one side
    has never edited it (``version`` 1) and both sides are the same row by id
    (``same_row``): the unedited side is then the other's ancestor. Otherwise the officer
    decides.
    """
    if base is not None and base[0] == incoming:
        return Decision.UNCHANGED if local is None or local == base[1] else Decision.KEEP
    if local is None:
        return Decision.INSERT
    if local == incoming:
        return Decision.UNCHANGED
    if base is not None:
        return Decision.UPDATE if local == base[1] else Decision.CONFLICT
    if same_row and local_version == 1 and incoming_version > 1:
        return Decision.UPDATE
    if same_row and incoming_version == 1 and local_version > 1:
        return Decision.KEEP
    return Decision.CONFLICT


# -- conflicts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDiff:
    column: str
    label: str
    local: Any
    incoming: Any
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def local_text(self) -> str:
        return shown(self.local, self.column, self.names)

    @property
    def incoming_text(self) -> str:
        return shown(self.incoming, self.column, self.names)


BOOLEAN_COLUMNS = frozenset(
    {"famous_brand", "quality_award", "copy_city", "copy_district", "flagged", "is_zone"}
)
HIDDEN_COLUMNS = frozenset({"name_key", "phone_e164", "industry_label", "industry_edition"})
"""Derived from other fields: never shown as a difference of their own."""


def shown(value: Any, column: str = "", names: Mapping[str, str] | None = None) -> str:
    """A value as an officer reads it: 是/否, a district's name rather than its id…"""
    if value is None or value == "":
        return "（空）"
    if column in BOOLEAN_COLUMNS:
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(f"{s[0]} {s[2]}" for s in value) or "（空）"
    if names and isinstance(value, str) and value in names:
        return names[value]
    return str(value)


@dataclass(frozen=True)
class ConflictRecord:
    """A row the officer must decide on, as stored in ``merge_conflict``.

    ``kind`` is ``conflict`` (the same row changed on both sides since the last merge) or
    ``duplicate`` (an enterprise registered in both files under different ids: same credit
    code, or same name in the same district).
    """

    id: str
    kind: str
    table: str
    row_id: str
    """The incoming row's id."""
    local_id: str
    title: str
    district: str
    reason: str
    source_label: str
    incoming: Mapping[str, Any]
    local: Mapping[str, Any]
    found_at: str
    waiting: int = 0
    """Rows held back until a duplicate is decided (its form rows, submissions…)."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Ids the rows refer to (districts, campaigns, library entries) → their names."""

    @property
    def is_duplicate(self) -> bool:
        return self.kind == "duplicate"

    @property
    def kind_label(self) -> str:
        return "重复企业" if self.is_duplicate else "冲突"

    @property
    def table_label(self) -> str:
        spec = SPEC_BY_NAME.get(self.table)
        return spec.label if spec else self.table

    @staticmethod
    def _stamp(row: Mapping[str, Any]) -> str:
        who = row.get("updated_by") or "（未署名）"
        when = str(row.get("updated_at") or "")[:16].replace("T", " ")
        return f"{who} {when}".strip()

    @property
    def local_stamp(self) -> str:
        """Who changed the local row last, and when."""
        return self._stamp(self.local)

    @property
    def incoming_stamp(self) -> str:
        return self._stamp(self.incoming)

    def differences(self) -> list[FieldDiff]:
        """The content fields that differ, in the table's column order."""
        spec = SPEC_BY_NAME.get(self.table, TableSpec(self.table))
        skip = NOT_CONTENT | spec.derived | spec.local | HIDDEN_COLUMNS
        out = []
        for column in self.local.keys() | self.incoming.keys():
            if column in skip:
                continue
            a, b = self.local.get(column), self.incoming.get(column)
            if a != b and not (a in (None, "") and b in (None, "")):
                label = FIELDS.get("scores" if column == SCORES_KEY else column, column)
                out.append(FieldDiff(column, label, a, b, self.names))
        order = {c: i for i, c in enumerate(self.incoming.keys())}
        return sorted(out, key=lambda d: order.get(d.column, len(order)))


# -- the report ---------------------------------------------------------------------------


@dataclass
class SourceSummary:
    path: str
    label: str
    database_id: str


@dataclass
class MergeReport:
    """What a merge did (or would do, for a dry run), per district and per table."""

    dry_run: bool = False
    sources: list[SourceSummary] = field(default_factory=list)
    counts: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    """(district, table label) → outcome → rows."""
    audit_added: int = 0
    matched: Counter[str] = field(default_factory=Counter)
    """Table label → rows matched to a local row by name or key rather than by id."""
    conflicts: list[ConflictRecord] = field(default_factory=list)
    backup: str | None = None
    reused: dict[str, list[str]] = field(default_factory=dict)
    """Source label → labels of its tables not read: the same content as merged before."""

    def add(self, district: str, table: str, outcome: str, n: int = 1) -> None:
        if n:
            self.counts.setdefault((district, table), Counter())[outcome] += n

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    @property
    def written(self) -> int:
        return self.total(ADDED) + self.total(UPDATED) + self.audit_added

    @property
    def unresolved(self) -> int:
        return len(self.conflicts)

    @property
    def duplicates(self) -> int:
        return sum(1 for c in self.conflicts if c.is_duplicate)

    def merge_with(self, other: MergeReport) -> None:
        for key, counter in other.counts.items():
            self.counts.setdefault(key, Counter()).update(counter)
        self.audit_added += other.audit_added
        self.matched.update(other.matched)
        for label, tables in other.reused.items():
            self.reused.setdefault(label, []).extend(tables)
        self.conflicts.extend(other.conflicts)

    def rows(self, district_order: Sequence[str] = ()) -> list[tuple[str, str, list[int]]]:
        """(district, table, counts in OUTCOMES order), districts in ``district_order``."""
        rank = {name: i for i, name in enumerate(district_order)}
        table_rank = {spec.label: i for i, spec in enumerate(SPECS)}
        keys = sorted(
            self.counts,
            key=lambda k: (
                k[0] == SHARED,
                rank.get(k[0], len(rank)),
                k[0],
                table_rank.get(k[1], 99),
            ),
        )
        return [(d, t, [self.counts[(d, t)][o] for o in OUTCOMES]) for d, t in keys]

    def summary(self) -> str:
        parts = [f"{o} {self.total(o)}" for o in OUTCOMES]
        line = "，".join(parts) + f"；修改记录新增 {self.audit_added}"
        if self.reused:
            tables = sum(len(t) for t in self.reused.values())
            line += f"；{tables} 张表同上次，未重读"
        return ("预览（未写入）：" if self.dry_run else "") + line

    def lines(self, district_order: Sequence[str] = ()) -> list[str]:
        """The report as aligned text lines for the terminal."""
        header = ("辖市区", "表", *OUTCOMES)
        body = [(d, t, *(str(n) for n in counts)) for d, t, counts in self.rows(district_order)]
        totals = ("合计", "", *(str(self.total(o)) for o in OUTCOMES))
        table = [header, *body, totals]
        widths = [max(display_width(r[i]) for r in table) for i in range(len(header))]
        out = []
        for n, row in enumerate(table):
            cells = [pad(cell, widths[i], right=i >= 2) for i, cell in enumerate(row)]
            out.append("  ".join(cells).rstrip())
            if n == 0 or n == len(table) - 2:
                out.append("  ".join("-" * w for w in widths))
        for label, n in sorted(self.matched.items()):
            out.append(f"{label}：{n} 条按名称或编号对应到本库已有的记录")
        for label, tables in sorted(self.reused.items()):
            out.append(f"{label}：{'、'.join(tables)}与上次合并时完全相同，未重新读取")
        out.append(f"修改记录（审计）：新增 {self.audit_added} 条")
        return out


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if right else text + space
