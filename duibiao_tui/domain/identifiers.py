"""Enterprise identifiers: 统一社会信用代码 (GB 32100), 组织机构代码 (GB 11714) and
工商注册号 (GS15-2006).

2009-era records carry the older 组织机构代码 or 工商注册号, newer ones the 18-character USCC; all
three are accepted so old data never has to be forced into a new scheme.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from duibiao_tui.domain.text import normalise_code
from duibiao_tui.errors import FieldError

__all__ = [
    "USCC_ALPHABET",
    "Identifier",
    "org_code_check_char",
    "org_code_of",
    "parse_identifier",
    "uscc_check_char",
]

#: GB 32100 symbol set: 0-9 and A-Y without I, O, S, V, Z; a symbol's index is its value.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_FORBIDDEN = "IOSVZ"
# 3^(i-1) mod 31 for positions 1..17.
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_VALUE = {ch: i for i, ch in enumerate(_ORG_ALPHABET)}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_DIGITS = frozenset("0123456789")
_ZHENJIANG_PREFIX = "3211"

_EXPECTED = (
    "应为 18 位统一社会信用代码（如 91321102MA1XXXXX07）、9 位组织机构代码（如 60003734-1）"
    "或 15 位工商注册号"
)

IdentifierKind = Literal["uscc", "org_code", "reg_no"]


@dataclass(frozen=True)
class Identifier:
    """A validated identifier in canonical form, plus hints the officer should double-check."""

    kind: IdentifierKind
    value: str
    warnings: tuple[str, ...] = ()


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character for 17 canonical symbols; ValueError if they are not."""
    if len(first17) != 17 or not set(first17) <= _USCC_VALUE.keys():
        raise ValueError(f"not 17 GB 32100 symbols: {first17!r}")
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character for an 8-character body of 0-9/A-Z; ValueError if it is not."""
    if len(first8) != 8 or not set(first8) <= _ORG_VALUE.keys():
        raise ValueError(f"not an 8-character GB 11714 body: {first8!r}")
    total = sum(_ORG_VALUE[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def org_code_of(uscc: str) -> str:
    """The 组织机构代码 embedded in a USCC (positions 9-17), to link pre-2015 records."""
    code = normalise_code(uscc)
    if len(code) != 18:
        raise ValueError("a USCC has 18 characters")
    return f"{code[8:16]}-{code[16]}"


def _show(chars: list[str]) -> str:
    """Offending characters joined for a message; invisible ones written as U+XXXX."""
    return "、".join(ch if ch.isprintable() else f"U+{ord(ch):04X}" for ch in chars)


def _unique_bad(code: str, allowed: frozenset[str] | dict[str, int]) -> list[str]:
    """Characters of ``code`` not in ``allowed``, first occurrence order, no repeats."""
    return list(dict.fromkeys(ch for ch in code if ch not in allowed))


def _region_warning(division: str) -> str | None:
    """A hint (never an error): enterprises in this program are registered in Zhenjiang."""
    if division.startswith(_ZHENJIANG_PREFIX):
        return None
    return f"登记机关行政区划码 {division} 不在镇江市（3211xx），请核对"


def _parse_uscc(code: str, field: str) -> Identifier:
    bad = _unique_bad(code, _USCC_VALUE)
    if bad:
        if all(ch in _USCC_FORBIDDEN for ch in bad):
            ordered = [ch for ch in _USCC_FORBIDDEN if ch in bad]
            raise FieldError(
                field, f"含有不允许的字符 {_show(ordered)}（统一社会信用代码不使用 I、O、S、V、Z）"
            )
        raise FieldError(
            field,
            f"含有不允许的字符 {_show(bad)}"
            "（统一社会信用代码只由数字和大写字母组成，不使用 I、O、S、V、Z）",
        )
    if not set(code[2:8]) <= _DIGITS:
        raise FieldError(field, "第 3–8 位（登记管理机关行政区划码）应为数字")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise FieldError(field, f"校验位应为 {expected}")

    warnings: list[str] = []
    org_expected = org_code_check_char(code[8:16])
    if code[16] != org_expected:
        warnings.append(f"主体标识码（第 9–17 位）校验位不符，应为 {org_expected}，请核对")
    region = _region_warning(code[2:8])
    if region:
        warnings.append(region)
    return Identifier("uscc", code, tuple(warnings))


def _parse_org_code(code: str, field: str) -> Identifier:
    bad = _unique_bad(code[:8], _ORG_VALUE)
    if code[8] not in _DIGITS and code[8] != "X":
        bad = list(dict.fromkeys([*bad, code[8]]))
    if bad:
        raise FieldError(
            field,
            f"含有不允许的字符 {_show(bad)}（组织机构代码由 8 位数字或大写字母加 1 位校验码组成）",
        )
    expected = org_code_check_char(code[:8])
    if code[8] != expected:
        raise FieldError(field, f"校验位应为 {expected}")
    return Identifier("org_code", f"{code[:8]}-{code[8]}")


def _parse_reg_no(code: str, field: str) -> Identifier:
    # GS15-2006 uses the ISO 7064 MOD 11,10 hybrid system (GB/T 17710-1999).
    from stdnum.iso7064 import mod_11_10

    expected = mod_11_10.calc_check_digit(code[:14])
    if code[14] != expected:
        raise FieldError(field, f"校验位应为 {expected}")
    region = _region_warning(code[:6])
    return Identifier("reg_no", code, (region,) if region else ())


def parse_identifier(raw: str | None, field: str = "统一社会信用代码") -> Identifier | None:
    """Validate what the officer typed; blank means "not known yet" and gives None."""
    if raw is None:
        return None
    code = normalise_code(raw)
    if not code:
        return None
    if len(code) == 18:
        return _parse_uscc(code, field)
    if len(code) == 9:
        return _parse_org_code(code, field)
    if len(code) == 15:
        bad = _unique_bad(code, _DIGITS)
        if bad:
            raise FieldError(field, f"15 位工商注册号应全为数字，现含有 {_show(bad)}；{_EXPECTED}")
        return _parse_reg_no(code, field)
    raise FieldError(field, f"{_EXPECTED}，现为 {len(code)} 位")
