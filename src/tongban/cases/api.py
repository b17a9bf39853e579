"""REST endpoints for cases: parse, authorize (cases.permissions), call a service, shape the response.

Mounted by ``tongban.api.api`` at ``/applications``, ``/me`` and ``/workbench``. Session auth with CSRF.
"""

from __future__ import annotations

import re
from typing import Literal

from django.http import HttpRequest
from ninja import File, Form, Header, Query, Router
from ninja.files import UploadedFile
from ninja.security import django_auth

from tongban.accounts.permissions import signed_in_user
from tongban.cases import permissions, services
from tongban.cases.models import Application, CaseGroup, Evaluation, Status, Task
from tongban.cases.schemas import (
    AnswerIn,
    ApplicationCreate,
    ApplicationDetail,
    ApplicationPage,
    ApplicationSummary,
    BundleCreate,
    CommentIn,
    DraftCreate,
    EvaluationIn,
    EvaluationOut,
    GroupOut,
    MaterialOut,
    RectificationOut,
    RectificationPage,
    SupplementIn,
    SuspendIn,
    TaskAction,
    TaskDetail,
    TaskPage,
    WithdrawIn,
)
from tongban.core.errors import ValidationFailed, field_error
from tongban.core.idempotency import run_once
from tongban.core.masking import mask_name
from tongban.core.pagination import page_by_id

applications_router = Router(tags=["applications"], auth=django_auth)
me_router = Router(tags=["me"], auth=django_auth)
workbench_router = Router(tags=["workbench"], auth=django_auth)

IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,255}")  # printable ASCII, as stored and compared
Limit = Query(20, ge=1, le=100, description="page size, 1–100")
Cursor = Query(None, max_length=200, description="`next` of the previous page")
Upload = File(..., description="the file (type checked from its content; at most 10 MB)")
AppStatus = Literal["draft", "submitted", "accepted", "in_progress", "supplement_required", "suspended",
                    "completed", "rejected", "withdrawn"]


# --- shaping ------------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def summary(app: Application) -> dict:
    return {"id": app.pk, "number": app.number, "status": app.status, "status_label": app.status_label,
            "result": app.result, "service": {"code": app.item.implementation_code, "name": app.item.name},
            "submitted_at": _iso(app.submitted_at), "due_date": _iso(app.due_date), "group_id": app.group_id}


def _evaluation(ev: Evaluation | None) -> dict | None:
    if ev is None:
        return None
    return EvaluationOut(id=ev.pk, satisfaction=ev.satisfaction, satisfaction_label=ev.get_satisfaction_display(),
                         dimensions=ev.dimensions, comment=ev.comment, is_followup=ev.is_followup,
                         created_at=ev.created_at).model_dump()


def _history(app: Application, official: bool) -> list[dict]:
    events = app.events.select_related("actor").order_by("id")
    if not official:
        events = events.filter(visible_to_applicant=True)
    return [{"at": e.at, "action": e.action, "status": e.to_status,
             "status_label": str(Status(e.to_status).label) if e.to_status in Status.values else e.to_status,
             "comment": e.comment, "actor": str(e.actor) if e.actor_id else "系统"} for e in events]


def detail(app: Application, user) -> dict:
    official = user.is_official
    evaluations = {e.is_followup: e for e in app.evaluations.all()}
    return {
        **summary(app), "form": app.form, "missing": app.missing, "accepted_at": app.accepted_at,
        "completed_at": app.completed_at, "waiting_external": app.waiting_external,
        "overdue": app.overdue_at is not None,
        "history": _history(app, official),
        "tasks": [{"id": t.pk, "name": t.name, "role": t.role, "state": t.state, "due": t.due_date}
                  for t in app.tasks.filter(kind="user").order_by("id")],
        "materials": [MaterialOut.from_orm(m).model_dump() for m in app.materials.all()],
        "evaluation": _evaluation(evaluations.get(False)), "followup": _evaluation(evaluations.get(True)),
    }


def task_row(t: Task) -> dict:
    app = t.application
    return {"id": t.pk, "application_id": app.pk, "number": app.number, "name": t.name,
            "service": {"code": app.item.implementation_code, "name": app.item.name}, "due": t.due_date,
            "role": t.role, "state": t.state, "applicant_name_masked": mask_name(str(app.applicant)),
            "created_at": t.created_at, "completed_at": t.completed_at, "action": t.action}


def group_out(group: CaseGroup) -> dict:
    apps = list(group.applications.select_related("item").order_by("id"))
    status = group.status
    return {"id": group.pk, "bundle": group.bundle.code, "status": status,
            "status_label": str(Status(status).label), "applications": [summary(a) for a in apps]}


# --- citizen: applications --------------------------------------------------------------------------


@applications_router.post(
    "", response={201: ApplicationSummary}, summary="Submit an application (申报)",
    description="Validates `form` against the item's `form_schema` (422 lists each bad field) and starts the "
                "item's workflow. With `Idempotency-Key`, a retry with the same body replays the first answer.")
def create_application(request: HttpRequest, payload: ApplicationCreate,
                       idempotency_key: str | None = Header(
                           None, alias="Idempotency-Key",
                           description="1–255 printable ASCII characters, kept 24 h")):
    def produce() -> tuple[int, dict]:
        app = services.submit(signed_in_user(request), service_code=payload.service_code, form=payload.form)
        return 201, summary(app)

    key = idempotency_key
    if key is None:
        return produce()
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ValidationFailed(errors=[field_error("Idempotency-Key", "应为 1 到 255 个可打印 ASCII 字符")],
                               code="idempotency_key_invalid")
    return run_once(f"user:{signed_in_user(request).pk}", key, "POST /applications", payload.model_dump(), produce)


@applications_router.post("/drafts", response={201: ApplicationSummary}, summary="Save a draft (草稿)")
def create_draft(request: HttpRequest, payload: DraftCreate):
    app = services.save_draft(signed_in_user(request), service_code=payload.service_code, form=payload.form,
                              draft_id=payload.draft_id)
    return 201, summary(app)


@applications_router.post("/bundle", response={201: GroupOut},
                          summary="Submit a bundle: one case per department (一件事一次办)")
def create_bundle(request: HttpRequest, payload: BundleCreate):
    group = services.submit_bundle(signed_in_user(request), bundle_code=payload.bundle_code, form=payload.form)
    return 201, group_out(group)


@applications_router.get("/{int:application_id}", response=ApplicationDetail,
                         summary="Status, result and history of my application (办件进度)")
def get_application(request: HttpRequest, application_id: int):
    return detail(permissions.get_application_for(signed_in_user(request), application_id), signed_in_user(request))


@applications_router.post("/{int:application_id}/withdraw", response=ApplicationDetail,
                          summary="Withdraw my application (撤回)")
def withdraw(request: HttpRequest, application_id: int, payload: WithdrawIn):
    app = services.withdraw(signed_in_user(request), application_id, payload.reason)
    return detail(app, signed_in_user(request))


@applications_router.post("/{int:application_id}/supplement", response=ApplicationDetail,
                          summary="Answer a request for corrections (补正)")
def supplement(request: HttpRequest, application_id: int, payload: SupplementIn):
    app = services.supplement(signed_in_user(request), application_id, payload.form, payload.note)
    return detail(app, signed_in_user(request))


@applications_router.post("/{int:application_id}/materials", response={201: MaterialOut},
                          summary="Upload a material, multipart (上传材料)")
def upload_material(request: HttpRequest, application_id: int,
                    material_code: str = Form(..., min_length=1, max_length=60, description="材料编码"),
                    file: UploadedFile = Upload):
    material = services.attach_material(signed_in_user(request), application_id, material_code, file)
    return 201, material


@applications_router.post("/{int:application_id}/evaluation", response={201: EvaluationOut},
                          summary="Rate a completed application, 5 = very satisfied (好差评)")
def evaluate(request: HttpRequest, application_id: int, payload: EvaluationIn):
    ev = services.evaluate(signed_in_user(request), application_id, satisfaction=payload.satisfaction,
                           dimensions=payload.dimensions, comment=payload.comment, channel=payload.channel)
    return 201, _evaluation(ev)


@applications_router.post("/{int:application_id}/comments", response={201: dict}, summary="Add a comment (留言)")
def comment(request: HttpRequest, application_id: int, payload: CommentIn):
    ev = services.add_comment(signed_in_user(request), application_id, payload.text)
    return 201, {"id": ev.pk, "at": ev.at, "comment": ev.comment}


# --- citizen: my applications ------------------------------------------------------------------------


@me_router.get("/applications", response=ApplicationPage, summary="My applications, newest first (我的办件)")
def my_applications(request: HttpRequest, status: AppStatus | None = None, cursor: str | None = Cursor,
                    limit: int = Limit):
    qs = Application.objects.filter(applicant=signed_in_user(request)).select_related("item")
    qs = qs.filter(status=status) if status else qs.exclude(status=Status.DRAFT)
    rows, nxt = page_by_id(qs, cursor, limit)
    return {"items": [summary(a) for a in rows], "next": nxt}


# --- workbench ----------------------------------------------------------------------------------------


def _task_qs(qs):
    return qs.select_related("application__item", "application__applicant")


@workbench_router.get("/tasks", response=TaskPage,
                      summary="Official's inbox: open, done, due soon, overdue (待办/已办/即将超期/已超期)")
def list_tasks(request: HttpRequest, state: Literal["open", "done", "due_soon", "overdue"] = "open",
               cursor: str | None = Cursor, limit: int = Limit):
    rows, nxt = page_by_id(_task_qs(permissions.tasks_for(signed_in_user(request), state)), cursor, limit)
    return {"items": [task_row(t) for t in rows], "next": nxt}


@workbench_router.get("/tasks/{int:task_id}", response=TaskDetail, summary="One task with its case (办件详情)")
def get_task(request: HttpRequest, task_id: int):
    task = permissions.get_task_for(signed_in_user(request), task_id)
    task = _task_qs(Task.objects.filter(pk=task.pk)).get()
    return {**task_row(task), "application": detail(task.application, signed_in_user(request))}


@workbench_router.post("/tasks/{int:task_id}/complete", response=ApplicationDetail,
                       summary="Act on a task: approve, deny, return, reject (办理)")
def complete_task(request: HttpRequest, task_id: int, payload: TaskAction):
    app = services.act(signed_in_user(request), task_id, payload.action, payload.comment, payload.missing)
    return detail(app, signed_in_user(request))


@workbench_router.get("/applications/{int:application_id}", response=ApplicationDetail,
                      summary="A case of my department (办件)")
def get_managed(request: HttpRequest, application_id: int):
    return detail(permissions.get_managed_application(signed_in_user(request), application_id), signed_in_user(request))


@workbench_router.post("/applications/{int:application_id}/comments", response={201: dict},
                       summary="Internal comment (内部意见)")
def official_comment(request: HttpRequest, application_id: int, payload: CommentIn):
    permissions.get_managed_application(signed_in_user(request), application_id)
    ev = services.add_comment(signed_in_user(request), application_id, payload.text)
    return 201, {"id": ev.pk, "at": ev.at, "comment": ev.comment}


@workbench_router.post("/applications/{int:application_id}/suspend", response=ApplicationDetail,
                       summary="Suspend a case; the clock pauses (挂起)")
def suspend(request: HttpRequest, application_id: int, payload: SuspendIn):
    return detail(services.suspend(signed_in_user(request), application_id, payload.reason), signed_in_user(request))


@workbench_router.post("/applications/{int:application_id}/resume", response=ApplicationDetail,
                       summary="Resume a suspended case (恢复)")
def resume(request: HttpRequest, application_id: int):
    return detail(services.resume(signed_in_user(request), application_id), signed_in_user(request))


def _rect_row(r) -> dict:
    app = r.evaluation.application
    return {"id": r.pk, "application_id": app.pk, "number": app.number,
            "service": {"code": app.item.implementation_code, "name": app.item.name},
            "satisfaction": r.evaluation.satisfaction, "comment": r.evaluation.comment, "deadline": r.deadline,
            "state": r.state, "answer": r.answer, "return_visit": r.return_visit}


@workbench_router.get("/rectifications", response=RectificationPage, summary="Rectifications of bad ratings (差评整改)")
def list_rectifications(request: HttpRequest, state: Literal["open", "answered"] | None = None,
                        cursor: str | None = Cursor, limit: int = Limit):
    qs = permissions.rectifications_for(signed_in_user(request)).select_related("evaluation__application__item")
    if state:
        qs = qs.filter(state=state)
    rows, nxt = page_by_id(qs, cursor, limit)
    return {"items": [_rect_row(r) for r in rows], "next": nxt}


@workbench_router.post("/rectifications/{int:rectification_id}/answer", response=RectificationOut,
                       summary="Answer a rectification (整改答复)")
def answer_rectification(request: HttpRequest, rectification_id: int, payload: AnswerIn):
    r = services.answer_rectification(signed_in_user(request), rectification_id, payload.answer)
    scoped = permissions.rectifications_for(signed_in_user(request))
    r = scoped.select_related("evaluation__application__item").get(pk=r.pk)
    return _rect_row(r)


__all__ = ["applications_router", "me_router", "workbench_router"]
