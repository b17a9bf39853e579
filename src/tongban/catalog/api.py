"""Catalog API: public service list, guides and bundles; catalog import/export for operators.

Views parse, authorize, call ``catalog.services`` and shape the response; rules live in the services.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import Field

from tongban.accounts.models import AssuranceLevel
from tongban.accounts.permissions import is_operator, signed_in_user
from tongban.catalog import services
from tongban.catalog.codes import (
    CaseType,
    DayUnit,
    ExerciseLevel,
    HandlingForm,
    ItemType,
    OnlineDepth,
    ResultType,
    ServiceObject,
)
from tongban.catalog.models import Bundle, BundleItem, ServiceItem
from tongban.catalog.schemas import (
    BundleDetail,
    BundleList,
    CategoryOut,
    ImportResult,
    ServiceDetail,
    ServicePage,
)
from tongban.core import codes
from tongban.core.errors import Forbidden, ValidationFailed, field_error

services_router = Router(tags=["services"])
bundles_router = Router(tags=["bundles"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ServiceQuery(Schema):
    q: str = Field("", max_length=100, description="words, colloquial ones too (驾照, 低保, 身份证到期)")
    category: str | None = Field(None, max_length=40, description="category code, e.g. minzheng")
    region: str | None = Field(None, max_length=12, description="GB/T 2260 region code (6 or 12 digits)")
    cursor: str | None = Field(None, max_length=200, description="`next` of the previous page")
    limit: int = Field(20, ge=1, le=100, description="page size, 1–100")


# ---------------------------------------------------------------- public


@services_router.get("", response=ServicePage, auth=None, summary="Search or list service items (事项检索)",
                     description="Without `q`: every active item in category order. With `q`: best matches "
                                 "first; synonyms map everyday words to item names.")
def list_services(request: HttpRequest, query: Query[ServiceQuery]):
    if query.region and codes.region_code_error(query.region):
        raise ValidationFailed(errors=[field_error("region", _("行政区划代码应为 6 位或 12 位数字"))])
    items, nxt = services.search(query.q, category=query.category, region=query.region,
                                 limit=query.limit, cursor=query.cursor)
    return {"items": [summary(i) for i in items], "next": nxt}


@services_router.get("/categories", response=list[CategoryOut], auth=None,
                     summary="Categories with item counts (事项分类)")
def list_categories(request: HttpRequest):
    return [{"code": c.code, "name": c.name, "icon": c.icon, "order": c.order, "description": c.description,
             "count": c.item_count} for c in services.list_categories()]


# ---------------------------------------------------------------- operators


def _require_operator(request: HttpRequest) -> str:
    user = signed_in_user(request)  # every caller is behind django_auth
    if not is_operator(user):
        raise Forbidden(_("只有平台运营人员可以导入或导出事项目录"))
    return f"user:{user.pk}"


@services_router.get("/export.xlsx", auth=django_auth, summary="Export the catalog as Excel (operators)")
def export_xlsx(request: HttpRequest):
    _require_operator(request)
    response = HttpResponse(services.export_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="catalog.xlsx"'
    return response


@services_router.get("/export", auth=django_auth, summary="Export the catalog as JSON (operators)")
def export_json(request: HttpRequest) -> dict[str, Any]:
    _require_operator(request)
    return services.export_catalog()


@services_router.post("/import", response=ImportResult, auth=django_auth,
                      summary="Import a catalog in the JSON format of docs/catalog-format.md (operators)",
                      openapi_extra={"requestBody": {"content": {"application/json": {"schema": {
                          "oneOf": [{"type": "object"}, {"type": "array"}]}}}, "required": True}})
def import_json(request: HttpRequest):
    actor = _require_operator(request)
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(_("请求体不是有效的 JSON"), code="invalid_json") from None
    return _report(services.import_catalog(data, actor=actor))


@services_router.post("/import.xlsx", response=ImportResult, auth=django_auth,
                      summary="Import service items from an Excel workbook (operators)")
def import_xlsx(request: HttpRequest, file: File[UploadedFile]):
    actor = _require_operator(request)
    return _report(services.import_xlsx(file.read(), actor=actor))


def _report(report: services.ImportReport) -> dict[str, Any]:
    if not report.ok:
        raise ValidationFailed(_("导入内容有误，未写入任何数据"), code="import_failed", errors=report.errors)
    return report.as_dict()


# ---------------------------------------------------------------- detail (after the fixed paths)


@services_router.get("/{code}", response=ServiceDetail, auth=None, summary="The guide of one item (办事指南)",
                     description="Everything a citizen needs before applying, and `form_schema`, the JSON Schema "
                                 "that `POST /applications` validates `form` against.")
def get_service(request: HttpRequest, code: str):
    return detail(services.get_item(code))


@bundles_router.get("", response=BundleList, auth=None, summary="一件事一次办 bundles")
def list_bundles(request: HttpRequest):
    return {"items": [bundle_out(b) for b in services.list_bundles()]}


@bundles_router.get("/{code}", response=BundleDetail, auth=None, summary="One bundle with its combined form (一件事)")
def get_bundle(request: HttpRequest, code: str):
    bundle = services.get_bundle(code)
    return {**bundle_out(bundle), "form_schema": bundle.form_schema}


# ---------------------------------------------------------------- shaping


def label(choices: Any, value: Any) -> dict[str, Any]:
    return {"code": value, "label": str(dict(choices.choices).get(value, value))}


def summary(item: ServiceItem) -> dict[str, Any]:
    return {
        "code": item.implementation_code, "basic_code": item.basic_code, "name": item.name,
        "short_name": item.short_name, "category": item.category.code, "category_name": item.category.name,
        "department": item.department.code, "department_name": item.department.name, "region": item.region_id,
        "item_type": label(ItemType, item.item_type), "case_type": label(CaseType, item.case_type),
        "promised_days": item.promised_days, "day_unit": label(DayUnit, item.day_unit), "online": item.online,
        "online_depth": label(OnlineDepth, item.online_depth), "visits": item.visits,
        "fee_charged": item.fee_charged,
    }


def detail(item: ServiceItem) -> dict[str, Any]:
    dept = item.department
    return {
        **summary(item),
        "keywords": item.keywords,
        "exercise_level": label(ExerciseLevel, item.exercise_level),
        "service_objects": [label(ServiceObject, v) for v in item.service_objects],
        "handling_forms": [label(HandlingForm, v) for v in item.handling_forms],
        "department": {"code": dept.code, "name": dept.name, "credit_code": dept.credit_code, "phone": dept.phone},
        "region": {"code": item.region.code, "name": item.region.name},
        "category": {"code": item.category.code, "name": item.category.name},
        "themes": [t.name for t in item.themes.all()],
        "legal_basis": item.legal_basis, "legal_days": item.legal_days,
        "conditions": item.conditions, "process_description": item.process_description,
        "materials": [{"code": m.code, "name": m.name, "issuer": m.issuer, "originals": m.originals,
                       "copies": m.copies, "required": m.required, "formats": m.formats, "note": m.note}
                      for m in item.materials.all()],
        "fee": {"charged": item.fee_charged, "amount_fen": item.fee_amount_fen, "basis": item.fee_basis,
                "standard": item.fee_standard, "decision": item.fee_rule},
        "scope": item.scope, "consult_phone": item.consult_phone, "supervise_phone": item.supervise_phone,
        "address": item.address, "hours": item.hours, "result_type": label(ResultType, item.result_type),
        "result_name": item.result_name, "assurance_level": label(AssuranceLevel, item.assurance_level),
        "process": ({"key": item.process.key, "name": item.process.name, "version": item.process.version}
                    if item.process is not None else None),
        "form_schema": item.form_schema,
        "faqs": [{"question": f.question, "answer": f.answer} for f in item.faqs.all()],
    }


def bundle_out(bundle: Bundle) -> dict[str, Any]:
    return {"code": bundle.code, "name": bundle.name, "description": bundle.description,
            "items": [_member(m) for m in bundle.members.all()]}


def _member(m: BundleItem) -> dict[str, Any]:
    item = m.item
    return {"code": item.implementation_code, "basic_code": item.basic_code, "name": item.name,
            "department": item.department.code, "department_name": item.department.name,
            "case_type": label(CaseType, item.case_type), "promised_days": item.promised_days,
            "field_map": m.field_map}
