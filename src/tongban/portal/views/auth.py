"""Sign-in for everyone (citizens and officials share it); officials land in the workbench."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from tongban.portal.views.common import safe_next


def _landing(user) -> str:
    return reverse("workbench:inbox") if user.is_official else reverse("portal:my_cases")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    error = ""
    username = ""
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()
        password = request.POST.get("password") or ""
        user = authenticate(request, username=username, password=password) if username and password else None
        if user is not None:
            login(request, user)
            return HttpResponseRedirect(safe_next(request, _landing(user)))
        # One message for every failure: whether the name exists is nobody's business.
        error = _("用户名或密码错误，请重新输入")
    return render(request, "portal/auth/login.html", {
        "error": error, "username": username, "next": safe_next(request, ""),
    }, status=200)


@require_POST
def logout_view(request):
    logout(request)
    return HttpResponseRedirect(reverse("portal:home"))
