"""统计分析 for the official's department: case counts per status, overdue rate, 好差评 distribution."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.accounts import permissions as account_permissions
from tongban.accounts.models import Department
from tongban.cases.models import Satisfaction
from tongban.insight import services as insight
from tongban.workbench.views.common import header, official_required

PERIODS = (("30", _("近 30 天")), ("90", _("近 90 天")), ("365", _("近一年")), ("all", _("全部")))
BAR_MAX = 260  # px of the longest bar in the inline SVG charts


def _bars(rows: list[tuple[str, int, str]]) -> dict:
    """Geometry for a horizontal bar chart: (label, value, css class) → rows with y, width."""
    top = max([v for _l, v, _c in rows] + [1])
    out = [{"label": label, "value": v, "cls": cls, "y": i * 28, "w": round(v / top * BAR_MAX)}
           for i, (label, v, cls) in enumerate(rows)]
    return {"rows": out, "height": len(rows) * 28, "bar_max": BAR_MAX}


def _departments(user) -> list[Department]:
    return account_permissions.departments_of(user)


def _since(period: str) -> dt.datetime | None:
    return None if period == "all" else timezone.now() - dt.timedelta(days=int(period))


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@official_required
def dashboard(request):
    departments = _departments(request.user)
    chosen = next((d for d in departments if str(d.pk) == request.GET.get("department")),
                  departments[0] if departments else None)
    period = request.GET.get("period", "90")
    period = period if period in dict(PERIODS) else "90"
    context = header(request) | {"departments": departments, "department": chosen, "periods": PERIODS,
                                 "period": period}
    if chosen is not None:
        since = _since(period)
        cases = insight.case_stats(department=chosen, since=since)
        evals = insight.evaluation_stats(department=chosen, since=since)
        level_cls = {5: "good", 4: "good", 3: "", 2: "bad", 1: "bad"}
        context |= {
            "cases": cases, "evals": evals,
            "overdue_rate": _pct(cases["overdue_rate"]), "good_rate": _pct(evals["good_rate"]),
            "status_chart": _bars([(cases["labels"][s], n, "") for s, n in cases["statuses"].items()]),
            "eval_chart": _bars([(str(Satisfaction(level).label), evals["levels"][level], level_cls[level])
                                 for level in sorted(evals["levels"], reverse=True)]),
            "by_item": insight.evaluation_stats_by_item(department=chosen, since=since),
        }
    return render(request, "workbench/dashboard.html", context)
