"""Turning case rows into what the workbench shows: masked applicant data, labelled form fields, due colours.

Presentation only; every rule about who may see or do what lives in ``tongban.cases``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from tongban.core import masking
from tongban.core.money import yuan

# Form fields holding personal data, recognised by their x-ui widget or, failing that, their key.
WIDGET_MASKS = {"idcard": "id_number", "tel": "phone", "phone": "phone", "email": "email", "address": "address",
                "bankcard": "bank_card", "bank_card": "bank_card", "name": "name"}
KEY_MASKS = {
    "applicant_name": "name", "name": "name", "legal_representative": "name", "contact_name": "name",
    "id_number": "id_number", "id_no": "id_number", "idcard": "id_number", "child_id_number": "id_number",
    "phone": "phone", "mobile": "phone", "contact_phone": "phone", "email": "email",
    "address": "address", "home_address": "address", "bank_card": "bank_card", "bank_account": "bank_card",
}


def _mask_kind(key: str, schema: dict, widgets: dict) -> str | None:
    if schema.get("x-mask"):
        return str(schema["x-mask"])
    kind = WIDGET_MASKS.get(str(widgets.get(key, "")))
    if kind:
        return kind
    if key in KEY_MASKS:
        return KEY_MASKS[key]
    if key.endswith(("_id_number", "_idcard")):
        return "id_number"
    if key.endswith(("_phone", "_mobile")):
        return "phone"
    if key.endswith("_name") and key != "company_name":
        return "name"
    return None


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str
    masked: bool = False


def _display(value: Any, schema: dict, widget: str) -> str:
    if value is None or value == "":
        return "—"
    if widget == "money" or schema.get("x-unit") == "fen":
        try:
            return _("%(yuan)s 元") % {"yuan": yuan(int(value))}
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    enum, names = schema.get("enum"), schema.get("x-enum-labels") or schema.get("enumNames")
    if enum and names and value in enum and len(names) == len(enum):
        return str(names[enum.index(value)])
    if isinstance(value, list):
        return "、".join(_display(v, schema.get("items") or {}, "") for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}：{_display(v, {}, '')}" for k, v in value.items())
    return str(value)


def form_fields(form_schema: dict | None, form: dict | None) -> list[Field]:
    """The submitted form as (label, value) pairs in the schema's display order, personal data masked."""
    schema = form_schema or {}
    form = form or {}
    props: dict = schema.get("properties") or {}
    ui = schema.get("x-ui") or {}
    widgets = ui.get("widgets") or {}
    order = [k for k in (ui.get("order") or []) if k in props]
    order += [k for k in props if k not in order]
    order += [k for k in form if k not in props]  # fields no longer in the schema still show
    out = []
    for key in order:
        if key not in form:
            continue
        sub = props.get(key) or {}
        kind = _mask_kind(key, sub, widgets)
        value = form[key]
        if kind and value not in (None, ""):
            text = masking.mask(kind, value)
        else:
            text = _display(value, sub, widgets.get(key, ""))
        out.append(Field(key, str(sub.get("title") or key), text, bool(kind)))
    return out


def _related(obj, attr: str):
    try:
        return getattr(obj, attr)
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class Applicant:
    name: str
    kind: str
    id_number: str
    phone: str


def applicant_of(application) -> Applicant:
    """Masked applicant identity: the natural person, or the enterprise with its (public) credit code."""
    user = application.applicant
    form = application.form or {}
    legal = _related(user, "legal_person")
    if legal is not None:
        return Applicant(legal.name, _("法人"), legal.credit_code, masking.mask_phone(form.get("phone", "")))
    person = _related(user, "person")
    name = (person.name if person else "") or form.get("applicant_name") or str(user)
    id_number = (person.id_number if person else "") or form.get("id_number", "")
    phone = (person.phone if person else "") or form.get("phone", "")
    return Applicant(masking.mask_name(name), _("自然人"), masking.mask_id_number(id_number) or "—",
                     masking.mask_phone(phone) or "—")


def applicant_name(application) -> str:
    """Masked name for list rows, without decrypting anything (the name column is not encrypted)."""
    user = application.applicant
    legal = _related(user, "legal_person")
    if legal is not None:
        return legal.name
    person = _related(user, "person")
    name = (person.name if person else "") or (application.form or {}).get("applicant_name") or user.display_name
    return masking.mask_name(name or user.username)


def due_state(due: dt.date | None, warn: dt.date | None, today: dt.date) -> str:
    """"overdue" (red), "warn" (amber) or "" for the 时限 column."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    if warn is not None and warn <= today:
        return "warn"
    return ""


EVENT_LABELS = {
    "submit": _l("提交申请"), "supplement": _l("补正提交"), "withdraw": _l("撤回申请"), "material": _l("上传材料"),
    "approve": _l("通过"), "deny": _l("不予批准"), "return": _l("退回补正"), "reject": _l("不予受理"),
    "suspend": _l("挂起"), "resume": _l("恢复办理"), "complete": _l("办结"), "comment": _l("意见"),
    "evaluate": _l("评价"), "followup": _l("追评"), "accept": _l("受理"),
}


def event_label(action: str) -> str:
    if action.startswith("external:"):
        return str(_l("外部环节完成")) + f"（{action.partition(':')[2]}）"
    return str(EVENT_LABELS.get(action, action))


def actor_label(user) -> str:
    """Officials by name; the applicant (or any citizen) masked; no actor means the system."""
    if user is None:
        return str(_l("系统"))
    name = user.display_name or user.username
    return name if user.is_official else masking.mask_name(name)
