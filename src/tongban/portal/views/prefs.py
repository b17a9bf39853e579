"""Display preferences: 关怀版 (care mode). The language switch is Django's own ``set_language``."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.views.decorators.http import require_POST

from tongban.core.context import CARE_COOKIE
from tongban.portal.views.common import safe_next

ONE_YEAR = 365 * 24 * 3600


@require_POST
def care(request):
    on = request.POST.get("care") == "1"
    response = HttpResponseRedirect(safe_next(request, "/"))
    response.set_cookie(CARE_COOKIE, "1" if on else "0", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
