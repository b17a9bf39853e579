"""Delivery channels. Only the in-app inbox exists now; SMS and email implement the same protocol later."""

from __future__ import annotations

from typing import Protocol

from tongban.notify import services


class Channel(Protocol):
    """A way to reach a user. ``deliver`` must be idempotent on ``dedup_key`` (the outbox redelivers)."""

    name: str

    def deliver(self, recipient_id: int, *, title: str, body: str, link: str, category: str,
                dedup_key: str) -> None: ...


class InAppChannel:
    name = "in_app"

    def deliver(self, recipient_id: int, *, title: str, body: str, link: str, category: str,
                dedup_key: str) -> None:
        services.send_in_app(recipient_id, title=title, body=body, link=link, category=category,
                             dedup_key=dedup_key)


CHANNELS: dict[str, Channel] = {InAppChannel.name: InAppChannel()}
