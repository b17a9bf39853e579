"""The SLA clock (承诺办结时限): starts at 受理, pauses during 补正 and 挂起, warns, flags overdue, escalates.

Dates are stored rather than derived on read so inbox views (即将超期/已超期) and the periodic scan are
plain indexed filters:

* ``due_date``  = accepted date + promised days + days paused (working or natural days per the item);
* ``warn_date`` = accepted date + ceil(ratio × promised days) + days paused.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tongban.audit import services as audit
from tongban.cases.models import CLOCK_RUNNING, Application, CaseEvent, Task, TaskState
from tongban.catalog.codes import DayUnit
from tongban.core import calendar, outbox


def _natural(app: Application) -> bool:
    return app.item.day_unit == DayUnit.NATURAL


def _add(app: Application, start: dt.date, days: int) -> dt.date:
    if _natural(app):
        return start + dt.timedelta(days=days)
    return calendar.add_working_days(start, days)


def _between(app: Application, start: dt.date, end: dt.date) -> int:
    if _natural(app):
        return max((end - start).days, 0)
    return calendar.working_days_between(start, end)


def recompute(app: Application) -> None:
    """Set due/warn dates from the acceptance date, the promise and the time paused so far."""
    if app.accepted_at is None:
        return
    start = timezone.localdate(app.accepted_at)
    promised = app.item.promised_days
    warn_after = math.ceil(promised * settings.TONGBAN_SLA_WARNING_RATIO) if promised else 0
    app.due_date = _add(app, start, promised + app.paused_working_days)
    app.warn_date = _add(app, start, warn_after + app.paused_working_days)


def start(app: Application, now: dt.datetime) -> None:
    """受理: the clock starts; 即办件 (promised 0 days) are due the same day."""
    app.accepted_at = now
    recompute(app)


def pause(app: Application, now: dt.datetime) -> None:
    if app.accepted_at is not None and app.paused_since is None:
        app.paused_since = now


def resume(app: Application, now: dt.datetime) -> int:
    """Count the days paused into the promise; returns how many were added."""
    if app.paused_since is None:
        return 0
    added = _between(app, timezone.localdate(app.paused_since), timezone.localdate(now))
    app.paused_working_days += added
    app.paused_since = None
    recompute(app)
    return added


def sync_task_due(app: Application) -> None:
    """Open tasks carry the case's due date so inbox views filter without a join."""
    Task.objects.filter(application=app, state=TaskState.OPEN).update(due_date=app.due_date)


def _flag(app: Application, now: dt.datetime, *, field: str, action: str, event: str, audience: str) -> None:
    before = app.snapshot()
    setattr(app, field, now)
    fields = [field]
    if field == "overdue_at":
        app.escalated = True
        fields.append("escalated")
    app.save(update_fields=fields)
    ev = CaseEvent.objects.create(application=app, at=now, action=action, from_status=app.status,
                                  to_status=app.status, visible_to_applicant=False,
                                  data={"due_date": app.due_date.isoformat() if app.due_date else None})
    outbox.emit("cases.notify", {"application_id": app.pk, "notices": [{"event": event, "to": audience}],
                                 "context": {"due": str(app.due_date)}}, key=f"cases:event:{ev.pk}")
    audit.append("system", f"cases.sla.{action}", "application", app.pk, before=before, after=app.snapshot(),
                 detail={"due_date": str(app.due_date)})


def scan(now: dt.datetime | None = None) -> dict[str, int]:
    """Mark warnings (notify the handling officials) and overdue cases (escalate to 部门管理员).

    Idempotent: each case is warned once and flagged overdue once (``warned_at``/``overdue_at``)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    running = Application.objects.filter(status__in=CLOCK_RUNNING).select_related("item")
    warned = overdue = 0
    for app_id in running.filter(warned_at__isnull=True, warn_date__lte=today).values_list("id", flat=True):
        with transaction.atomic():
            app = running.select_for_update(of=("self",)).filter(pk=app_id, warned_at__isnull=True).first()
            if app is not None:
                _flag(app, now, field="warned_at", action="sla_warning", event="sla.warning", audience="tasks")
                warned += 1
    for app_id in running.filter(overdue_at__isnull=True, due_date__lt=today).values_list("id", flat=True):
        with transaction.atomic():
            app = running.select_for_update(of=("self",)).filter(pk=app_id, overdue_at__isnull=True).first()
            if app is not None:
                _flag(app, now, field="overdue_at", action="sla_overdue", event="sla.overdue",
                      audience="dept_admin")
                overdue += 1
    return {"warned": warned, "overdue": overdue}
