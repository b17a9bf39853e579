"""Building blocks shared by the case services: history lines, notices, audit, workbench task rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import User
from tongban.audit import services as audit
from tongban.cases import handlers, sla
from tongban.cases.models import Application, CaseEvent, Result, Status, Task, TaskState
from tongban.catalog.models import ServiceItem
from tongban.core import outbox
from tongban.core.errors import NotFound, ValidationFailed, field_error
from tongban.workflow import services as wf

NOTIFY = "cases.notify"
#: What the case services read of an item; the large guide texts and the BPMN stay in the database.
ITEM_FIELDS = ("id", "implementation_code", "name", "department_id", "region_id", "form_schema", "assurance_level",
               "case_type", "promised_days", "day_unit", "result_type", "updated_at", "active",
               *(f"process__{f}" for f in wf.LIGHT_FIELDS))
_items: dict[str, tuple[tuple, ServiceItem]] = {}


def actor_of(user: User | None) -> str:
    return f"user:{user.pk}" if user is not None else "system"


def load_item(service_code: str) -> ServiceItem:
    """The active item with its process row, cached per process and validated on every call.

    Why: the full item row (form schema, process) is large and the derived work on it (compiled form
    validator, compiled process) is keyed on it; a light query of the row's identity and modification times
    decides whether the cached copy is still this item as it stands now, so an operator's edit, a deactivation,
    a re-created row or a new process version reaches the very next submission. Callers must not mutate it."""
    stamp = (ServiceItem.objects.filter(implementation_code=service_code, active=True)
             .values_list("pk", "updated_at", "process_id", "process__version", "process__updated_at").first())
    if stamp is None:
        raise ValidationFailed(errors=[field_error("service_code", _("事项不存在或已停用"), "unknown_service")])
    if stamp[2] is None:
        raise NotFound(_("该事项暂未开通网上办理"), code="item_not_online")
    hit = _items.get(service_code)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    item = ServiceItem.objects.select_related("process").only(*ITEM_FIELDS).get(pk=stamp[0])
    if len(_items) > 2048:
        _items.clear()
    _items[service_code] = (stamp, item)
    return item


def event(app: Application, user: User | None, action: str, now: dt.datetime, *, before: str = "",
          to: str | None = None, comment: str = "", visible: bool = True, data: dict | None = None) -> CaseEvent:
    return CaseEvent.objects.create(application=app, at=now, actor=user, action=action, from_status=before,
                                    to_status=app.status if to is None else to, comment=comment,
                                    visible_to_applicant=visible, data=data or {})


def notify(ev: CaseEvent, notices: list[dict], context: dict | None = None) -> None:
    """One outbox row per history line; the consumer (cases.tasks) resolves recipients and texts later,
    so no recipient lookups run inside the request."""
    if notices:
        outbox.emit(NOTIFY, {"application_id": ev.application_id, "notices": notices, "context": context or {}},
                    key=f"cases:event:{ev.pk}")


def record(user: User | None, action: str, app: Application, before: dict | None, *,
           detail: dict | None = None) -> None:
    """Audit last: the chain head stays locked until commit."""
    audit.append(actor_of(user), f"cases.application.{action}", "application", app.pk, before=before,
                 after=app.snapshot(), detail={"status": app.status, **(detail or {})})


def open_tasks(app: Application, step: wf.Step, known: set[str]) -> list[Task]:
    """Task rows for waiting tasks not yet on the workbench, addressed to (department, role, region)."""
    rows = [
        Task(application=app, engine_task_id=w.id, spec=w.spec, name=w.name, kind=w.kind,
             department_id=app.department_id, role=w.role, region_id=app.region_id, due_date=app.due_date)
        for w in step.waiting if w.id not in known
    ]
    if rows:
        Task.objects.bulk_create(rows)
    return rows


def external_marker(step: wf.Step) -> str:
    """The outside step (fee, licence) the case waits on, shown as a marker while in progress."""
    externals = [w.spec for w in step.waiting if w.kind == "external"]
    return externals[0] if externals else ""


def task_notices(tasks: list[Task]) -> list[dict]:
    return [{"event": "task.assigned", "to": "task", "task_id": t.pk, "context": {"task": t.name}}
            for t in tasks if t.kind == "user" and t.pk]


def cancel_open_tasks(app: Application, now: dt.datetime, *, keep: Task | None = None) -> None:
    qs = Task.objects.filter(application=app, state=TaskState.OPEN)
    if keep is not None:
        qs = qs.exclude(pk=keep.pk)
    qs.update(state=TaskState.CANCELLED, completed_at=now)


def stop_workflow(app: Application) -> None:
    if app.workflow_state and app.process_key:
        app.workflow_state = wf.cancel(app.process_key, app.workflow_state).state


def finish(app: Application, result: str, now: dt.datetime) -> None:
    """办结: set the result, stop the clock, let registered domains (licences …) hook in."""
    app.move_to(Status.COMPLETED)
    app.result = result if result in (Result.APPROVED, Result.DENIED) else Result.APPROVED
    app.completed_at = now
    app.paused_since = None
    app.waiting_external = ""
    handlers.run_completed(app)


def accept(app: Application, now: dt.datetime) -> None:
    app.move_to(Status.ACCEPTED)
    sla.start(app, now)


def result_label(result: str) -> str:
    return str(Result(result).label) if result in Result.values else result


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def forget_items() -> None:
    """Drop cached items (tests, or right after a catalog import)."""
    _items.clear()
