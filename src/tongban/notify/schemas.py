from __future__ import annotations

import datetime as dt

from ninja import Schema


class MessageOut(Schema):
    id: int
    title: str
    body: str
    link: str
    category: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class MessagePage(Schema):
    items: list[MessageOut]
    next: str | None


class UnreadCount(Schema):
    count: int


class ReadAll(Schema):
    updated: int
