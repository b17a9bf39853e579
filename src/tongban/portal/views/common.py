"""Helpers shared by the portal's views."""

from __future__ import annotations

import functools

from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from tongban.core.errors import NotFound


def safe_next(request: HttpRequest, default: str) -> str:
    """The ``next`` target if it stays on this site, else ``default`` (no open redirects)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def not_found_as_404(view):
    """A service's NotFound (someone else's case, an unknown item) is the site's ordinary 404 page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    return wrapper
