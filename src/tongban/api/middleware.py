"""Refuse oversized requests from their Content-Length, before Django reads or spools the body.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, so without this a 1 GB upload would be written
to a temporary file before the per-file size check could reject it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

from tongban.api.problems import problem


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.TONGBAN_MAX_REQUEST_BYTES
        if length > limit:
            detail = _("请求内容过大（上限 %(mb)s MB）") % {"mb": limit // (1024 * 1024)}
            if request.path.startswith("/api/"):
                return problem(request, 413, "request_too_large", _("请求内容过大"), detail)
            page = (f'<!doctype html><meta charset="utf-8"><title>{escape(_("请求内容过大"))}</title>'
                    f'<p>{escape(detail)}</p><p><a href="javascript:history.back()">{escape(_("返回上一页"))}</a></p>')
            return HttpResponse(page, status=413)
        return self.get_response(request)
