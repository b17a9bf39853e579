"""A JSON body parser that refuses what the database cannot store or the JSON standard does not allow.

``json.loads`` accepts ``NaN``, ``Infinity`` and ``1e309`` (→ inf), none of which is JSON (RFC 8259) and none of
which PostgreSQL's jsonb can hold; it also accepts ``\\u0000`` and lone surrogates, which neither PostgreSQL text
nor UTF-8 can hold. Rejecting them here turns a later 500 into a 400 that names the problem.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ninja.parser import Parser


class BadJSON(ValueError):
    """The body is not JSON Tongban can accept; ``code`` is the problem code, ``reason`` safe to show."""

    def __init__(self, code: str, reason: str) -> None:
        self.code, self.reason = code, reason
        super().__init__(reason)


def _no_constant(name: str) -> Any:
    raise BadJSON("invalid_json", f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise BadJSON("invalid_json", "number out of range")
    return value


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise BadJSON("invalid_characters", "text contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadJSON("invalid_characters", "text contains an unpaired surrogate") from None


def check_tree(value: Any) -> None:
    """Every string (keys included) of a parsed document must be storable text."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict):
            for key, sub in item.items():
                _check_text(key)
                stack.append(sub)
        elif isinstance(item, list):
            stack.extend(item)


def loads(raw: bytes | str) -> Any:
    try:
        data = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except BadJSON:
        raise
    except RecursionError:
        raise BadJSON("invalid_json", "nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadJSON("invalid_json", _position(exc)) from None
    check_tree(data)
    return data


def _position(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} at line {exc.lineno} column {exc.colno}"
    return "body is not UTF-8 encoded JSON"


class StrictJSONParser(Parser):
    def parse_body(self, request) -> Any:  # type: ignore[override]
        return loads(request.body)
