"""待办 / 已办 / 即将超期 / 已超期: the official's inbox, switched and paged with htmx."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.cases.permissions import tasks_for
from tongban.workbench.presenters import applicant_name, due_state
from tongban.workbench.views.common import header, official_required

TABS = (("open", _("待办")), ("done", _("已办")), ("due_soon", _("即将超期")), ("overdue", _("已超期")))
PAGE_SIZE = 20


@dataclass(frozen=True)
class Row:
    task_id: int
    application_id: int
    number: str
    item: str
    applicant: str
    step: str
    due: object
    due_state: str
    department: str
    status: str
    url: str
    completed_at: object = None
    action: str = ""


def _rows(tasks, tab: str, today) -> list[Row]:
    out = []
    for t in tasks:
        app = t.application
        due = t.due_date or app.due_date
        url = (reverse("workbench:case", args=[app.pk]) if tab == "done"
               else reverse("workbench:task", args=[t.pk]))
        out.append(Row(
            task_id=t.pk, application_id=app.pk, number=app.number or "—", item=app.item.name,
            applicant=applicant_name(app), step=t.name, due=due,
            due_state="" if tab == "done" else due_state(due, app.warn_date, today),
            department=t.department.short_name or t.department.name, status=app.status_label, url=url,
            completed_at=t.completed_at, action=t.action,
        ))
    return out


def _queryset(user, tab: str, q: str):
    qs = tasks_for(user, tab).select_related(
        "application__item", "application__applicant__person", "application__applicant__legal_person",
        "department",
    )
    if q:
        qs = qs.filter(application__number__icontains=q)
    if tab == "done":
        return qs.order_by(F("completed_at").desc(nulls_last=True), "-id")
    return qs.order_by(F("due_date").asc(nulls_last=True), "id")


@official_required
def inbox(request):
    tab = request.GET.get("tab", "open")
    if tab not in dict(TABS):
        tab = "open"
    q = (request.GET.get("q") or "").strip()[:60]
    today = timezone.localdate()
    counts = {key: tasks_for(request.user, key).count() for key, _label in TABS}
    page = Paginator(_queryset(request.user, tab, q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "tabs": [{"key": k, "label": label, "count": counts[k]} for k, label in TABS],
        "tab": tab, "q": q, "page": page, "rows": _rows(page.object_list, tab, today), "today": today,
    }
    if request.htmx and request.htmx.target == "inbox-panel":
        return render(request, "workbench/_inbox_panel.html", context)
    return render(request, "workbench/inbox.html", context | header(request))
