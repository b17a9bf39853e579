"""The catalog API contract: /api/v1/services, /services/{code}, categories, bundles, operator import/export."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from tongban.accounts.models import User, UserKind
from tongban.catalog.models import ServiceItem

pytestmark = pytest.mark.usefixtures("catalog")
DIBAO = "11500000009281099L3000509001000"


@pytest.fixture
def operator(client):
    user = User.objects.create(username="op", kind=UserKind.OPERATOR, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def citizen(client):
    user = User.objects.create(username="someone", kind=UserKind.CITIZEN)
    client.force_login(user)
    return user


def test_list_is_public_and_paginated(client):
    body = client.get("/api/v1/services", {"limit": 5}).json()
    assert len(body["items"]) == 5
    assert body["next"]
    row = body["items"][0]
    assert {"code", "name", "category", "department", "case_type", "promised_days", "online_depth",
            "fee_charged"} <= set(row)
    assert row["case_type"]["label"] in {"即办件", "承诺件", "其他"}
    nxt = client.get("/api/v1/services", {"limit": 5, "cursor": body["next"]}).json()
    assert not {r["code"] for r in nxt["items"]} & {r["code"] for r in body["items"]}


def test_search_finds_dibao(client):
    body = client.get("/api/v1/services", {"q": "低保"}).json()
    assert body["items"][0]["code"] == DIBAO
    assert body["items"][0]["department"] == "mz"


def test_category_and_region_filters(client):
    rows = client.get("/api/v1/services", {"category": "minzheng", "limit": 100}).json()["items"]
    assert rows
    assert {r["category"] for r in rows} == {"minzheng"}
    yuzhong = client.get("/api/v1/services", {"region": "500103", "limit": 100}).json()["items"]
    assert {r["region"] for r in yuzhong} == {"500000", "500103"}
    bad = client.get("/api/v1/services", {"region": "abc"})
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"


def test_bad_cursor_is_422(client):
    assert client.get("/api/v1/services", {"cursor": "@@@"}).status_code == 422


def test_list_is_not_n_plus_one(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert len(client.get("/api/v1/services", {"limit": 100}).json()["items"]) > 40
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/services", {"q": "证明", "limit": 100}).json()["items"]


def test_detail_contract(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/services/{DIBAO}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "最低生活保障申请"
    assert body["case_type"] == {"code": "2", "label": "承诺件"}
    assert body["item_type"]["code"] == "05"
    assert body["promised_days"] == 20
    assert body["legal_days"] == 30
    assert body["fee"] == {"charged": False, "amount_fen": 0, "basis": body["fee"]["basis"],
                           "standard": body["fee"]["standard"], "decision": ""}
    assert set(body["form_schema"]["properties"]) >= {"applicant_name", "id_number", "phone", "household_size",
                                                       "monthly_income_fen", "address", "reason"}
    material = body["materials"][0]
    assert {"code", "name", "issuer", "originals", "copies", "required", "formats"} <= set(material)
    assert body["faqs"]
    assert body["process"]["key"]
    assert body["assurance_level"]["code"] in (1, 2, 3)
    assert body["department"]["code"] == "mz"
    assert body["consult_phone"]


def test_unknown_item_is_a_404_problem(client):
    response = client.get("/api/v1/services/NOPE")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_not_found"


def test_inactive_item_is_404(client):
    ServiceItem.objects.filter(implementation_code=DIBAO).update(active=False)
    assert client.get(f"/api/v1/services/{DIBAO}").status_code == 404


def test_categories_with_counts(client):
    rows = client.get("/api/v1/services/categories").json()
    assert [r["order"] for r in rows] == sorted(r["order"] for r in rows)
    assert sum(r["count"] for r in rows) == ServiceItem.objects.filter(active=True).count()
    assert next(r for r in rows if r["code"] == "minzheng")["count"] >= 3


def test_bundles(client):
    rows = client.get("/api/v1/bundles").json()["items"]
    assert {b["code"] for b in rows} == {"birth", "company"}
    birth = client.get("/api/v1/bundles/birth").json()
    assert len(birth["items"]) == 3
    assert birth["form_schema"]["properties"]
    assert birth["items"][0]["field_map"]
    assert client.get("/api/v1/bundles/nope").status_code == 404


def test_import_and_export_need_an_operator(client, citizen):
    assert client.get("/api/v1/services/export.xlsx").status_code == 403
    response = client.post("/api/v1/services/import", data="[]", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_import_and_export_anonymous_is_401(client):
    assert client.get("/api/v1/services/export.xlsx").status_code == 401


def test_operator_exports_and_imports(client, operator):
    response = client.get("/api/v1/services/export.xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames[0] == "事项"
    exported = client.get("/api/v1/services/export").json()
    result = client.post("/api/v1/services/import", data=json.dumps(exported), content_type="application/json")
    assert result.status_code == 200, result.content
    assert result.json()["unchanged"] == len(exported["items"])


def test_import_errors_are_a_422_problem_listing_each_row(client, operator):
    item = client.get("/api/v1/services/export").json()["items"][0]
    item["item_type"] = "99"
    response = client.post("/api/v1/services/import", data=json.dumps([item]), content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_failed"
    assert body["errors"][0] == {"row": 1, "field": "item_type", "message": body["errors"][0]["message"]}
    bad_json = client.post("/api/v1/services/import", data="{", content_type="application/json")
    assert bad_json.status_code == 422


def test_operator_imports_xlsx(client, operator):
    content = client.get("/api/v1/services/export.xlsx").content
    response = client.post("/api/v1/services/import.xlsx", {"file": io.BytesIO(content)})
    assert response.status_code == 200, response.content
    junk = client.post("/api/v1/services/import.xlsx", {"file": io.BytesIO(b"junk")})
    assert junk.status_code == 422
    assert "Excel" in junk.json()["errors"][0]["message"]


def test_openapi_lists_the_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/services", "/api/v1/services/{code}", "/api/v1/services/categories",
            "/api/v1/bundles", "/api/v1/bundles/{code}"} <= set(paths)
