"""Excel (.xlsx) form of the catalog, with the national field names (GB/T 39046) as column headers.

Sheets: 事项 (one row per item), 申请材料 and 常见问题 (rows keyed by 实施编码). Code columns are written as
Chinese labels (行政许可, 承诺件, 是/否) because operators read and fill them by hand; reading accepts either
the label or the code. Reading only converts cells to the JSON import format: every rule is checked by
``validation`` afterwards, so Excel and JSON imports reject exactly the same things.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from tongban.accounts.models import AssuranceLevel
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
from tongban.core.money import yuan

ITEMS_SHEET, MATERIALS_SHEET, FAQS_SHEET = "事项", "申请材料", "常见问题"
NATIONAL_HEADERS = (
    "基本编码", "实施编码", "事项名称", "事项类型", "行使层级", "服务对象", "办理形式", "办件类型", "实施主体",
    "实施主体编码", "设定依据", "法定办结时限", "承诺办结时限", "时限单位", "受理条件", "办理流程", "是否收费",
    "收费依据", "收费金额(元)", "通办范围", "是否网办", "网上办理深度", "到办事现场次数", "咨询电话", "监督电话",
    "办理地点", "办理时间", "审批结果类型", "审批结果名称", "服务分类", "服务主题", "流程", "身份认证等级",
    "表单(JSON)",
)
# Our own columns after the national ones: without them a round trip would lose data.
EXTRA_HEADERS = ("事项简称", "关键词", "收费标准", "收费规则", "实施区划", "是否启用")
MATERIAL_HEADERS = ("实施编码", "材料名称", "出具机构", "原件份数", "复印件份数", "是否必需", "文件格式", "备注",
                    "材料编码")
FAQ_HEADERS = ("实施编码", "问题", "回答")
LIST_SEP = "、"
_SPLIT = re.compile(r"[、，,；;\n]+")
YES, NO = "是", "否"


# ---------------------------------------------------------------- writing


def write_workbook(items: list[dict[str, Any]], *, departments: dict[str, tuple[str, str]] | None = None,
                   categories: dict[str, str] | None = None) -> bytes:
    """``items`` in the JSON format; ``departments`` code → (name, credit code), ``categories`` code → name."""
    wb = Workbook()
    ws = wb.active
    ws.title = ITEMS_SHEET
    _header(ws, NATIONAL_HEADERS + EXTRA_HEADERS)
    mats = wb.create_sheet(MATERIALS_SHEET)
    _header(mats, MATERIAL_HEADERS)
    faqs = wb.create_sheet(FAQS_SHEET)
    _header(faqs, FAQ_HEADERS)
    for item in items:
        ws.append(_item_row(item, departments or {}, categories or {}))
        code = item["implementation_code"]
        for m in item["materials"]:
            mats.append([code, m["name"], m["issuer"], m["originals"], m["copies"], _yes(m["required"]),
                         LIST_SEP.join(m["formats"]), m["note"], m["code"]])
        for f in item["faqs"]:
            faqs.append([code, f["q"], f["a"]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _header(ws: Worksheet, headers: tuple[str, ...]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"


def _yes(value: bool) -> str:
    return YES if value else NO


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices.choices).get(value, value))


def _item_row(item: dict[str, Any], departments: dict[str, tuple[str, str]], categories: dict[str, str]) -> list:
    dept_name, credit = departments.get(item["department"], (item["department"], ""))
    fee = item["fee"]
    return [
        item["basic_code"], item["implementation_code"], item["name"], _label(ItemType, item["item_type"]),
        _label(ExerciseLevel, item["exercise_level"]),
        LIST_SEP.join(_label(ServiceObject, v) for v in item["service_objects"]),
        LIST_SEP.join(_label(HandlingForm, v) for v in item["handling_forms"]),
        _label(CaseType, item["case_type"]), dept_name, credit, item["legal_basis"], item["legal_days"],
        item["promised_days"], _label(DayUnit, item["day_unit"]), item["conditions"], item["process_description"],
        _yes(fee["charged"]), fee["basis"], yuan(fee["amount_fen"]), item["scope"], _yes(item["online"]),
        _label(OnlineDepth, item["online_depth"]), item["visits"], item["consult_phone"], item["supervise_phone"],
        item["address"], item["hours"], _label(ResultType, item["result_type"]), item["result_name"],
        categories.get(item["category"], item["category"]), LIST_SEP.join(item["themes"]), item["process"] or "",
        _label(AssuranceLevel, item["assurance_level"]),
        json.dumps(item["form_schema"], ensure_ascii=False) if item["form_schema"] else "",
        item["short_name"], LIST_SEP.join(item["keywords"]), fee["rule"], fee["decision"], item["region"] or "",
        _yes(item["active"]),
    ]


# ---------------------------------------------------------------- reading


FIELD_HEADERS = {
    "basic_code": "基本编码", "implementation_code": "实施编码", "name": "事项名称", "item_type": "事项类型",
    "exercise_level": "行使层级", "service_objects": "服务对象", "handling_forms": "办理形式", "case_type": "办件类型",
    "department": "实施主体编码", "legal_basis": "设定依据", "legal_days": "法定办结时限",
    "promised_days": "承诺办结时限",
    "day_unit": "时限单位", "conditions": "受理条件", "process_description": "办理流程", "fee.charged": "是否收费",
    "fee.basis": "收费依据", "fee.amount_fen": "收费金额(元)", "scope": "通办范围", "online": "是否网办",
    "online_depth": "网上办理深度", "visits": "到办事现场次数", "consult_phone": "咨询电话",
    "supervise_phone": "监督电话",
    "address": "办理地点", "hours": "办理时间", "result_type": "审批结果类型", "result_name": "审批结果名称",
    "category": "服务分类", "themes": "服务主题", "process": "流程", "assurance_level": "身份认证等级",
    "form_schema": "表单(JSON)", "short_name": "事项简称", "keywords": "关键词", "fee.rule": "收费标准",
    "fee.decision": "收费规则", "region": "实施区划", "active": "是否启用",
}


def locate(err: dict[str, Any], numbers: list[int]) -> dict[str, Any]:
    """Turn a validation error on the n-th item into one naming the sheet, sheet row and column header."""
    row = err.get("row", 0)
    field = err.get("field", "")
    # Material and FAQ problems are reported on their item's row, with the field naming the n-th material.
    return {**err, "row": numbers[row - 1] if 0 < row <= len(numbers) else row, "sheet": ITEMS_SHEET,
            "column": FIELD_HEADERS.get(field, field)}


class SheetError(Exception):
    pass


def read_workbook(content: bytes, *, departments: dict[str, str], categories: dict[str, str]
                  ) -> tuple[list[dict[str, Any]], list[int], list[dict[str, Any]]]:
    """Rows in the JSON import format, their sheet row numbers, and file-level errors.

    ``departments`` maps a credit code to the department code, ``categories`` a category name to its code.
    """
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a non-xlsx file; all mean the same to the operator
        return [], [], [_file_error(_("文件不是有效的 Excel（.xlsx）工作簿"))]
    try:
        items, numbers = _read_items(wb, departments, categories)
        _attach(wb, items, MATERIALS_SHEET, MATERIAL_HEADERS, _material, "materials")
        _attach(wb, items, FAQS_SHEET, FAQ_HEADERS, _faq, "faqs")
    except SheetError as exc:
        return [], [], [_file_error(str(exc))]
    finally:
        wb.close()
    errors = [e for row in items for e in row.pop("_errors")]
    return items, numbers, errors


def _file_error(message: str, sheet: str = "", row: int = 0, column: str = "") -> dict[str, Any]:
    return {"row": row, "field": column, "message": message, "sheet": sheet}


def _rows(wb: Any, sheet: str, headers: tuple[str, ...], required: tuple[str, ...]) -> list[tuple[int, dict]]:
    if sheet not in wb.sheetnames:
        raise SheetError(_("缺少工作表“%(sheet)s”") % {"sheet": sheet})
    it = wb[sheet].iter_rows(values_only=True)
    head = [str(h).strip() if h is not None else "" for h in next(it, ())]
    missing = [h for h in required if h not in head]
    unknown = [h for h in head if h and h not in headers]
    if missing or unknown:
        parts = ([_("缺少列：%(columns)s") % {"columns": "、".join(missing)}] if missing else []) + (
            [_("无法识别的列：%(columns)s") % {"columns": "、".join(unknown)}] if unknown else [])
        raise SheetError(_("工作表“%(sheet)s”的表头不正确（%(problems)s）")
                         % {"sheet": sheet, "problems": "；".join(parts)})
    out = []
    for number, values in enumerate(it, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        out.append((number, {h: v for h, v in zip(head, values, strict=False) if h}))
    return out


def _read_items(wb: Any, departments: dict[str, str], categories: dict[str, str]) -> tuple[list[dict], list[int]]:
    items, numbers = [], []
    for number, cells in _rows(wb, ITEMS_SHEET, NATIONAL_HEADERS + EXTRA_HEADERS, NATIONAL_HEADERS):
        r = _Cells(cells, number)
        item = _item_from(r, departments, categories)
        item["_errors"] = r.errors
        items.append(item)
        numbers.append(number)
    return items, numbers


def _item_from(r: _Cells, departments: dict[str, str], categories: dict[str, str]) -> dict[str, Any]:
    credit = r.text("实施主体编码")
    category = r.text("服务分类")
    return {
        "basic_code": r.text("基本编码"), "implementation_code": r.text("实施编码"), "name": r.text("事项名称"),
        "short_name": r.text("事项简称"), "keywords": r.items("关键词"),
        "item_type": r.choice("事项类型", ItemType), "exercise_level": r.choice("行使层级", ExerciseLevel),
        "service_objects": [_code(v, ServiceObject) for v in r.items("服务对象")],
        "handling_forms": [_code(v, HandlingForm) for v in r.items("办理形式")],
        "case_type": r.choice("办件类型", CaseType),
        "department": departments.get(credit, credit),
        "region": r.text("实施区划") or None,
        "category": categories.get(category, category), "themes": r.items("服务主题"),
        "legal_basis": r.text("设定依据"), "legal_days": r.integer("法定办结时限"),
        "promised_days": r.integer("承诺办结时限"), "day_unit": r.choice("时限单位", DayUnit),
        "conditions": r.text("受理条件"), "process_description": r.text("办理流程"),
        "fee": {"charged": r.boolean("是否收费"), "basis": r.text("收费依据"), "amount_fen": r.fen("收费金额(元)"),
                "rule": r.text("收费标准"), "decision": r.text("收费规则")},
        "scope": r.text("通办范围"), "online": r.boolean("是否网办"),
        "online_depth": r.choice("网上办理深度", OnlineDepth), "visits": r.integer("到办事现场次数"),
        "consult_phone": r.text("咨询电话"), "supervise_phone": r.text("监督电话"),
        "address": r.text("办理地点"), "hours": r.text("办理时间"), "result_type": r.choice("审批结果类型", ResultType),
        "result_name": r.text("审批结果名称"), "process": r.text("流程") or None,
        "assurance_level": r.choice("身份认证等级", AssuranceLevel), "form_schema": r.json("表单(JSON)"),
        "active": r.boolean("是否启用", default=True), "materials": [], "faqs": [],
    }


def _attach(wb: Any, items: list[dict], sheet: str, headers: tuple[str, ...], build: Callable, key: str) -> None:
    by_code = {i["implementation_code"]: i for i in items}
    for number, cells in _rows(wb, sheet, headers, headers[:-1] if sheet == MATERIALS_SHEET else headers):
        r = _Cells(cells, number, sheet=sheet)
        owner = by_code.get(r.text("实施编码"))
        if owner is None:
            raise SheetError(_("工作表“%(sheet)s”第 %(row)s 行的实施编码“%(code)s”不在“%(items)s”中")
                             % {"sheet": sheet, "row": number, "code": r.text("实施编码"), "items": ITEMS_SHEET})
        owner[key].append(build(r))
        owner["_errors"] += r.errors


def _material(r: _Cells) -> dict[str, Any]:
    return {"code": r.text("材料编码"), "name": r.text("材料名称"), "issuer": r.text("出具机构"),
            "originals": r.integer("原件份数"), "copies": r.integer("复印件份数"),
            "required": r.boolean("是否必需", default=True), "formats": r.items("文件格式"), "note": r.text("备注")}


def _faq(r: _Cells) -> dict[str, str]:
    return {"q": r.text("问题"), "a": r.text("回答")}


def _code(value: Any, choices: Any) -> Any:
    """A code from its code, its label, or "code label"; anything else is passed on for validation to reject."""
    if isinstance(value, str):
        value = value.strip()
        for code, label in choices.choices:
            if value in (str(code), str(label)) or value.split(" ")[0] == str(code):
                return code
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value in choices.values else str(value)
    return value


class _Cells:
    """Typed access to one sheet row; conversion problems become row errors, never exceptions."""

    def __init__(self, cells: dict[str, Any], number: int, *, sheet: str = ITEMS_SHEET) -> None:
        self.cells, self.number, self.sheet = cells, number, sheet
        self.errors: list[dict[str, Any]] = []

    def fail(self, column: str, message: str) -> None:
        self.errors.append(_file_error(message, self.sheet, self.number, column))

    def raw(self, column: str) -> Any:
        value = self.cells.get(column)
        return value.strip() if isinstance(value, str) else value

    def text(self, column: str) -> str:
        value = self.raw(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def items(self, column: str) -> list[str]:
        return [p.strip() for p in _SPLIT.split(self.text(column)) if p.strip()]

    def choice(self, column: str, choices: Any) -> Any:
        value = self.raw(column)
        return None if value in (None, "") else _code(value, choices)

    def integer(self, column: str) -> int:
        value = self.raw(column)
        if value in (None, ""):
            return 0
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            self.fail(column, _("“%(value)s”应为整数") % {"value": value})
            return 0
        return int(number)

    def boolean(self, column: str, *, default: bool = False) -> bool:
        value = self.raw(column)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        if str(value) in (YES, "Y", "y", "1", "true", "TRUE"):
            return True
        if str(value) in (NO, "N", "n", "0", "false", "FALSE"):
            return False
        self.fail(column, _("“%(value)s”应为“是”或“否”") % {"value": value})
        return default

    def fen(self, column: str) -> int:
        value = self.raw(column)
        if value in (None, ""):
            return 0
        try:
            amount = Decimal(str(value)) * 100
        except InvalidOperation:
            amount = None
        if amount is None or amount != amount.to_integral_value() or amount < 0:
            self.fail(column, _("“%(value)s”不是有效的金额（元，最多两位小数）") % {"value": value})
            return 0
        return int(amount)

    def json(self, column: str) -> Any:
        value = self.text(column)
        if not value:
            return {}
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            self.fail(column, _("不是有效的 JSON：第 %(line)s 行第 %(column)s 列 %(message)s")
                      % {"line": exc.lineno, "column": exc.colno, "message": exc.msg})
            return {}
