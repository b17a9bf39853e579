"""Domain errors with stable codes. The API turns them into RFC 9457 problem+json, the UI into messages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base for every error a service raises on purpose. ``code`` is stable; ``message`` is translatable."""

    status = 400
    code = "bad_request"
    title = _("请求无法处理")

    def __init__(self, message: Any = None, *, code: str | None = None, errors: list[dict] | None = None,
                 **extra: Any) -> None:
        self.message = message if message is not None else self.title
        if code:
            self.code = code
        self.errors = errors or []
        self.extra = extra
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    title = _("提交的内容有误")


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = _("未找到")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = _("没有权限")


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = _("状态冲突")


class InvalidStateChange(Conflict):
    code = "invalid_state_change"
    title = _("当前状态下不能进行此操作")


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition_failed"
    title = _("前置条件不满足")


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    title = _("不支持的内容类型")


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"
    title = _("需要登录")


def field_error(field: str, message: Any, code: str = "invalid") -> dict:
    return {"field": field, "message": str(message), "code": code}
