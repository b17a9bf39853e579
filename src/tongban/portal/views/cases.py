"""我的办件: the citizen's list, case detail with its timeline, 撤回, 补正 and 好差评."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tongban.cases import permissions
from tongban.cases import services as cases
from tongban.cases.models import DIMENSIONS, FINAL_STATUSES, Satisfaction, Status
from tongban.core import masking
from tongban.core.errors import DomainError, NotFound, ValidationFailed
from tongban.portal import forms
from tongban.portal.views.apply import MATERIAL_PREFIX
from tongban.portal.views.common import not_found_as_404

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # type-checking only: django-stubs-ext is a dev dependency

#: History lines as the applicant reads them (``CaseEvent.action`` → label).
ACTION_LABELS = {
    "submit": gettext_lazy("提交申请"),
    "approve": gettext_lazy("审查通过"),
    "deny": gettext_lazy("不予批准"),
    "return": gettext_lazy("要求补正材料"),
    "reject": gettext_lazy("不予受理"),
    "complete": gettext_lazy("办结"),
    "material": gettext_lazy("上传材料"),
    "withdraw": gettext_lazy("撤回申请"),
    "supplement": gettext_lazy("提交补正"),
    "suspend": gettext_lazy("办理挂起"),
    "resume": gettext_lazy("恢复办理"),
    "comment": gettext_lazy("办理意见"),
    "evaluate": gettext_lazy("评价"),
    "followup": gettext_lazy("追评"),
}
DIMENSION_LABELS = {
    "整体满意度": gettext_lazy("整体满意度"),
    "办事效率": gettext_lazy("办事效率"),
    "办事指南精确度": gettext_lazy("办事指南精确度"),
    "办事便捷度": gettext_lazy("办事便捷度"),
    "平台操作性": gettext_lazy("平台操作性"),
}
#: The five levels, best first, as the form lists them.
LEVELS = [(s.value, s.label) for s in sorted(Satisfaction, key=lambda s: -s.value)]
FILTERS = {
    "open": (gettext_lazy("办理中"), lambda a: a.status not in FINAL_STATUSES and a.status != Status.DRAFT),
    "done": (gettext_lazy("已结束"), lambda a: a.status in FINAL_STATUSES),
    "draft": (gettext_lazy("草稿"), lambda a: a.status == Status.DRAFT),
}


def _own_cases(user):
    """The signed-in person's own applications (an official's department view lives in the workbench)."""
    return (permissions.applications_for(user).filter(applicant=user)
            .select_related("item", "item__department").order_by("-id"))


@login_required
def my_cases(request):
    apps = list(_own_cases(request.user)[:200])
    current = request.GET.get("filter") or ""
    if current in FILTERS:
        apps = [a for a in apps if FILTERS[current][1](a)]
    group = request.GET.get("group")
    if group and group.isdigit():
        apps = [a for a in apps if a.group_id == int(group)]
    tabs = [("", _("全部"))] + [(k, v[0]) for k, v in FILTERS.items()]
    return render(request, "portal/cases/list.html", {"apps": apps, "tabs": tabs, "current": current})


def _timeline(app) -> list[dict]:
    lines = []
    for ev in app.events.filter(visible_to_applicant=True).order_by("-at", "-id"):
        label: StrOrPromise | None = ACTION_LABELS.get(ev.action)
        if ev.action == "approve" and ev.data.get("task"):
            label = _("%(task)s：通过") % {"task": ev.data["task"]}
        elif label is None:
            label = Status(ev.to_status).label if ev.to_status in Status.values else ev.action
        lines.append({"ev": ev, "label": label,
                      "status": Status(ev.to_status).label if ev.to_status in Status.values else "",
                      "missing": ev.data.get("missing") or []})
    return lines


def _form_rows(app) -> list[dict]:
    """What was submitted, labelled by the item's schema (money shown in 元)."""
    return [{"label": f.label, "value": _masked(f, _shown(f.value))}
            for f in forms.fields_for(app.item.form_schema or {}, values=app.form) if f.name in app.form]


def _masked(f: forms.Field, text: str) -> str:
    """Screens are read over shoulders: ID and phone numbers show masked, as on the workbench."""
    if f.widget == "idcard":
        return masking.mask_id_number(text)
    if f.widget == "tel":
        return masking.mask_phone(text)
    return text + (" " + _("元") if f.widget == "money" else "")


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _detail_context(request, app, *, supplement_fields=None, supplement_errors=None, banner="",
                    rating_errors=None) -> dict:
    evaluations = list(app.evaluations.order_by("created_at"))
    materials_by_code = {m.code: m.name for m in app.item.materials.all()}
    return {
        "app": app, "item": app.item, "timeline": _timeline(app), "form_rows": _form_rows(app),
        "materials": [{"cm": cm, "name": materials_by_code.get(cm.material_code, cm.material_code)}
                      for cm in app.materials.all()],
        "item_materials": sorted(
            ({"m": m, "input": MATERIAL_PREFIX + m.code, "missing": m.name in (app.missing or [])}
             for m in app.item.materials.all()), key=lambda row: not row["missing"]),
        "can_withdraw": app.status != Status.DRAFT and app.can_move_to(Status.WITHDRAWN),
        "needs_supplement": app.status == Status.SUPPLEMENT_REQUIRED,
        "supplement_fields": supplement_fields if supplement_fields is not None
        else forms.fields_for(app.item.form_schema or {}, values=app.form),
        "supplement_errors": supplement_errors or {},
        "return_note": _last_return_comment(app),
        "evaluations": evaluations,
        "can_rate": app.can_be_rated(len(evaluations)),
        "is_followup": len(evaluations) == 1,
        "levels": LEVELS,
        "dimensions": [(d, DIMENSION_LABELS.get(d, d)) for d in DIMENSIONS],
        "rating_errors": rating_errors or [],
        "banner": banner,
        "siblings": list(app.group.applications.exclude(pk=app.pk).select_related("item")) if app.group_id else [],
    }


def _last_return_comment(app) -> str:
    ev = app.events.filter(action="return").order_by("-id").first()
    return ev.comment if ev else ""


@login_required
@not_found_as_404
def detail(request, application_id: int):
    app = permissions.get_own_application(request.user, application_id)
    if app.status == Status.DRAFT:
        return HttpResponseRedirect(reverse("portal:apply", args=[app.item.code]) + f"?draft={app.pk}")
    return render(request, "portal/cases/detail.html", _detail_context(request, app))


@login_required
@not_found_as_404
def material(request, application_id: int, material_id: int):
    """The applicant's own upload, always as a download; the read is audited like an official's."""
    found, handle = cases.open_material(request.user, material_id)
    if found.application_id != application_id:
        handle.close()
        raise NotFound(_("材料不存在"), code="material_not_found")
    response = FileResponse(handle, as_attachment=True, filename=found.file_name,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _back(app_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("portal:case_detail", args=[app_id]))


@login_required
@require_POST
@not_found_as_404
def withdraw(request, application_id: int):
    try:
        cases.withdraw(request.user, application_id, reason=(request.POST.get("reason") or "").strip()[:500])
    except NotFound:
        raise
    except DomainError as exc:
        flash.error(request, str(exc.message))
    else:
        flash.success(request, _("已撤回申请"))
    return _back(application_id)


@login_required
@require_POST
@not_found_as_404
def supplement(request, application_id: int):
    app = permissions.get_own_application(request.user, application_id)
    schema = app.item.form_schema or {}
    form, errors, raw = forms.parse(schema, request.POST)
    note = (request.POST.get("note") or "").strip()[:1000]
    material_errors: list[str] = []
    if not errors:
        for m in app.item.materials.all():
            upload = request.FILES.get(MATERIAL_PREFIX + m.code)
            if upload is None:
                continue
            try:
                cases.attach_material(request.user, app.pk, m.code, upload)
            except DomainError as exc:
                material_errors += [f"{m.name}：{e.get('message')}" for e in exc.errors] or [
                    f"{m.name}：{exc.message}"]
    if not errors and not material_errors:
        try:
            cases.supplement(request.user, app.pk, form=form or None, note=note)
        except ValidationFailed as exc:
            by_field, general = forms.split_errors(exc.errors, set(schema.get("properties") or {}))
            errors, material_errors = by_field, general
        except NotFound:
            raise
        except DomainError as exc:
            flash.error(request, str(exc.message))
            return _back(app.pk)
        else:
            flash.success(request, _("补正材料已提交，请等待工作人员审核"))
            return _back(app.pk)
    fields = forms.fields_for(schema, values=app.form, errors=errors, raw=raw)
    context = _detail_context(request, app, supplement_fields=fields,
                              banner=_("补正未提交，请按提示修改"))
    context["supplement_general"] = material_errors
    context["note"] = note
    return render(request, "portal/cases/detail.html", context)


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@login_required
@require_POST
@not_found_as_404
def evaluate(request, application_id: int):
    app = permissions.get_own_application(request.user, application_id)
    satisfaction = _int_or_none(request.POST.get("satisfaction"))
    dimensions = {d: v for d in DIMENSIONS if (v := _int_or_none(request.POST.get(f"dim_{d}"))) is not None}
    comment = (request.POST.get("comment") or "").strip()[:1000]
    if satisfaction is None:
        context = _detail_context(request, app, rating_errors=[_("请选择满意程度")])
        return render(request, "portal/cases/detail.html", context)
    channel = "2" if "Mobile" in request.headers.get("User-Agent", "") else "1"
    try:
        cases.evaluate(request.user, app.pk, satisfaction=satisfaction, dimensions=dimensions or None,
                       comment=comment, channel=channel)
    except ValidationFailed as exc:
        context = _detail_context(request, app, rating_errors=[e.get("message") for e in exc.errors])
        return render(request, "portal/cases/detail.html", context)
    except NotFound:
        raise
    except DomainError as exc:
        flash.error(request, str(exc.message))
    else:
        flash.success(request, _("感谢您的评价！"))
    return _back(app.pk)
