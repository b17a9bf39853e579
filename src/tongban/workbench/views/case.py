"""One case: the task page with its action panel, the read-only case page, comments and material downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from tongban.cases import permissions as case_permissions
from tongban.cases import services as cases
from tongban.cases.models import Application, CaseMaterial, Status
from tongban.core.errors import DomainError
from tongban.workbench.presenters import actor_label, applicant_of, due_state, event_label, form_fields
from tongban.workbench.views.common import error_banner, header, official_required, safe_next

ACTIONS = ("approve", "deny", "return", "reject")
DONE_MESSAGES = {  # lazy: translated per request, not once at import
    "approve": _l("已通过本环节。"), "deny": _l("已作出不予批准决定。"),
    "return": _l("已退回申请人补正。"), "reject": _l("已作出不予受理决定。"),
}
COMMENT_MAX = 2000


def _case_context(request, app) -> dict:
    """Everything the case body shows; personal data masked (see presenters)."""
    item = app.item
    uploaded = list(CaseMaterial.objects.filter(application=app).order_by("material_code", "id"))
    by_code: dict[str, list] = {}
    for m in uploaded:
        by_code.setdefault(m.material_code, []).append(m)
    materials = [{"code": m.code, "name": m.name, "required": m.required, "files": by_code.pop(m.code, [])}
                 for m in item.materials.all()]
    materials += [{"code": code, "name": code, "required": False, "files": rows} for code, rows in by_code.items()]
    events = list(app.events.select_related("actor").order_by("at", "id"))
    today = timezone.localdate()
    return {
        "app": app, "item": item, "applicant": applicant_of(app),
        "fields": form_fields(item.form_schema, app.form),
        "materials": materials,
        "history": [(e, event_label(e.action), actor_label(e.actor)) for e in events if e.action != "comment"],
        "comments": [(e, "", actor_label(e.actor)) for e in events if e.action == "comment"],
        "status_labels": dict(Status.choices),
        "due_state": due_state(app.due_date, app.warn_date, today),
        "can_suspend": app.can_move_to(Status.SUSPENDED),
        "can_resume": app.status == Status.SUSPENDED,
        "missing_labels": _missing_labels(app, item),
    }


def _missing_labels(app, item) -> list[str]:
    """``missing`` holds what the applicant reads (material names or free text); codes map to names."""
    names = {m.code: m.name for m in item.materials.all()}
    out = []
    for entry in app.missing or []:
        text = entry.get("name") or entry.get("code") if isinstance(entry, dict) else entry
        out.append(names.get(str(text), str(text)))
    return out


def _select_app(qs):
    return qs.select_related("item", "department", "region", "applicant__person", "applicant__legal_person")


def _render_task(request, task_id: int, *, status: int = 200, form_values: dict | None = None):
    task = case_permissions.get_task_for(request.user, task_id)
    app = _select_app(Application.objects).get(pk=task.application_id)
    context = _case_context(request, app) | header(request) | {
        "task": task, "actionable": task.actionable, "form_values": form_values or {},
    }
    return render(request, "workbench/task.html", context, status=status)


@official_required
def task_detail(request, task_id: int):
    return _render_task(request, task_id)


def _missing_from(request, task) -> list[str]:
    """The items to supplement as the applicant will read them: material names, then the free text."""
    names = dict(task.application.item.materials.values_list("code", "name"))
    picked = [names[c] for c in request.POST.getlist("missing") if c in names][:50]
    other = (request.POST.get("missing_other") or "").strip()[:500]
    return picked + ([other] if other else [])


@official_required
@require_POST
def task_act(request, task_id: int):
    action = request.POST.get("action", "")
    comment = (request.POST.get("comment") or "").strip()[:COMMENT_MAX]
    if action not in ACTIONS:
        messages.error(request, _("请选择办理意见。"))
        return redirect("workbench:task", task_id=task_id)
    try:
        missing = None
        if action == "return":
            missing = _missing_from(request, case_permissions.get_task_for(request.user, task_id))
        cases.act(request.user, task_id, action, comment=comment, missing=missing)
    except DomainError as err:
        if err.status == 404:
            raise Http404 from None
        error_banner(request, err)
        return _render_task(request, task_id, status=err.status, form_values={"action": action, "comment": comment})
    messages.success(request, DONE_MESSAGES[action])
    return redirect(reverse("workbench:inbox"))


@official_required
def case_detail(request, application_id: int):
    app = case_permissions.get_application_for(request.user, application_id)
    app = _select_app(Application.objects).get(pk=app.pk)
    open_task = case_permissions.tasks_for(request.user, "open").filter(application=app).first()
    context = _case_context(request, app) | header(request) | {"open_task": open_task}
    return render(request, "workbench/case.html", context)


def _back(request, app_id: int) -> str:
    return safe_next(request, reverse("workbench:case", args=[app_id]))


@official_required
@require_POST
def case_comment(request, application_id: int):
    text = (request.POST.get("text") or "").strip()[:COMMENT_MAX]
    try:
        cases.add_comment(request.user, application_id, text)
    except DomainError as err:
        if err.status == 404:
            raise Http404 from None
        error_banner(request, err)
    else:
        messages.success(request, _("意见已保存。"))
    return redirect(_back(request, application_id))


@official_required
@require_POST
def case_suspend(request, application_id: int):
    reason = (request.POST.get("comment") or "").strip()[:COMMENT_MAX]
    resume = request.POST.get("op") == "resume"
    try:
        if resume:
            cases.resume(request.user, application_id)
        else:
            cases.suspend(request.user, application_id, reason=reason)
    except DomainError as err:
        if err.status == 404:
            raise Http404 from None
        error_banner(request, err)
        return redirect(_back(request, application_id))
    messages.success(request, _("办件已恢复办理。") if resume else _("办件已挂起，办理时限暂停计算。"))
    return redirect(_back(request, application_id))


@official_required
def material_download(request, material_id: int):
    """Stream a material only if its case is in the official's scope; always as a download, never inline."""
    material, handle = cases.open_material(request.user, material_id)  # scope-checked and audited; 404 otherwise
    response = FileResponse(handle, as_attachment=True, filename=material.file_name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
