from __future__ import annotations

from ninja import Schema
from pydantic import StrictStr


class LoginIn(Schema):
    username: StrictStr
    password: StrictStr


class Me(Schema):
    id: int
    username: str
    kind: str
    display_name: str
    roles: list[dict]
