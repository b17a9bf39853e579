"""The product's URLs plus ``POST /bench/bare``: same stack (granian WSGI, Django middleware, session auth with
CSRF, ninja + pydantic parsing, one transaction) inserting one row — the baseline the submission path is
measured against."""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from tongban.urls import urlpatterns as product_urls

bare_api = NinjaAPI(urls_namespace="bench-bare", docs_url=None, openapi_url=None)


class BareIn(Schema):
    service_code: str
    form: dict


@bare_api.post("/bare", auth=django_auth, response={201: dict})
def bare(request, payload: BareIn):
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO bench_bare (owner_id, body) VALUES (%s, %s)",
            [request.user.id, json.dumps(payload.form, ensure_ascii=False)],
        )
    return 201, {"ok": True}


urlpatterns = [path("bench/", bare_api.urls), *product_urls]
