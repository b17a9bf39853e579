"""The one NinjaAPI: mounts each domain's router under /api/v1, with session auth and problem+json errors.

Every answer under ``/api/v1/`` is JSON: an unknown path is a 404 problem, a wrong method a 405 problem, a NUL
character in the path or query a 400 problem, and the docs page works offline.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from tongban.accounts.api import router as auth_router
from tongban.api import problems, views
from tongban.api.docs import LocalSwagger
from tongban.api.openapi import document_problems
from tongban.api.parser import StrictJSONParser
from tongban.cases.api import applications_router, me_router, workbench_router
from tongban.catalog.api import bundles_router, services_router
from tongban.notify.api import messages_router

DESCRIPTION = """\
一网通办 (one-stop government services) platform API.

**Sign in** (会话登录): `POST /auth/login` with `{"username", "password"}` sets a session cookie and a
`csrftoken` cookie; unsafe requests (POST …) send the `csrftoken` value as the `X-CSRFToken` header.

**Errors** are RFC 9457 `application/problem+json` with a stable `code` (see the `Problem` schema and
docs/api.md); `title`/`detail` follow `Accept-Language` (zh-Hans by default, `en`).

**Lists** return `{"items": [...], "next": <cursor or null>}`; pass `cursor=<next>` for the next page.

**Idempotency**: `POST /applications` honours `Idempotency-Key`.
"""

TAGS = [
    {"name": "auth", "description": "Sign in and out (登录/退出)"},
    {"name": "services", "description": "Service items and their guides (政务服务事项 / 办事指南)"},
    {"name": "bundles", "description": "One-thing bundles (一件事一次办)"},
    {"name": "applications", "description": "A citizen's applications (办件): submit, materials, withdraw, "
                                            "补正, rating (好差评)"},
    {"name": "me", "description": "The signed-in citizen's own applications (我的办件)"},
    {"name": "messages", "description": "In-app messages (站内消息)"},
    {"name": "workbench", "description": "Officials' inbox and case handling (工作台: 待办/已办, 办理, 差评整改)"},
]


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists())


def _not_allowed(request: HttpRequest, response: HttpResponseNotAllowed) -> HttpResponse:
    answer = problems.problem(request, 405, "method_not_allowed", _("不支持该请求方法"),
                              _("允许的方法：%(methods)s") % {"methods": response["Allow"]})
    answer["Allow"] = response["Allow"]
    return answer


def guard(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps each API URL: refuses NUL characters (PostgreSQL text cannot hold them), turns ninja's plain 405
    and the ``Http404`` its root view raises into problems."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _has_nul(request):
            return problems.problem(request, 400, "invalid_characters", _("请求包含不允许的字符"))
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return views.not_found_problem(request)
        if isinstance(response, HttpResponseNotAllowed):
            return _not_allowed(request, response)
        return response

    return guarded


class TongbanAPI(NinjaAPI):
    def _get_urls(self) -> list[Any]:
        urls: list[Any] = []
        for url in super()._get_urls():
            if isinstance(url, URLPattern):
                url = URLPattern(url.pattern, guard(url.callback), url.default_args, url.name)
            urls.append(url)
        urls.append(re_path(r"^(?P<rest>.*)$", views.fallback, name="fallback"))
        return urls

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["tags"] = TAGS
        return document_problems(schema)


api = TongbanAPI(
    title="Tongban 通办 API",
    version="1",
    urls_namespace="api-v1",
    description=DESCRIPTION,
    parser=StrictJSONParser(),
    docs=LocalSwagger(),
)
problems.install(api)
api.add_router("/auth", auth_router)
api.add_router("/services", services_router)
api.add_router("/bundles", bundles_router)
api.add_router("/applications", applications_router)
api.add_router("/me/messages", messages_router)
api.add_router("/me", me_router)
api.add_router("/workbench", workbench_router)
