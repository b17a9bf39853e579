"""Validation of imported catalog rows: every problem of every row, reported at once, in Chinese.

An operator fixes an Excel sheet of hundreds of rows in one pass only if the import names *every* bad
cell, so nothing here stops at the first error. Checks are pure (no writes); lookups of departments,
categories, themes and processes are loaded once per import.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from django.db.models import Choices, Field, Model
from django.utils.translation import gettext as _

from tongban.accounts.models import AssuranceLevel, Department, Region
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
from tongban.catalog.models import FAQ, Category, Material, Process, ServiceItem, Theme

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_BASIC_CODE = re.compile(r"^[0-9A-Za-z]{12}$")
INSTANT_PROCESS = "instant"


@dataclass
class Lookups:
    """What rows may refer to: rows in the database plus categories/themes arriving in the same import."""

    departments: dict[str, Department]
    regions: set[str]
    categories: set[str]
    themes: dict[str, str]  # code or name → code
    processes: set[str]

    @classmethod
    def load(cls, *, categories: Set[str] = frozenset(), themes: dict[str, str] | None = None) -> Lookups:
        theme_map = {}
        for code, name in Theme.objects.values_list("code", "name"):
            theme_map[code] = code
            theme_map[name] = code
        theme_map.update(themes or {})
        return cls(
            departments={d.code: d for d in Department.objects.all()},
            regions=set(Region.objects.values_list("code", flat=True)),
            categories=set(Category.objects.values_list("code", flat=True)) | set(categories),
            themes=theme_map,
            processes=set(Process.objects.values_list("key", flat=True)),
        )


@dataclass
class CleanItem:
    """One validated row, split into what goes where."""

    row: int
    fields: dict[str, Any]
    department: str
    category: str
    themes: list[str]
    process: str | None
    materials: list[dict[str, Any]]
    faqs: list[dict[str, Any]]

    @property
    def code(self) -> str:
        return self.fields["implementation_code"]


def error(row: int, field_name: str, message: str) -> dict[str, Any]:
    return {"row": row, "field": field_name, "message": message}


def _is_int(value: Any) -> bool:
    # A JSON false must never become 0: bool is an int subclass in Python.
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass
class RowChecker:
    """Reads fields of one raw row, recording an error for each bad value and returning a safe default."""

    row: int
    raw: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    prefix: str = ""

    def fail(self, name: str, message: str) -> None:
        self.errors.append(error(self.row, self.prefix + name, message))

    def text(self, name: str, *, model: type[Model] | None = None, required: bool = False,
             column: str | None = None) -> str:
        value = self.raw.get(name)
        if value is None or value == "":
            if required:
                self.fail(name, _("必填项不能为空"))
            return ""
        if not isinstance(value, str):
            self.fail(name, _("应为文本"))
            return ""
        value = value.strip()
        model_field = model._meta.get_field(column or name) if model else None
        limit = model_field.max_length if isinstance(model_field, Field) else None
        if limit and len(value) > limit:
            self.fail(name, _("长度不能超过 %(limit)s 个字符（当前 %(length)s）")
                      % {"limit": limit, "length": len(value)})
        return value

    def integer(self, name: str, *, default: int = 0, minimum: int = 0) -> int:
        value = self.raw.get(name, default)
        if value is None:
            return default
        if not _is_int(value):
            self.fail(name, _("应为整数"))
            return default
        if value < minimum:
            self.fail(name, _("不能小于 %(value)s") % {"value": minimum})
            return default
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.raw.get(name, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(name, _("应为 true 或 false（是/否）"))
            return default
        return value

    def choice(self, name: str, choices: type[Choices], label: str, *, default: Any = None) -> Any:
        value = self.raw.get(name, default)
        if value is None or value == "":
            self.fail(name, _("必填项不能为空"))
            return default
        if value not in choices.values or isinstance(value, bool):
            allowed = "、".join(f"{v}（{lbl}）" for v, lbl in choices.choices)
            self.fail(name, _("“%(value)s”不是有效的%(label)s代码，应为：%(allowed)s")
                      % {"value": value, "label": label, "allowed": allowed})
            return default
        return value

    def code_list(self, name: str, choices: type[Choices], label: str) -> list[str]:
        value = self.raw.get(name)
        if not isinstance(value, list) or not value:
            self.fail(name, _("应为非空的%(label)s代码列表") % {"label": label})
            return []
        bad = [v for v in value if v not in choices.values]
        if bad:
            self.fail(name, _("无效的%(label)s代码：%(codes)s") % {"label": label, "codes": "、".join(map(str, bad))})
        return [v for v in value if v in choices.values]

    def text_list(self, name: str, *, max_length: int) -> list[str]:
        value = self.raw.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(name, _("应为文本列表"))
            return []
        too_long = [v for v in value if len(v) > max_length]
        if too_long:
            self.fail(name, _("每项不能超过 %(limit)s 个字符：%(items)s")
                      % {"limit": max_length, "items": "、".join(too_long)})
        return [v.strip() for v in value]


def check_schema(schema: Any) -> str | None:
    """Why ``schema`` is not a valid JSON Schema (Draft 2020-12), or ``None``."""
    if not isinstance(schema, dict):
        return _("表单应为 JSON 对象（JSON Schema）")
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or _("根")
        return _("表单不是有效的 JSON Schema（Draft 2020-12），位置 %(where)s：%(message)s") % {
            "where": where, "message": exc.message}
    return None


def validate_items(rows: Any, lookups: Lookups, *, first_row: int = 1) -> tuple[list[CleanItem], list[dict]]:
    """All rows or none: returns the clean rows and every error found (row numbers start at ``first_row``)."""
    if not isinstance(rows, list):
        return [], [error(0, "items", _("事项应为 JSON 数组"))]
    clean: list[CleanItem] = []
    errors: list[dict] = []
    seen: dict[str | None, int] = {}
    for offset, raw in enumerate(rows):
        row = first_row + offset
        if not isinstance(raw, dict):
            errors.append(error(row, "", _("每个事项应为 JSON 对象")))
            continue
        item, row_errors = validate_item(row, raw, lookups)
        code = item.fields.get("implementation_code")
        if code and code in seen:
            row_errors.append(error(row, "implementation_code", _("实施编码与第 %(row)s 行重复") % {"row": seen[code]}))
        seen.setdefault(code, row)
        errors += row_errors
        clean.append(item)
    return (clean, errors) if not errors else ([], errors)


def validate_item(row: int, raw: dict[str, Any], lookups: Lookups) -> tuple[CleanItem, list[dict]]:
    c = RowChecker(row, raw)
    f: dict[str, Any] = {
        "basic_code": c.text("basic_code", model=ServiceItem, required=True),
        "implementation_code": c.text("implementation_code", model=ServiceItem, required=True),
        "name": c.text("name", model=ServiceItem, required=True),
        "short_name": c.text("short_name", model=ServiceItem),
        "keywords": c.text_list("keywords", max_length=40),
        "item_type": c.choice("item_type", ItemType, _("事项类型")),
        "exercise_level": c.choice("exercise_level", ExerciseLevel, _("行使层级")),
        "service_objects": c.code_list("service_objects", ServiceObject, _("服务对象")),
        "handling_forms": c.code_list("handling_forms", HandlingForm, _("办理形式")),
        "case_type": c.choice("case_type", CaseType, _("办件类型")),
        "legal_basis": c.text("legal_basis"),
        "legal_days": c.integer("legal_days"),
        "promised_days": c.integer("promised_days"),
        "day_unit": c.choice("day_unit", DayUnit, _("时限单位"), default=DayUnit.WORKING),
        "conditions": c.text("conditions"),
        "process_description": c.text("process_description"),
        "scope": c.text("scope", model=ServiceItem),
        "online": c.boolean("online", default=True),
        "online_depth": c.choice("online_depth", OnlineDepth, _("网上办理深度"), default=OnlineDepth.IV),
        "visits": c.integer("visits"),
        "consult_phone": c.text("consult_phone", model=ServiceItem),
        "supervise_phone": c.text("supervise_phone", model=ServiceItem),
        "address": c.text("address", model=ServiceItem),
        "hours": c.text("hours", model=ServiceItem),
        "result_type": c.choice("result_type", ResultType, _("审批结果类型"), default=ResultType.OTHER),
        "result_name": c.text("result_name", model=ServiceItem),
        "assurance_level": c.choice("assurance_level", AssuranceLevel, _("身份认证等级"),
                                    default=AssuranceLevel.L2),
        "form_schema": {} if raw.get("form_schema") is None else raw["form_schema"],
        "active": c.boolean("active", default=True),
    }
    f.update(_fee(c))
    if (problem := check_schema(f["form_schema"])) is not None:
        c.fail("form_schema", problem)
    department, category = _references(c, f, lookups)
    _business_rules(c, f, department)
    item = CleanItem(
        row=row, fields=f, department=department.code if department else "", category=category,
        themes=_themes(c, lookups), process=c.raw.get("process") or None,
        materials=_materials(c), faqs=_faqs(c),
    )
    return item, c.errors


def _fee(c: RowChecker) -> dict[str, Any]:
    fee = c.raw.get("fee") or {}
    if not isinstance(fee, dict):
        c.fail("fee", _("收费信息应为 JSON 对象"))
        fee = {}
    fc = RowChecker(c.row, fee, c.errors, prefix="fee.")
    charged = fc.boolean("charged", default=False)
    amount = fc.integer("amount_fen")
    if not charged and amount:
        fc.fail("amount_fen", _("不收费事项的收费金额应为 0"))
    if charged and not amount:
        fc.fail("amount_fen", _("收费事项的收费金额应大于 0（单位：分）"))
    return {
        "fee_charged": charged, "fee_amount_fen": amount,
        "fee_basis": fc.text("basis", required=charged),
        "fee_standard": fc.text("rule", model=ServiceItem, column="fee_standard"),
        "fee_rule": fc.text("decision", model=ServiceItem, column="fee_rule"),
    }


def _references(c: RowChecker, f: dict[str, Any], lookups: Lookups) -> tuple[Department | None, str]:
    dept_code = c.text("department", required=True)
    department = lookups.departments.get(dept_code)
    if dept_code and department is None:
        c.fail("department", _("实施主体“%(code)s”不存在") % {"code": dept_code})
    category = c.text("category", required=True)
    if category and category not in lookups.categories:
        c.fail("category", _("服务分类“%(code)s”不存在") % {"code": category})
    process = c.raw.get("process")
    if process not in (None, "") and (not isinstance(process, str) or process not in lookups.processes):
        c.fail("process", _("办理流程“%(code)s”不存在，请先导入流程") % {"code": process})
    region = c.raw.get("region") or (department.region_id if department else None)
    if region and region not in lookups.regions:
        c.fail("region", _("行政区划“%(code)s”不存在") % {"code": region})
    elif department and region != department.region_id:
        c.fail("region", _("实施区划应与实施主体所在区划一致（%(region)s）") % {"region": department.region_id})
    f["region_id"] = region
    return department, category


def _business_rules(c: RowChecker, f: dict[str, Any], department: Department | None) -> None:
    if f["case_type"] == CaseType.INSTANT and f["promised_days"]:
        c.fail("promised_days", _("即办件的承诺办结时限应为 0"))
    if f["online_depth"] == OnlineDepth.IV and f["visits"]:
        c.fail("visits", _("全程网办（Ⅳ级）事项到办事现场次数必须为 0"))
    if f["legal_days"] and f["promised_days"] > f["legal_days"]:
        c.fail("promised_days", _("承诺办结时限不能超过法定办结时限"))
    if f["basic_code"] and not _BASIC_CODE.match(f["basic_code"]):
        c.fail("basic_code", _("基本编码应为 12 位数字或字母"))
    if f["online"] != bool({"2", "3"} & set(f["handling_forms"])):
        c.fail("online", _("是否网办应与办理形式一致（含电脑端或移动端网上办理时为“是”）"))
    if c.raw.get("process") == INSTANT_PROCESS and f["case_type"] != CaseType.INSTANT:
        c.fail("process", _("“即办”流程只能用于即办件"))
    if department and f["exercise_level"] and f["basic_code"] and f["implementation_code"]:
        expected = f"{department.credit_code}{f['exercise_level']}{f['basic_code']}"
        if f["implementation_code"] != expected:
            c.fail("implementation_code",
                   _("实施编码应为 实施主体统一社会信用代码 + 行使层级 + 基本编码，即 %(code)s") % {"code": expected})


def _themes(c: RowChecker, lookups: Lookups) -> list[str]:
    names = c.text_list("themes", max_length=40)
    unknown = [n for n in names if n not in lookups.themes]
    if unknown:
        c.fail("themes", _("服务主题不存在：%(themes)s") % {"themes": "、".join(unknown)})
    return sorted({lookups.themes[n] for n in names if n in lookups.themes})


def _materials(c: RowChecker) -> list[dict[str, Any]]:
    raw = c.raw.get("materials") or []
    if not isinstance(raw, list):
        c.fail("materials", _("申请材料应为 JSON 数组"))
        return []
    out, codes = [], set()
    for i, m in enumerate(raw):
        mc = RowChecker(c.row, m if isinstance(m, dict) else {}, c.errors, prefix=f"materials[{i + 1}].")
        if not isinstance(m, dict):
            mc.fail("", _("每项材料应为 JSON 对象"))
            continue
        code = mc.text("code", model=Material) or f"m{i + 1:02d}"
        if not _SLUG.match(code) or code in codes:
            mc.fail("code", _("材料编码“%(code)s”无效或重复") % {"code": code})
        codes.add(code)
        out.append({
            "code": code, "name": mc.text("name", model=Material, required=True),
            "issuer": mc.text("issuer", model=Material), "originals": mc.integer("originals"),
            "copies": mc.integer("copies"), "required": mc.boolean("required", default=True),
            "formats": [s.lower() for s in mc.text_list("formats", max_length=10)],
            "note": mc.text("note", model=Material), "order": i + 1,
        })
    return out


def _faqs(c: RowChecker) -> list[dict[str, Any]]:
    raw = c.raw.get("faqs") or []
    if not isinstance(raw, list):
        c.fail("faqs", _("常见问题应为 JSON 数组"))
        return []
    out = []
    for i, f in enumerate(raw):
        fc = RowChecker(c.row, f if isinstance(f, dict) else {}, c.errors, prefix=f"faqs[{i + 1}].")
        question = fc.text("q", model=FAQ, column="question", required=True)
        out.append({"question": question, "answer": fc.text("a", required=True), "order": i + 1})
    return out
