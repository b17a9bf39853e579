"""What every workbench page shares: the official-only gate, the header, and turning domain errors into banners."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tongban.accounts import permissions as account_permissions
from tongban.core.errors import DomainError, NotFound
from tongban.notify import services as notify


def official_required(view):
    """Signed-in officials only. Others are sent to the login page, citizens back to the portal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not user.is_official:
            messages.error(request, _("工作台仅供政务服务工作人员使用。"))
            return redirect("/")
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None

    return wrapper


def header(request) -> dict:
    """The official's identity in the header: name, departments, roles, region scopes, unread messages."""
    user = request.user
    roles = account_permissions.roles_of(user)
    return {
        "official_name": user.display_name or user.username,
        "official_departments": sorted({r.department.name for r in roles}),
        "official_roles": [r.get_role_display() for r in roles],
        "official_regions": sorted({r.region.name for r in roles}),
        "unread_count": notify.unread_count(user),
        "nav": request.resolver_match.url_name if request.resolver_match else "",
    }


def error_banner(request, err: DomainError) -> None:
    messages.error(request, str(err.message))
    for e in err.errors:
        messages.error(request, f"{e.get('field', '')}：{e.get('message', '')}".lstrip("："))


def safe_next(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return nxt
    return default
