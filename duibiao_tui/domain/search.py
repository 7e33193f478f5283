"""Search keys for enterprise names: Chinese substrings, pinyin initials, full pinyin, codes.

Officers type ``zjdq`` for 镇江…电器. A phrase converter picks one reading per character and
gets names such as 镇江市长江电器设备厂 wrong (市长 → shizhang), so every reading of every
character counts. Keys are computed when a row is saved and stored in the search index
(``store.search_index``: each key one token of an FTS5 table); every key is a *suffix*, so
"contains" becomes a prefix query that the index answers for any term length (FTS5's own
trigram tokenizer finds nothing under 3 characters). Credit, organisation and registration
codes are not keys: a code fragment is looked for in the codes themselves (``code_text``),
which the list holds anyway, where their suffixes were a third of all keys.

Polyphonic characters multiply: a window of characters yields the product of their
readings. Windows are cut short where the product would exceed ``MAX_VARIANTS`` (or at
their length); a term longer than a stored window is confirmed against the per-character
readings instead: the store looks up the keys equal to a proper prefix of the term.

A key that runs to the end of its text (every name and code suffix, and each window that
reaches the name's last character) ends in ``END``: a term longer than such a key cannot
match there, so ``END`` keeps it out of that exact-prefix look-up (in a name ending in 公司,
"s" would otherwise make every term starting with s confirm the whole register), while a
prefix range query still finds it (``END`` sorts below every character a term can hold;
search terms never contain control characters). Keys written before ``END`` existed
(longer windows, no ``END``) answer the same query with the same results, only slower.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from duibiao_tui.domain.text import normalise_code, safe_text

MAX_VARIANTS = 16
INITIALS_WINDOW = 4
PINYIN_WINDOW = 4
END = "\x01"
"""Ends a key that reaches the end of its text (see the module's docstring)."""

Readings = list[list[str]]
"""Per searchable character, every reading (full pinyin without tones; a letter or digit
stands for itself). Punctuation and spaces are left out."""


def search_norm(text: str) -> str:
    """The form both keys and typed terms take: folded width, no spaces or hyphens, lower."""
    return normalise_code(text).casefold()


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FA1F


@functools.cache
def _han_readings(ch: str) -> tuple[str, ...]:
    """Every reading of one Chinese character, once per character per process (names
    share most of theirs: 市, 有限公司 …), so a list of thousands asks pypinyin a few
    hundred times, not tens of thousands (imports pypinyin on first use)."""
    if "pypinyin" not in sys.modules:  # heavy: only when a name is saved
        # pypinyin's own switches: one character at a time never uses its phrase dictionary
        # (a 2.5 MB JSON file) nor the copies it makes for custom readings; ~95 ms less
        os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
        os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, pinyin

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    options = tuple(dict.fromkeys(r for r in (readings[0] if readings else []) if r))
    return options or (ch,)


def char_readings(name: str) -> Readings:
    """Every reading of every character of ``name``."""
    return [list(options) for options in _readings(search_norm(name))]


def _readings(norm: str) -> list[tuple[str, ...]]:
    """``char_readings`` of an already normalised text, as the cached tuples."""
    out: list[tuple[str, ...]] = []
    for ch in norm:
        if _is_han(ch):
            out.append(_han_readings(ch))
        elif ch.isalnum():
            out.append((ch,))
    return out


@functools.cache
def _initials(options: tuple[str, ...]) -> tuple[str, ...]:
    """The first letters of a character's readings, each once, sorted."""
    return tuple(sorted({r[0] for r in options}))


def _windows(options: Sequence[tuple[str, ...]], max_len: int) -> Iterator[tuple[str, ...]]:
    """For each start, the joined variants of the longest window whose product stays small
    (and at most ``max_len`` long); ``END`` after those that reach the last character."""
    counts = [len(opts) for opts in options]
    size = len(options)
    for start in range(size):
        limit = min(size, start + max_len)
        count = counts[start]
        end = start + 1
        while end < limit and count * counts[end] <= MAX_VARIANTS:
            count *= counts[end]
            end += 1
        yield _variants(tuple(options[start:end]), end == size)


@functools.lru_cache(maxsize=1 << 16)
def _variants(window: tuple[tuple[str, ...], ...], last: bool) -> tuple[str, ...]:
    """The joined readings (or initials) of every combination over ``window``, ``END``
    after each when it reaches the end: once per distinct window (names share most of
    theirs: 有限公司, 镇江市 …)."""
    tail = END if last else ""
    if all(len(opts) == 1 for opts in window):  # one reading each: most windows
        return ("".join([opts[0] for opts in window]) + tail,)
    return tuple("".join(combo) + tail for combo in itertools.product(*window))


@dataclass(frozen=True)
class SearchIndexEntry:
    keys: frozenset[str]
    readings_json: str
    name_pinyin: str
    """The first reading of each character, space-separated: the list's sort key."""


def build_keys(name: str) -> SearchIndexEntry:
    """All search keys of one enterprise's name: its suffixes and pinyin windows (its codes
    are searched as text: ``code_text``)."""
    keys: set[str] = set()
    norm = search_norm(name)
    ended = norm + END
    keys.update(ended[i:] for i in range(len(norm)))
    readings = _readings(norm)
    initials = [_initials(options) for options in readings]
    for variants in _windows(initials, INITIALS_WINDOW):
        keys.update(variants)
    for variants in _windows(readings, PINYIN_WINDOW):
        keys.update(variants)
    keys.discard("")
    return SearchIndexEntry(
        frozenset(keys),
        json.dumps(readings, ensure_ascii=False),
        " ".join(options[0] for options in readings),
    )


def code_text(codes: Iterable[str | None]) -> str:
    """An enterprise's codes as a term is looked for in them (``term in code_text(…)``), the
    same answer as the code suffixes the index held before, at a third of its keys: each
    code in search form, one a line (a term holds no line break, so it never spans two)."""
    return "\n".join(_code_form(code) for code in codes if code)


def _code_form(code: str) -> str:
    """``search_norm`` of a code; a stored code (ASCII letters, digits, a hyphen) directly."""
    plain = code.replace("-", "")
    if plain.isascii() and plain.isalnum():
        return plain.lower()
    return search_norm(code)


def _initials_match_at(term: str, readings: Readings, start: int) -> bool:
    if start + len(term) > len(readings):
        return False
    return all(any(r.startswith(ch) for r in readings[start + k]) for k, ch in enumerate(term))


def _pinyin_match_at(term: str, readings: Readings, start: int) -> bool:
    if not term:
        return True
    if start >= len(readings):
        return False
    for reading in readings[start]:
        if term.startswith(reading) and _pinyin_match_at(term[len(reading) :], readings, start + 1):
            return True
        if reading.startswith(term):
            return True
    return False


def readings_match(term: str, readings_json: str) -> bool:
    """Whether ``term`` (already ``search_norm``-ed) matches the readings anywhere.

    Used for terms longer than a stored window; cheap enough for the few candidates the
    index returns.
    """
    readings: Readings = json.loads(readings_json) if readings_json else []
    return any(
        _initials_match_at(term, readings, i) or _pinyin_match_at(term, readings, i)
        for i in range(len(readings))
    )


def query_terms(text: str) -> list[str]:
    """Space-separated words of the search box, each normalised; all must match."""
    return [t for t in (search_norm(part) for part in safe_text(text).split()) if t]


def name_matches(text: str, name: str, readings: Readings | None = None) -> bool:
    """Whether every word of ``text`` is found in ``name`` as a fragment, pinyin initials
    or full pinyin — the enterprise search's rule, for short lists held in memory (the
    benchmark library's completion). ``readings`` may be passed in when already known."""
    terms = query_terms(text)
    if not terms:
        return False
    norm = search_norm(name)
    if readings is None:
        readings = char_readings(name)
    return all(
        term in norm
        or any(
            _initials_match_at(term, readings, i) or _pinyin_match_at(term, readings, i)
            for i in range(len(readings))
        )
        for term in terms
    )
