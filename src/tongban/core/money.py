"""Money is integer fen (分) everywhere. Only presentation turns it into yuan or 大写."""

from __future__ import annotations

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_BIG = ["", "万", "亿", "万亿"]


def yuan(fen: int) -> str:
    """1234 → "12.34"."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def _group(n: int) -> str:
    out, zero = "", False
    for i in range(3, -1, -1):
        d = n // 10**i % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + _UNITS[i]
    return out


def capitalized(fen: int) -> str:
    """Amount in 中文大写 as on 财政电子票据: 1234 → "壹拾贰元叁角肆分"; 100 → "壹元整"."""
    if fen < 0:
        return "负" + capitalized(-fen)
    whole, jiao, fen_ = fen // 100, fen // 10 % 10, fen % 10
    text = ""
    if whole:
        groups, i = [], 0
        while whole:
            groups.append((whole % 10000, i))
            whole //= 10000
            i += 1
        prev_nonzero = False
        for value, idx in reversed(groups):
            if value:
                if prev_nonzero and value < 1000:
                    text += "零"
                text += _group(value) + _BIG[idx]
                prev_nonzero = True
            elif prev_nonzero:
                prev_nonzero = True
        text = text.replace("零零", "零") + "元"
    if not jiao and not fen_:
        return (text or "零元") + "整"
    if jiao:
        if fen // 100 % 10 == 0 and fen >= 1000:  # 元 digit is 0: bank convention writes 零 before 角
            text += "零"
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen_:
        text += _DIGITS[fen_] + "分"
    return text
