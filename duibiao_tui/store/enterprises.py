"""The enterprise register: districts, enterprises, their search and the list's rows.

A repository over the ``Session``: validation by ``domain.enterprise_rules``, uniqueness
of name and credit code, the search keys, soft delete and restore, each write audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import cache, partial
from typing import TYPE_CHECKING, Any, NamedTuple

from duibiao_tui.domain.listing import District, EnterpriseQuery, EnterpriseRow
from duibiao_tui.domain.search import build_keys, code_text, query_terms, readings_match
from duibiao_tui.errors import DuplicateError, NotFoundError
from duibiao_tui.store import search_index
from duibiao_tui.store.rows import record_columns
from duibiao_tui.store.session import Session, new_id

if TYPE_CHECKING:
    from duibiao_tui.domain.enterprise_rules import CleanEnterprise
    from duibiao_tui.domain.models import Enterprise, EnterpriseInput

__all__ = ["EnterpriseRepository", "ExistingEnterprise", "ListEntry"]

SORT_KEYS = ("name", "district", "industry", "main_products", "credit_code", "flags")


class ListEntry(NamedTuple):
    """A cached list row with what filtering and sorting need beside what is shown."""

    row: EnterpriseRow
    search_id: int | None
    removed: bool
    district_id: str | None
    section: str | None
    division: str | None
    sort_keys: tuple[Any, ...]
    """One value per entry of SORT_KEYS, in that order."""
    codes: str
    """Its codes as a search term is looked for in them (``domain.search.code_text``)."""


ENTERPRISE_SQL = {"district_name": "ifnull(d.name, '')"}
"""Fields of Enterprise that are not a column of ``enterprise e`` of the same name."""


LIST_SELECT = (
    "SELECT e.id, e.name, ifnull(d.name, ''), e.industry_section, e.industry_division, "
    "e.industry_label, e.main_products, coalesce(e.uscc, e.org_code, e.reg_no, ''), "
    "e.famous_brand, e.quality_award, e.search_id, e.deleted_at, e.district_id, "
    "e.name_pinyin, d.sort_order, e.uscc, e.org_code, e.reg_no "
    "FROM enterprise e LEFT JOIN district d ON d.id = e.district_id"
)


@dataclass(frozen=True)
class ExistingEnterprise:
    """What an import needs to recognise an enterprise already in the register."""

    id: str
    name: str
    name_key: str
    district_id: str | None
    uscc: str | None
    org_code: str | None
    reg_no: str | None


@cache
def _column_names() -> tuple[str, ...]:
    """A validated enterprise's fields that are columns (``dataclasses.fields`` builds its
    tuple again at each call)."""
    from duibiao_tui.domain.enterprise_rules import CleanEnterprise

    return tuple(f.name for f in fields(CleanEnterprise) if f.name != "warnings")


class EnterpriseRepository:
    """Districts and the enterprise register, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def districts(self) -> list[District]:
        columns = record_columns(District)
        return columns.records(
            self.session.conn.execute(f"SELECT {columns.select} FROM district ORDER BY sort_order")
        )

    def _validate(self, data: EnterpriseInput) -> CleanEnterprise:
        """The domain rules, imported on first save (phone and code parsing are not light)."""
        from duibiao_tui.domain.enterprise_rules import validate_enterprise

        return validate_enterprise(data, known_districts=self._district_ids())

    def _district_ids(self) -> set[str]:
        return {r[0] for r in self.session.conn.execute("SELECT id FROM district")}

    def _check_unique(self, clean: CleanEnterprise, own_id: str | None) -> None:
        if clean.uscc:
            row = self.session.conn.execute(
                "SELECT id, name FROM enterprise WHERE uscc = ? AND deleted_at IS NULL",
                [clean.uscc],
            ).fetchone()
            if row and row[0] != own_id:
                raise DuplicateError(f"{clean.uscc} 已登记为「{row[1]}」", "统一社会信用代码")
        row = self.session.conn.execute(
            "SELECT e.id, e.name, ifnull(d.name, '未指定辖市区') FROM enterprise e "
            "LEFT JOIN district d ON d.id = e.district_id WHERE e.name_key = ? "
            "AND ifnull(e.district_id, '') = ifnull(?, '') AND e.deleted_at IS NULL",
            [clean.name_key, clean.district_id],
        ).fetchone()
        if row and row[0] != own_id:
            raise DuplicateError(f"{row[2]}已有企业「{row[1]}」", "名称")

    def _index_search(self, enterprise_id: str, clean: CleanEnterprise) -> None:
        """Rebuild the search keys and the pinyin sort key of one enterprise."""
        entry = build_keys(clean.name)
        search_id = self.session.conn.execute(
            "SELECT search_id FROM enterprise WHERE id = ?", [enterprise_id]
        ).fetchone()[0]
        if search_id is None:
            search_id = self.session.conn.execute(
                "SELECT ifnull(max(search_id), 0) + 1 FROM enterprise"
            ).fetchone()[0]
        self.session.conn.execute(
            "UPDATE enterprise SET search_id = ?, search_readings = ?, name_pinyin = ? "
            "WHERE id = ?",
            [search_id, entry.readings_json, entry.name_pinyin, enterprise_id],
        )
        search_index.write(self.session.conn, [(search_id, entry.keys)])

    @staticmethod
    def _columns(clean: CleanEnterprise) -> dict[str, Any]:
        """The row's columns: every field but the warnings (all plain values, so read
        directly rather than deep-copied by ``asdict``: an import asks thousands of times)."""
        values = {name: getattr(clean, name) for name in _column_names()}
        values["famous_brand"] = int(clean.famous_brand)
        values["quality_award"] = int(clean.quality_award)
        return values

    def add_enterprise(self, data: EnterpriseInput) -> Enterprise:
        """Validate and register a new enterprise; raises ValidationFailed or DuplicateError."""
        clean = self._validate(data)
        enterprise_id = new_id()
        now = self.session.clock()
        with self.session.write():
            self._check_unique(clean, None)
            values = self._columns(clean)
            self.session.db.table("enterprise").insert(
                {
                    "id": enterprise_id,
                    **values,
                    "created_at": now,
                    "updated_at": now,
                    "created_by": self.session.officer,
                    "updated_by": self.session.officer,
                    "version": 1,
                }
            )
            self._index_search(enterprise_id, clean)
            self.session.audit(
                "enterprise",
                enterprise_id,
                "insert",
                {k: (None, v) for k, v in values.items() if v not in (None, "", 0)},
                at=now,
            )
        return self.get_enterprise(enterprise_id, warnings=clean.warnings)

    def update_enterprise(
        self,
        enterprise_id: str,
        data: EnterpriseInput,
        *,
        base: EnterpriseInput | None = None,
        base_version: int | None = None,
    ) -> Enterprise:
        """Save the fields that changed; unchanged fields are not written.

        With ``base``/``base_version`` (the form as opened), a save after someone else's
        keeps their other changes and raises ConflictError on a field both changed.
        """
        now = self.session.clock()
        with self.session.write():
            current = self.session.db.query(
                "SELECT * FROM enterprise WHERE id = ? AND deleted_at IS NULL", [enterprise_id]
            )
            row = next(current, None)
            if row is None:
                raise NotFoundError("该企业不存在或已删除")
            if base is not None and base_version is not None and row["version"] != base_version:
                from duibiao_tui.domain.conflicts import ConflictError, three_way_merge

                theirs = self.get_enterprise(enterprise_id).to_input()
                data, clashes = three_way_merge(
                    base, data, theirs, (("industry_section", "industry_division"),)
                )
                if clashes:
                    raise ConflictError(
                        clashes, data, theirs, row["version"], row["updated_by"], row["updated_at"]
                    )
            clean = self._validate(data)
            self._check_unique(clean, enterprise_id)
            values = self._columns(clean)
            changes = {k: (row[k], v) for k, v in values.items() if row[k] != v}
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                self.session.conn.execute(
                    f"UPDATE enterprise SET {sets}, updated_at = ?, updated_by = ?, "
                    "version = version + 1 WHERE id = ?",
                    [
                        *(new for _, new in changes.values()),
                        now,
                        self.session.officer,
                        enterprise_id,
                    ],
                )
                if {"name", "uscc", "org_code", "reg_no"} & changes.keys():
                    self._index_search(enterprise_id, clean)
                self.session.audit("enterprise", enterprise_id, "update", changes, at=now)
        return self.get_enterprise(enterprise_id, warnings=clean.warnings)

    def get_enterprise(self, enterprise_id: str, *, warnings: Sequence[str] = ()) -> Enterprise:
        from duibiao_tui.domain.models import Enterprise  # with the first page or form

        columns = record_columns(Enterprise, alias="e", sql=ENTERPRISE_SQL, left_out=("warnings",))
        enterprise = columns.first(
            self.session.conn.execute(
                f"SELECT {columns.select} FROM enterprise e "
                "LEFT JOIN district d ON d.id = e.district_id WHERE e.id = ?",
                [enterprise_id],
            ),
            warnings=tuple(warnings),
        )
        if enterprise is None:
            raise NotFoundError("该企业不存在")
        return enterprise

    def remove_enterprise(self, enterprise_id: str) -> None:
        """Soft delete: the row stays, hidden from lists, and can be restored."""
        now = self.session.clock()
        with self.session.write():
            cur = self.session.conn.execute(
                "UPDATE enterprise SET deleted_at = ?, deleted_by = ?, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ? AND deleted_at IS NULL",
                [now, self.session.officer, now, self.session.officer, enterprise_id],
            )
            if cur.rowcount == 0:
                raise NotFoundError("该企业不存在或已删除")
            self.session.audit("enterprise", enterprise_id, "delete", at=now)

    def restore_enterprise(self, enterprise_id: str) -> Enterprise:
        """Undo a removal, unless another live enterprise took its name or code meanwhile."""
        now = self.session.clock()
        with self.session.write():
            row = self.session.db.query(
                "SELECT * FROM enterprise WHERE id = ? AND deleted_at IS NOT NULL",
                [enterprise_id],
            )
            current = next(row, None)
            if current is None:
                raise NotFoundError("该企业不在已删除列表中")
            clash = self.session.conn.execute(
                "SELECT name FROM enterprise WHERE deleted_at IS NULL AND id != ? AND "
                "((uscc IS NOT NULL AND uscc = ?) OR (name_key = ? AND "
                "ifnull(district_id, '') = ifnull(?, '')))",
                [enterprise_id, current["uscc"], current["name_key"], current["district_id"]],
            ).fetchone()
            if clash:
                raise DuplicateError(f"无法恢复：现有企业「{clash[0]}」与它名称或信用代码相同")
            self.session.conn.execute(
                "UPDATE enterprise SET deleted_at = NULL, deleted_by = NULL, updated_at = ?, "
                "updated_by = ?, version = version + 1 WHERE id = ?",
                [now, self.session.officer, enterprise_id],
            )
            self.session.audit("enterprise", enterprise_id, "restore", at=now)
        return self.get_enterprise(enterprise_id)

    def count_enterprises(self, *, removed: bool = False) -> int:
        clause = "IS NOT NULL" if removed else "IS NULL"
        return int(
            self.session.conn.execute(
                f"SELECT count(*) FROM enterprise WHERE deleted_at {clause}"
            ).fetchone()[0]
        )

    def _matching_ids(self, term: str) -> set[int]:
        """Search ids with a key that starts with ``term`` or codes that hold it, plus longer
        pinyin terms confirmed."""
        ids = search_index.starting_with(self.session.conn, term)
        ids.update(
            e.search_id for e in self._list_entries() if e.search_id is not None and term in e.codes
        )
        prefixes = [term[:n] for n in range(1, len(term))]
        if prefixes:
            for search_id, readings in self.session.conn.execute(
                "SELECT e.search_id, e.search_readings FROM enterprise e WHERE e.search_id IN "
                f"({search_index.MATCH_IDS})",
                [search_index.exactly(prefixes)],
            ):
                if search_id not in ids and readings_match(term, readings):
                    ids.add(search_id)
        return ids

    def first_enterprises(self, limit: int) -> list[EnterpriseRow]:
        """The first ``limit`` live enterprises in name order, straight from an index.

        Lets the list paint its first screen before the whole register is read.
        """
        return [
            self._entry(r).row
            for r in self.session.conn.execute(
                f"{LIST_SELECT} WHERE e.deleted_at IS NULL ORDER BY e.name_pinyin, e.id LIMIT ?",
                [limit],
            )
        ]

    @staticmethod
    def _entry(r: Sequence[Any]) -> ListEntry:
        return ListEntry(
            row=EnterpriseRow(
                id=r[0],
                name=r[1],
                district_name=r[2],
                industry=r[5],
                main_products=r[6],
                credit_code=r[7],
                famous_brand=bool(r[8]),
                quality_award=bool(r[9]),
            ),
            search_id=r[10],
            removed=r[11] is not None,
            district_id=r[12],
            section=r[3],
            division=r[4],
            sort_keys=(r[13], 99 if r[14] is None else r[14], r[4] or "", r[6], r[7], r[8] + r[9]),
            codes=code_text(r[15:18]),
        )

    def _list_entries(self) -> list[ListEntry]:
        """Every enterprise row the list can show, read once and kept (the session's cache)
        until this session writes or another connection commits."""
        return self.session.cached(("list",), self._read_list)

    def _read_list(self) -> list[ListEntry]:
        return [
            self._entry(r)
            for r in self.session.conn.execute(f"{LIST_SELECT} ORDER BY e.name_pinyin, e.id")
        ]

    def search_enterprises(self, query: EnterpriseQuery) -> list[EnterpriseRow]:
        """The list's rows for a search text, filters and sort.

        Text terms are answered by the search index (``store.search_index``); filters and
        sorting run over the cached rows, so a keystroke costs one prefix query of the index.
        """
        entries = [e for e in self._list_entries() if e.removed == query.removed]
        for term in query_terms(query.text):
            # kept until the next write: the desks ask again for the same terms without the
            # 辖市区 filter (to say what it hides), and typing goes back over its own letters
            ids = self.session.cached(("search-term", term), partial(self._matching_ids, term))
            entries = [e for e in entries if e.search_id in ids]
        if query.district_id:
            entries = [e for e in entries if e.district_id == query.district_id]
        if query.industry_section:
            entries = [e for e in entries if e.section == query.industry_section]
        if query.industry_division:
            entries = [e for e in entries if e.division == query.industry_division]
        if query.famous_brand:
            entries = [e for e in entries if e.row.famous_brand]
        if query.quality_award:
            entries = [e for e in entries if e.row.quality_award]
        key = SORT_KEYS.index(query.sort_key) if query.sort_key in SORT_KEYS else 0
        if key or query.descending:
            entries = sorted(entries, key=lambda e: e.sort_keys[key], reverse=query.descending)
        return [e.row for e in entries]

    def live_name(self, enterprise_id: str) -> str:
        """The name of a live enterprise; NotFound for a removed or unknown one."""
        row = self.session.conn.execute(
            "SELECT name FROM enterprise WHERE id = ? AND deleted_at IS NULL", [enterprise_id]
        ).fetchone()
        if row is None:
            raise NotFoundError("该企业不存在或已删除")
        return str(row[0])

    def check_live(self, enterprise_id: str) -> None:
        """NotFound unless the enterprise exists and is not removed."""
        self.live_name(enterprise_id)

    # -- look-ups of the imports and the command line ------------------------------------

    def live_enterprise_ids(self, district_id: str | None = None) -> list[str]:
        """Live enterprises in the list's order (pinyin of the name), optionally of one
        district."""
        sql = "SELECT id FROM enterprise WHERE deleted_at IS NULL"
        params: list[str] = []
        if district_id is not None:
            sql += " AND district_id = ?"
            params.append(district_id)
        return [r[0] for r in self.session.conn.execute(sql + " ORDER BY name_pinyin, id", params)]

    def ids_by_code(self, code: str) -> list[str]:
        """Live enterprises with this (normalised) credit, registration or organisation code."""
        return [
            r[0]
            for r in self.session.conn.execute(
                "SELECT id FROM enterprise WHERE deleted_at IS NULL AND (uscc = ? OR reg_no = ? "
                "OR replace(org_code, '-', '') = ?)",
                [code, code, code],
            )
        ]

    def ids_by_name_key(self, key: str) -> list[str]:
        """Live enterprises whose name folds to ``key``, in the list's order."""
        return [
            r[0]
            for r in self.session.conn.execute(
                "SELECT id FROM enterprise WHERE deleted_at IS NULL AND name_key = ? "
                "ORDER BY name_pinyin, id",
                [key],
            )
        ]

    def existing_enterprises(self) -> list[ExistingEnterprise]:
        """Every live enterprise's identity, in one query (an import checks thousands)."""
        columns = record_columns(ExistingEnterprise)
        return columns.records(
            self.session.conn.execute(
                f"SELECT {columns.select} FROM enterprise WHERE deleted_at IS NULL"
            )
        )
