"""A small city for case tests: 重庆市 with 渝中 and 渝北, 民政局 and 公安局, their officials, two citizens,
and items wired to the shipped BPMN processes."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tongban.accounts import services as accounts
from tongban.accounts.models import Department, Region, RegionLevel
from tongban.cases.services._common import forget_items
from tongban.catalog.models import Bundle, BundleItem, Category, Material, Process, ServiceItem
from tongban.core import calendar, codes
from tongban.workflow import services as wf

PASSWORD = "Tongban@2026"
PROCESSES = Path(wf.__file__).parent / "processes"
DIBAO_SCHEMA = {
    "type": "object",
    "required": ["applicant_name", "id_number", "phone", "household_size", "monthly_income_fen", "address"],
    "properties": {
        "applicant_name": {"type": "string", "minLength": 2, "maxLength": 30, "title": "申请人姓名"},
        "id_number": {"type": "string", "title": "公民身份号码"},
        "phone": {"type": "string", "pattern": "^1\\d{10}$", "title": "联系电话"},
        "household_size": {"type": "integer", "minimum": 1, "maximum": 20, "title": "家庭人口"},
        "monthly_income_fen": {"type": "integer", "minimum": 0, "title": "家庭月收入（分）"},
        "address": {"type": "string", "minLength": 2, "title": "居住地址"},
        "reason": {"type": "string", "title": "申请理由"},
    },
}
DIBAO_FORM = {"applicant_name": "张三", "id_number": "500103198503121234", "phone": "13800000001",
              "household_size": 5, "monthly_income_fen": 80000, "address": "重庆市渝中区解放碑街道1号",
              "reason": "家庭困难"}


def credit_code(seed: str) -> str:
    """A valid 统一社会信用代码 built from an 8-character organisation stem."""
    org = seed + codes.org_code_check_char(seed)
    first17 = "11500000" + org
    return first17 + codes.credit_code_check_char(first17)


def _process(key: str) -> Process:
    dmn = [p.read_text() for p in sorted(PROCESSES.glob("*.dmn"))] if key == "dmn_rule" else []
    return Process.objects.create(key=key, name=key, bpmn=(PROCESSES / f"{key}.bpmn").read_text(), dmn=dmn,
                                  process_id=key)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    forget_items()  # items are cached per process for a few seconds; each test builds its own
    yield
    forget_items()


@pytest.fixture
def city(db):
    calendar.load_holidays()
    cq = Region.objects.create(code="500000", name="重庆市", level=RegionLevel.PROVINCE)
    yz = Region.objects.create(code="500103", name="渝中区", parent=cq, level=RegionLevel.COUNTY)
    yb = Region.objects.create(code="500112", name="渝北区", parent=cq, level=RegionLevel.COUNTY)
    mz = Department.objects.create(code="mz", name="重庆市民政局", credit_code=credit_code("MB000001"), region=cq)
    ga = Department.objects.create(code="ga", name="重庆市公安局", credit_code=credit_code("GA000002"), region=cq)
    cat = Category.objects.create(code="minzheng", name="民政")
    procs = {k: _process(k) for k in ("gateway", "instant", "one_level", "two_level", "fee_step")}

    def item(code: str, name: str, process: str, *, dept=mz, region=cq, days=10, case_type="2", **kw):
        return ServiceItem.objects.create(
            basic_code=code[-12:], implementation_code=code, name=name, item_type="05", case_type=case_type,
            department=dept, region=region, category=cat, legal_days=days * 2, promised_days=days,
            process=procs[process], form_schema=kw.pop("schema", DIBAO_SCHEMA), **kw)

    dibao = item(f"{mz.credit_code}3000105001000", "最低生活保障申请", "gateway")
    Material.objects.create(item=dibao, code="household", name="户口簿", formats=["pdf", "png", "jpg"])
    simple_schema = {"type": "object", "properties": {"applicant_name": {"type": "string"}}}
    instant = item(f"{mz.credit_code}3000105002000", "婚姻登记记录证明", "instant", days=0, case_type="1",
                   schema=simple_schema)
    district = item(f"{mz.credit_code}4000105003000", "临时救助申请（渝北）", "one_level", region=yb, days=5,
                    schema=simple_schema)
    hukou = item(f"{ga.credit_code}3000107001000", "出生登记", "one_level", dept=ga, schema=simple_schema)
    birth = Bundle.objects.create(code="birth", name="出生一件事", form_schema={
        "type": "object", "required": ["child_name"], "properties": {"child_name": {"type": "string"}}})
    BundleItem.objects.create(bundle=birth, item=hukou, order=1, field_map={"applicant_name": "child_name"})
    BundleItem.objects.create(bundle=birth, item=district, order=2, field_map={"applicant_name": "child_name"})

    def official(username, roles, *, dept=mz, region=cq):
        return accounts.create_official(username=username, password=PASSWORD, name=username, department=dept,
                                        roles=roles, region=region)

    people = {
        "shouli": official("mz.shouli", ["accept"]),
        "shenhe": official("mz.shenhe", ["review"]),
        "shenpi": official("mz.shenpi", ["approve", "review"]),
        "admin": official("mz.admin", ["dept_admin"]),
        "yz": official("yz.shouli", ["accept", "approve"], region=yz),
        "ga": official("ga.shouli", ["accept", "approve"], dept=ga),
        "zhangsan": accounts.create_citizen(username="zhangsan", password=PASSWORD, name="张三",
                                            id_number="500103198503121234", phone="13800000001", region=yz),
        "lisi": accounts.create_citizen(username="lisi", password=PASSWORD, name="李四",
                                        id_number="500112199007082468", region=yb),
    }
    return type("City", (), {"dibao": dibao, "instant": instant, "district": district, "hukou": hukou,
                             "mz": mz, "ga_dept": ga, "cq": cq, "yz": yz, "yb": yb, "bundle": birth, **people})


@pytest.fixture
def form():
    return dict(DIBAO_FORM)


def login(username: str) -> Client:
    """A CSRF-enforcing client signed in through the API, sending X-CSRFToken on unsafe requests."""
    client = Client(enforce_csrf_checks=True)
    r = client.post("/api/v1/auth/login", {"username": username, "password": PASSWORD},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client
