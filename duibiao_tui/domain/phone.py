"""电话: parse what officers type into E.164 plus a display form, via python-phonenumbers.

phonenumbers is imported inside the functions: its metadata import is slow and app start-up
time is measured.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from duibiao_tui.domain.text import clean, fold_width
from duibiao_tui.errors import FieldError

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

__all__ = ["Phone", "parse_phone"]

_EXPECTED = "应为手机号（如 13912345678）或带区号的固定电话（如 0511-85012345，分机写作 转8012）"
_ZHENJIANG_AREA = "0511"
# Longer than any number with an extension; also bounds the regex work on pasted junk.
_MAX_LENGTH = 64

# Separators people put between digit groups (after width folding).
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
# Only these may remain once an extension has been split off: anything else (letters, a second
# number after "/" or "、") is refused instead of letting phonenumbers guess.
_MAIN_OK = re.compile(f"[0-9+()\\s.{_DASHES}]+")
# An explicitly marked extension at the end: 转8012, 分机 8012, 转分机8012, ext. 8012, x8012, #8012.
_MARKED_EXT = re.compile(
    f"^(?P<main>.*?)[\\s{_DASHES},，]*[(]?\\s*(?:转分机|转|分机|ext\\.?|x|#)\\s*[:：]?\\s*"
    r"(?P<ext>[0-9]{1,10})\s*[)]?$",
    re.IGNORECASE,
)
# An unmarked trailing group: "0511-85012345-8012", "0511 85012345 8012".
_TRAILING_GROUP = re.compile(f"^(?P<main>.*[0-9])[\\s{_DASHES}]+(?P<ext>[0-9]{{1,6}})$")
_BARE_LOCAL = re.compile(r"[1-9][0-9]{7}")


@dataclass(frozen=True)
class Phone:
    """A checked phone number; ``raw`` keeps what was typed, since old numbering plans changed.

    What is stored (``e164``) and checked (``kind``) is worked out when it is parsed; the
    forms for people (``national``, ``place``) only when asked: an import of thousands of
    rows stores the first and shows neither."""

    raw: str
    e164: str
    extension: str
    kind: str
    number: PhoneNumber = field(compare=False, repr=False)
    """phonenumbers' parse, without its extension."""

    @functools.cached_property
    def national(self) -> str:
        """Grouped as it is written in its country (with the country code elsewhere)."""
        import phonenumbers

        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if self.number.country_code == 86
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return str(phonenumbers.format_number(self.number, style))

    @functools.cached_property
    def place(self) -> str:
        """Where the number belongs (江苏省镇江市; a mobile's block), or empty."""
        from phonenumbers import geocoder

        return str(geocoder.description_for_number(self.number, "zh") or "")

    def display(self) -> str:
        """National form for people, extension written the way it is said (转)."""
        if self.extension:
            return f"{self.national} 转 {self.extension}"
        return self.national


def _with_area_code(main: str, zhenjiang: bool) -> str:
    """A bare 8-digit local number is a Zhenjiang landline when the enterprise is in Zhenjiang."""
    digits = re.sub(r"[^0-9]", "", main)
    if zhenjiang and not main.lstrip().startswith("+") and _BARE_LOCAL.fullmatch(digits):
        return _ZHENJIANG_AREA + digits
    return main


Parsed = tuple["PhoneNumber", int]
"""A valid number and its ``PhoneNumberType``."""


def _try_parse(main: str, extension: str) -> Parsed | None:
    """Parse ``main`` as a CN number; None when it is not a valid number at all.

    Valid means a known type: ``is_valid_number`` is exactly that test (the type's patterns
    for the number's own region), so the type is asked once and kept."""
    import phonenumbers

    if not _MAIN_OK.fullmatch(main):
        return None
    text = f"{main}x{extension}" if extension else main
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return None
    kind = phonenumbers.number_type(number)
    return None if kind == phonenumbers.PhoneNumberType.UNKNOWN else (number, kind)


def _is_landline(kind: int) -> bool:
    import phonenumbers

    return kind in (
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def _split(text: str, zhenjiang: bool) -> Parsed | None:
    """Find the number and its extension, written any of the ways officers write them."""
    marked = _MARKED_EXT.match(text)
    if marked:
        main = _with_area_code(marked["main"], zhenjiang)
        return _try_parse(main, marked["ext"])
    whole = _try_parse(_with_area_code(text, zhenjiang), "")
    if whole is not None:
        return whole
    # "0511-85012345" is itself a whole number (handled above); only a group trailing a
    # complete landline is an extension.
    trailing = _TRAILING_GROUP.match(text)
    if trailing:
        landline = _try_parse(_with_area_code(trailing["main"], zhenjiang), "")
        if landline is not None and _is_landline(landline[1]):
            return _try_parse(_with_area_code(trailing["main"], zhenjiang), trailing["ext"])
    return None


def _kind(number_type: int) -> str | None:
    import phonenumbers

    kinds = {
        phonenumbers.PhoneNumberType.MOBILE: "手机",
        phonenumbers.PhoneNumberType.FIXED_LINE: "固定电话",
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "固定电话",
        phonenumbers.PhoneNumberType.TOLL_FREE: "免费电话",
        phonenumbers.PhoneNumberType.SHARED_COST: "共享费用",
    }
    return kinds.get(number_type)


def parse_phone(raw: str | None, *, zhenjiang: bool = True, field: str = "电话") -> Phone | None:
    """Validate a phone number; blank means "not given" and gives None.

    Once per distinct value (``Phone`` is frozen; a refusal is not kept and is raised
    again): a list of thousands may name one switchboard many times, and phonenumbers
    takes ~30 µs a number."""
    return _parse_phone(raw, zhenjiang, field)


@functools.lru_cache(maxsize=4096)
def _parse_phone(raw: str | None, zhenjiang: bool, field: str) -> Phone | None:
    text = clean(fold_width(raw or ""))
    if not text:
        return None
    parsed = _split(text, zhenjiang) if len(text) <= _MAX_LENGTH else None
    kind = _kind(parsed[1]) if parsed is not None else None
    if parsed is None or kind is None:
        raise FieldError(field, _EXPECTED)
    number = parsed[0]

    import phonenumbers

    extension = number.extension or ""
    number.extension = None  # our own parse result: format the number without " ext. N"
    return Phone(
        raw=clean(raw),
        e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        extension=extension,
        kind=kind,
        number=number,
    )
