"""Keyset pagination: stable under inserts and cheap at any depth (no OFFSET scans)."""

from __future__ import annotations

import base64
import json
from typing import Any

from django.db.models import QuerySet

from tongban.core.errors import ValidationFailed


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, json.JSONDecodeError):
        raise ValidationFailed("invalid cursor", code="invalid_cursor") from None


def page_by_id(qs: QuerySet, cursor: str | None, limit: int, *, descending: bool = True) -> tuple[list, str | None]:
    """Rows after ``cursor`` ordered by id; returns (rows, next_cursor or None)."""
    limit = max(1, min(limit, 200))
    if cursor:
        last = decode_cursor(cursor)
        if type(last) is not int:  # a bool is an int subclass: reject it too
            raise ValidationFailed("invalid cursor", code="invalid_cursor")
        qs = qs.filter(id__lt=last) if descending else qs.filter(id__gt=last)
    rows = list(qs.order_by("-id" if descending else "id")[: limit + 1])
    nxt = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    return rows[:limit], nxt
