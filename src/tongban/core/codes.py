"""National identifier codes and their check characters (see REFERENCE.md §Identity numbers, §电子证照).

Each validator returns ``None`` when valid and a short reason code otherwise, so callers can map it to a
field-level message without catching exceptions in loops (import files validate millions of rows).
"""

from __future__ import annotations

import datetime as dt
import re

# ---- 公民身份号码 GB 11643-1999 (ISO 7064 MOD 11-2) ----
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_number_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().upper().replace("x", "X")


def id_number_error(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit 公民身份号码, or ``None``."""
    v = normalize_id_number(value)
    if not _ID_RE.match(v):
        return "format"
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return "birth_date"
    if born.year < 1880 or born > dt.date.today():
        return "birth_date"
    if id_number_check_char(v[:17]) != v[17]:
        return "check_digit"
    return None


def id_number_birth_date(value: str) -> dt.date:
    v = normalize_id_number(value)
    return dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def id_number_is_male(value: str) -> bool:
    return int(normalize_id_number(value)[16]) % 2 == 1


# ---- 统一社会信用代码 GB 32100-2015 and 组织机构代码 GB 11714 ----
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUE = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    c = 11 - sum(_ORG_VALUE[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def credit_code_error(value: str) -> str | None:
    """Why ``value`` is not a valid 统一社会信用代码, or ``None``."""
    v = value.strip().upper()
    if len(v) != 18 or any(c not in CREDIT_ALPHABET for c in v):
        return "format"
    if not v[2:8].isdigit():
        return "region"
    if credit_code_check_char(v[:17]) != v[17]:
        return "check_digit"
    if org_code_check_char(v[8:16]) != v[16]:
        return "org_check_digit"
    return None


# ---- GB/T 2260 administrative region codes ----
_REGION_RE = re.compile(r"^(\d{6}|\d{12})$")


def region_code_error(value: str) -> str | None:
    if not _REGION_RE.match(value) or value[:2] == "00":
        return "format"
    return None


def region_prefix(code: str) -> str:
    """The prefix shared by ``code`` and every region below it (500000 → "50", 500103 → "500103").

    GB/T 2260 pads the unused lower levels with zeros, so a subtree is exactly the codes with this prefix.
    """
    parts = [code[0:2], code[2:4], code[4:6]] + ([code[6:9], code[9:12]] if len(code) == 12 else [])
    while len(parts) > 1 and set(parts[-1]) == {"0"}:
        parts.pop()
    return "".join(parts)


def region_contains(scope: str, code: str) -> bool:
    return code.startswith(region_prefix(scope))


# ---- Generic mod-10 check digit (Luhn) for our own numbers ----
def luhn_check_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)
