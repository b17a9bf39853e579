"""RFC 9457 problem+json for every API error, with a stable ``code`` and translated ``title``/``detail``."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder

from tongban.core.errors import DomainError

log = logging.getLogger(__name__)
CONTENT_TYPE = "application/problem+json"


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


def _loc_to_field(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload")]
    return ".".join(parts) or "body"


def install(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return problem(request, exc.status, exc.code, str(exc.title), str(exc.message), exc.errors, **exc.extra)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request, exc: NinjaValidationError):
        errors = [{"field": _loc_to_field(list(e.get("loc", []))), "message": e.get("msg", ""),
                   "code": e.get("type", "invalid")} for e in exc.errors]
        return problem(request, 422, "validation_failed", _("提交的内容有误"), errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return problem(request, 401, "unauthenticated", _("需要登录"), _("请先登录，或检查 CSRF 令牌"))

    @api.exception_handler(AuthorizationError)
    def forbidden(request, exc):
        return problem(request, 403, "forbidden", _("没有权限"))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(request, 404, "not_found", _("未找到"))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        return problem(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(Exception)
    def unexpected(request, exc):
        log.exception("unhandled API error on %s %s", request.method, request.path)
        return problem(request, 500, "internal_error", _("服务器内部错误"), _("请稍后重试"))
