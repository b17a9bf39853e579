from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path

from tongban.api.api import api


def healthz(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("console/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("workbench/", include("tongban.workbench.urls")),
    path("", include("tongban.portal.urls")),
]

handler400 = "tongban.api.views.bad_request"
handler404 = "tongban.api.views.page_not_found"
handler500 = "tongban.api.views.server_error"
