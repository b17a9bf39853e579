"""Turn an item's JSON Schema (+ ``x-ui`` hints) into form fields, and posted strings back into typed values.

This is presentation only: it converts what a browser can send (strings) into the JSON types the schema names
and reports input it cannot convert ("请输入整数"). Whether a value is *acceptable* (required, ranges, patterns)
is decided by the case service, whose ``ValidationFailed.errors`` are shown beside the same fields.

Widgets understood (``x-ui.widgets``): text (default), textarea, tel, idcard, date, select, radio, checkbox
(arrays of enums), switch (booleans), money (integer 分 entered as 元 with up to two decimals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

INPUT_PREFIX = "f_"  # keeps schema property names from colliding with our own POST keys (csrf, action…)


@dataclass
class Field:
    name: str
    label: str
    kind: str  # JSON type: string, integer, number, boolean, array
    widget: str
    required: bool = False
    help: str = ""
    placeholder: str = ""
    choices: list[Any] = field(default_factory=list)
    value: Any = None  # what to show back in the input (a string, or a list for checkboxes)
    error: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def input_name(self) -> str:
        return INPUT_PREFIX + self.name

    @property
    def input_id(self) -> str:
        return "id_" + INPUT_PREFIX + self.name

    @property
    def template(self) -> str:
        return f"portal/fields/{self.widget}.html"


def _widget(prop: dict, hint: str | None) -> str:
    kind = prop.get("type", "string")
    if kind == "array":
        return "checkbox"
    if kind == "boolean":
        return "switch"
    if hint in {"textarea", "tel", "idcard", "date", "select", "radio", "money"}:
        return hint
    if "enum" in prop:
        return "radio" if len(prop["enum"]) <= 4 else "select"
    if prop.get("format") == "date":
        return "date"
    return "number" if kind in ("integer", "number") else "text"


def _attrs(prop: dict, widget: str) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if widget in ("text", "textarea", "tel", "idcard") and prop.get("maxLength"):
        attrs["maxlength"] = prop["maxLength"]
    if widget == "number":
        attrs["inputmode"] = "numeric" if prop.get("type") == "integer" else "decimal"
    if widget == "money":
        attrs["inputmode"] = "decimal"
    if widget == "tel":
        attrs["inputmode"] = "tel"
    return attrs


def fields_for(schema: dict, values: dict | None = None, errors: dict[str, str] | None = None,
               raw: dict[str, Any] | None = None) -> list[Field]:
    """Fields in ``x-ui.order`` (then any others), filled from ``raw`` posted strings or typed ``values``."""
    props: dict[str, dict] = schema.get("properties") or {}
    ui = schema.get("x-ui") or {}
    order = [n for n in ui.get("order", []) if n in props] + [n for n in props if n not in ui.get("order", [])]
    required = set(schema.get("required") or [])
    values, errors, raw = values or {}, errors or {}, raw or {}
    out = []
    for name in order:
        prop = props[name]
        widget = _widget(prop, (ui.get("widgets") or {}).get(name))
        choices = prop.get("enum") or (prop.get("items") or {}).get("enum") or []
        f = Field(
            name=name, label=prop.get("title") or name, kind=prop.get("type", "string"), widget=widget,
            # A money input says "元" itself; the schema's description speaks of 分 to developers.
            required=name in required, help="" if widget == "money" else prop.get("description", ""),
            placeholder=(ui.get("placeholders") or {}).get(name, ""), choices=list(choices),
            error=errors.get(name, ""), attrs=_attrs(prop, widget),
        )
        f.value = raw[name] if name in raw else display_value(f, values.get(name))
        out.append(f)
    return out


def display_value(f: Field, value: Any) -> Any:
    """A typed form value as the input shows it (分 → 元 for money)."""
    if value is None:
        return [] if f.widget == "checkbox" else ""
    if f.widget == "money" and isinstance(value, int) and not isinstance(value, bool):
        return f"{Decimal(value) / 100:.2f}"
    if f.widget == "checkbox":
        return [str(v) for v in value] if isinstance(value, list) else []
    if isinstance(value, bool):
        return value
    return str(value)


def _convert(f: Field, text: str) -> tuple[Any, str]:
    """(typed value, error message). An empty string is "not given", left to the service's required check."""
    if f.kind == "integer" and f.widget == "money":
        try:
            yuan = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            return None, _("请输入金额（元），最多两位小数")
        if not yuan.is_finite() or yuan != yuan.quantize(Decimal("0.01")):
            return None, _("请输入金额（元），最多两位小数")
        return int(yuan * 100), ""
    if f.kind == "integer":
        if not text.lstrip("+-").isdigit() or not text.lstrip("+-").isascii():
            return None, _("请输入整数")
        return int(text), ""
    if f.kind == "number":
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, _("请输入数字")
        if not number.is_finite():
            return None, _("请输入数字")
        return (int(number) if number == number.to_integral_value() else float(number)), ""
    if f.choices and text not in [str(c) for c in f.choices]:
        return None, _("请从选项中选择")
    if f.choices:
        return next(c for c in f.choices if str(c) == text), ""
    return text, ""


def parse(schema: dict, data) -> tuple[dict, dict[str, str], dict[str, Any]]:
    """Posted ``data`` (a QueryDict) → (typed form, {field: error}, raw strings to show back).

    Empty optional inputs are left out of the form so the service sees "absent", not "".
    """
    form: dict[str, Any] = {}
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for f in fields_for(schema):
        key = f.input_name
        if f.kind == "boolean":
            form[f.name] = raw[f.name] = data.get(key) in ("1", "on", "true")
            continue
        if f.kind == "array":
            picked = data.getlist(key)
            raw[f.name] = picked
            allowed = [str(c) for c in f.choices]
            if allowed and any(p not in allowed for p in picked):
                errors[f.name] = _("请从选项中选择")
            elif picked:
                form[f.name] = [next(c for c in f.choices if str(c) == p) for p in picked] if allowed else picked
            continue
        text = (data.get(key) or "").strip()
        raw[f.name] = text
        if text == "":
            continue
        value, error = _convert(f, text)
        if error:
            errors[f.name] = error
        else:
            form[f.name] = value
    return form, errors, raw


def field_of(error: dict) -> str:
    """The form field an error names, whatever path style the service used (``form.x``, ``/x``, ``x``)."""
    name = str(error.get("field") or "")
    for prefix in ("form.", "form/", "/form/", "/"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name.split(".")[0].split("/")[0]


def split_errors(errors: list[dict], names: set[str]) -> tuple[dict[str, str], list[str]]:
    """Service errors → ({field: message} for fields on the page, [messages] for the rest)."""
    by_field: dict[str, str] = {}
    general: list[str] = []
    for e in errors:
        name = field_of(e)
        if name in names and name not in by_field:
            by_field[name] = str(e.get("message", ""))
        elif name not in names:
            general.append(str(e.get("message", "")))
    return by_field, general
