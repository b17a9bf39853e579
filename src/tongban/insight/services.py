"""Statistics for the workbench dashboard: 好差评 per department and item, case counts, overdue rates.

Read-only aggregates computed in the database (one GROUP BY per figure), so they stay cheap as cases grow.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from tongban.cases.models import (
    Application,
    Evaluation,
    Rectification,
    RectificationState,
    Satisfaction,
    Status,
)
from tongban.core import calendar


def _evaluations(department=None, item=None, since: dt.datetime | None = None) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.filter(is_followup=False)  # 一事一评: the first rating counts, 追评 is extra
    if department is not None:
        qs = qs.filter(department=department)
    if item is not None:
        qs = qs.filter(item=item)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    return qs


def evaluation_stats(department=None, item=None, since: dt.datetime | None = None) -> dict:
    """Counts per level (5 = 非常满意), 好评率 (share not 差评), 差评 count and how many were rectified."""
    qs = _evaluations(department, item, since)
    per_level = dict(qs.values_list("satisfaction").annotate(n=Count("id")).order_by())
    levels = {int(level): per_level.get(level, 0) for level in Satisfaction.values}
    total = sum(levels.values())
    bad = levels[Satisfaction.DISSATISFIED] + levels[Satisfaction.VERY_DISSATISFIED]
    rects = Rectification.objects.filter(evaluation__in=Evaluation.objects.filter(
        pk__in=qs.values("pk")) | Evaluation.objects.filter(
        is_followup=True, application__in=qs.values("application")))
    rect = rects.aggregate(total=Count("id"), answered=Count("id", filter=Q(state=RectificationState.ANSWERED)))
    return {"total": total, "levels": levels, "good": total - bad, "bad": bad,
            "good_rate": round((total - bad) / total, 4) if total else None,
            "rectifications": rect["total"], "rectified": rect["answered"]}


def evaluation_stats_by_department(since: dt.datetime | None = None) -> list[dict]:
    rows = (_evaluations(since=since).values("department_id", "department__name")
            .annotate(total=Count("id"), bad=Count("id", filter=Q(satisfaction__lte=Satisfaction.DISSATISFIED)))
            .order_by("department_id"))
    return [{"department_id": r["department_id"], "department": r["department__name"], "total": r["total"],
             "bad": r["bad"], "good_rate": round((r["total"] - r["bad"]) / r["total"], 4)} for r in rows]


def evaluation_stats_by_item(department=None, since: dt.datetime | None = None) -> list[dict]:
    rows = (_evaluations(department, since=since).values("item_id", "item__name")
            .annotate(total=Count("id"), bad=Count("id", filter=Q(satisfaction__lte=Satisfaction.DISSATISFIED)))
            .order_by("item_id"))
    return [{"item_id": r["item_id"], "item": r["item__name"], "total": r["total"], "bad": r["bad"],
             "good_rate": round((r["total"] - r["bad"]) / r["total"], 4)} for r in rows]


def _cases(department=None, item=None, since: dt.datetime | None = None) -> QuerySet[Application]:
    qs = Application.objects.exclude(status=Status.DRAFT)
    if department is not None:
        qs = qs.filter(department=department)
    if item is not None:
        qs = qs.filter(item=item)
    if since is not None:
        qs = qs.filter(submitted_at__gte=since)
    return qs


def case_stats(department=None, item=None, since: dt.datetime | None = None) -> dict:
    """Per status counts, overdue rate among accepted cases, average working days 受理 → 办结 (net of pauses)."""
    qs = _cases(department, item, since)
    per_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    statuses = {s: per_status.get(s, 0) for s in Status.values if s != Status.DRAFT}
    clocked = qs.filter(accepted_at__isnull=False).aggregate(
        n=Count("id"), overdue=Count("id", filter=Q(overdue_at__isnull=False)))
    durations = [
        max(calendar.working_days_between(accepted.date(), completed.date()) - paused, 0)
        for accepted, completed, paused in qs.filter(status=Status.COMPLETED, accepted_at__isnull=False)
        .values_list("accepted_at", "completed_at", "paused_working_days").iterator()
        if accepted is not None and completed is not None  # always both: filtered above, and set on 办结
    ]
    return {
        "total": sum(statuses.values()), "statuses": statuses,
        "labels": {s: str(Status(s).label) for s in statuses},
        "approved": qs.filter(status=Status.COMPLETED, result="approved").count(),
        "denied": qs.filter(status=Status.COMPLETED, result="denied").count(),
        "overdue": clocked["overdue"],
        "overdue_rate": round(clocked["overdue"] / clocked["n"], 4) if clocked["n"] else None,
        "avg_working_days": round(sum(durations) / len(durations), 2) if durations else None,
    }
