"""The citizen's side of a case: drafts, submit (申报), 一件事 bundles, materials, withdraw (撤回), supplement (补正).

The submit path is benchmarked, so it is kept lean: validation, the workflow start and the 办件编号 (its
own one-statement transaction on the daily counter, decision 0009) run before the case's transaction opens;
inside it the rows are inserted and the one serialising step, the audit chain head, comes last, so its row
lock is held for the shortest time.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import LegalPerson, Person, User
from tongban.cases import sla
from tongban.cases.models import Application, CaseGroup, CaseMaterial, Status
from tongban.cases.services import forms
from tongban.cases.services._common import (
    accept,
    cancel_open_tasks,
    event,
    external_marker,
    finish,
    load_item,
    notify,
    open_tasks,
    record,
    stop_workflow,
    task_notices,
)
from tongban.catalog.models import Bundle, Material, Process, ServiceItem
from tongban.core import codes, sequences
from tongban.core.errors import Forbidden, InvalidStateChange, NotFound, ValidationFailed, field_error
from tongban.files import services as files
from tongban.workflow import services as wf

DEFAULT_FORMATS = ["pdf", "jpg", "jpeg", "png"]


@dataclass(frozen=True)
class Applicant:
    assurance: int
    region_id: str | None


def _applicant(user: User) -> Applicant:
    row = Person.objects.filter(user=user).values_list("assurance_level", "region_id").first()
    if row is not None:
        return Applicant(*row)
    region = LegalPerson.objects.filter(user=user).values_list("region_id", flat=True).first()
    # An enterprise acts through its registered credit code (实名 by registration); step-up comes with identity.
    return Applicant(2 if region is not None or user.kind == "enterprise" else 0, region)


def _check_assurance(item: ServiceItem, who: Applicant) -> None:
    if who.assurance < item.assurance_level:
        raise Forbidden(_("办理该事项需要更高的身份认证等级"), code="assurance_required",
                        required_level=item.assurance_level, current_level=who.assurance)


def _region_for(item: ServiceItem, who: Applicant) -> str:
    """The most local office that serves the item: the applicant's region when it lies inside the item's."""
    if who.region_id and codes.region_contains(item.region_id, who.region_id):
        return who.region_id
    return item.region_id


def _schema_key(item: ServiceItem) -> tuple:
    return ("item", item.pk, item.updated_at.isoformat() if item.updated_at else "")


def _process_of(item: ServiceItem) -> Process:
    if item.process is None:  # load_item refuses such items; this keeps the type honest
        raise NotFound(_("该事项暂未开通网上办理"), code="item_not_online")
    return item.process


def _start(item: ServiceItem, form: dict) -> wf.Step:
    return wf.start(_process_of(item), {**form, "service_code": item.implementation_code})


def _number(item: ServiceItem, now: dt.datetime) -> str:
    """办件编号 = 实施编码 + yyyyMMdd + 4-digit daily sequence.

    Called before the case's transaction opens: the counter statement then commits on its own, so the
    counter row (one per item and day: every submission of a popular item meets there) is not locked while
    the case is written and committed. A submission that fails afterwards leaves a gap in the day's
    sequence (decision 0009). Inside a caller's transaction it simply joins it."""
    day = timezone.localdate(now)
    seq = sequences.next_daily(item.implementation_code, day)
    return f"{item.implementation_code}{day:%Y%m%d}{seq:04d}"


def _create(user: User, item: ServiceItem, form: dict, who: Applicant, step: wf.Step, now: dt.datetime,
            number: str, *, draft: Application | None = None, group: CaseGroup | None = None) -> Application:
    app = draft or Application(item=item, applicant=user, department_id=item.department_id)
    app.item, app.number = item, number
    app.region_id, app.form, app.group = _region_for(item, who), form, group or app.group
    process = _process_of(item)
    app.process_key, app.process_version = process.key, process.version
    app.workflow_state, app.submitted_at = step.state, now
    app.waiting_external = external_marker(step)
    app.move_to(Status.SUBMITTED)
    if step.finished:  # 即办件: accepted and decided on the spot
        accept(app, now)
        finish(app, step.data.get("result", "approved"), now)
    app.save()
    ev = event(app, user, "submit", now, before=Status.DRAFT, to=Status.SUBMITTED)
    notices = [{"event": "case.submitted", "to": "applicant"}]
    if step.finished:
        ev = event(app, None, "complete", now, before=Status.SUBMITTED)
        notices.append({"event": "case.completed", "to": "applicant"})
    notices += task_notices(open_tasks(app, step, set()))
    notify(ev, notices, {"result": str(app.get_result_display()) if app.result else ""})
    return app


def _draft_for(user: User, draft_id: int, item: ServiceItem) -> Application:
    draft = (Application.objects.select_for_update().filter(pk=draft_id, applicant=user, item=item)
             .first())
    if draft is None:
        raise NotFound(_("草稿不存在"), code="draft_not_found")
    if draft.status != Status.DRAFT:
        raise InvalidStateChange(_("该草稿已提交"), code="draft_already_submitted")
    return draft


def submit(user: User, *, service_code: str, form: dict, draft_id: int | None = None) -> Application:
    """申报: validate, start the workflow, open the first tasks, number the case."""
    item = load_item(service_code)
    forms.check(_schema_key(item), item.form_schema, form)
    who = _applicant(user)
    _check_assurance(item, who)
    step = _start(item, form)
    now = timezone.now()
    number = _number(item, now)
    with transaction.atomic():
        draft = _draft_for(user, draft_id, item) if draft_id else None
        before = draft.snapshot() if draft else None
        app = _create(user, item, form, who, step, now, number, draft=draft)
        record(user, "submit", app, before, detail={"service_code": item.implementation_code})
    return app


@transaction.atomic
def save_draft(user: User, *, service_code: str, form: dict, draft_id: int | None = None) -> Application:
    """草稿: stored without validation (a half-filled form is the point), never numbered, not public."""
    if not isinstance(form, dict):
        raise ValidationFailed(errors=[field_error("form", _("表单应为对象"), "type")])
    item = load_item(service_code)
    app = _draft_for(user, draft_id, item) if draft_id else None
    before = app.snapshot() if app else None
    if app is None:
        app = Application(item=item, applicant=user, department_id=item.department_id, status=Status.DRAFT,
                          region_id=_region_for(item, _applicant(user)))
    app.form = form
    app.save()
    record(user, "draft", app, before)
    return app


def _member_form(field_map: dict, item: ServiceItem, form: dict) -> dict:
    """Map the bundle form onto one member item (``field_map``: item field → bundle field)."""
    if field_map:
        return {f: form[b] for f, b in field_map.items() if b in form}
    props = (item.form_schema or {}).get("properties")
    return {k: v for k, v in form.items() if k in props} if props else dict(form)


def _bundle(bundle_code: str) -> tuple[Bundle, list]:
    bundle = Bundle.objects.filter(code=bundle_code, active=True).first()
    if bundle is None:
        raise NotFound(_("一件事不存在"), code="bundle_not_found")
    members = list(bundle.members.select_related("item__process").order_by("order", "id"))
    if not members:
        raise NotFound(_("该一件事没有可办理的事项"), code="bundle_empty")
    return bundle, members


def _bundle_errors(bundle: Bundle, members: list, form: dict) -> list[dict]:
    key = ("bundle", bundle.pk, json.dumps(bundle.form_schema, sort_keys=True))
    errors = forms.form_errors(key, bundle.form_schema, form)
    for m in members:
        back = m.field_map or {}
        for e in forms.form_errors(_schema_key(m.item), m.item.form_schema, _member_form(m.field_map, m.item, form)):
            e["field"] = back.get(e["field"], e["field"])
            if e not in errors:
                errors.append(e)
    return errors


def submit_bundle(user: User, *, bundle_code: str, form: dict) -> CaseGroup:
    """一件事一次办: one form, one submission, one linked application per member item."""
    bundle, members = _bundle(bundle_code)
    if not isinstance(form, dict):
        raise ValidationFailed(errors=[field_error("form", _("表单应为对象"), "type")])
    errors = _bundle_errors(bundle, members, form)
    if errors:
        raise ValidationFailed(errors=errors)
    who = _applicant(user)
    for m in members:
        if m.item.process_id is None:
            raise NotFound(_("该事项暂未开通网上办理"), code="item_not_online")
        _check_assurance(m.item, who)
    plans = [(m.item, f := _member_form(m.field_map, m.item, form), _start(m.item, f)) for m in members]
    now = timezone.now()
    numbers = [_number(item, now) for item, _f, _step in plans]
    with transaction.atomic():
        group = CaseGroup.objects.create(bundle=bundle, applicant=user, form=form)
        apps = [_create(user, item, f, who, step, now, number, group=group)
                for (item, f, step), number in zip(plans, numbers, strict=True)]
        for app in apps:
            record(user, "submit", app, None, detail={"service_code": app.item.implementation_code,
                                                      "bundle": bundle.code})
    return group


def attach_material(user: User, application_id: int, material_code: str, upload) -> CaseMaterial:
    """申请材料 upload: type (sniffed) and size checked by the file store before the case row is touched."""
    app = Application.objects.filter(pk=application_id, applicant=user).select_related("item").first()
    if app is None:
        raise NotFound(_("办件不存在"), code="application_not_found")
    if app.status in (Status.COMPLETED, Status.REJECTED, Status.WITHDRAWN):
        raise InvalidStateChange(_("办件已结束，不能再上传材料"), code="application_closed")
    material = Material.objects.filter(item_id=app.item_id, code=material_code).first()
    if material is None:
        raise ValidationFailed(errors=[field_error("material_code", _("该事项没有此材料"), "unknown_material")])
    stored = files.store_upload(user, upload, allowed=material.formats or DEFAULT_FORMATS)
    now = timezone.now()
    with transaction.atomic():
        cm = CaseMaterial.objects.create(application=app, material_code=material_code, file=stored,
                                         file_name=stored.original_name, content_type=stored.content_type,
                                         size=stored.size, sha256=stored.sha256, uploaded_by=user)
        event(app, user, "material", now, before=app.status, comment=material.name,
              data={"material_code": material_code})
        record(user, "material", app, app.snapshot(), detail={"material_code": material_code})
    return cm


def _own(user: User, application_id: int) -> Application:
    app = (Application.objects.select_for_update(of=("self",)).select_related("item")
           .filter(pk=application_id, applicant=user).first())
    if app is None:
        raise NotFound(_("办件不存在"), code="application_not_found")
    return app


@transaction.atomic
def withdraw(user: User, application_id: int, reason: str = "") -> Application:
    """撤回 by the applicant, any time before the case is decided; open tasks are cancelled."""
    app = _own(user, application_id)
    before, now = app.snapshot(), timezone.now()
    prev = app.move_to(Status.WITHDRAWN)
    stop_workflow(app)
    app.paused_since, app.waiting_external = None, ""
    app.save()
    cancel_open_tasks(app, now)
    ev = event(app, user, "withdraw", now, before=prev, comment=reason)
    notify(ev, [{"event": "case.withdrawn", "to": "applicant"}])
    record(user, "withdraw", app, before)
    return app


@transaction.atomic
def supplement(user: User, application_id: int, form: dict | None = None, note: str = "") -> Application:
    """补正: the applicant amends the form; the case returns to where it was and the clock resumes."""
    app = _own(user, application_id)
    if app.status != Status.SUPPLEMENT_REQUIRED:
        raise InvalidStateChange(_("办件当前不需要补正"), code="invalid_state_change")
    before, now = app.snapshot(), timezone.now()
    if form is not None:
        merged = {**app.form, **form}
        forms.check(_schema_key(app.item), app.item.form_schema, merged)
        app.form = merged
    prev = app.move_to(app.status_before_pause or Status.SUBMITTED)
    added = sla.resume(app, now)
    app.status_before_pause, app.missing = "", []
    app.save()
    sla.sync_task_due(app)
    ev = event(app, user, "supplement", now, before=prev, comment=note, data={"paused_days": added})
    notify(ev, [{"event": "case.supplemented", "to": "tasks"}])
    record(user, "supplement", app, before, detail={"paused_days": added})
    return app
