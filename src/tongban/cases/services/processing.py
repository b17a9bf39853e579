"""The official's side of a case: act on a workbench task (受理/审核/审批), suspend (挂起), comment.

Actions outside the BPMN's happy path — deny, return for 补正, reject at acceptance (不予受理) — are handled
here, not in the process: the process models only the approval path and its data-driven gateways.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import User
from tongban.cases import permissions, sla
from tongban.cases.models import Application, CaseEvent, Result, Status, Task, TaskState
from tongban.cases.services._common import (
    accept,
    cancel_open_tasks,
    event,
    external_marker,
    finish,
    notify,
    open_tasks,
    record,
    result_label,
    stop_workflow,
    task_notices,
)
from tongban.core.errors import InvalidStateChange, NotFound, ValidationFailed, field_error
from tongban.workflow import services as wf

ACTIONS = ("approve", "deny", "return", "reject")
ACTIVE = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS)


def _load(app_id: int) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("item").get(pk=app_id)


def _done(task: Task, user: User | None, action: str, comment: str, now: dt.datetime) -> None:
    task.state, task.action, task.comment = TaskState.DONE, action, comment
    task.completed_by, task.completed_at = user, now
    task.save(update_fields=["state", "action", "comment", "completed_by", "completed_at"])


def _advance(app: Application, task: Task, user: User | None, data: dict | None, now: dt.datetime) -> list[dict]:
    """Complete the task in the workflow and move the case along; returns the notices to send."""
    known = set(Task.objects.filter(application=app, state=TaskState.OPEN).values_list("engine_task_id", flat=True))
    payload = {**app.form, **(data or {}), "case_number": app.number}
    step = wf.complete(app.process_key, app.workflow_state or {}, task.engine_task_id, payload)
    app.workflow_state = step.state
    notices: list[dict] = []
    if app.status == Status.SUBMITTED:
        accept(app, now)
        notices.append({"event": "case.accepted", "to": "applicant"})
    elif app.status == Status.ACCEPTED and not step.finished:
        app.move_to(Status.IN_PROGRESS)
    if step.finished:
        finish(app, step.data.get("result", Result.APPROVED), now)
        notices.append({"event": "case.completed", "to": "applicant"})
    else:
        app.waiting_external = external_marker(step)
    app.save()
    waiting = {w.id for w in step.waiting}
    Task.objects.filter(application=app, state=TaskState.OPEN).exclude(engine_task_id__in=waiting).exclude(
        pk=task.pk).update(state=TaskState.CANCELLED, completed_at=now)
    return notices + task_notices(open_tasks(app, step, known - {task.engine_task_id}))


def _approve(app, task, user, comment, missing, now):
    notices = _advance(app, task, user, None, now)
    return "approve", notices, {}


def _deny(app, task, user, comment, missing, now):
    if app.status == Status.SUBMITTED:
        raise InvalidStateChange(_("受理环节请使用“不予受理”"), code="use_reject")
    stop_workflow(app)
    finish(app, Result.DENIED, now)
    app.save()
    cancel_open_tasks(app, now, keep=task)
    return "deny", [{"event": "case.completed", "to": "applicant"}], {}


def _return(app, task, user, comment, missing, now):
    """补正: the task stays open for the same official once the applicant resubmits; the clock pauses."""
    if not missing and not comment:
        raise ValidationFailed(errors=[field_error("missing", _("请写明需要补正的材料或内容"), "required")])
    app.status_before_pause = app.status
    app.move_to(Status.SUPPLEMENT_REQUIRED)
    app.missing = list(missing or [])
    sla.pause(app, now)
    app.save()
    ctx = {"missing": "、".join(app.missing) or comment}
    return "return", [{"event": "case.supplement_required", "to": "applicant", "context": ctx}], {
        "missing": app.missing}


def _reject(app, task, user, comment, missing, now):
    if app.status != Status.SUBMITTED:
        raise InvalidStateChange(_("只有受理环节可以不予受理"), code="reject_only_at_acceptance")
    app.move_to(Status.REJECTED)
    stop_workflow(app)
    app.completed_at = now
    app.save()
    cancel_open_tasks(app, now, keep=task)
    return "reject", [{"event": "case.rejected", "to": "applicant", "context": {"reason": comment or "-"}}], {}


HANDLERS = {"approve": _approve, "deny": _deny, "return": _return, "reject": _reject}


def _authorize(user: User, task_id: int) -> Task:
    task = permissions.get_task_for(user, task_id, for_update=True)
    if task.state != TaskState.OPEN:
        raise InvalidStateChange(_("该任务已处理"), code="task_closed")
    if not permissions.can_act(user, task):
        raise NotFound(_("待办任务不存在"), code="task_not_found")
    return task


@transaction.atomic
def act(user: User, task_id: int, action: str, comment: str = "", missing: list[str] | None = None) -> Application:
    """Complete a workbench task with approve / deny / return (补正) / reject (不予受理)."""
    if action not in HANDLERS:
        raise ValidationFailed(errors=[field_error("action", _("未知的办理动作"), "enum")])
    task = _authorize(user, task_id)
    app = _load(task.application_id)
    if app.status not in ACTIVE:
        raise InvalidStateChange(_("办件状态为“%(s)s”，暂不能办理") % {"s": app.status_label},
                                 code="invalid_state_change")
    before, prev, now = app.snapshot(), app.status, timezone.now()
    name, notices, data = HANDLERS[action](app, task, user, comment, missing, now)
    if action != "return":
        _done(task, user, action, comment, now)
    ev = event(app, user, name, now, before=prev, comment=comment, data={"task": task.name, **data})
    notify(ev, notices, {"result": result_label(app.result)})
    record(user, name, app, before, detail={"task": task.spec})
    return app


@transaction.atomic
def resume_external(application_id: int, spec: str, data: dict | None = None, *, actor: User | None = None
                    ) -> Application:
    """Seam for payments/licences: the outside step ``spec`` (e.g. ``fee``) happened; run the process on."""
    app = _load(application_id)
    task = (Task.objects.select_for_update().filter(application=app, spec=spec, kind="external",
                                                    state=TaskState.OPEN).first())
    if task is None:
        raise NotFound(_("办件没有等待中的该环节"), code="external_step_not_waiting")
    if app.status not in ACTIVE:
        raise InvalidStateChange(_("办件状态为“%(s)s”，暂不能继续") % {"s": app.status_label})
    before, prev, now = app.snapshot(), app.status, timezone.now()
    notices = _advance(app, task, actor, data, now)
    _done(task, actor, "approve", "", now)
    ev = event(app, actor, f"external:{spec}", now, before=prev, data={"task": task.name})
    notify(ev, notices, {"result": result_label(app.result)})
    record(actor, "external", app, before, detail={"task": spec})
    return app


@transaction.atomic
def suspend(user: User, application_id: int, reason: str) -> Application:
    """挂起 (e.g. awaiting an expert opinion): the clock pauses until resumed."""
    app = permissions.get_managed_application(user, application_id, for_update=True)
    if not reason:
        raise ValidationFailed(errors=[field_error("reason", _("请填写挂起原因"), "required")])
    before, now = app.snapshot(), timezone.now()
    app.status_before_pause = app.status
    prev = app.move_to(Status.SUSPENDED)
    sla.pause(app, now)
    app.save()
    ev = event(app, user, "suspend", now, before=prev, comment=reason)
    notify(ev, [{"event": "case.suspended", "to": "applicant"}])
    record(user, "suspend", app, before)
    return app


@transaction.atomic
def resume(user: User, application_id: int) -> Application:
    app = permissions.get_managed_application(user, application_id, for_update=True)
    if app.status != Status.SUSPENDED:
        raise InvalidStateChange(_("办件未挂起"), code="invalid_state_change")
    before, now = app.snapshot(), timezone.now()
    prev = app.move_to(app.status_before_pause or Status.ACCEPTED)
    added = sla.resume(app, now)
    app.status_before_pause = ""
    app.save()
    sla.sync_task_due(app)
    ev = event(app, user, "resume", now, before=prev, data={"paused_days": added})
    notify(ev, [{"event": "case.resumed", "to": "applicant"}])
    record(user, "resume", app, before, detail={"paused_days": added})
    return app


@transaction.atomic
def add_comment(user: User, application_id: int, text: str) -> CaseEvent:
    """A note on the case: officials' notes are internal; an applicant's note is visible to both sides."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(errors=[field_error("text", _("请填写内容"), "required")])
    app = permissions.get_application_for(user, application_id)
    ev = event(app, user, "comment", timezone.now(), before=app.status, comment=text,
               visible=not user.is_official)
    record(user, "comment", app, app.snapshot(), detail={"event": ev.pk})
    return ev
