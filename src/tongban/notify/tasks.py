"""Outbox consumers of notify. Imported by ``NotifyConfig.ready`` so every process registers them, and
autodiscovered by the worker.

Topic ``notify.in_app`` payload::

    {"recipients": [user ids], "title": str, "body": str, "link": str, "category": str}

or, instead of title/body, ``"event"``, ``"context"`` and optional ``"lang"`` to render a template
(``tongban.notify.templates``). One message per recipient, dedup key ``"<outbox key>:<recipient id>"``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from tongban.core import outbox
from tongban.core.models import OutboxMessage
from tongban.notify import templates
from tongban.notify.channels import CHANNELS

IN_APP = "notify.in_app"


def _text(payload: dict) -> tuple[str, str]:
    if "event" in payload and "title" not in payload:
        out = templates.render(payload["event"], payload.get("lang"), **payload.get("context", {}))
        return out.title, out.body
    return payload["title"], payload.get("body", "")


def _existing(ids: list) -> list[int]:
    """Recipients that still exist. A deleted user would otherwise fail the foreign key at commit, outside the
    outbox's per-message savepoint, and block the queue."""
    wanted = {int(i) for i in ids}
    found = set(get_user_model().objects.filter(pk__in=wanted).values_list("pk", flat=True))
    return sorted(found)


@outbox.handler(IN_APP)
def deliver_in_app(msg: OutboxMessage) -> None:
    payload = msg.payload
    title, body = _text(payload)
    channel = CHANNELS["in_app"]
    for recipient in _existing(payload.get("recipients", [])):
        channel.deliver(recipient, title=title, body=body, link=payload.get("link", ""),
                        category=payload.get("category", "case"), dedup_key=f"{msg.key}:{recipient}")
