"""The enterprise search index: each enterprise's search keys (``domain.search.build_keys``)
as one row of an FTS5 table whose rowid is the enterprise's ``search_id``.

FTS5 keeps a posting list per key, so a list of 3,000 enterprises writes 3,000 rows where a
table of (key, owner) pairs took 370,000, and "some key starts with the term" is its prefix
query (with the one- and two-character prefixes indexed ahead: the terms an officer types
first). Deleting a row removes its keys, whatever builder wrote them.

Each key is one token of FTS5's ``ascii`` tokenizer, which takes every non-ASCII character
and ASCII letters and digits as part of a token: the other ASCII characters a key can hold
(punctuation, ``END``) are stored as characters of plane 15's private use area, one for one,
so that no key is split and a term is mapped the same way before it is looked up.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from duibiao_tui.domain.search import END

CREATE = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "keys, tokenize = 'ascii', detail = 'none', columnsize = 0, prefix = '1 2')"
)
"""As migration 0008 made it (written out there too: a migration never changes)."""

PRIVATE_BASE = 0xF0000
_STORED = {c: chr(PRIVATE_BASE + c) for c in range(128) if not chr(c).isalnum()}
_TYPED = {ord(v): chr(k) for k, v in _STORED.items()}
_RARE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in _STORED if chr(c) not in " " + END) + "]"
)
"""What a key seldom holds that ``_STORED`` maps: a row without it is mapped by replacing
``END`` alone (``str.translate`` takes a character at a time: a tenth of an import)."""


def token(key: str) -> str:
    """``key`` as the index stores it: one token."""
    return key.translate(_STORED)


def document(keys: Iterable[str]) -> str:
    """An enterprise's row of the index: its keys as tokens, space-separated."""
    keys = list(keys)
    text = " ".join(keys)
    if text.count(" ") != max(len(keys) - 1, 0) or _RARE.search(text):
        return " ".join(token(k) for k in keys)
    return text.replace(END, _STORED[ord(END)])


def keys_of(document_text: str) -> list[str]:
    """The keys a stored row holds (the inverse of ``document``)."""
    return [t.translate(_TYPED) for t in document_text.split(" ") if t]


def write(conn: sqlite3.Connection, rows: Iterable[tuple[int, Iterable[str]]]) -> None:
    """Index each (search id, keys); an id already indexed gets the new keys instead."""
    conn.executemany(
        "INSERT OR REPLACE INTO search_index (rowid, keys) VALUES (?, ?)",
        ((search_id, document(keys)) for search_id, keys in rows),
    )


def drop(conn: sqlite3.Connection, search_ids: Iterable[int]) -> None:
    """Forget the keys of these search ids."""
    conn.executemany("DELETE FROM search_index WHERE rowid = ?", ((s,) for s in search_ids))


def clear(conn: sqlite3.Connection) -> None:
    """Forget every key (a package carries none: the city builds its own). The table is made
    again rather than emptied: FTS5 deletes by writing tombstones beside the keys, which
    would leave a package larger than with them."""
    conn.execute("DROP TABLE search_index")
    conn.execute(CREATE)


def starting_with(conn: sqlite3.Connection, term: str) -> set[int]:
    """Search ids with a key that starts with ``term``."""
    expression = f'"{token(term)}" *'
    return {r[0] for r in conn.execute(MATCH_IDS, [expression])}


def exactly(keys: Iterable[str]) -> str:
    """The FTS5 expression for "a key equal to one of ``keys``" (for ``MATCH_IDS``)."""
    return " OR ".join(f'"{token(k)}"' for k in keys)


MATCH_IDS = "SELECT rowid FROM search_index WHERE search_index MATCH ?"
"""Search ids matching an FTS5 expression (``exactly``, or a prefix query)."""


def all_keys(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every (key, search id) the index holds, sorted: for checks and tests."""
    return sorted(
        (key, search_id)
        for search_id, text in conn.execute("SELECT rowid, keys FROM search_index")
        for key in keys_of(text)
    )
