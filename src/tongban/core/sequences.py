"""Gap-tolerant daily sequences: one row per (prefix, day), incremented in one statement."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from tongban.core.models import DailyCounter


def next_daily(prefix: str, day: dt.date) -> int:
    """Next value of the (prefix, day) counter, starting at 1.

    Inside a transaction the counter row stays locked until commit (call it as late as possible); outside
    one the statement commits at once, and a caller that fails afterwards leaves a gap."""
    if connection.vendor in ("postgresql", "sqlite") and connection.features.can_return_columns_from_insert:
        return _next_returning(prefix, day)
    with transaction.atomic():  # the fallback reads back what it wrote: one transaction, even in autocommit
        return _next_portable(prefix, day)


def _next_portable(prefix: str, day: dt.date) -> int:
    updated = DailyCounter.objects.filter(prefix=prefix, day=day).update(value=F("value") + 1)
    if not updated:
        try:
            with transaction.atomic():
                DailyCounter.objects.create(prefix=prefix, day=day, value=1)
                return 1
        except IntegrityError:  # created concurrently: fall through to the increment
            DailyCounter.objects.filter(prefix=prefix, day=day).update(value=F("value") + 1)
    return DailyCounter.objects.filter(prefix=prefix, day=day).values_list("value", flat=True).get()


_INCREMENT = ('UPDATE "core_dailycounter" SET "value" = "value" + 1 WHERE "prefix" = %s AND "day" = %s '
              'RETURNING "value"')
_UPSERT = ('INSERT INTO "core_dailycounter" ("prefix", "day", "value") VALUES (%s, %s, 1) '
           'ON CONFLICT ("prefix", "day") DO UPDATE SET "value" = "core_dailycounter"."value" + 1 '
           'RETURNING "value"')


def _next_returning(prefix: str, day: dt.date) -> int:
    """One statement per call: ``UPDATE … RETURNING`` on an existing row (the common case), and the first
    call of the day an upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING``), which also covers a row
    created concurrently. PostgreSQL and SQLite ≥ 3.35."""
    params = [prefix, DailyCounter._meta.get_field("day").get_db_prep_value(day, connection)]
    with connection.cursor() as cur:
        cur.execute(_INCREMENT, params)
        row = cur.fetchone()
        if row is None:
            cur.execute(_UPSERT, params)
            row = cur.fetchone()
    return row[0]
