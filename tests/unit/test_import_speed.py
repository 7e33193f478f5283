"""The batched write of an enterprise list (``store.bulk.write_enterprises``, issue 16)
leaves exactly what ``add_enterprise`` / ``update_enterprise`` one row at a time left:
the same rows, search keys, audit entries and refusals."""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from duibiao_tui.domain.enterprise_rules import validate_enterprise
from duibiao_tui.domain.identifiers import org_code_check_char, uscc_check_char
from duibiao_tui.domain.models import EnterpriseInput, EnterpriseQuery
from duibiao_tui.domain.search import build_keys, code_text
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.excel.enterprise_import import (
    ImportPlan,
    apply_enterprise_import,
    plan_enterprise_import,
)
from duibiao_tui.store import search_index
from duibiao_tui.store.bulk import EnterpriseWrite, EnterpriseWriteRefused
from duibiao_tui.store.store import Store
from tests.unit.clocks import ticking

HEADER = ["企业名称", "统一社会信用代码", "辖市区", "所在行业", "主导产品", "联系电话", "名牌"]


def uscc(n: int) -> str:
    org8 = f"{70000000 + n:08d}"
    first17 = "91321102" + org8 + org_code_check_char(org8)
    return first17 + uscc_check_char(first17)


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "企业名单"
    for row in rows:
        ws.append(row)
    workbook.save(path)
    return path


def register(store: Store, ids: dict[str, str]) -> None:
    """The register before the import."""
    d = {x.name: x.id for x in store.districts()}
    for name, code, district, phone in [
        ("镇江市甲机械有限公司", uscc(1), "京口区", "0511-85010001"),
        ("丹阳市乙眼镜厂", "", "丹阳市", "139 1234 5678"),
        ("句容市丙建材厂", uscc(3), "句容市", ""),
        ("扬中市丁电气有限公司", uscc(4), "京口区", ""),
        ("镇江市重机机械有限公司", "", "润州区", ""),
    ]:
        data = EnterpriseInput(
            name=name, credit_code=code, district_id=d[district], phone=phone, main_products="泵"
        )
        ids[name] = store.add_enterprise(data).id


MIXED = [
    HEADER,
    ["镇江市新一电子有限公司", uscc(5), "润州", "39", "电子元件", "0511-85020002", "是"],  # new
    ["镇江市甲机械股份有限公司", uscc(1), "京口", "", "水泵", "", ""],  # renamed: new keys
    ["丹阳市乙眼镜厂", "", "丹阳", "", "泵", "139 1234 5678", ""],  # unchanged
    ["句容市丙建材厂", uscc(3), "句容", "", "", "0511-87123456", ""],  # phone only
    ["镇江市坏码有限公司", "91321102700000010X", "京口", "", "", "", ""],  # refused: check digit
    ["镇江市丹徒新厂", "", "丹徒", "3", "", "", "否"],  # new, no code
    ["丹阳市乙眼镜厂", "", "京口", "", "", "", ""],  # new: same name, another district
    ["扬中市丁电气有限公司", uscc(1), "京口", "", "", "", ""],  # refused: code of another
    ["镇江市重机机械有限公司", uscc(6), "润州", "34", "起重机", "", ""],  # gains a code
    ["镇江市新一电子有限公司", uscc(7), "润州", "", "", "", ""],  # refused: twice in file
]


def one_by_one(store: Store, plan: ImportPlan) -> None:
    """What ``apply_enterprise_import`` wrote before issue 16: each row through the
    one-at-a-time methods, in one transaction."""
    with store.write():
        for row in plan.to_write:
            assert row.data is not None
            if row.action == "new":
                store.add_enterprise(row.data)
            else:
                assert row.enterprise_id is not None
                store.update_enterprise(row.enterprise_id, row.data)


def state(store: Store) -> dict[str, object]:
    """Everything the writes leave, with new rows' random ids replaced by their names."""
    conn = store.conn
    names = dict(conn.execute("SELECT id, name || '@' || ifnull(district_id, '') FROM enterprise"))
    columns = [r[1] for r in conn.execute("PRAGMA table_info(enterprise)")]
    enterprises = sorted(
        tuple(names[r[0]] if c == "id" else v for c, v in zip(columns, r, strict=True))
        for r in conn.execute("SELECT * FROM enterprise")
    )
    keys = search_index.all_keys(conn)
    audit = [
        (at, officer, table, names.get(row_id, row_id), action, field, old, new)
        for at, officer, table, row_id, action, field, old, new in conn.execute(
            "SELECT at, officer, table_name, row_id, action, field, old_value, new_value "
            "FROM audit_log ORDER BY rowid"
        )
    ]
    return {"enterprise": enterprises, "search_key": keys, "audit": audit}


@pytest.fixture
def twins(tmp_path: Path) -> Callable[[], tuple[Store, Store]]:
    """Two stores over copies of one database, their clocks in step."""
    base = tmp_path / "base.db"
    store = Store.open(base, officer="王明", clock=ticking(0))
    register(store, {})
    store.close()
    opened: list[Store] = []

    def make() -> tuple[Store, Store]:
        pair = []
        for name in ("bulk.db", "one.db"):
            shutil.copy(base, tmp_path / name)
            pair.append(Store.open(tmp_path / name, officer="王明", clock=ticking(1000)))
        opened.extend(pair)
        return pair[0], pair[1]

    yield make
    for s in opened:
        s.close()


@pytest.mark.parametrize("mode", ["update", "skip"])
def test_bulk_write_leaves_what_one_row_at_a_time_left(
    twins: Callable[[], tuple[Store, Store]],
    tmp_path: Path,
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the error workbook's exports/
    bulk, one = twins()
    path = xlsx(tmp_path / "名单.xlsx", MIXED)
    plan = plan_enterprise_import(bulk, path, mode=mode)  # type: ignore[arg-type]
    assert plan == plan_enterprise_import(one, path, mode=mode)  # type: ignore[arg-type]
    expected = {"new": 3, "unchanged": 1, "refused": 3}
    expected["update" if mode == "update" else "skip"] = 3
    assert {a: plan.count(a) for a in expected} == expected  # type: ignore[arg-type]

    before = state(bulk)
    apply_enterprise_import(bulk, plan, valid_only=True)
    one_by_one(one, plan)
    after = state(bulk)
    assert after == state(one)
    assert after != before
    if mode == "update":  # the renamed one is found by its new name, pinyin included
        for term in ("gfyxgs", "gufenyouxiangongsi", "jjxgf", "机械股份"):
            found = [r.name for r in bulk.search_enterprises(EnterpriseQuery(text=term))]
            assert found == ["镇江市甲机械股份有限公司"], term


def test_every_refusal_says_what_the_one_row_path_said(tmp_path: Path) -> None:
    """Writes checked against the register and against the writes before them, in order:
    the first one refused is named with the error add/update would have raised, and
    nothing is written."""
    store = Store.open(tmp_path / "r.db", officer="王明", clock=ticking(0))
    try:
        ids: dict[str, str] = {}
        register(store, ids)
        d = {x.name: x.id for x in store.districts()}
        jk = d["京口区"]
        cases: list[list[EnterpriseWrite]] = [
            # the same code twice among new rows
            [
                EnterpriseWrite(EnterpriseInput(name="甲", credit_code=uscc(8))),
                EnterpriseWrite(EnterpriseInput(name="乙", credit_code=uscc(8))),
            ],
            # a registered name in the same district
            [EnterpriseWrite(EnterpriseInput(name="镇江市甲机械有限公司", district_id=jk))],
            # an update taking another's code
            [
                EnterpriseWrite(
                    EnterpriseInput(name="句容市丙建材厂", credit_code=uscc(1)),
                    ids["句容市丙建材厂"],
                )
            ],
            # an update of an enterprise removed meanwhile
            [EnterpriseWrite(EnterpriseInput(name="无"), "no-such-id")],
            # a district gone since the plan: validated again
            [
                EnterpriseWrite(
                    EnterpriseInput(name="丙", district_id="gone"),
                    clean=validate_enterprise(
                        EnterpriseInput(name="丙", district_id="gone"), known_districts={"gone"}
                    ),
                )
            ],
        ]
        for writes in cases:
            expected: DuibiaoError | None = None
            with pytest.raises(DuibiaoError) as caught, store.write():
                for w in writes:
                    if w.enterprise_id is None:
                        store.add_enterprise(w.data)
                    else:
                        store.update_enterprise(w.enterprise_id, w.data)
            expected = caught.value
            before = state(store)
            with pytest.raises(EnterpriseWriteRefused) as refused:
                store.bulk.write_enterprises(writes)
            assert refused.value.index == len(writes) - 1
            assert type(refused.value.error) is type(expected)
            assert refused.value.error.message == expected.message
            assert state(store) == before
    finally:
        store.close()


def test_a_name_given_up_by_an_update_may_be_taken_further_down(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "g.db", officer="王明", clock=ticking(0))
    try:
        ids: dict[str, str] = {}
        register(store, ids)
        jk = {x.name: x.id for x in store.districts()}["京口区"]
        writes = [
            EnterpriseWrite(
                EnterpriseInput(
                    name="镇江市甲机械股份有限公司", credit_code=uscc(1), district_id=jk
                ),
                ids["镇江市甲机械有限公司"],
            ),
            EnterpriseWrite(EnterpriseInput(name="镇江市甲机械有限公司", district_id=jk)),
        ]
        new_ids = store.bulk.write_enterprises(writes)
        assert new_ids[0] == ids["镇江市甲机械有限公司"]
        assert store.get_enterprise(new_ids[1]).name == "镇江市甲机械有限公司"
    finally:
        store.close()


def _keys_before_issue_16(name: str, codes: tuple[str | None, ...]) -> tuple[set[str], str]:
    """``build_keys`` as it was written before the per-character cache and the compact
    keys (the reference): windows of 8 initials and 6 readings, up to 32 variants, no END."""
    from pypinyin import Style, pinyin

    from duibiao_tui.domain.search import _is_han, search_norm

    INITIALS_WINDOW, PINYIN_WINDOW, MAX_VARIANTS = 8, 6, 32  # noqa: N806 (as they were)

    readings: list[list[str]] = []
    for ch in search_norm(name):
        if _is_han(ch):
            found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
            options = list(dict.fromkeys(r for r in (found[0] if found else []) if r))
            readings.append(options or [ch])
        elif ch.isalnum():
            readings.append([ch])

    def windows(options: list[list[str]], max_len: int) -> list[list[str]]:
        out = []
        for start in range(len(options)):
            end = min(len(options), start + max_len)
            while end - start > 1:
                count = 1
                for opts in options[start:end]:
                    count *= len(opts)
                if count <= MAX_VARIANTS:
                    break
                end -= 1
            out.append(["".join(c) for c in itertools.product(*options[start:end])])
        return out

    keys: set[str] = set()
    norm = search_norm(name)
    keys.update(norm[i:] for i in range(len(norm)))
    initials = [sorted({r[0] for r in opts}) for opts in readings]
    for variants in windows(initials, INITIALS_WINDOW) + windows(readings, PINYIN_WINDOW):
        keys.update(variants)
    for code in codes:
        if code:
            c = search_norm(code)
            keys.update(c[i:] for i in range(len(c)))
    keys.discard("")
    return keys, json.dumps(readings, ensure_ascii=False)


NAMES = [
    "镇江市长江电器设备厂",
    "重庆长行乐音乐行的了解还是会计",  # a polyphonic character after another
    "扬中市新坝电气股份有限公司（二分厂）",
    "丹阳市宝华电器股份有限责任公司",
    "安乐阀门有限责任公司",
    "ＡＢＣ 镇江-12号",
    "句容市华阳镇长乐村会计服务社",
    "司",
    "",
]
CODES = ("91321102MA1XXXXX07", None, "123")


def _found(term: str, keys: set[str], readings_json: str, codes: str = "") -> bool:
    """``EnterpriseRepository._matching_ids`` over one enterprise's keys: a key starting
    with the term, or its codes holding it (``code_text``), or a key equal to a proper
    prefix of it and the readings confirming."""
    from duibiao_tui.domain.search import readings_match

    if any(k.startswith(term) for k in keys) or term in codes:
        return True
    return any(term[:n] in keys for n in range(1, len(term))) and readings_match(
        term, readings_json
    )


def _terms(name: str, codes: tuple[str | None, ...] = CODES) -> set[str]:
    """What an officer might type for ``name``: every fragment, the initials and the full
    pinyin (cut anywhere, a reading half typed) of every run of characters under every
    combination of readings, fragments of the codes, and strings that are not there."""
    from duibiao_tui.domain.search import char_readings, search_norm

    norm = search_norm(name)
    terms = {norm[i:j] for i in range(len(norm)) for j in range(i + 1, len(norm) + 1)}
    readings = char_readings(name)
    for i in range(len(readings)):
        for j in range(i + 1, min(len(readings), i + 9) + 1):
            for path in itertools.islice(itertools.product(*readings[i:j]), 64):
                terms.add("".join(r[0] for r in path))
                joined = "".join(path)
                terms.update(joined[:n] for n in range(1, len(joined) + 1))
    for code in codes:
        c = search_norm(code or "")
        terms.update(c[i:j] for i in range(len(c)) for j in range(i + 1, len(c) + 1))
    terms.update({"zz", "sx", "gsx", "sz", "xq", "youxiangongsix", "qq", "1234", "a1"})
    terms.discard("")
    return terms


@pytest.mark.parametrize("name", NAMES)
def test_the_compact_keys_find_what_the_keys_before_found(name: str) -> None:
    """Fewer keys (shorter windows, fewer variants, END after those that reach the end, the
    codes searched as text), the same answers: for every term, found by the keys and codes
    exactly when found by the keys built before (and the readings are the same)."""
    entry = build_keys(name)
    codes = code_text(CODES)
    before, readings_before = _keys_before_issue_16(name, CODES)
    assert entry.readings_json == readings_before
    assert entry.name_pinyin == " ".join(r[0] for r in json.loads(readings_before))
    keys = set(entry.keys)
    assert len(keys) <= len(before)
    for term in sorted(_terms(name)):
        found = _found(term, keys, entry.readings_json, codes)
        assert found == _found(term, before, readings_before), term


def test_a_key_that_reaches_the_end_is_not_an_exact_prefix() -> None:
    """In a name ending in 公司, the last windows (s, gs, gongsi …) end in END, so a term
    starting with s is not confirmed against every such name; the prefix query finds them."""
    from duibiao_tui.domain.search import END

    keys = build_keys("镇江市电器有限公司").keys
    for key in ("s", "si", "gs", "gongsi", "公司", "司"):
        assert key not in keys
        assert key + END in keys
    assert not any(END in key[:-1] for key in keys)


def test_a_file_with_keys_of_both_kinds_finds_the_same(tmp_path: Path) -> None:
    """A file written before the compact keys keeps its keys (no migration rewrites them;
    0008 moves them over as they are, code suffixes included): the search answers the same
    over old keys, new keys and a mix of both, for name and code fragments alike."""
    names = [n for n in NAMES if n]
    codes = [uscc(40 + i) for i in range(len(names))]
    terms = sorted(
        set().union(*(_terms(n, (c, c[8:16])) for n, c in zip(names, codes, strict=True)))
    )
    results: dict[str, dict[str, list[str]]] = {}
    counts: dict[str, int] = {}
    for kind in ("old", "new", "mixed"):
        store = Store.open(tmp_path / f"{kind}.db", officer="王明")
        try:
            for i, (name, code) in enumerate(zip(names, codes, strict=True)):
                added = store.add_enterprise(EnterpriseInput(name=name, credit_code=code))
                if kind == "old" or (kind == "mixed" and i % 2 == 0):  # as written before
                    search_id = store.conn.execute(
                        "SELECT search_id FROM enterprise WHERE id = ?", [added.id]
                    ).fetchone()[0]
                    old_keys, _ = _keys_before_issue_16(name, (added.uscc, added.org_code))
                    search_index.write(store.conn, [(search_id, old_keys)])
            store.conn.commit()
            counts[kind] = len(search_index.all_keys(store.conn))
            results[kind] = {
                t: sorted(r.name for r in store.search_enterprises(EnterpriseQuery(text=t)))
                for t in terms
            }
        finally:
            store.close()
    assert counts["old"] > counts["mixed"] > counts["new"]  # the kinds really differ
    assert results["new"] == results["old"]
    assert results["mixed"] == results["old"]
    assert any(len(found) > 1 for found in results["old"].values())  # not trivially equal
    assert results["new"][codes[0][12:17].lower()] == [names[0]]  # a code's fragment finds it


@given(st.one_of(st.text(alphabet="0123456789ABCDEFXYZmaxk-", max_size=20), st.text(max_size=20)))
def test_a_code_in_search_form_is_search_norm_of_it(code: str) -> None:
    """``code_text`` puts each code in the form a typed term takes (``search_norm``), taking
    a short cut for the stored form (ASCII letters, digits, hyphens): the same text."""
    from duibiao_tui.domain.search import search_norm

    assert code_text([code]) == search_norm(code)
    assert code_text([None, code, ""]) == search_norm(code)
