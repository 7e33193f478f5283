"""Text normalisation shared by validators, storage and search.

Officers type on Chinese input methods, which switch between full-width and half-width forms
mid-word; codes and names must compare equal whatever the IME state was.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean", "fold_width", "name_key", "normalise_code", "safe_text"]

# U+FF01..U+FF5E map onto U+0021..U+007E by a fixed offset; U+3000 is the ideographic space.
_WIDTH_TABLE: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20

# Invisible characters that arrive with text pasted from web pages and PDFs.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# Bidi marks (left-to-right, right-to-left, Arabic letter mark): invisible like the above.
_BIDI_MARKS = "\u200e\u200f\u061c"
_DROP_INVISIBLE: dict[int, None] = dict.fromkeys(map(ord, _ZERO_WIDTH + _BIDI_MARKS))

# ASCII hyphen, U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash, en dash, em dash,
# U+2212 minus and full-width hyphen-minus (also caught after folding).
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"
_CODE_JUNK = re.compile(f"[\\s{re.escape(_HYPHENS + _ZERO_WIDTH)}]+")
_WHITESPACE = re.compile(r"\s+")  # str patterns: \s is Unicode-aware and includes U+3000


# Lone surrogates (half of a UTF-16 pair, from broken pastes) cannot be stored as UTF-8;
# C0/C1 controls and bidi embeddings/overrides/isolates would corrupt the terminal or let a
# name display reversed. Line breaks and tabs are kept (multi-line fields need them).
_UNSAFE = re.compile(
    "[\ud800-\udfff]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|[\u202a-\u202e\u2066-\u2069]"
)


def _unsafe_replacement(match: re.Match[str]) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def safe_text(s: str) -> str:
    """Text that can be stored, shown and exported: lone surrogates become U+FFFD, control
    characters and bidi overrides are dropped; everything else (emoji too) is kept."""
    return _UNSAFE.sub(_unsafe_replacement, s) if _UNSAFE.search(s) else s


def fold_width(s: str) -> str:
    """Turn full-width ASCII and the ideographic space into plain ASCII; CJK is left alone."""
    return s.translate(_WIDTH_TABLE)


def clean(s: str | None) -> str:
    """Strip and collapse whitespace, drop invisible characters (zero-width spaces and
    joiners, bidi marks and overrides): this is what we store, as the officer typed it. Two
    names that look the same are then the same text."""
    if s is None:
        return ""
    return _WHITESPACE.sub(" ", safe_text(s).translate(_DROP_INVISIBLE)).strip()


def name_key(name: str) -> str:
    """Comparison key for enterprise names: same key in one district means same enterprise."""
    folded = fold_width(safe_text(name)).translate(_DROP_INVISIBLE)
    return _WHITESPACE.sub("", folded).casefold()


def normalise_code(raw: str) -> str:
    """Canonical form of a code as printed on a licence: no spaces or hyphens, upper case.

    NFKC first, so compatibility characters a font or an IME produced (full-width ９１,
    circled or mathematical letters, ligatures) become the Latin letters and digits they
    stand for before the checksum sees them."""
    code = fold_width(raw)
    for _ in range(4):  # NFKC may leave spaces to drop, and dropping them may compose
        folded = unicodedata.normalize(
            "NFKC", _CODE_JUNK.sub("", unicodedata.normalize("NFKC", code)).upper()
        )
        if folded == code:
            break
        code = folded
    return code
