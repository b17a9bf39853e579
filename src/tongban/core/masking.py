"""Masking personal data for display and exchange (REFERENCE.md §Masking).

Every helper accepts ``None``/empty and returns ``""``; it never raises on odd input, because a display
helper that crashes a page is worse than one that over-masks. When in doubt, hide more.
"""

from __future__ import annotations

from django.conf import settings

STAR = "*"

# policy name -> (keep first, keep last) for 公民身份号码
ID_POLICIES: dict[str, tuple[int, int]] = {"1+2": (1, 2), "3+4": (3, 4), "6+4": (6, 4)}


def _keep(value: str, first: int, last: int, *, stars: int | None = None) -> str:
    """Keep ``first`` leading and ``last`` trailing characters; hide the rest.

    If the value is too short to hide anything under that rule, hide all but the first character."""
    n = len(value)
    if n == 0:
        return ""
    if first + last >= n:
        return value[0] + STAR * (n - 1) if n > 1 else STAR
    hidden = n - first - last
    return value[:first] + STAR * (stars if stars is not None else hidden) + (value[n - last:] if last else "")


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


def mask_name(value: object) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; Latin names keep the first letter too."""
    v = _clean(value)
    return v[0] + STAR * max(len(v) - 1, 1) if v else ""


def mask_id_number(value: object, policy: str | None = None) -> str:
    """公民身份号码, keeping first+last by policy: "1+2" (default), "3+4" or "6+4"."""
    v = _clean(value).replace(" ", "")
    key: str = policy or getattr(settings, "TONGBAN_MASK_ID_POLICY", None) or "1+2"
    first, last = ID_POLICIES.get(key, ID_POLICIES["1+2"])
    return _keep(v, first, last)


def mask_mobile(value: object) -> str:
    """13800000001 → 138****0001 (a +86 prefix is kept as is)."""
    v = _clean(value).replace(" ", "").replace("-", "")
    prefix = ""
    for p in ("+86", "0086"):
        if v.startswith(p):
            prefix, v = p, v[len(p):]
    return prefix + _keep(v, 3, 4)


def mask_landline(value: object) -> str:
    """023-63899999 → 0236*****99: keep 4 + 2 digits, separators dropped."""
    v = "".join(ch for ch in _clean(value) if ch.isdigit())
    return _keep(v, 4, 2)


def mask_phone(value: object) -> str:
    """A phone of either kind: 11-digit numbers starting with 1 are mobiles, the rest landlines."""
    digits = "".join(ch for ch in _clean(value) if ch.isdigit())
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits.startswith("1"):
        return mask_mobile(value)
    return mask_landline(value)


def mask_bank_card(value: object) -> str:
    """Only the last 4 digits: ************1234 → shown as ****1234."""
    v = "".join(ch for ch in _clean(value) if ch.isdigit())
    if not v:
        return ""
    return STAR * 4 + v[-4:] if len(v) > 4 else STAR * len(v)


def mask_email(value: object) -> str:
    """zhangsan@example.com → z***@example.com."""
    v = _clean(value)
    if "@" not in v:
        return mask_name(v)
    local, _, domain = v.rpartition("@")
    return (local[:1] + STAR * 3 if local else STAR) + "@" + domain


def mask_address(value: object, keep: int = 6) -> str:
    """Keep the leading part (province/city/district) and hide the tail: 重庆市渝中区解放碑… → 重庆市渝中区******."""
    v = _clean(value)
    if not v:
        return ""
    keep = min(keep, max(len(v) // 2, 1))
    return v[:keep] + STAR * 6


MASKERS = {
    "name": mask_name, "id_number": mask_id_number, "mobile": mask_mobile, "landline": mask_landline,
    "phone": mask_phone, "bank_card": mask_bank_card, "email": mask_email, "address": mask_address,
}


def mask(kind: str, value: object) -> str:
    """Mask ``value`` as ``kind``; an unknown kind hides everything but the first character."""
    masker = MASKERS.get(kind)
    return masker(value) if masker else mask_name(value)
