"""Gap-tolerant daily sequences, allocated under a row lock inside the caller's transaction."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F

from tongban.core.models import DailyCounter


def next_daily(prefix: str, day: dt.date) -> int:
    """Next value of the (prefix, day) counter, starting at 1. Call as late as possible in the transaction:
    the counter row stays locked until commit."""
    updated = DailyCounter.objects.filter(prefix=prefix, day=day).update(value=F("value") + 1)
    if not updated:
        try:
            with transaction.atomic():
                DailyCounter.objects.create(prefix=prefix, day=day, value=1)
                return 1
        except IntegrityError:  # created concurrently: fall through to the increment
            DailyCounter.objects.filter(prefix=prefix, day=day).update(value=F("value") + 1)
    return DailyCounter.objects.filter(prefix=prefix, day=day).values_list("value", flat=True).get()
