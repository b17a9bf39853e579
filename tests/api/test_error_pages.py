"""Errors raised outside ninja (Django's URL resolver, CSRF middleware, a crash) are problem+json under /api/
and stay the portal's HTML pages elsewhere, once ``handler404``/``handler500`` and ``CSRF_FAILURE_VIEW`` point
at ``tongban.api.views``."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]
PROBLEM = "application/problem+json"


def test_404_outside_v1(db):
    r = Client().get("/api/nope")
    assert (r.status_code, r["Content-Type"], r.json()["code"]) == (404, PROBLEM, "not_found")
    html = Client().get("/definitely-not-a-page")
    assert html.status_code == 404
    assert html["Content-Type"].startswith("text/html")


def test_500(db):
    client = Client(raise_request_exception=False)
    r = client.get("/api/boom")
    assert (r.status_code, r["Content-Type"], r.json()["code"]) == (500, PROBLEM, "internal_error")
    assert b"RuntimeError" not in r.content
    html = client.get("/boom")
    assert html.status_code == 500
    assert html["Content-Type"].startswith("text/html")


def test_csrf_failure_view(db, settings):
    settings.CSRF_FAILURE_VIEW = "tongban.api.views.csrf_failure"
    client = Client(enforce_csrf_checks=True)
    r = client.post("/api/plain")
    assert (r.status_code, r["Content-Type"], r.json()["code"]) == (403, PROBLEM, "csrf_failed")
    html = client.post("/plain")
    assert html.status_code == 403
    assert html["Content-Type"].startswith("text/html")
