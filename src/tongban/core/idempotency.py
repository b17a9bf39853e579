"""Idempotency-Key semantics (REFERENCE.md): same key + same body → the stored response; same key + a
different body → 422; while the first request is still in flight → 409."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.core.errors import Conflict, ValidationFailed
from tongban.core.models import IdempotencyRecord


def body_hash(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def run_once(principal: str, key: str, scope: str, body: Any,
             produce: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run ``produce`` once per (principal, key); later calls replay its (status, response)."""
    if not key or len(key) > 255:
        raise ValidationFailed(_("Idempotency-Key 长度应为 1 到 255 个字符"), code="idempotency_key_invalid")
    digest = body_hash(body)
    cutoff = timezone.now() - dt.timedelta(hours=settings.TONGBAN_IDEMPOTENCY_HOURS)
    IdempotencyRecord.objects.filter(principal=principal, key=key, created_at__lt=cutoff).delete()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(principal=principal, key=key, scope=scope, body_hash=digest)
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(principal=principal, key=key)
        if existing.body_hash != digest or existing.scope != scope:
            raise ValidationFailed(
                _("同一个 Idempotency-Key 已用于不同的请求内容"), code="idempotency_key_reused"
            ) from None
        if existing.status_code is None:
            raise Conflict(_("相同的请求仍在处理中"), code="idempotency_in_flight") from None
        return existing.status_code, existing.response
    try:
        status, response = produce()
    except Exception:
        record.delete()
        raise
    record.status_code, record.response = status, response
    record.save(update_fields=["status_code", "response"])
    return status, response
