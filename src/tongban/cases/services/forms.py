"""Application forms checked against the item's JSON Schema (Draft 2020-12), every error at once.

Integers are strict: JSON ``true``/``false`` and ``5.0`` are not integers, so a boolean can never become
a money amount or a household size.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError

from tongban.core import codes
from tongban.core.errors import ValidationFailed, field_error

TYPE_NAMES = {"integer": gettext_lazy("整数"), "number": gettext_lazy("数字"), "string": gettext_lazy("文本"),
              "boolean": gettext_lazy("是/否"), "object": gettext_lazy("对象"), "array": gettext_lazy("列表"),
              "null": gettext_lazy("空值")}


def _is_int(_checker: Any, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


StrictValidator = validators.extend(
    Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_int)
)
_cache: dict[tuple, Any] = {}
_lock = threading.Lock()


def validator_for(key: tuple, schema: dict) -> Any:
    """Compiled validators, cached per (item id, updated_at): building one per request is measurable."""
    v = _cache.get(key)
    if v is None:
        v = StrictValidator(schema or {"type": "object"}, format_checker=Draft202012Validator.FORMAT_CHECKER)
        with _lock:
            if len(_cache) > 512:
                _cache.clear()
            _cache[key] = v
    return v


def _message(e: SchemaError) -> str:
    v = e.validator_value
    return {
        "required": _("请填写此项"),
        "type": _("应为%(type)s") % {"type": TYPE_NAMES.get(v if isinstance(v, str) else "string", _("正确类型"))},
        "minimum": _("不能小于 %(value)s") % {"value": v}, "exclusiveMinimum": _("应大于 %(value)s") % {"value": v},
        "maximum": _("不能大于 %(value)s") % {"value": v}, "exclusiveMaximum": _("应小于 %(value)s") % {"value": v},
        "minLength": _("至少 %(value)s 个字符") % {"value": v}, "maxLength": _("最多 %(value)s 个字符") % {"value": v},
        "minItems": _("至少 %(value)s 项") % {"value": v}, "maxItems": _("最多 %(value)s 项") % {"value": v},
        "pattern": _("格式不正确"), "format": _("格式不正确"),
        "enum": _("不是允许的选项"), "const": _("不是允许的值"),
        "additionalProperties": _("不允许的字段"),
    }.get(str(e.validator), _("内容不符合要求"))


def _errors_of(e: SchemaError) -> list[dict]:
    path = ".".join(str(p) for p in e.absolute_path)
    prefix = f"{path}." if path else ""
    if e.validator == "required":
        present = e.instance if isinstance(e.instance, dict) else {}
        return [field_error(prefix + name, _("请填写此项"), "required") for name in e.validator_value
                if name not in present]
    if e.validator == "additionalProperties" and isinstance(e.instance, dict):
        allowed = set((e.schema or {}).get("properties", {}))
        return [field_error(prefix + k, _("不允许的字段"), "additional") for k in e.instance if k not in allowed]
    return [field_error(path or "form", _message(e), str(e.validator))]


def _id_number_errors(form: Any, path: str = "") -> list[dict]:
    """Every field named ``id_number`` (at any depth) must be a valid 公民身份号码."""
    out: list[dict] = []
    if isinstance(form, dict):
        for k, v in form.items():
            here = f"{path}.{k}" if path else str(k)
            if k == "id_number" and isinstance(v, str) and codes.id_number_error(v):
                out.append(field_error(here, _("公民身份号码无效（请检查位数、出生日期与校验位）"), "id_number"))
            else:
                out.extend(_id_number_errors(v, here))
    elif isinstance(form, list):
        for i, v in enumerate(form):
            out.extend(_id_number_errors(v, f"{path}.{i}"))
    return out


FORM_MAX_BYTES = 64 * 1024  # a form is data typed by a person; documents travel as material uploads


def form_errors(key: tuple, schema: dict, form: Any) -> list[dict]:
    if not isinstance(form, dict):
        return [field_error("form", _("表单应为对象"), "type")]
    if len(json.dumps(form, ensure_ascii=False, default=str).encode()) > FORM_MAX_BYTES:
        return [field_error("form", _("表单内容过大（最多 64 KB），附件请作为材料上传"), "too_large")]
    errors: list[dict] = []
    for e in validator_for(key, schema).iter_errors(form):
        errors.extend(_errors_of(e))
    seen = {err["field"] for err in errors}
    errors.extend(err for err in _id_number_errors(form) if err["field"] not in seen)
    return sorted(errors, key=lambda err: err["field"])


def check(key: tuple, schema: dict, form: Any) -> None:
    errors = form_errors(key, schema, form)
    if errors:
        raise ValidationFailed(errors=errors)
