"""Invariants of the demo city's seed data (pure Python, no database).

Run with: python -m pytest tests/console/test_demo_data.py -q -p no:django
"""

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "tongban" / "console" / "demo" / "data"
HOLIDAYS = ROOT / "src" / "tongban" / "core" / "data" / "holidays_cn.json"


def load(name):
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


# --- check digits, written out here so the test does not depend on the code under test --------------
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def id_number_ok(s):
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    datetime.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))  # raises on an impossible birth date
    return "10X98765432"[sum(int(c) * w for c, w in zip(s, ID_WEIGHTS)) % 11] == s[17]


def org_code_ok(s):
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", s):
        return False
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(s, ORG_WEIGHTS))
    r = 11 - total % 11
    return s[8] == {10: "X", 11: "0"}.get(r, str(r))


def credit_code_ok(s):
    if len(s) != 18 or any(c not in CC_ALPHABET for c in s):
        return False
    total = sum(CC_ALPHABET.index(c) * w for c, w in zip(s, CC_WEIGHTS))
    return CC_ALPHABET[(31 - total % 31) % 31] == s[17] and org_code_ok(s[8:17])


@pytest.mark.parametrize("code", ["11010519491231002X", "440524188001010014", "530321199204074611"])
def test_id_checker_accepts_reference_examples(code):
    assert id_number_ok(code)
    assert not id_number_ok(code[:17] + ("1" if code[17] != "1" else "2"))


@pytest.mark.parametrize("code", ["91350100M000100Y43", "11100000000013338W", "11100000000013127D",
                                  "12441500196720244T", "91610800064834709T"])
def test_credit_code_checker_accepts_reference_examples(code):
    assert credit_code_ok(code)
    assert not credit_code_ok(code[:17] + ("0" if code[17] != "0" else "1"))


# --- fixtures ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regions():
    return load("regions.json")


@pytest.fixture(scope="module")
def departments():
    return load("departments.json")


@pytest.fixture(scope="module")
def items():
    return load("items.json")


@pytest.fixture(scope="module")
def categories():
    return load("categories.json")


@pytest.fixture(scope="module")
def bundles():
    return load("bundles.json")


def unique(values):
    dup = [v for v, n in Counter(values).items() if n > 1]
    assert not dup, f"duplicates: {dup}"


# --- regions, departments, people --------------------------------------------------------------------
def test_regions(regions):
    codes = {r["code"]: r for r in regions}
    unique([r["code"] for r in regions])
    assert codes["500000"]["name"] == "重庆市" and codes["500000"]["parent"] is None
    # levels are accounts.RegionLevel: 1 省级 (直辖市), 3 县级 (区), 4 乡镇/街道
    assert {r["code"]: r["level"] for r in regions if len(r["code"]) == 6} == {
        "500000": 1, "500103": 3, "500105": 3, "500112": 3, "500109": 3}
    assert all(r["level"] == 4 for r in regions if len(r["code"]) == 12)
    for code, name in {"500103": "渝中区", "500105": "江北区", "500112": "渝北区", "500109": "北碚区"}.items():
        assert codes[code]["name"] == name and codes[code]["parent"] == "500000"
        streets = [r for r in regions if r["parent"] == code]
        assert 2 <= len(streets) <= 3
        for s in streets:
            assert re.fullmatch(code + r"\d{3}000", s["code"]) and s["name"].endswith("街道")
    assert codes["500103002000"]["name"] == "解放碑街道"
    for r in regions:
        assert r["parent"] is None or r["parent"] in codes


def test_departments(departments, regions):
    region_codes = {r["code"] for r in regions}
    slugs = {d["code"] for d in departments}
    assert len(departments) >= 12
    unique([d["code"] for d in departments])
    unique([d["credit_code"] for d in departments])
    for slug in ("gaj", "jg", "sw", "yb", "wj", "jw", "zj", "gjj", "mz", "jt", "qx", "sj", "scj", "rs", "cz",
                 "dsj", "yzmz", "ybmz"):
        assert slug in slugs
    for d in departments:
        cc = d["credit_code"]
        assert credit_code_ok(cc), cc
        assert cc[0] == "1" and cc[1] in "12", cc  # 机关 (11) or 事业单位 (12)
        assert cc[2:8] == d["region"], cc
        assert d["region"] in region_codes
        assert d["parent"] is None or d["parent"] in slugs
        assert re.fullmatch(r"023-\d{8}", d["phone"])
        assert d["name"] and d["short_name"]


def test_officials(departments):
    officials = load("officials.json")
    by_user = {o["username"]: o for o in officials}
    unique([o["username"] for o in officials])
    dept_codes = {d["code"] for d in departments}
    for d in departments:
        for suffix, role in (("shouli", "accept"), ("shenhe", "review"), ("shenpi", "approve")):
            o = by_user[f"{d['code']}.{suffix}"]
            assert o["roles"] == [role] and o["department"] == d["code"] and o["region"] == d["region"]
    assert by_user["mz.admin"]["roles"] == ["dept_admin"]
    assert by_user["admin"]["roles"] == ["operator"] and by_user["admin"]["department"] == "dsj"
    for o in officials:
        assert set(o["roles"]) <= {"accept", "review", "approve", "dept_admin", "operator"}
        assert o["department"] in dept_codes
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,5}", o["name"]), o["name"]


def test_accounts(regions):
    data = load("accounts.json")
    region_codes = {r["code"] for r in regions}
    assert data["password"] == "Tongban@2026"
    citizens = {c["username"]: c for c in data["citizens"]}
    assert len(citizens) >= 4
    unique([c["id_number"] for c in data["citizens"]])
    assert citizens["zhangsan"]["id_number"] == "500103198503121234"
    assert citizens["zhangsan"]["phone"] == "13800000001" and citizens["zhangsan"]["region"] == "500103"
    assert citizens["lisi"]["id_number"] == "500112199007082468"
    assert citizens["lisi"]["phone"] == "13800000002" and citizens["lisi"]["region"] == "500112"
    for c in data["citizens"]:
        assert id_number_ok(c["id_number"]), c["id_number"]
        assert c["region"] in region_codes and c["id_number"][:6] == c["region"]
        assert re.fullmatch(r"1[3-9]\d{9}", c["phone"])
        assert c["gender"] == ("男" if int(c["id_number"][16]) % 2 else "女")
    ent = {e["username"]: e for e in data["enterprises"]}["qiye"]
    assert ent["name"] == "重庆通办示范科技有限公司"
    assert ent["credit_code"].startswith("91500000") and credit_code_ok(ent["credit_code"])
    assert ent["legal_representative"] in citizens


# --- catalog -----------------------------------------------------------------------------------------
ITEM_TYPES = {"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"}
PROCESSES = {"instant", "one_level", "two_level", "gateway", "dmn_rule", "fee_step"}
REQUIRED_ITEMS = {
    "最低生活保障申请": "mz", "居民身份证换领": "gaj", "机动车驾驶证换证": "jg", "出生医学证明办理": "wj",
    "新生儿落户": "gaj", "新生儿参保登记": "yb", "企业设立登记": "scj", "印章刻制备案": "gaj", "发票申领": "sw",
    "员工参保登记": "rs", "住房公积金提取": "gjj", "结婚登记": "mz", "气象证明出具": "qx",
    "成品油零售经营许可": "sj", "水费缴纳": "dsj", "电费缴纳": "dsj", "燃气费缴纳": "dsj",
    "道路运输经营许可": "jt", "出租车驾驶员从业资格": "jt", "义务教育入学登记": "jw", "学籍证明": "jw",
    "异地就医备案": "yb", "医保关系转移": "yb", "个人所得税汇算清缴": "sw", "完税证明开具": "sw",
}


def test_categories_and_themes(categories):
    unique([c["code"] for c in categories])
    assert {c["code"] for c in categories} >= {"gongan", "jiaoguan", "shuiwu", "yiliao", "jiaoyu", "zhufang",
                                                "minzheng", "jiaotong", "qixiang", "chengpinyou", "shenghuo", "qiye"}
    for c in categories:
        assert c["name"] and c["icon"] and isinstance(c["order"], int) and c["description"]
    themes = load("themes.json")
    unique([t["code"] for t in themes])
    assert {t["name"] for t in themes} >= {"出生", "就业", "婚育", "养老", "开办企业", "住房", "出行"}


def test_item_counts_and_required(items, categories):
    assert len(items) >= 40
    per_cat = Counter(i["category"] for i in items)
    for c in categories:
        assert per_cat[c["code"]] >= 3, c["code"]
    by_name = {i["name"]: i for i in items}
    for name, dept in REQUIRED_ITEMS.items():
        assert name in by_name, name
        assert by_name[name]["department"] == dept, name
    assert sum(i["case_type"] == "1" for i in items) >= 5
    assert {i["process"] for i in items} == PROCESSES
    assert len({i["item_type"] for i in items}) >= 4
    assert 2 <= sum(i["process"] == "fee_step" for i in items) <= 3


def test_item_codes(items, departments):
    depts = {d["code"]: d for d in departments}
    unique([i["basic_code"] for i in items])
    unique([i["implementation_code"] for i in items])
    unique([i["name"] for i in items])
    for i in items:
        assert re.fullmatch(r"\d{12}", i["basic_code"]), i["name"]
        assert i["exercise_level"] in set("1234567")
        expected = depts[i["department"]]["credit_code"] + i["exercise_level"] + i["basic_code"]
        assert i["implementation_code"] == expected, i["name"]
        assert len(i["implementation_code"]) == 31


def test_item_fields(items, departments, categories):
    dept_region = {d["code"]: d["region"] for d in departments}
    dept_codes = set(dept_region)
    cat_codes = {c["code"] for c in categories}
    theme_names = {t["name"] for t in load("themes.json")}
    for i in items:
        n = i["name"]
        assert i["department"] in dept_codes, n
        assert i["region"] == dept_region[i["department"]], n
        assert i["category"] in cat_codes, n
        assert set(i["themes"]) <= theme_names, n
        assert i["process"] in PROCESSES, n
        assert i["item_type"] in ITEM_TYPES, n
        assert i["case_type"] in {"1", "2", "9"}, n
        assert set(i["service_objects"]) <= set("123456") and i["service_objects"], n
        assert set(i["handling_forms"]) <= set("12349") and i["handling_forms"], n
        assert i["online"] == bool({"2", "3"} & set(i["handling_forms"])), n
        assert i["day_unit"] in {"working", "natural"}, n
        for key in ("legal_days", "promised_days", "visits", "online_depth", "assurance_level"):
            assert type(i[key]) is int and i[key] >= 0, (n, key)
        if i["legal_days"]:
            assert i["promised_days"] <= i["legal_days"], n
        if i["case_type"] == "1":
            assert i["promised_days"] == 0, n
        assert (i["process"] == "instant") <= (i["case_type"] == "1"), n
        assert 1 <= i["online_depth"] <= 4, n
        if i["online_depth"] == 4:
            assert i["visits"] == 0, n
        assert 1 <= i["assurance_level"] <= 3, n
        assert i["result_type"] in {"证照", "批文", "其他"}, n
        assert i["keywords"] and i["short_name"] and i["legal_basis"] and i["conditions"], n
        assert i["process_description"] and i["address"] and i["hours"] and i["scope"], n
        assert 1 <= len(i["materials"]) <= 5, n
        unique([m["code"] for m in i["materials"]])
        for m in i["materials"]:
            assert re.fullmatch(r"[a-z0-9_-]{1,40}", m["code"]), n
            assert m["name"] and m["issuer"] and isinstance(m["required"], bool), n
            assert type(m["originals"]) is int and type(m["copies"]) is int and m["formats"], n
        assert 1 <= len(i["faqs"]) <= 3 and all(f["q"] and f["a"] for f in i["faqs"]), n
        fee = i["fee"]
        assert type(fee["charged"]) is bool and type(fee["amount_fen"]) is int, n
        if fee["charged"]:
            assert fee["amount_fen"] > 0 and fee["basis"], n
        else:
            assert fee["amount_fen"] == 0, n
        assert (i["process"] == "fee_step") == fee["charged"], n
        assert isinstance(fee["decision"], str), n


# column widths of tongban.catalog.models, so the import never truncates or fails
ITEM_LIMITS = {"name": 120, "short_name": 60, "scope": 20, "consult_phone": 40, "supervise_phone": 40,
               "address": 200, "hours": 120, "result_name": 80}


def test_item_text_fits_columns(items, categories):
    for i in items:
        for key, limit in ITEM_LIMITS.items():
            assert len(i[key]) <= limit, (i["name"], key)
        assert len(i["fee"]["rule"]) <= 200, i["name"]
        for m in i["materials"]:
            assert len(m["name"]) <= 120 and len(m["issuer"]) <= 80 and len(m["note"]) <= 200, (i["name"], m["name"])
        for f in i["faqs"]:
            assert len(f["q"]) <= 200, i["name"]
    for c in categories:
        assert len(c["code"]) <= 30 and len(c["name"]) <= 40 and len(c["icon"]) <= 8 and len(c["description"]) <= 200


def test_rule_driven_processes_get_their_inputs(items):
    """gateway.bpmn and subsidy_level.dmn read household_size and monthly_income_fen from the form."""
    for i in items:
        if i["process"] in {"gateway", "dmn_rule"}:
            props, required = i["form_schema"]["properties"], set(i["form_schema"]["required"])
            for field in ("household_size", "monthly_income_fen"):
                assert field in required and props[field]["type"] == "integer", (i["name"], field)


def test_known_fees(items):
    by_name = {i["name"]: i for i in items}
    assert by_name["居民身份证换领"]["fee"]["amount_fen"] == 2000
    assert by_name["机动车驾驶证换证"]["fee"]["amount_fen"] == 1000
    assert {"身份证到期", "身份证过期", "换身份证"} <= set(by_name["居民身份证换领"]["keywords"])
    assert {"驾照", "驾照到期"} <= set(by_name["机动车驾驶证换证"]["keywords"])
    for name in ("水费缴纳", "电费缴纳", "燃气费缴纳"):
        i = by_name[name]
        assert (i["item_type"], i["case_type"], i["category"]) == ("20", "1", "shenghuo")


def check_form_schema(schema, label, min_fields=3, max_fields=8):
    assert schema["type"] == "object" and schema["title"], label
    props = schema["properties"]
    assert min_fields <= len(props) <= max_fields, (label, len(props))
    for name, spec in props.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), (label, name)
        assert re.search(r"[\u4e00-\u9fff]", spec["title"]), (label, name)
    assert set(schema["required"]) <= set(props), label
    ui = schema["x-ui"]
    assert sorted(ui["order"]) == sorted(props), label
    assert set(ui.get("widgets", {})) <= set(props) and set(ui.get("placeholders", {})) <= set(props), label
    try:
        import jsonschema
    except ImportError:
        return
    jsonschema.Draft202012Validator.check_schema(schema)


def test_form_schemas(items):
    for i in items:
        check_form_schema(i["form_schema"], i["name"])


def test_minimum_living_allowance_form(items):
    item = {i["name"]: i for i in items}["最低生活保障申请"]
    assert item["department"] == "mz" and item["process"] == "two_level" and item["category"] == "minzheng"
    assert "低保" in item["keywords"]
    schema = item["form_schema"]
    props = schema["properties"]
    assert set(props) == {"applicant_name", "id_number", "phone", "household_size", "monthly_income_fen",
                          "address", "reason"}
    assert set(schema["required"]) == set(props)
    types = {k: v["type"] for k, v in props.items()}
    assert types == {"applicant_name": "string", "id_number": "string", "phone": "string",
                     "household_size": "integer", "monthly_income_fen": "integer", "address": "string",
                     "reason": "string"}
    assert (props["household_size"]["minimum"], props["household_size"]["maximum"]) == (1, 20)
    assert props["monthly_income_fen"]["minimum"] == 0
    assert props["phone"]["pattern"] == r"^1[3-9]\d{9}$"
    id_re = re.compile(props["id_number"]["pattern"])
    assert id_re.search("500103198503121234") and id_re.search("11010519491231002X")
    assert not id_re.search("50010319850312123")
    assert re.search(props["phone"]["pattern"], "13800000001")


def test_bundles(items, bundles):
    by_code = {i["basic_code"]: i for i in items}
    by_name = {i["name"]: i for i in items}
    unique([b["code"] for b in bundles])
    bundle = {b["code"]: b for b in bundles}
    assert bundle["birth"]["name"] == "出生一件事"
    assert bundle["company"]["name"] == "开办企业一件事"
    birth = [by_code[c]["name"] for c in bundle["birth"]["items"]]
    assert birth == ["出生医学证明办理", "新生儿落户", "新生儿参保登记"]
    company = {by_code[c]["name"] for c in bundle["company"]["items"]}
    assert {"企业设立登记", "印章刻制备案", "发票申领", "员工参保登记"} <= company
    for b in bundles:
        assert b["description"]
        check_form_schema(b["form_schema"], b["code"], min_fields=3, max_fields=30)
        bundle_props = set(b["form_schema"]["properties"])
        assert set(b["field_map"]) == set(b["items"]), b["code"]
        for code in b["items"]:
            assert code in by_code, code
            item_schema = by_code[code]["form_schema"]
            mapping = b["field_map"][code]
            assert set(mapping) <= set(item_schema["properties"]), (b["code"], code)
            assert set(mapping.values()) <= bundle_props, (b["code"], code)
            missing = set(item_schema["required"]) - set(mapping)
            assert not missing, (b["code"], by_code[code]["name"], missing)
    assert by_name["新生儿落户"]["basic_code"] in bundle["birth"]["items"]


def test_synonyms(items):
    groups = load("synonyms.json")
    assert len(groups) >= 30
    unique([g["term"] for g in groups])
    terms = {g["term"]: g["synonyms"] for g in groups}
    for term in ("身份证到期", "驾照", "低保", "户口", "社保", "公积金", "营业执照", "上户"):
        assert term in terms, term
    assert "最低生活保障" in terms["低保"] and "机动车驾驶证" in terms["驾照"]
    for g in groups:
        assert g["synonyms"] and all(isinstance(s, str) and s for s in g["synonyms"])
    # every synonym leads somewhere: an item name, keyword or result contains it
    corpus = " ".join(i["name"] + " " + " ".join(i["keywords"]) + " " + i["result_name"] for i in items)
    corpus += " " + " ".join(b["name"] for b in load("bundles.json"))
    for g in groups:
        assert any(s in corpus for s in g["synonyms"]), g["term"]


# --- holidays ----------------------------------------------------------------------------------------
def test_holidays():
    with open(HOLIDAYS, encoding="utf-8") as f:
        data = json.load(f)
    assert data["source"]
    days = data["days"]
    unique([d["date"] for d in days])
    by_date = {datetime.date.fromisoformat(d["date"]): d for d in days}
    assert {d.year for d in by_date} == {2025, 2026}
    for date, d in by_date.items():
        assert d["kind"] in {"holiday", "workday"} and d["name"]
        if d["kind"] == "workday":
            assert date.weekday() >= 5, date  # make-up days fall on a Saturday or Sunday
    holidays = {y: sum(1 for dt, d in by_date.items() if dt.year == y and d["kind"] == "holiday") for y in (2025, 2026)}
    assert holidays == {2025: 28, 2026: 33}
    workdays = sorted(dt.isoformat() for dt, d in by_date.items() if d["kind"] == "workday")
    assert workdays == ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
                        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    for iso in ("2025-01-01", "2025-01-28", "2025-02-04", "2025-05-31", "2025-10-08",
                "2026-01-03", "2026-02-15", "2026-02-23", "2026-06-19", "2026-09-25", "2026-10-07"):
        assert by_date[datetime.date.fromisoformat(iso)]["kind"] == "holiday", iso
