"""Resolving what a merge left to the officer: conflicts (keep, take, or pick field by field)
and duplicate enterprises (the same one, or two).

Each decision is one transaction through the same ``merger.Merger`` a merge uses, so rows,
bases and audit entries are written exactly as a merge writes them; a conflict whose local
row changed again since it was found is refused (merge the file again to see it anew).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from duibiao_tui.domain.merge import (
    NO_DISTRICT,
    SHARED,
    SPEC_BY_NAME,
    ConflictRecord,
    MergeReport,
    row_hash,
)
from duibiao_tui.errors import DuibiaoError, DuplicateError, NotFoundError
from duibiao_tui.store.merge.merger import Merger, referred_names

if TYPE_CHECKING:
    from duibiao_tui.store.store import Store

__all__ = ["confirm_duplicate", "open_conflicts", "resolve_conflict"]


def open_conflicts(store: Store, *, sources: Sequence[str] | None = None) -> list[ConflictRecord]:
    """Conflicts and duplicates waiting for the officer (of the given source databases)."""
    sql = (
        "SELECT c.id, c.kind, c.table_name, c.row_id, c.local_id, c.title, c.district_id, "
        "c.reason, s.label, c.incoming, c.local, c.found_at, "
        "(SELECT count(*) FROM merge_pending p WHERE p.conflict_id = c.id), s.database_id "
        "FROM merge_conflict c JOIN merge_source s ON s.n = c.source "
        "WHERE c.resolved_at IS NULL ORDER BY c.kind DESC, c.found_at, c.title, c.id"
    )
    names = referred_names(store.conn)
    out = []
    for row in store.conn.execute(sql):
        if sources is not None and row[13] not in sources:
            continue
        district = (
            SHARED
            if row[2] in ("campaign", "district", "benchmark_enterprise")
            else (names.get(row[6], NO_DISTRICT) if row[6] else NO_DISTRICT)
        )
        out.append(
            ConflictRecord(
                id=row[0],
                kind=row[1],
                table=row[2],
                row_id=row[3],
                local_id=row[4],
                title=row[5],
                district=district,
                reason=row[7],
                source_label=row[8],
                incoming=json.loads(row[9]),
                local=json.loads(row[10]),
                found_at=row[11],
                waiting=row[12],
                names=names,
            )
        )
    return out


def _open_conflict(store: Store, conflict_id: str) -> tuple[ConflictRecord, int, int, int]:
    found = [c for c in open_conflicts(store) if c.id == conflict_id]
    if not found:
        raise NotFoundError("该冲突已处理或不存在，请刷新列表")
    source, their, our = store.conn.execute(
        "SELECT source, their_hash, our_hash FROM merge_conflict WHERE id = ?", [conflict_id]
    ).fetchone()
    return found[0], source, their, our


def _resolved(store: Store, conflict_id: str, how: str, now: str) -> None:
    store.conn.execute(
        "UPDATE merge_conflict SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ?",
        [now, store.officer, how, conflict_id],
    )


def _integrity(error: sqlite3.IntegrityError) -> DuibiaoError:
    text = str(error)
    if "UNIQUE" in text:
        return DuplicateError("信用代码或名称与本库另一家企业相同；请先在企业登记中修改其中一家")
    return DuibiaoError(f"无法保存：{text}", "无法保存")


def resolve_conflict(
    store: Store, conflict_id: str, choice: str, fields: Mapping[str, str] | None = None
) -> None:
    """Settle a conflict: ``local`` keeps this database's row, ``incoming`` takes the
    district's, ``edit`` takes per field (``fields``: column → "local"/"incoming"; fields
    not named keep the local value). Refused when the local row changed again since the
    conflict was found (merge the file again to see the newer state)."""
    if choice not in ("local", "incoming", "edit"):
        raise ValueError(choice)
    record, source, their, our = _open_conflict(store, conflict_id)
    if record.is_duplicate:
        raise DuibiaoError("这是重复登记的企业：请确认是否同一企业", "不是冲突")
    spec = SPEC_BY_NAME[record.table]
    try:
        with store.write():
            merger = Merger(store, MergeReport())
            columns = merger.content[spec.name]
            mine = merger.fetch(spec.name, [record.local_id]).get(record.local_id)
            if mine is None:
                raise NotFoundError("本库中已没有这条记录")
            if row_hash(columns, mine) != our:
                raise DuibiaoError(
                    "发现冲突之后，本库的这条记录又被修改过。请重新合并该文件，再处理新的冲突。",
                    "记录已变",
                )
            incoming = {**record.incoming, "id": record.local_id}
            if choice == "local":
                after = our
            elif choice == "incoming":
                merger.update_row(spec, incoming, mine)
                after = their
            else:
                chosen = dict(mine)
                for column, side in (fields or {}).items():
                    if column not in columns:
                        raise ValueError(column)
                    if side == "incoming":
                        chosen[column] = incoming.get(column)
                if spec.name == "enterprise":
                    source_row = incoming if (fields or {}).get("name") == "incoming" else mine
                    chosen["name_key"] = source_row.get("name_key")
                chosen["updated_at"] = merger.now
                chosen["updated_by"] = store.officer
                merger.update_row(spec, chosen, mine)
                after = row_hash(columns, chosen)
            merger.set_base(source, [(spec.name, record.row_id, their, after, record.incoming)])
            merger.renumber()
            _resolved(store, conflict_id, choice, merger.now)
    except sqlite3.IntegrityError as error:
        raise _integrity(error) from error


def confirm_duplicate(
    store: Store,
    conflict_id: str,
    same: bool,
    *,
    name: str | None = None,
    credit_code: str | None = None,
) -> MergeReport:
    """Decide a duplicate enterprise. ``same``: the incoming one is the local one — the
    mapping is remembered and its waiting rows (form rows, submission, recognitions) attach
    to the local enterprise. Otherwise it is added as a second enterprise, with ``name`` /
    ``credit_code`` changed when given (one of them must differ from the local one's).
    Returns what the waiting rows did (they may raise conflicts of their own)."""
    record, source, their, _ = _open_conflict(store, conflict_id)
    if not record.is_duplicate:
        raise DuibiaoError("这是修改冲突，不是重复企业", "不是重复企业")
    report = MergeReport()
    spec = SPEC_BY_NAME["enterprise"]
    try:
        with store.write():
            merger = Merger(store, report)
            columns = merger.content["enterprise"]
            incoming = dict(record.incoming)
            label = store.conn.execute(
                "SELECT label FROM merge_source WHERE n = ?", [source]
            ).fetchone()[0]
            if same:
                mine = merger.fetch("enterprise", [record.local_id]).get(record.local_id)
                if mine is None or mine.get("deleted_at") is not None:
                    raise NotFoundError("本库中的那家企业已删除，不能对应到它")
                merger.remember_alias("enterprise", record.row_id, record.local_id, "same")
                after = row_hash(columns, mine)
            else:
                row = _edited_enterprise(incoming, name, credit_code)
                clash = merger.duplicate_of(row, row["id"])
                if clash is not None:
                    field = "统一社会信用代码" if clash[1].startswith("统一") else "名称"
                    raise DuplicateError(
                        f"仍与本库「{merger.ent_name.get(clash[0], '')}」{clash[1]}，请修改{field}",
                        field,
                    )
                merger.insert_rows(spec, [row])
                after = row_hash(columns, row)
                if after != their:
                    store._audit(
                        "enterprise",
                        row["id"],
                        "merge",
                        {
                            k: (incoming.get(k), row.get(k))
                            for k in ("name", "uscc")
                            if incoming.get(k) != row.get(k)
                        },
                        at=merger.now,
                    )
            merger.set_base(source, [("enterprise", record.row_id, their, after, incoming)])
            waiting: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for table, payload in store.conn.execute(
                "SELECT table_name, payload FROM merge_pending WHERE conflict_id = ?",
                [conflict_id],
            ):
                waiting[table].append(json.loads(payload))
            store.conn.execute("DELETE FROM merge_pending WHERE conflict_id = ?", [conflict_id])
            merger.merge_tables(source, waiting, label)
            _resolved(store, conflict_id, "same" if same else "distinct", merger.now)
    except sqlite3.IntegrityError as error:
        raise _integrity(error) from error
    report.conflicts = [
        c for c in open_conflicts(store) if c.id in {x.id for x in report.conflicts}
    ]
    return report


def _edited_enterprise(
    incoming: Mapping[str, Any], name: str | None, credit_code: str | None
) -> dict[str, Any]:
    from duibiao_tui.domain.text import clean, name_key, normalise_code
    from duibiao_tui.errors import FieldError, ValidationFailed

    row = dict(incoming)
    if name is not None and clean(name) != incoming.get("name"):
        text = clean(name)
        if not text:
            raise ValidationFailed([FieldError("名称", "不能为空")])
        row["name"], row["name_key"] = text, name_key(text)
    if credit_code is not None:
        code = normalise_code(credit_code) or None
        if code != incoming.get("uscc"):
            if code is not None:
                from duibiao_tui.domain.identifiers import org_code_of, parse_identifier

                try:
                    parsed = parse_identifier(code)
                except FieldError as error:
                    raise ValidationFailed([error]) from error
                if parsed is None or parsed.kind != "uscc":
                    raise ValidationFailed(
                        [FieldError("统一社会信用代码", "应为 18 位统一社会信用代码，或留空")]
                    )
                code = parsed.value
                row["org_code"] = org_code_of(code)
            elif incoming.get("uscc"):
                row["org_code"] = None  # it was the old code's
            row["uscc"] = code
    return row
