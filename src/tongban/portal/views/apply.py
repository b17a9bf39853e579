"""在线办理: the application form rendered from the item's JSON Schema, drafts, materials; 一件事 bundles.

The view converts posted strings to typed values (``portal.forms``) and hands them to the case service,
which alone decides what is valid. Its ``ValidationFailed.errors`` come back beside the fields, with what
the user typed kept in the inputs.
"""

from __future__ import annotations

from collections.abc import Set

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tongban.cases import permissions
from tongban.cases import services as cases
from tongban.cases.models import Status
from tongban.cases.prefill import prefill
from tongban.cases.services import forms as case_forms
from tongban.catalog import services as catalog
from tongban.core.errors import DomainError, NotFound, ValidationFailed
from tongban.portal import forms
from tongban.portal.views.common import not_found_as_404

MATERIAL_PREFIX = "m_"


class Attempt:
    """One rendering of an application form: values to show, errors per field, and a banner."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.values: dict = {}
        self.raw: dict = {}
        self.errors: dict[str, str] = {}
        self.material_errors: dict[str, str] = {}
        self.general: list[str] = []
        self.banner = ""

    def take(self, exc: DomainError, material_codes: Set[str] = frozenset()) -> None:
        names = set(self.schema.get("properties") or {})
        by_field, general = forms.split_errors(exc.errors, names | {MATERIAL_PREFIX + c for c in material_codes})
        for name, message in by_field.items():
            if name.startswith(MATERIAL_PREFIX) and name[len(MATERIAL_PREFIX):] in material_codes:
                self.material_errors.setdefault(name[len(MATERIAL_PREFIX):], message)
            else:
                self.errors.setdefault(name, message)
        self.general += general
        self.banner = str(exc.message)

    def fields(self) -> list[forms.Field]:
        return forms.fields_for(self.schema, values=self.values, errors=self.errors, raw=self.raw)


def _parse_into(attempt: Attempt, data) -> dict:
    form, errors, raw = forms.parse(attempt.schema, data)
    attempt.raw, attempt.errors = raw, dict(errors)
    return form


def _uploads(request, materials) -> list[tuple[object, object]]:
    files = request.FILES
    return [(m, files[MATERIAL_PREFIX + m.code]) for m in materials if MATERIAL_PREFIX + m.code in files]


def _draft_id(request) -> int | None:
    raw = request.POST.get("draft_id") or request.GET.get("draft") or ""
    return int(raw) if raw.isdigit() else None


def _load_draft(user, draft_id: int | None, item):
    """The user's own draft of this item, or None (a stale or foreign id just starts a fresh form)."""
    if draft_id is None:
        return None
    try:
        app = permissions.get_own_application(user, draft_id)
    except NotFound:
        return None
    if app.status != Status.DRAFT or app.item_id != item.pk:
        return None
    return app


def _render(request, item, attempt: Attempt, draft, status: int = 200, prefilled: dict | None = None):
    attached = {m.material_code for m in draft.materials.all()} if draft else set()
    materials = [
        {"m": m, "input": MATERIAL_PREFIX + m.code, "attached": m.code in attached,
         "error": attempt.material_errors.get(m.code, "")}
        for m in item.materials.all()
    ]
    return render(request, "portal/apply.html", {
        "item": item, "fields": attempt.fields(), "materials": materials, "draft": draft,
        "prefilled_sources": sorted({p.source for p in (prefilled or {}).values()}),
        "banner": attempt.banner, "general_errors": attempt.general,
    }, status=status)


def _attach_all(request, app, uploads, attempt: Attempt) -> None:
    for material, upload in uploads:
        try:
            cases.attach_material(request.user, app.pk, material.code, upload)
        except DomainError as exc:
            messages = [str(e.get("message")) for e in exc.errors] or [str(exc.message)]
            attempt.material_errors[material.code] = "；".join(messages)
    if attempt.material_errors:
        attempt.banner = _("部分材料上传失败，请检查后重新选择文件")


@login_required
@not_found_as_404
def apply(request, code: str):
    item = catalog.get_item(code)
    attempt = Attempt(item.form_schema or {})
    draft = _load_draft(request.user, _draft_id(request), item)
    if request.method != "POST":
        known = prefill(request.user, item)
        attempt.values = draft.form if draft else {f: p.value for f, p in known.items()}
        return _render(request, item, attempt, draft, prefilled=known if not draft else {})

    form = _parse_into(attempt, request.POST)
    uploads = _uploads(request, item.materials.all())
    if request.POST.get("action") == "draft":
        return _save_draft(request, item, form, draft, uploads, attempt)
    if attempt.errors:
        attempt.banner = _("请按提示修改标红的内容")
        _add_service_errors(item, form, attempt)
        return _render(request, item, attempt, draft)
    try:
        if uploads:  # materials hang off a case, so keep the form as a draft first
            draft = cases.save_draft(request.user, service_code=item.code, form=form,
                                     draft_id=draft.pk if draft else None)
            _attach_all(request, draft, uploads, attempt)
            if attempt.material_errors:
                return _render(request, item, attempt, draft)
        app = cases.submit(request.user, service_code=item.code, form=form, draft_id=draft.pk if draft else None)
    except ValidationFailed as exc:
        attempt.take(exc, {m.code for m in item.materials.all()})
        return _render(request, item, attempt, draft)
    except NotFound:
        raise
    except DomainError as exc:
        attempt.banner = str(exc.message)
        return _render(request, item, attempt, draft)
    flash.success(request, _("提交成功！办件编号：%(number)s") % {"number": app.number})
    return HttpResponseRedirect(reverse("portal:case_detail", args=[app.pk]))


def _add_service_errors(item, form: dict, attempt: Attempt) -> None:
    """While some inputs could not even be converted, still show the service's verdict on the others."""
    key = ("portal", item.pk, item.updated_at.isoformat() if item.updated_at else "")
    errors = case_forms.form_errors(key, item.form_schema or {}, form)
    by_field, _general = forms.split_errors(errors, set((item.form_schema or {}).get("properties") or {}))
    for name, message in by_field.items():
        attempt.errors.setdefault(name, message)


def _save_draft(request, item, form, draft, uploads, attempt: Attempt):
    try:
        draft = cases.save_draft(request.user, service_code=item.code, form=form,
                                 draft_id=draft.pk if draft else None)
    except DomainError as exc:
        attempt.take(exc)
        return _render(request, item, attempt, draft)
    _attach_all(request, draft, uploads, attempt)
    if attempt.material_errors:
        return _render(request, item, attempt, draft)
    flash.success(request, _("草稿已保存，可稍后继续填写"))
    return HttpResponseRedirect(reverse("portal:apply", args=[item.code]) + f"?draft={draft.pk}")


@login_required
@not_found_as_404
def bundle_apply(request, code: str):
    bundle = catalog.get_bundle(code)
    attempt = Attempt(bundle.form_schema or {})
    if request.method == "POST":
        form = _parse_into(attempt, request.POST)
        if attempt.errors:
            attempt.banner = _("请按提示修改标红的内容")
        else:
            try:
                group = cases.submit_bundle(request.user, bundle_code=bundle.code, form=form)
            except ValidationFailed as exc:
                attempt.take(exc)
            except NotFound:
                raise
            except DomainError as exc:
                attempt.banner = str(exc.message)
            else:
                numbers = "、".join(a.number for a in group.applications.all() if a.number)
                flash.success(request, _("提交成功！已为您同时申报 %(n)d 个事项：%(numbers)s") % {
                    "n": group.applications.count(), "numbers": numbers})
                return HttpResponseRedirect(reverse("portal:my_cases") + f"?group={group.pk}")
    return render(request, "portal/bundle_apply.html", {
        "bundle": bundle, "fields": attempt.fields(), "banner": attempt.banner,
        "general_errors": attempt.general,
    })
