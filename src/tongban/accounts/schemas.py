from __future__ import annotations

from ninja import Schema
from pydantic import Field, StrictStr


class LoginIn(Schema):
    username: StrictStr = Field(min_length=1, max_length=150)
    password: StrictStr = Field(min_length=1, max_length=4096)  # bounded: hashing cost grows with length


class Me(Schema):
    id: int
    username: str
    kind: str
    display_name: str
    roles: list[dict]
