"""``/api/v1/docs``: Swagger UI from the assets vendored in ``static/api/swagger`` (see the README there), so the
page works on machines without internet access; ninja's default page loads them from a CDN."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class LocalSwagger(DocsBase):
    template = "api/swagger.html"
    settings: dict[str, Any] = {"layout": "BaseLayout", "deepLinking": True, "displayRequestDuration": True,
                                "tryItOutEnabled": False, "defaultModelsExpandDepth": 0}

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        # "</" cannot end the JSON island early: the settings are ours, but keep the page safe by construction
        payload = json.dumps(settings).replace("</", "<\\/")
        return render(request, self.template, {"api": api, "swagger_settings": payload})
