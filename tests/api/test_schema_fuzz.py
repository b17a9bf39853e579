"""Every operation of the OpenAPI document, fuzzed from the document itself (valid and invalid inputs): the API
never answers 5xx, and every answer matches the documented schema and content type (problem+json for errors).

Runs in-process through the WSGI application inside the test transaction, signed in as the demo citizen
(workbench operations as the 民政局 approver) with session cookie + X-CSRFToken, over the small city of the
case tests with one submitted application.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tongban.cases.models import Task, TaskState
from tongban.wsgi import application

from .conftest import login

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Signing out would end the fuzzing session; logout is covered by test_bad_input.
SKIPPED = "/api/v1/auth/logout"


@pytest.fixture
def same_connection(sessions):
    """The WSGI handler closes "old" connections when a request starts, which would end the test
    transaction; Django's test client does the same dance (and reconnects the handler after each of its
    requests, hence after ``sessions``)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def sessions(city, form):
    def session(username: str) -> dict:
        client = login(username)
        return {"cookies": {name: morsel.value for name, morsel in client.cookies.items()},
                "headers": {"X-CSRFToken": client.cookies["csrftoken"].value}}

    citizen = login("zhangsan")
    r = citizen.post("/api/v1/applications", json.dumps({"service_code": city.dibao.code, "form": form}),
                     content_type="application/json")
    assert r.status_code == 201, r.content
    app_id = r.json()["id"]
    task_id = Task.objects.get(application_id=app_id, state=TaskState.OPEN, kind="user").pk
    return {"citizen": session("zhangsan"), "official": session("mz.shouli"),
            "real": {"application_id": app_id, "task_id": task_id, "code": city.dibao.code,
                     "service_code": city.dibao.code, "bundle_code": "birth"}}


def aim_at_real_objects(case, real: dict) -> None:
    """Random ids and codes almost never exist; point about half of them at the seeded ones so that the
    happy paths (and the service rules behind them) are fuzzed too. Parity keeps it deterministic."""
    for name, value in (case.path_parameters or {}).items():
        if name in real and (value if isinstance(value, int) else len(str(value))) % 2 == 0:
            case.path_parameters[name] = real[name]
    if isinstance(case.body, dict):
        for name in ("service_code", "bundle_code"):
            if isinstance(case.body.get(name), str) and len(case.body[name]) % 2 == 0:
                case.body[name] = real[name]


# Loaded at collection (pytest-django has configured Django by then; the document needs no database).
# schemathesis.pytest.from_fixture would defer it, but does not run under pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).exclude(path=SKIPPED)


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, sessions, same_connection):
    who = "official" if case.path.startswith("/api/v1/workbench") else "citizen"
    auth = sessions[who]
    aim_at_real_objects(case, sessions["real"])
    case.call_and_validate(headers=auth["headers"], cookies=auth["cookies"], checks=CHECKS)
