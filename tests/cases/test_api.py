"""The fixed API contract, through a CSRF-enforcing client signed in via /api/v1/auth/login."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tongban.audit import services as audit
from tongban.cases.models import Application, Task, TaskState

from .conftest import login

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, body: dict, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def open_task_id(app_id: int) -> int:
    return Task.objects.get(application_id=app_id, state=TaskState.OPEN, kind="user").pk


def test_journey_over_the_api(city, form):
    citizen = login("zhangsan")
    r = post(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted"
    assert body["number"].startswith(city.dibao.code)
    app_id = body["id"]

    for username in ("mz.shouli", "mz.shenhe", "mz.shenpi"):
        official = login(username)
        inbox = official.get("/api/v1/workbench/tasks?state=open").json()
        task = next(t for t in inbox["items"] if t["application_id"] == app_id)
        assert task["applicant_name_masked"] == "张*"
        assert official.get(f"/api/v1/workbench/tasks/{task['id']}").status_code == 200
        r = post(official, f"/api/v1/workbench/tasks/{task['id']}/complete", {"action": "approve", "comment": "同意"})
        assert r.status_code == 200, r.content

    detail = citizen.get(f"/api/v1/applications/{app_id}").json()
    assert (detail["status"], detail["result"]) == ("completed", "approved")
    assert detail["status_label"] == "已办结"
    assert [h["action"] for h in detail["history"]] == ["submit", "approve", "approve", "approve"]
    assert detail["service"]["name"] == "最低生活保障申请"

    done = login("mz.shenpi").get("/api/v1/workbench/tasks?state=done").json()
    assert [t["application_id"] for t in done["items"]] == [app_id]

    r = post(citizen, f"/api/v1/applications/{app_id}/evaluation",
             {"satisfaction": 1, "dimensions": {"办事效率": 1}, "comment": "太慢"})
    assert r.status_code == 201, r.content
    assert r.json()["satisfaction_label"] == "非常不满意"
    admin = login("mz.admin")
    rects = admin.get("/api/v1/workbench/rectifications").json()["items"]
    assert len(rects) == 1
    r = post(admin, f"/api/v1/workbench/rectifications/{rects[0]['id']}/answer", {"answer": "已整改"})
    assert r.json()["state"] == "answered"
    mine = citizen.get("/api/v1/me/applications").json()
    assert [a["id"] for a in mine["items"]] == [app_id]
    assert audit.verify().ok


def test_csrf_is_enforced(city, form):
    citizen = login("zhangsan")
    del citizen.defaults["HTTP_X_CSRFTOKEN"]
    r = post(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form})
    assert r.status_code in (401, 403)
    assert not Application.objects.exists()


def test_per_field_errors_and_strict_types(city, form):
    citizen = login("zhangsan")
    form["household_size"] = False
    form["monthly_income_fen"] = 1.5
    r = post(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form})
    assert r.status_code == 422
    assert r["Content-Type"] == "application/problem+json"
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert set(errors) == {"household_size", "monthly_income_fen"}
    assert errors["household_size"]["code"] == "type"
    assert errors["household_size"]["message"] == "应为整数"
    r = post(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": "not an object"})
    assert r.status_code == 422
    r = post(citizen, "/api/v1/applications", {"service_code": "nope", "form": {}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "service_code"


def test_idempotency_key(city, form):
    citizen = login("zhangsan")
    body = {"service_code": city.dibao.code, "form": form}
    first = post(citizen, "/api/v1/applications", body, **{"Idempotency-Key": "k-1"})
    again = post(citizen, "/api/v1/applications", body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Application.objects.count() == 1
    other = post(citizen, "/api/v1/applications", {**body, "form": {**form, "household_size": 3}},
                 **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_authorization_is_404(city, form):
    a = login("zhangsan")
    app_id = post(a, "/api/v1/applications", {"service_code": city.dibao.code, "form": form}).json()["id"]
    assert login("lisi").get(f"/api/v1/applications/{app_id}").status_code == 404
    task_id = open_task_id(app_id)
    ga = login("ga.shouli")
    assert ga.get(f"/api/v1/workbench/tasks/{task_id}").status_code == 404
    assert post(ga, f"/api/v1/workbench/tasks/{task_id}/complete", {"action": "approve"}).status_code == 404
    assert post(login("mz.shenhe"), f"/api/v1/workbench/tasks/{task_id}/complete",
                {"action": "approve"}).status_code == 404
    assert ga.get(f"/api/v1/applications/{app_id}").status_code == 404


def test_four_eyes_is_403(city, form):
    a = login("zhangsan")
    app_id = post(a, "/api/v1/applications", {"service_code": city.dibao.code, "form": form}).json()["id"]
    post(login("mz.shouli"), f"/api/v1/workbench/tasks/{open_task_id(app_id)}/complete", {"action": "approve"})
    shenpi = login("mz.shenpi")
    post(shenpi, f"/api/v1/workbench/tasks/{open_task_id(app_id)}/complete", {"action": "approve"})
    r = post(shenpi, f"/api/v1/workbench/tasks/{open_task_id(app_id)}/complete", {"action": "approve"})
    assert r.status_code == 403
    assert r.json()["code"] == "four_eyes"


def test_return_supplement_withdraw(city, form):
    citizen = login("zhangsan")
    app_id = post(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form}).json()["id"]
    shouli = login("mz.shouli")
    r = post(shouli, f"/api/v1/workbench/tasks/{open_task_id(app_id)}/complete",
             {"action": "return", "comment": "请补充", "missing": ["户口簿"]})
    assert r.json()["status"] == "supplement_required"
    assert citizen.get(f"/api/v1/applications/{app_id}").json()["missing"] == ["户口簿"]
    r = post(citizen, f"/api/v1/applications/{app_id}/supplement", {"form": {"household_size": 6}, "note": "已补"})
    assert r.json()["status"] == "submitted"
    r = post(citizen, f"/api/v1/applications/{app_id}/withdraw", {"reason": "不办了"})
    assert r.json()["status"] == "withdrawn"
    r = post(citizen, f"/api/v1/applications/{app_id}/withdraw", {})
    assert r.status_code == 409
    assert r.json()["code"] == "invalid_state_change"


def test_drafts_bundles_and_materials(city, form):
    citizen = login("zhangsan")
    r = post(citizen, "/api/v1/applications/drafts", {"service_code": city.dibao.code, "form": {"reason": "x"}})
    assert r.status_code == 201
    assert r.json()["status"] == "draft"
    assert citizen.get("/api/v1/me/applications").json()["items"] == []
    assert len(citizen.get("/api/v1/me/applications?status=draft").json()["items"]) == 1

    r = post(citizen, "/api/v1/applications/bundle", {"bundle_code": "birth", "form": {"child_name": "张小宝"}})
    assert r.status_code == 201, r.content
    group = r.json()
    assert len(group["applications"]) == 2
    assert group["status"] == "submitted"

    app_id = post(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form}).json()["id"]
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    r = citizen.post(f"/api/v1/applications/{app_id}/materials",
                     {"material_code": "household", "file": SimpleUploadedFile("hukou.png", png, "image/png")})
    assert r.status_code == 201, r.content
    assert r.json()["material_code"] == "household"
    r = citizen.post(f"/api/v1/applications/{app_id}/materials",
                     {"material_code": "household", "file": SimpleUploadedFile("x.exe", b"MZ", "image/png")})
    assert r.status_code == 422
    assert len(citizen.get(f"/api/v1/applications/{app_id}").json()["materials"]) == 1


def test_list_endpoints_have_no_n_plus_one(city, form, django_assert_max_num_queries):
    citizen = login("zhangsan")
    for _ in range(6):
        post(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form})
    official = login("mz.shouli")
    with django_assert_max_num_queries(6):
        r = official.get("/api/v1/workbench/tasks?state=open&limit=5")
    assert len(r.json()["items"]) == 5
    assert r.json()["next"]
    assert len(official.get(f"/api/v1/workbench/tasks?cursor={r.json()['next']}").json()["items"]) == 1
    with django_assert_max_num_queries(4):
        r = citizen.get("/api/v1/me/applications?limit=50")
    assert len(r.json()["items"]) == 6
    admin = login("mz.admin")
    with django_assert_max_num_queries(6):
        admin.get("/api/v1/workbench/rectifications")
