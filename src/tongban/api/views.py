"""Error pages that answer problem+json under ``/api/`` and stay Django's (the portal's templates) elsewhere.

- ``fallback``: the API's last URL pattern, so an unknown ``/api/v1/...`` path is a 404 problem, not HTML.
- ``page_not_found`` / ``server_error``: ``handler404`` / ``handler500`` in ``tongban/urls.py``.
- ``csrf_failure``: ``settings.CSRF_FAILURE_VIEW`` (a non-ninja view under ``/api/`` rejected by Django's
  CsrfViewMiddleware; ninja's own session auth answers ``csrf_failed`` through ``problems``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt

from tongban.api.problems import csrf_failed, problem

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def not_found_problem(request: HttpRequest) -> HttpResponse:
    return problem(request, 404, "not_found", _("未找到"), _("没有这个 API 路径，请对照 /api/v1/openapi.json"))


@csrf_exempt  # an unknown path is a 404 whatever the method; there is nothing to protect
def fallback(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown path under the API. ``/api/v1/me/messages`` → 308 to ``…/messages/`` like APPEND_SLASH would,
    but keeping the method and body."""
    if settings.APPEND_SLASH and not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not fallback:
            target = request.path + "/"
            if request.META.get("QUERY_STRING"):
                target += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(target, preserve_request=True)
    return not_found_problem(request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return not_found_problem(request)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return problem(request, 500, "internal_error", _("服务器内部错误"), _("请稍后重试"))
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:  # Django always passes it
    if is_api(request):
        return problem(request, 400, "bad_request", _("请求无法处理"))
    return defaults.bad_request(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api(request):
        return csrf_failed(request)
    return django_csrf_failure(request, reason)
