"""JSON import: every error of every row, in Chinese, and nothing written unless everything is valid."""

from __future__ import annotations

import copy

import pytest

from tongban.audit.models import AuditEntry
from tongban.catalog import services
from tongban.catalog.models import Bundle, Material, ServiceItem, Synonym

pytestmark = pytest.mark.usefixtures("catalog")
CODE = "11500000009281013R3000701001000"  # 居民身份证换领


def errors_of(report) -> dict[str, str]:
    found: dict[str, str] = {}
    for e in report.errors:
        found[e["field"]] = found.get(e["field"], "") + e["message"] + "；"
    return found


def test_demo_catalog_is_loaded():
    assert ServiceItem.objects.count() >= 40
    assert Bundle.objects.count() == 2
    assert Synonym.objects.filter(term="驾照").exists()


def test_reimporting_the_export_changes_nothing():
    exported = services.export_catalog()
    audit_before = AuditEntry.objects.count()
    report = services.import_catalog(exported, actor="test")
    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == len(exported["items"])
    assert AuditEntry.objects.count() == audit_before
    assert services.export_catalog() == exported


def test_update_by_implementation_code_is_audited(item_json):
    item_json["promised_days"] = 10
    item_json["materials"][0]["code"] = "m01"
    report = services.import_catalog([item_json], actor="user:7")
    assert report.ok
    assert report.updated == 1
    assert ServiceItem.objects.get(implementation_code=CODE).promised_days == 10
    entry = AuditEntry.objects.order_by("-position").first()
    assert (entry.actor, entry.action, entry.object_id) == ("user:7", "catalog.item.update", CODE)
    assert entry.before_digest
    assert entry.after_digest
    assert entry.before_digest != entry.after_digest


def test_materials_keep_their_code_when_reordered(item_json):
    first = Material.objects.get(item__implementation_code=CODE, code="m01")
    item_json["materials"] = [{**item_json["materials"][1], "code": "m02"}, {**item_json["materials"][0],
                                                                              "code": "m01"}]
    assert services.import_catalog([item_json], actor="test").ok
    again = Material.objects.get(item__implementation_code=CODE, code="m01")
    assert again.pk == first.pk
    assert again.order == 2
    assert Material.objects.filter(item__implementation_code=CODE).count() == 2


def test_new_item_is_created_and_searchable(item_json):
    item_json.update(basic_code="000701099000", name="居民身份证异地换领测试",
                     implementation_code="11500000009281013R3000701099000", keywords=["测试专用词"])
    report = services.import_catalog([item_json], actor="test")
    assert report.ok
    assert report.created == 1
    items, _ = services.search("测试专用词")
    assert [i.name for i in items] == ["居民身份证异地换领测试"]


@pytest.mark.parametrize(("change", "field", "needle"), [
    ({"item_type": "99"}, "item_type", "事项类型"),
    ({"item_type": 1}, "item_type", "事项类型"),
    ({"exercise_level": "8"}, "exercise_level", "行使层级"),
    ({"case_type": "3"}, "case_type", "办件类型"),
    ({"service_objects": ["1", "7"]}, "service_objects", "7"),
    ({"handling_forms": []}, "handling_forms", "办理形式"),
    ({"department": "nope"}, "department", "nope"),
    ({"category": "nope"}, "category", "服务分类"),
    ({"themes": ["不存在的主题"]}, "themes", "不存在的主题"),
    ({"process": "nope"}, "process", "办理流程"),
    ({"region": "500112"}, "region", "实施区划"),
    ({"promised_days": False}, "promised_days", "整数"),
    ({"legal_days": "60"}, "legal_days", "整数"),
    ({"promised_days": 90}, "promised_days", "法定"),
    ({"online": 1}, "online", "true"),
    ({"basic_code": "0007"}, "basic_code", "12"),
    ({"implementation_code": "11500000009281013R2000701001000"}, "implementation_code", "实施编码应为"),
    ({"name": ""}, "name", "必填"),
    ({"name": "长" * 121}, "name", "120"),
    ({"form_schema": {"type": "objekt"}}, "form_schema", "JSON Schema"),
    ({"form_schema": []}, "form_schema", "JSON"),
    ({"fee": {"charged": True, "amount_fen": 0, "basis": "x"}}, "fee.amount_fen", "大于 0"),
    ({"fee": {"charged": False, "amount_fen": 100}}, "fee.amount_fen", "0"),
    ({"fee": {"charged": True, "amount_fen": 100}}, "fee.basis", "必填"),
    ({"fee": {"charged": True, "amount_fen": True, "basis": "x"}}, "fee.amount_fen", "整数"),
])
def test_bad_values_are_reported_by_field(item_json, change, field, needle):
    item_json.update(change)
    report = services.import_catalog([item_json], actor="test")
    assert not report.ok
    found = errors_of(report)
    assert field in found, report.errors
    assert needle in found[field]
    assert all(e["row"] == 1 for e in report.errors)


def test_business_rules(item_json):
    instant = {**copy.deepcopy(item_json), "case_type": "1", "promised_days": 3}
    depth_four = {**copy.deepcopy(item_json), "online_depth": 4, "visits": 2}
    instant_process = {**copy.deepcopy(item_json), "process": "instant"}
    report = services.import_catalog([instant, depth_four, instant_process], actor="test")
    assert {(e["row"], e["field"]) for e in report.errors} >= {(1, "promised_days"), (2, "visits"), (3, "process")}
    assert "即办件" in errors_of(report)["promised_days"]
    assert "Ⅳ" in errors_of(report)["visits"]


def test_material_and_faq_errors_name_the_entry(item_json):
    item_json["materials"][1] = {"name": "", "originals": -1, "required": "yes"}
    item_json["faqs"] = [{"q": "只有问题"}]
    found = errors_of(services.import_catalog([item_json], actor="test"))
    assert {"materials[2].name", "materials[2].originals", "materials[2].required", "faqs[1].a"} <= set(found)


def test_every_row_is_checked_and_nothing_is_written(item_json):
    good = copy.deepcopy(item_json)
    good["name"] = "改过的名字"
    bad = copy.deepcopy(item_json)
    bad.update(implementation_code="11500000009281013R3000701098000", basic_code="000701098000",
               item_type="99", department="nope")
    duplicate = copy.deepcopy(good)
    report = services.import_catalog([good, bad, duplicate], actor="test")
    rows = {(e["row"], e["field"]) for e in report.errors}
    assert {(2, "item_type"), (2, "department"), (3, "implementation_code")} <= rows
    assert ServiceItem.objects.get(implementation_code=CODE).name == "居民身份证换领"
    assert not ServiceItem.objects.filter(basic_code="000701098000").exists()


def test_a_bad_bundle_rolls_back_the_items(item_json):
    item_json["name"] = "改过的名字"
    bundle = {"code": "broken", "name": "坏的一件事", "items": ["999999999999"], "form_schema": {}}
    report = services.import_catalog({"items": [item_json], "bundles": [bundle]}, actor="test")
    assert not report.ok
    assert report.errors[0]["field"] == "bundles.items"
    assert ServiceItem.objects.get(implementation_code=CODE).name == "居民身份证换领"
    assert not Bundle.objects.filter(code="broken").exists()


def test_bundle_requires_mapping_of_required_member_fields():
    bundle = copy.deepcopy(next(b for b in services.export_catalog()["bundles"] if b["code"] == "birth"))
    member = bundle["items"][1]
    bundle["field_map"][member] = {}
    report = services.import_catalog({"bundles": [bundle]}, actor="test")
    assert not report.ok
    assert "必填" in report.errors[0]["message"]


@pytest.mark.parametrize(("payload", "needle"), [
    ("not json", "JSON"),
    ({"nothing": []}, "items"),
    ({"items": {}}, "数组"),
    ([1], "对象"),
])
def test_malformed_payloads(payload, needle):
    report = services.import_catalog(payload, actor="test")
    assert not report.ok
    assert needle in report.errors[0]["message"]


def test_synonyms_and_categories_import():
    report = services.import_catalog({
        "categories": [{"code": "test", "name": "测试分类", "order": 999}],
        "synonyms": [{"term": "喵", "synonyms": ["结婚登记"]}],
    }, actor="test")
    assert report.ok, report.errors
    assert [c.code for c in services.list_categories()][-1] == "test"
    assert services.search("喵")[0][0].name == "结婚登记"
