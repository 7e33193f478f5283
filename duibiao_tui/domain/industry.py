"""国民经济行业分类 GB/T 4754-2017: the 20 门类 and 97 大类, and a matcher for typed text.

The table ships as ``duibiao_tui/data/gbt4754_2017.csv`` and is read on first use only
(start-up time is measured). Codes are edition-specific, so callers store
``INDUSTRY_EDITION`` next to every code and keep the officer's free text as entered.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

INDUSTRY_EDITION = "GB/T 4754-2017"

_DATA_PACKAGE = "duibiao_tui.data"
_DATA_FILE = "gbt4754_2017.csv"


@dataclass(frozen=True)
class Section:
    """A 门类 (A–T)."""

    code: str
    name: str

    @property
    def label(self) -> str:
        """How a picker shows it: "C 制造业"."""
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class Division:
    """A 大类 (01–97) and the code of the 门类 it belongs to."""

    code: str
    name: str
    section: str

    @property
    def label(self) -> str:
        """How a picker shows it: "38 电气机械和器材制造业"."""
        return f"{self.code} {self.name}"


@dataclass(frozen=True)
class _Table:
    sections: tuple[Section, ...]
    divisions: tuple[Division, ...]
    section_by_code: dict[str, Section]
    division_by_code: dict[str, Division]
    divisions_by_section: dict[str, tuple[Division, ...]]
    section_keys: tuple[tuple[str, Section], ...]
    """(squashed name, section) pairs, for name matching."""
    division_keys: tuple[tuple[str, Division], ...]


@cache
def _table() -> _Table:
    """Read the shipped CSV once; the csv module keeps this cheap."""
    sections: list[Section] = []
    divisions: list[Division] = []
    source = resources.files(_DATA_PACKAGE).joinpath(_DATA_FILE)
    # What open("r", encoding=..., newline="") builds; typeshed's Traversable.open takes
    # no newline, and csv needs newline="" (a quoted field may hold a line break).
    with io.TextIOWrapper(source.open("rb"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            section_code = row["section"].strip()
            division_code = row["division"].strip()
            name = row["name"].strip()
            if division_code:
                divisions.append(Division(division_code, name, section_code))
            else:
                sections.append(Section(section_code, name))
    by_section: dict[str, list[Division]] = {s.code: [] for s in sections}
    for d in divisions:
        by_section[d.section].append(d)
    return _Table(
        sections=tuple(sections),
        divisions=tuple(divisions),
        section_by_code={s.code: s for s in sections},
        division_by_code={d.code: d for d in divisions},
        divisions_by_section={k: tuple(v) for k, v in by_section.items()},
        section_keys=tuple((_squash(s.name), s) for s in sections),
        division_keys=tuple((_squash(d.name), d) for d in divisions),
    )


def sections() -> tuple[Section, ...]:
    """All 20 门类 in code order."""
    return _table().sections


def divisions(section: str | None = None) -> tuple[Division, ...]:
    """All 97 大类 in code order, or those of one 门类 (empty for an unknown one)."""
    table = _table()
    if section is None:
        return table.divisions
    found = _section(section)
    return table.divisions_by_section[found.code] if found else ()


def section(code: str) -> Section | None:
    """The 门类 for "C", " c " or "Ｃ"; None for anything else."""
    return _section(code)


def _section(code: str) -> Section | None:
    """Lookup under a second name, because ``divisions`` has a parameter called section."""
    return _table().section_by_code.get(_normalise(code).upper())


_DIVISION_CODE = re.compile(r"(?P<sec>[A-T])?[-\s]*(?P<num>[0-9]{1,2})", re.ASCII)


def division(code: str) -> Division | None:
    """The 大类 for "38", "C38", " c38 ", "３８" or "C 38"; None when unknown or inconsistent."""
    match = _DIVISION_CODE.fullmatch(_normalise(code).upper())
    if match is None:
        return None
    found = _table().division_by_code.get(match["num"].zfill(2))
    if found is None or (match["sec"] and match["sec"] != found.section):
        return None
    return found


def match_industry(text: str) -> tuple[Section | None, Division | None]:
    """Best guess at the 门类/大类 meant by a free-text 所在行业, as officers type it.

    Order: a leading code ("C38", "38 电气机械", "3811"), then an exact name, then a name
    fragment that only one 大类 contains. When only the 门类 is clear (a 门类 name, or a
    fragment whose 大类 all share one 门类) the result is ``(section, None)``; when nothing
    is clear it is ``(None, None)``. Never raises: it sits behind a text field.
    """
    _table()  # a missing data file is a broken install: let that one raise
    try:
        return _match(text)
    except Exception:  # a guess must never break the form it helps to fill
        return (None, None)


# A code at the start of the text: optional 门类 letter, optional 1–4 digit code (大类 or
# the 中类/小类 it prefixes), then the rest. A code counts only at a word boundary, so
# "5G通信", "3C产品" and phone numbers are not read as codes.
_LEADING_CODE = re.compile(
    r"(?P<sec>[A-T](?![A-Z]))?[-\s]*(?P<num>[0-9]{1,4}(?![0-9A-Z]))?(?P<rest>.*)",
    re.ASCII | re.DOTALL | re.IGNORECASE,
)
_SEPARATORS = " \t\r\n-_:;,./|()[]、，；：。（）【】·—–"


def _match(text: str) -> tuple[Section | None, Division | None]:
    table = _table()
    cleaned = _normalise(text)
    if not cleaned:
        return (None, None)
    head = _LEADING_CODE.match(cleaned)
    if head is None:  # cannot happen: every part is optional
        return (None, None)
    letter = head["sec"].upper() if head["sec"] else None
    number = head["num"]
    rest = head["rest"]
    # What comes right after a code decides whether it is a code at all.
    if number is not None:
        after = rest[:1]
        is_code = not after or after in _SEPARATORS or (len(number) == 2 and _is_cjk(after))
        found = table.division_by_code.get(_division_digits(number)) if is_code else None
        if found is not None and (letter is None or letter == found.section):
            return (table.section_by_code[found.section], found)
        if found is not None:
            return (None, None)  # "A38": letter and number disagree
    elif letter is not None:
        known = table.section_by_code[letter]
        tail = rest.strip(_SEPARATORS)
        by_tail = _match_name(tail) if tail else None
        if by_tail is not None and by_tail[0] is known:
            return by_tail  # "C制造业", "C 电气机械"
        after = cleaned[head.end("sec") : head.end("sec") + 1]
        if not after or after in _SEPARATORS:
            return (known, None)  # "C", "c 其他"
    guess = _match_name(cleaned)
    return guess if guess is not None else (None, None)


def _match_name(text: str) -> tuple[Section | None, Division | None] | None:
    """Exact name, then a unique fragment, then a name the text contains; None if unclear."""
    table = _table()
    key = _squash(text)
    if not key:
        return None
    for name, found in table.division_keys:
        if name == key:
            return (table.section_by_code[found.section], found)
    for name, sec in table.section_keys:
        if name == key:
            return (sec, None)
    hits = [d for name, d in table.division_keys if key in name]
    narrowed = _narrow(hits)
    if narrowed is not None:
        return narrowed
    section_hits = [s for name, s in table.section_keys if key in name]
    if len(section_hits) == 1:
        return (section_hits[0], None)
    if hits or section_hits:
        return None
    # Longer text that quotes a whole name, e.g. "电气机械和器材制造业（电线电缆）" or
    # "汽车零部件制造业". Short names (农业, 体育, 教育) are left out: "农业机械" and
    # "体育用品" belong to 制造业, not to 农业 or 体育.
    quoted = [(name, d) for name, d in table.division_keys if name in key and _quotable(name)]
    if quoted:
        longest = max(len(name) for name, _ in quoted)
        narrowed = _narrow([d for name, d in quoted if len(name) == longest])
        if narrowed is not None:
            return narrowed
    quoted_sections = [s for name, s in table.section_keys if name in key and _quotable(name)]
    if len(quoted_sections) == 1:
        return (quoted_sections[0], None)
    return None


def _quotable(name: str) -> bool:
    """Whether a name is long enough to be recognised inside longer text."""
    return len(name) >= 4 or (len(name) == 3 and name.endswith("业"))


def _narrow(hits: list[Division]) -> tuple[Section | None, Division | None] | None:
    """One 大类 → it; several in one 门类 → that 门类; otherwise unclear."""
    table = _table()
    if not hits:
        return None
    if len(hits) == 1:
        return (table.section_by_code[hits[0].section], hits[0])
    owners = {d.section for d in hits}
    if len(owners) == 1:
        return (table.section_by_code[owners.pop()], None)
    return None


def _division_digits(number: str) -> str:
    """Pad "3" to "03"; cut a 中类/小类 code ("381", "3811") to its 大类 "38"."""
    return number.zfill(2) if len(number) <= 2 else number[:2]


def _normalise(text: str) -> str:
    """NFKC turns full-width letters, digits and spaces into ASCII; then trim."""
    return unicodedata.normalize("NFKC", text).strip()


def _squash(text: str) -> str:
    """Keep letters, digits and CJK only, so "农林牧渔业" finds "农、林、牧、渔业"."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN").upper()


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def label_for(section_code: str | None, division_code: str | None, text: str) -> str:
    """What lists show for 所在行业: the 大类 name, else the 门类 name, else the text typed.

    Stored with the enterprise when it is saved, so showing the list needs no table lookup.
    """
    if division_code and (d := division(division_code)):
        return d.name
    if section_code and (s := section(section_code)):
        return s.name
    return text
