"""API shapes of the catalog. Codes travel with their Chinese label (codes are data, labels are for people)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class CodeLabel(Schema):
    code: str
    label: str


class IntCodeLabel(Schema):
    code: int
    label: str


class ServiceSummary(Schema):
    """One row of the service list: enough to render a search result without opening the guide."""

    code: str
    basic_code: str
    name: str
    short_name: str
    category: str
    category_name: str
    department: str
    department_name: str
    region: str
    item_type: CodeLabel
    case_type: CodeLabel
    promised_days: int
    day_unit: CodeLabel
    online: bool
    online_depth: IntCodeLabel
    visits: int
    fee_charged: bool


class ServicePage(Schema):
    items: list[ServiceSummary]
    next: str | None


class ServiceMaterial(Schema):
    """A material the guide asks for (申请材料); not an uploaded file (that is cases' MaterialOut)."""

    code: str
    name: str
    issuer: str
    originals: int
    copies: int
    required: bool
    formats: list[str]
    note: str


class FeeOut(Schema):
    charged: bool
    amount_fen: int
    basis: str
    standard: str
    decision: str


class FaqOut(Schema):
    question: str
    answer: str


class ProcessOut(Schema):
    key: str
    name: str
    version: int


class DepartmentOut(Schema):
    code: str
    name: str
    credit_code: str
    phone: str


class RegionOut(Schema):
    code: str
    name: str


class CategoryRef(Schema):
    code: str
    name: str


class ServiceDetail(Schema):
    """The 办事指南 (guide) of one item and the form to apply with."""

    code: str
    basic_code: str
    name: str
    short_name: str
    keywords: list[str]
    item_type: CodeLabel
    exercise_level: CodeLabel
    service_objects: list[CodeLabel]
    handling_forms: list[CodeLabel]
    case_type: CodeLabel
    department: DepartmentOut
    region: RegionOut
    category: CategoryRef
    themes: list[str]
    legal_basis: str
    legal_days: int
    promised_days: int
    day_unit: CodeLabel
    conditions: str
    process_description: str
    materials: list[ServiceMaterial]
    fee: FeeOut
    scope: str
    online: bool
    online_depth: IntCodeLabel
    visits: int
    consult_phone: str
    supervise_phone: str
    address: str
    hours: str
    result_type: CodeLabel
    result_name: str
    assurance_level: IntCodeLabel
    process: ProcessOut | None
    form_schema: dict[str, Any]
    faqs: list[FaqOut]


class CategoryOut(Schema):
    code: str
    name: str
    icon: str
    order: int
    description: str
    count: int


class BundleMember(Schema):
    code: str
    basic_code: str
    name: str
    department: str
    department_name: str
    case_type: CodeLabel
    promised_days: int
    field_map: dict[str, str]


class BundleOut(Schema):
    code: str
    name: str
    description: str
    items: list[BundleMember]


class BundleDetail(BundleOut):
    form_schema: dict[str, Any]


class BundleList(Schema):
    items: list[BundleOut]


class ImportResult(Schema):
    ok: bool
    created: int
    updated: int
    unchanged: int
    counts: dict[str, int]
    errors: list[dict[str, Any]]
