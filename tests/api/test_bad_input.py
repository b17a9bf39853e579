"""Bad input gets a clear error and loses nothing: every rejection below is RFC 9457 problem+json with a stable
``code``, never a 500 or an HTML page, and leaves the data exactly as it was."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tongban.audit.models import AuditEntry
from tongban.cases.models import Application, CaseEvent, CaseMaterial, Evaluation, Status
from tongban.core.models import IdempotencyRecord, OutboxMessage
from tongban.files.models import StoredFile

from .conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
PDF = b"%PDF-1.7\n" + b"0" * 100 + b"\n%%EOF\n"
MB = 1024 * 1024


def counts() -> dict[str, int]:
    models = (Application, CaseEvent, CaseMaterial, Evaluation, StoredFile, IdempotencyRecord, OutboxMessage,
              AuditEntry)
    return {m.__name__: m.objects.count() for m in models}


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM, response["Content-Type"]
    body = response.json()
    assert body["status"] == status
    assert body["type"] == f"https://tongban.dev/problems/{body['code']}"
    assert body["title"]
    if code is not None:
        assert body["code"] == code, body
    for error in body.get("errors", []):
        assert set(error) == {"field", "message", "code"}, error
    return body


def post_json(client: Client, url: str, body, **headers):
    raw = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.post(url, raw, content_type="application/json", headers=headers)


@pytest.fixture
def citizen(city):
    return login("zhangsan")


@pytest.fixture
def submitted(city, citizen, form):
    r = post_json(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form})
    assert r.status_code == 201, r.content
    return r.json()["id"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


# --- bodies -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "status", "code"), [
    ('{"service_code": ', 400, "invalid_json"),
    (b"\xff\xfe{}", 400, "invalid_json"),
    ('{"service_code": "x", "form": {"household_size": NaN}}', 400, "invalid_json"),
    ('{"service_code": "x", "form": {"household_size": Infinity}}', 400, "invalid_json"),
    ('{"service_code": "x", "form": {"household_size": 1e309}}', 400, "invalid_json"),
    ('{"service_code": "x", "form": {"reason": "a\\u0000b"}}', 400, "invalid_characters"),
    ('{"service_code": "x", "form": {"reason": "\\ud800"}}', 400, "invalid_characters"),
    ("[]", 422, "validation_failed"),
    ('"just a string"', 422, "validation_failed"),
    ("{}", 422, "validation_failed"),
])
def test_malformed_bodies(city, citizen, raw, status, code):
    before = counts()
    assert_problem(post_json(citizen, "/api/v1/applications", raw), status, code)
    assert counts() == before


def test_form_must_be_an_object(city, citizen):
    before = counts()
    for form in ("x", ["a"], 3, None):
        body = assert_problem(post_json(citizen, "/api/v1/applications",
                                        {"service_code": city.dibao.code, "form": form}), 422, "validation_failed")
        assert [e["field"] for e in body["errors"]] == ["form"]
    assert counts() == before


@pytest.mark.parametrize("value", [False, True, "3", 3.5, None, [3], {"n": 3}])
def test_household_size_must_be_an_integer(city, citizen, form, value):
    before = counts()
    form["household_size"] = value
    body = assert_problem(post_json(citizen, "/api/v1/applications",
                                    {"service_code": city.dibao.code, "form": form}), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["household_size"]
    assert counts() == before


def test_ten_megabyte_string_field(city, citizen, form):
    before = counts()
    form["reason"] = "很" * (10 * MB // 3)
    body = assert_problem(post_json(citizen, "/api/v1/applications",
                                    {"service_code": city.dibao.code, "form": form}), 422, "validation_failed")
    assert body["errors"][0]["field"] == "form"
    assert body["errors"][0]["code"] == "too_large"
    assert len(json.dumps(body)) < 2000  # the value is never echoed back
    assert counts() == before


def test_body_over_the_request_limit_is_413(city, citizen, form, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = MB
    before = counts()
    form["reason"] = "x" * (2 * MB)
    assert_problem(post_json(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form}),
                   413, "request_too_large")
    assert counts() == before


def test_unknown_service_code_names_the_field(city, citizen, form):
    """The URL exists; the body names an item that does not, so 422 with the field, not a 404 for the URL."""
    before = counts()
    body = assert_problem(post_json(citizen, "/api/v1/applications", {"service_code": "nope", "form": form}),
                          422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["service_code"]
    assert counts() == before


def test_unknown_service_guide_is_404(city, citizen):
    assert_problem(citizen.get("/api/v1/services/nope"), 404, "service_not_found")


# --- auth and CSRF -----------------------------------------------------------------------------------


def test_missing_csrf_header_is_a_403_problem(city, citizen, form):
    del citizen.defaults["HTTP_X_CSRFTOKEN"]
    before = counts()
    assert_problem(post_json(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form}),
                   403, "csrf_failed")
    assert_problem(post_json(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form},
                             **{"X-CSRFToken": "wrong" * 8}), 403, "csrf_failed")
    assert counts() == before


def test_unauthenticated(city):
    client = Client(enforce_csrf_checks=True)
    assert_problem(client.get("/api/v1/me/applications"), 401, "unauthenticated")
    assert_problem(client.get("/api/v1/auth/me"), 401, "unauthenticated")


def test_wrong_login(city):
    client = Client(enforce_csrf_checks=True)
    before = counts()
    assert_problem(post_json(client, "/api/v1/auth/login", {"username": "zhangsan", "password": "nope"}),
                   401, "invalid_credentials")
    assert_problem(post_json(client, "/api/v1/auth/login", {"username": "nobody", "password": PASSWORD}),
                   401, "invalid_credentials")
    assert "sessionid" not in client.cookies
    assert counts() == before


@pytest.mark.parametrize("body", [{"username": 1, "password": PASSWORD}, {"username": "zhangsan"},
                                  {"username": "zhangsan", "password": "x" * 5000}, ["zhangsan", PASSWORD]])
def test_login_validation(city, body):
    client = Client(enforce_csrf_checks=True)
    assert_problem(post_json(client, "/api/v1/auth/login", body), 422, "validation_failed")
    assert "sessionid" not in client.cookies


def test_logout_needs_csrf_then_ends_the_session(city, citizen):
    token = citizen.defaults.pop("HTTP_X_CSRFTOKEN")
    assert_problem(citizen.post("/api/v1/auth/logout"), 403, "csrf_failed")
    assert citizen.get("/api/v1/auth/me").status_code == 200
    assert citizen.post("/api/v1/auth/logout", headers={"X-CSRFToken": token}).status_code == 204
    assert_problem(citizen.get("/api/v1/auth/me"), 401, "unauthenticated")


# --- uploads ------------------------------------------------------------------------------------------


def upload(client: Client, app_id: int, **data):
    return client.post(f"/api/v1/applications/{app_id}/materials", data)


@pytest.mark.parametrize(("data", "status", "code", "field"), [
    ({"material_code": "household"}, 422, "validation_failed", "file"),
    ({"file": ("a.pdf", PDF)}, 422, "validation_failed", "material_code"),
    ({"material_code": "household", "file": ("a.pdf", b"")}, 422, "file_empty", None),
    ({"material_code": "household", "file": ("a.pdf", b"MZ\x90\x00" + b"\x00" * 200)}, 422, "file_type_mismatch",
     None),
    ({"material_code": "household", "file": ("a.exe", b"MZ\x90\x00")}, 422, "file_type_not_allowed", None),
    ({"material_code": "nope", "file": ("a.pdf", PDF)}, 422, "validation_failed", "material_code"),
    ({"material_code": "x" * 61, "file": ("a.pdf", PDF)}, 422, "validation_failed", "material_code"),
])
def test_bad_uploads(city, citizen, submitted, media, data, status, code, field):
    files = {k: SimpleUploadedFile(v[0], v[1]) if isinstance(v, tuple) else v for k, v in data.items()}
    before = counts()
    body = assert_problem(upload(citizen, submitted, **files), status, code)
    if field:
        assert field in [e["field"] for e in body["errors"]]
    assert counts() == before
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_eleven_megabyte_upload(city, citizen, submitted, media):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (11 * MB))
    before = counts()
    assert_problem(upload(citizen, submitted, material_code="household", file=big), 422, "file_too_large")
    assert counts() == before
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_huge_multipart_field_is_a_413_problem(city, citizen, submitted, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = MB
    before = counts()
    r = upload(citizen, submitted, material_code="x" * (2 * MB), file=SimpleUploadedFile("a.pdf", PDF))
    assert_problem(r, 413, "request_too_large")
    assert counts() == before


def test_upload_to_someone_elses_application_is_404(city, submitted, media):
    lisi = login("lisi")
    before = counts()
    assert_problem(upload(lisi, submitted, material_code="household", file=SimpleUploadedFile("a.pdf", PDF)),
                   404, "application_not_found")
    assert counts() == before


# --- queries and paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["cursor=garbage!", "cursor=" + "A" * 201, "limit=-1", "limit=0",
                                   "limit=100000", "limit=abc", "limit=1e3", "status=nope"])
def test_bad_list_queries(city, citizen, submitted, query):
    body = assert_problem(citizen.get(f"/api/v1/me/applications?{query}"), 422)
    assert body["code"] in ("validation_failed", "invalid_cursor")


def test_garbage_cursor_is_invalid_cursor(city, citizen):
    assert_problem(citizen.get("/api/v1/me/applications?cursor=garbage"), 422, "invalid_cursor")
    assert_problem(citizen.get("/api/v1/services?cursor=garbage"), 422, "invalid_cursor")


def test_well_formed_cursor_of_the_wrong_shape(city, citizen):
    # base64url of '[]'
    assert_problem(citizen.get("/api/v1/me/applications?cursor=W10"), 422, "invalid_cursor")


@pytest.mark.parametrize("query", ["q=" + "x" * 101, "limit=0", "limit=101", "region=abc"])
def test_bad_service_queries(city, query):
    assert_problem(Client().get(f"/api/v1/services?{query}"), 422, "validation_failed")


@pytest.mark.parametrize("url", ["/api/v1/services?q=%00", "/api/v1/services/a%00b", "/api/v1/me/applications?x=%00"])
def test_nul_in_path_or_query(city, citizen, url):
    assert_problem(citizen.get(url), 400, "invalid_characters")


@pytest.mark.parametrize("url", ["/api/v1/applications/abc", "/api/v1/applications/-1", "/api/v1/nope",
                                 "/api/v1/applications/1/nope", "/api/v1/", "/api/v1/workbench/tasks/x/complete"])
def test_unknown_paths_are_404_problems(city, citizen, url):
    assert_problem(citizen.get(url), 404, "not_found")
    assert_problem(citizen.post(url, "{}", content_type="application/json"), 404, "not_found")


def test_someone_elses_application_is_404(city, submitted):
    assert_problem(login("lisi").get(f"/api/v1/applications/{submitted}"), 404, "application_not_found")
    assert_problem(login("lisi").get("/api/v1/applications/99999999999999999999"), 404)


def test_missing_slash_redirects_keeping_the_method(city, citizen):
    r = citizen.get("/api/v1/me/messages?limit=5")
    assert (r.status_code, r["Location"]) == (308, "/api/v1/me/messages/?limit=5")


@pytest.mark.parametrize(("method", "url"), [("delete", "/api/v1/applications"), ("put", "/api/v1/services"),
                                             ("get", "/api/v1/auth/login"), ("patch", "/api/v1/auth/me")])
def test_method_not_allowed(city, citizen, method, url):
    before = counts()
    r = getattr(citizen, method)(url)
    assert_problem(r, 405, "method_not_allowed")
    assert r["Allow"]
    assert counts() == before


# --- idempotency --------------------------------------------------------------------------------------


def test_idempotency_key_too_long_or_not_ascii(city, citizen, form):
    before = counts()
    body = {"service_code": city.dibao.code, "form": form}
    for key in ("k" * 256, "密钥"):
        r = citizen.post("/api/v1/applications", json.dumps(body), content_type="application/json",
                         HTTP_IDEMPOTENCY_KEY=key)
        assert_problem(r, 422, "idempotency_key_invalid")
    assert counts() == before


def test_same_key_different_body(city, citizen, form):
    first = post_json(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form},
                      **{"Idempotency-Key": "k-1"})
    assert first.status_code == 201
    before = counts()
    form["household_size"] = 2
    assert_problem(post_json(citizen, "/api/v1/applications", {"service_code": city.dibao.code, "form": form},
                             **{"Idempotency-Key": "k-1"}), 422, "idempotency_key_reused")
    assert counts() == before


# --- evaluation ---------------------------------------------------------------------------------------


@pytest.fixture
def completed(city, submitted):
    Application.objects.filter(pk=submitted).update(status=Status.COMPLETED, result="approved")
    return submitted


@pytest.mark.parametrize("satisfaction", [0, 6, "5", True, 4.0, None, -1, 10**30])
def test_evaluation_satisfaction(city, citizen, completed, satisfaction):
    before = counts()
    body = assert_problem(post_json(citizen, f"/api/v1/applications/{completed}/evaluation",
                                    {"satisfaction": satisfaction}), 422, "validation_failed")
    assert [e["field"] for e in body["errors"]] == ["satisfaction"]
    assert counts() == before


def test_evaluation_dimensions_and_comment(city, citizen, completed):
    before = counts()
    for payload in ({"satisfaction": 5, "dimensions": {"办事效率": 6}},
                    {"satisfaction": 5, "dimensions": {"办事效率": True}},
                    {"satisfaction": 5, "dimensions": {f"d{i}": 5 for i in range(21)}},
                    {"satisfaction": 5, "comment": "x" * 2001},
                    {"satisfaction": 5, "channel": "99"}):
        assert_problem(post_json(citizen, f"/api/v1/applications/{completed}/evaluation", payload), 422)
    assert counts() == before


def test_workbench_action_must_be_known(city, submitted):
    official = login("mz.shouli")
    task = official.get("/api/v1/workbench/tasks").json()["items"][0]
    before = counts()
    for payload in ({"action": "explode"}, {"action": "approve", "comment": 3}, {"action": "return", "missing": "x"}):
        assert_problem(post_json(official, f"/api/v1/workbench/tasks/{task['id']}/complete", payload), 422,
                       "validation_failed")
    assert_problem(official.get("/api/v1/workbench/tasks?state=everything"), 422, "validation_failed")
    assert counts() == before


# --- the document and the docs page -------------------------------------------------------------------


def test_openapi_documents_problems(city):
    doc = Client().get("/api/v1/openapi.json").json()
    assert "Problem" in doc["components"]["schemas"]
    submit = doc["paths"]["/api/v1/applications"]["post"]
    assert submit["summary"]
    for status in ("400", "401", "403", "413", "422", "default"):
        assert "application/problem+json" in submit["responses"][status]["content"], status
    assert "application/problem+json" in doc["paths"]["/api/v1/applications/{application_id}"]["get"][
        "responses"]["404"]["content"]
    assert {t["name"] for t in doc["tags"]} >= {"auth", "services", "applications", "workbench"}
    assert any(p["name"] == "Idempotency-Key" for p in submit["parameters"])


def test_docs_page_is_served_without_a_cdn(city):
    r = Client().get("/api/v1/docs")
    assert r.status_code == 200
    html = r.content.decode()
    assert "cdn." not in html
    assert "https://" not in html
    assert "/static/api/swagger/swagger-ui-bundle.js" in html
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "init.js"):
        assert finders.find(f"api/swagger/{name}"), name


def test_login_refuses_non_json_bodies_against_login_csrf(city):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = '{"username": "zhangsan", "password": "Tongban@2026"}'
    response = client.post("/api/v1/auth/login", data=body, content_type="text/plain")
    assert_problem(response, 415, "unsupported_media_type")
    assert "sessionid" not in response.cookies


def test_oversized_request_is_refused_from_its_content_length(city, citizen, settings):
    settings.TONGBAN_MAX_REQUEST_BYTES = 1024
    response = citizen.post("/api/v1/applications", data="x" * 2048, content_type="application/json")
    assert_problem(response, 413, "request_too_large")
