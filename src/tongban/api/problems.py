"""RFC 9457 problem+json for every API error, with a stable ``code`` and translated ``title``/``detail``.

Handlers never echo the request body or field values back and never log them: a rejected body may hold an ID
number. ``errors`` lists ``{field, message, code}`` per bad field.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder

from tongban.api.parser import BadJSON
from tongban.core.errors import DomainError

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/problem+json"
CSRF_FAILED = "CSRF check Failed"  # ninja's message when its session auth rejects the CSRF token


def problem(request: HttpRequest, status: int, code: str, title: str, detail: str = "",
            errors: list[dict] | None = None, **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {"type": f"https://tongban.dev/problems/{code}", "title": title, "status": status,
                            "code": code, "instance": request.path}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return HttpResponse(json.dumps(body, ensure_ascii=False, cls=NinjaJSONEncoder), status=status,
                        content_type=CONTENT_TYPE)


# --- pydantic errors → {field, message, code} ---------------------------------------------------------

_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}


def _loc_to_field(loc: list[Any]) -> str:
    """ninja's ``("body", "payload", "form", "x")`` → ``form.x``; ``("file", "file")`` → ``file``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        where, parts = parts[0], parts[1:]
        if where == "body" and parts[:1] == ["payload"]:  # the name of the body argument, not a field
            parts = parts[1:]
    return ".".join(parts) or "body"


def _message(err: dict) -> str:
    """A short translated message for the common pydantic error types; pydantic's own text otherwise."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    messages = {
        "missing": _("必填"),
        "int_type": _("应为整数"), "int_parsing": _("应为整数"), "int_from_float": _("应为整数"),
        "string_type": _("应为文本"), "bool_type": _("应为布尔值"), "bool_parsing": _("应为布尔值"),
        "dict_type": _("应为对象"), "model_type": _("应为对象"), "model_attributes_type": _("应为对象"),
        "list_type": _("应为数组"), "literal_error": _("取值无效"), "enum": _("取值无效"),
        "extra_forbidden": _("不允许的字段"),
    }
    if kind in messages:
        return str(messages[kind])
    if kind in ("string_too_long", "too_long") and "max_length" in ctx:
        return _("最多 %(n)s 个字符") % {"n": ctx["max_length"]} if kind == "string_too_long" else \
            _("最多 %(n)s 项") % {"n": ctx["max_length"]}
    if kind in ("string_too_short", "too_short") and "min_length" in ctx:
        return _("至少 %(n)s 个字符") % {"n": ctx["min_length"]} if kind == "string_too_short" else \
            _("至少 %(n)s 项") % {"n": ctx["min_length"]}
    if kind == "greater_than_equal" and "ge" in ctx:
        return _("应不小于 %(n)s") % {"n": ctx["ge"]}
    if kind == "less_than_equal" and "le" in ctx:
        return _("应不大于 %(n)s") % {"n": ctx["le"]}
    return str(err.get("msg", "")) or str(_("取值无效"))


def field_errors(errors: list[dict]) -> list[dict]:
    return [{"field": _loc_to_field(list(e.get("loc", []))), "message": _message(e), "code": e.get("type", "invalid")}
            for e in errors]


# --- handlers -----------------------------------------------------------------------------------------


def too_large(request: HttpRequest) -> HttpResponse:
    return problem(request, 413, "request_too_large", _("请求内容过大"), _("请缩小请求体或上传的文件后重试"))


def csrf_failed(request: HttpRequest) -> HttpResponse:
    return problem(request, 403, "csrf_failed", _("CSRF 校验失败"),
                   _("使用会话登录时，不安全的请求须在 X-CSRFToken 头中带上 csrftoken Cookie 的值"))


def _bad_json(request: HttpRequest, exc: BadJSON) -> HttpResponse:
    if exc.code == "invalid_characters":
        return problem(request, 400, exc.code, _("请求包含不允许的字符"), exc.reason)
    return problem(request, 400, exc.code, _("请求体不是有效的 JSON"), exc.reason)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return problem(request, exc.status, exc.code, str(exc.title), str(exc.message), exc.errors, **exc.extra)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        return problem(request, 422, "validation_failed", _("提交的内容有误"), errors=field_errors(exc.errors))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return problem(request, 401, "unauthenticated", _("需要登录"), _("请先登录"))

    @api.exception_handler(AuthorizationError)
    def forbidden(request, exc):
        return problem(request, 403, "forbidden", _("没有权限"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(request, 404, "not_found", _("未找到"))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, BadJSON):  # ninja wraps every body parse error in HttpError(400)
            return _bad_json(request, exc.__cause__)
        if exc.status_code == 400 and exc.__cause__ is not None:
            return problem(request, 400, "invalid_json", _("请求体不是有效的 JSON"))
        if exc.status_code == 403 and exc.message == CSRF_FAILED:
            return csrf_failed(request)
        if exc.status_code == 429:
            return problem(request, 429, "too_many_requests", _("请求过于频繁"), _("请稍后重试"))
        return problem(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(RequestDataTooBig)
    def data_too_big(request, exc):
        return too_large(request)

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request, exc):
        return too_large(request)

    @api.exception_handler(TooManyFilesSent)
    def too_many_files(request, exc):
        return too_large(request)

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request, exc):
        return problem(request, 400, "invalid_multipart", _("上传的表单格式有误"))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return problem(request, 400, "bad_request", _("请求无法处理"))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("unhandled API error on %s %s", request.method, request.path)
        return problem(request, 500, "internal_error", _("服务器内部错误"), _("请稍后重试"))
