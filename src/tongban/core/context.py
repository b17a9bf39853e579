"""Template context shared by every page: site name and the 关怀版 (care mode) switch."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

CARE_COOKIE = "tongban_care"


def site(request: HttpRequest) -> dict:
    return {"site_name": settings.SITE_NAME, "care_mode": request.COOKIES.get(CARE_COOKIE) == "1"}
