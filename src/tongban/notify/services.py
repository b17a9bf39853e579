"""The only place inbox state changes. Reads are scoped to the recipient, so nobody sees another's mail.

Messages are not written to the audit chain: they are consequences of audited state changes, and one chain
append per message would serialise every delivery on the chain head for no extra evidence.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.core.errors import NotFound
from tongban.core.pagination import page_by_id
from tongban.notify.models import Message

TITLE_MAX = Message._meta.get_field("title").max_length or 200


def send_in_app(recipient_id: int, *, title: str, body: str, link: str = "", category: str = "case",
                dedup_key: str) -> Message:
    """Create the message once per ``dedup_key``; a redelivery returns the message already stored.

    The key names one fact for one recipient (``"<fact>:<recipient id>"``): reusing it for another recipient
    would return the first recipient's message."""
    with transaction.atomic():
        msg, _created = Message.objects.get_or_create(
            dedup_key=dedup_key,
            defaults={"recipient_id": recipient_id, "title": title[:TITLE_MAX], "body": body, "link": link,
                      "category": category},
        )
    return msg


def _own(user) -> QuerySet[Message]:
    return Message.objects.filter(recipient_id=user.pk)


def mark_read(user, message_id: int) -> Message:
    """Idempotent: the first read time is kept. Someone else's message is simply not found."""
    with transaction.atomic():
        msg = _own(user).select_for_update().filter(pk=message_id).first()
        if msg is None:
            raise NotFound(_("消息不存在"), code="message_not_found")
        if msg.read_at is None:
            msg.read_at = timezone.now()
            msg.save(update_fields=["read_at"])
    return msg


def mark_all_read(user) -> int:
    """Returns how many messages changed from unread to read."""
    with transaction.atomic():
        return _own(user).filter(read_at__isnull=True).update(read_at=timezone.now())


def unread_count(user) -> int:
    return _own(user).filter(read_at__isnull=True).count()


def inbox(user, cursor: str | None = None, limit: int = 20) -> tuple[list[Message], str | None]:
    """Newest first, keyset-paginated: (messages, next cursor or None)."""
    return page_by_id(_own(user), cursor, limit, descending=True)
