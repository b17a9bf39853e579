"""Transactional outbox: side effects are rows written with the state change, delivered at least once.

Producers call :func:`emit` inside their service's transaction. Consumers register with :func:`handler`
(in their app's ``tasks.py``) and must be idempotent: a message may be delivered more than once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from tongban.core.models import OutboxMessage

log = logging.getLogger(__name__)
Handler = Callable[[OutboxMessage], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)
_kickers: list[Callable[[], None]] = []
RETRY_DELAYS = (10, 60, 300, 1800, 3600, 21600, 86400)


def handler(topic: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if fn not in _handlers[topic]:
            _handlers[topic].append(fn)
        return fn

    return register


def on_emit(kick: Callable[[], None]) -> None:
    """Register a wake-up call run after a commit that emitted messages (the worker queue)."""
    if kick not in _kickers:
        _kickers.append(kick)


def _kick() -> None:
    for kick in _kickers:
        try:
            kick()
        except Exception:  # the periodic sweep delivers anyway
            log.warning("outbox wake-up failed", exc_info=True)


def emit(topic: str, payload: dict[str, Any], *, key: str) -> OutboxMessage:
    """Write a message in the caller's transaction. ``key`` makes re-emission of the same fact a no-op."""
    if not connection.in_atomic_block:
        raise RuntimeError("outbox.emit must run inside the state change's transaction")
    msg = OutboxMessage(topic=topic, key=key, payload=payload, available_at=timezone.now())
    if connection.vendor in ("postgresql", "sqlite") and connection.features.can_return_columns_from_insert:
        created = _insert_unless_known(msg)
        if not created:
            msg = OutboxMessage.objects.get(key=key)
    else:
        msg, created = OutboxMessage.objects.get_or_create(
            key=key, defaults={"topic": topic, "payload": payload, "available_at": msg.available_at}
        )
    if created:
        transaction.on_commit(_kick)
    return msg


_COLUMNS = ("topic", "key", "payload", "created_at", "available_at", "attempts", "delivered_at", "last_error")
_INSERT = ('INSERT INTO "core_outboxmessage" ("topic", "key", "payload", "created_at", "available_at", "attempts", '
           '"delivered_at", "last_error") VALUES (%s, %s, %s, %s, %s, %s, %s, %s) '
           'ON CONFLICT ("key") DO NOTHING RETURNING "id"')


def _insert_unless_known(msg: OutboxMessage) -> bool:
    """``INSERT … ON CONFLICT (key) DO NOTHING RETURNING id``: one statement instead of get_or_create's
    select, savepoint, insert and release (emit runs on every submit). True when the row was inserted."""
    concrete = {f.name: f for f in OutboxMessage._meta.concrete_fields}
    fields = [concrete[name] for name in _COLUMNS]
    with connection.cursor() as cur:
        cur.execute(_INSERT, [f.get_db_prep_save(f.pre_save(msg, add=True), connection) for f in fields])
        row = cur.fetchone()
    if row is None:
        return False
    msg.pk = row[0]
    msg._state.adding, msg._state.db = False, connection.alias
    return True


def _deliver(msg: OutboxMessage) -> None:
    for fn in _handlers.get(msg.topic, []):
        fn(msg)


def deliver_pending(limit: int = 200) -> int:
    """Deliver due messages; returns how many were delivered. Safe to run in several workers at once."""
    delivered = 0
    now = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(delivered_at__isnull=True, available_at__lte=now)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for msg_id in ids:
        with transaction.atomic():
            msg = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(id=msg_id, delivered_at__isnull=True)
                .first()
            )
            if msg is None:
                continue
            try:
                with transaction.atomic():
                    _deliver(msg)
            except Exception as exc:
                msg.attempts += 1
                delay = RETRY_DELAYS[min(msg.attempts - 1, len(RETRY_DELAYS) - 1)]
                msg.available_at = timezone.now() + dt.timedelta(seconds=delay)
                msg.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                msg.save(update_fields=["attempts", "available_at", "last_error"])
                log.warning("outbox message %s (%s) failed, attempt %s", msg.id, msg.topic, msg.attempts)
                continue
            msg.delivered_at = timezone.now()
            msg.attempts += 1
            msg.save(update_fields=["delivered_at", "attempts"])
            delivered += 1
    return delivered
