"""The project's URLs plus the error hooks the API asks ``tongban/urls.py`` to install, and two views that
only exist to trigger them."""

from django.http import HttpResponse
from django.urls import path

from tongban.urls import urlpatterns as project


def boom(request):
    raise RuntimeError("boom")


def plain_post(request):  # a non-ninja view: Django's CsrfViewMiddleware guards it
    return HttpResponse("ok")


urlpatterns = [path("api/boom", boom), path("api/plain", plain_post), path("boom", boom),
               path("plain", plain_post), *project]
handler404 = "tongban.api.views.page_not_found"
handler500 = "tongban.api.views.server_error"
handler400 = "tongban.api.views.bad_request"
