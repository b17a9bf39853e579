"""Worker jobs of cases: deliver case notices (outbox consumer) and run the SLA scan every 10 minutes.

Notices are resolved here, after commit, rather than in the request: who holds a role over a region is a
lookup the submit path should not pay for. Delivery is idempotent (one dedup key per notice and recipient).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tongban.accounts.models import OfficialRole, Role
from tongban.cases import sla
from tongban.cases.models import Application, Task, TaskState
from tongban.core import codes, outbox
from tongban.core.models import OutboxMessage
from tongban.notify import services as notify
from tongban.notify import templates

NOTIFY = "cases.notify"
FALLBACK = {
    "case.withdrawn": ("申请已撤回", "您申请的“{item}”（{number}）已撤回。"),
    "case.supplemented": ("申请人已补正", "“{item}”办件 {number} 已补正，请继续办理。"),
    "case.suspended": ("办件已挂起", "您申请的“{item}”（{number}）已挂起，办理时限暂停计算。"),
    "case.resumed": ("办件恢复办理", "您申请的“{item}”（{number}）已恢复办理。"),
}


def _officials(app: Application, roles: list[str] | None, region_id: str) -> list[int]:
    rows = OfficialRole.objects.filter(department_id=app.department_id)
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return sorted({u for u, scope in rows.values_list("user_id", "region_id")
                   if codes.region_contains(scope, region_id)})


def _task_officials(app: Application, tasks) -> list[int]:
    out: set[int] = set()
    for t in tasks:
        out.update(_officials(app, [t.role], t.region_id))
    return sorted(out)


def recipients(app: Application, notice: dict) -> list[int]:
    to = notice.get("to")
    if to == "applicant":
        return [app.applicant_id]
    if to == "task":
        task_id = notice.get("task_id")
        if task_id is None:  # as filter(pk=None) would: no task, no one
            return []
        return _task_officials(app, Task.objects.filter(pk=task_id, kind="user"))
    if to == "tasks":
        return _task_officials(app, Task.objects.filter(application=app, state=TaskState.OPEN, kind="user"))
    if to in ("dept_admin", "department"):
        admins = _officials(app, [Role.DEPT_ADMIN], app.region_id)
        return admins or (_officials(app, None, app.region_id) if to == "department" else [])
    return []


def render(event: str, ctx: dict) -> tuple[str, str]:
    if event in templates.TEMPLATES:
        out = templates.render(event, templates.ZH, **ctx)
        return out.title, out.body
    title, body = FALLBACK.get(event, ("办件动态", "“{item}”办件 {number} 有新的进展。"))
    return title, body.format(**ctx)


def link(app: Application, notice: dict) -> str:
    if notice.get("to") == "applicant":
        return f"/me/cases/{app.pk}/"
    if notice.get("task_id"):
        return f"/workbench/tasks/{notice['task_id']}/"
    return f"/workbench/cases/{app.pk}/"


@outbox.handler(NOTIFY)
def deliver_notices(msg: OutboxMessage) -> None:
    payload = msg.payload
    app = Application.objects.select_related("item").filter(pk=payload.get("application_id")).first()
    if app is None:
        return
    base = {"number": app.number or "", "item": app.item.name, "result": "", "missing": "", "reason": "",
            "due": str(app.due_date or ""), "level": "", "task": ""}
    for i, notice in enumerate(payload.get("notices", [])):
        ctx = {**base, **payload.get("context", {}), **notice.get("context", {})}
        title, body = render(notice["event"], ctx)
        for user_id in recipients(app, notice):
            notify.send_in_app(user_id, title=title, body=body, link=link(app, notice), category="case",
                               dedup_key=f"{msg.key}:{i}:{user_id}")


@db_periodic_task(crontab(minute="*/10"))
def sla_scan() -> dict:
    return sla.scan()
