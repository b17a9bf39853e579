"""Session sign-in for the web and the API. Wrong credentials get 401 problem+json."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Router
from ninja.security import django_auth

from tongban.accounts import services
from tongban.accounts.schemas import LoginIn, Me
from tongban.core.errors import Unauthenticated, UnsupportedMediaType

router = Router(tags=["auth"])


@router.post("/login", response=Me, auth=None, summary="Sign in (登录)",
             description="Sets the session cookie and the `csrftoken` cookie. Wrong credentials: 401 "
                         "`invalid_credentials`. Only `application/json` bodies are accepted (415 otherwise).")
def sign_in(request, payload: LoginIn):
    # A cross-site HTML form can post text/plain or form data without a CORS preflight, but not JSON: insisting
    # on JSON is what stops login CSRF on this CSRF-exempt endpoint.
    if request.content_type != "application/json":
        raise UnsupportedMediaType(_("请以 application/json 提交登录信息"))
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise Unauthenticated(_("用户名或密码错误"), code="invalid_credentials")
    login(request, user)
    get_token(request)  # sets the csrftoken cookie on this response
    return services.describe(user)


@router.post("/logout", response={204: None}, auth=django_auth, summary="Sign out (退出)")
def sign_out(request):
    logout(request)
    return 204, None


@router.get("/me", response=Me, auth=django_auth, summary="The signed-in user and roles (当前用户)")
def me(request):
    return services.describe(request.user)
