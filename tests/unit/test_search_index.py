"""The search index (``store.search_index``): what it finds is what a scan of the keys finds,
for keys holding anything (punctuation, ``END``, spaces, CJK); and migration 0008 moves a
file's (key, owner) pairs over unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from duibiao_tui.domain.models import EnterpriseInput, EnterpriseQuery
from duibiao_tui.domain.search import END
from duibiao_tui.store import search_index
from duibiao_tui.store.migrations import SCHEMA_0001
from duibiao_tui.store.store import Store

# casefolded, as ``search_norm`` leaves keys and terms (the tokenizer folds ASCII case)
ALPHABET = 'ab1z丹阳有(-.#*" :' + END
keys = st.text(alphabet=ALPHABET, min_size=1, max_size=6)
documents = st.dictionaries(st.integers(1, 40), st.frozensets(keys, min_size=1, max_size=6))


def index_of(docs: dict[int, frozenset[str]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(search_index.CREATE)
    search_index.write(conn, docs.items())
    return conn


@given(st.lists(st.text(min_size=1, alphabet=st.characters(max_codepoint=0xEFFFF)), max_size=8))
def test_a_row_holds_the_keys_it_was_given(given_keys: list[str]) -> None:
    assert search_index.keys_of(search_index.document(given_keys)) == given_keys


@settings(max_examples=150, deadline=None)
@given(documents, keys)
def test_the_prefix_query_finds_what_a_scan_of_the_keys_finds(
    docs: dict[int, frozenset[str]], term: str
) -> None:
    conn = index_of(docs)
    expected = {sid for sid, ks in docs.items() if any(k.startswith(term) for k in ks)}
    assert search_index.starting_with(conn, term) == expected
    assert search_index.all_keys(conn) == sorted((k, sid) for sid, ks in docs.items() for k in ks)


@settings(max_examples=150, deadline=None)
@given(documents, st.lists(keys, min_size=1, max_size=4))
def test_the_exact_query_finds_the_rows_holding_one_of_the_keys(
    docs: dict[int, frozenset[str]], wanted: list[str]
) -> None:
    conn = index_of(docs)
    found = {r[0] for r in conn.execute(search_index.MATCH_IDS, [search_index.exactly(wanted)])}
    assert found == {sid for sid, ks in docs.items() if ks & set(wanted)}


def test_writing_an_id_again_replaces_its_keys_and_dropping_forgets_them() -> None:
    conn = index_of({1: frozenset({"ab", "b" + END}), 2: frozenset({"ab"})})
    search_index.write(conn, [(1, frozenset({"zz"}))])
    assert search_index.all_keys(conn) == [("ab", 2), ("zz", 1)]
    assert search_index.starting_with(conn, "a") == {2}
    search_index.drop(conn, [2])
    assert search_index.all_keys(conn) == [("zz", 1)]
    search_index.clear(conn)
    assert search_index.all_keys(conn) == []


NAMES = [
    "镇江市长江电器设备厂",
    "丹阳市(新区)机械有限公司",
    "句容市茅山#1茶场",
    "扬中市电力设备有限公司",
]


def test_migration_0008_moves_a_files_keys_over_as_they_are(tmp_path: Path) -> None:
    """A file of the release before (its keys in ``search_key``) opens with the same keys in
    the index and finds the same enterprises, keys the builder no longer makes included."""
    path = tmp_path / "old.db"
    store = Store.open(path, officer="王明")
    for name in NAMES:
        store.add_enterprise(EnterpriseInput(name=name))
    pairs = [*search_index.all_keys(store.conn), ("oldstyle!key", 1)]
    terms = ["zj", "丹阳", "(新区", "1茶", "dlsb", "yxgs", "s", "oldst", "zhenjiangshi"]
    before = {
        t: sorted(r.name for r in store.search_enterprises(EnterpriseQuery(text=t))) for t in terms
    }
    store.close()
    conn = sqlite3.connect(path)  # as the release before left it
    with conn:
        conn.execute("DROP TABLE search_index")
        for sql in SCHEMA_0001:
            if "search_key" in sql:
                conn.execute(sql)
        conn.executemany("INSERT INTO search_key (key, search_id) VALUES (?, ?)", pairs)
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0008_search_index'")
    conn.close()

    store = Store.open(path, officer="王明")
    try:
        assert search_index.all_keys(store.conn) == sorted(pairs)
        after = {
            t: sorted(r.name for r in store.search_enterprises(EnterpriseQuery(text=t)))
            for t in terms
        }
        assert after.pop("oldst") == [NAMES[0]]  # the key only the old file had
        assert before.pop("oldst") == []
        assert after == before
        assert after["(新区"] == [NAMES[1]]
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "search_key" not in tables and "search_key_owner" not in tables
    finally:
        store.close()
