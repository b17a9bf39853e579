"""Console (Django admin): Chinese branding, masked personal data, read-only outbox, the 审计校验 view."""

from __future__ import annotations

import pytest
from django.db import transaction

from tongban.accounts.models import Department, Person, Region, User, UserKind
from tongban.audit import services as audit
from tongban.audit.models import AuditEntry
from tongban.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

ID = "500103198503121234"


@pytest.fixture
def person():
    region = Region.objects.create(code="500000", name="重庆市", level=1)
    user = User.objects.create_user("zhangsan", password="x", display_name="张三")
    return Person.objects.create(user=user, name="张三", id_number=ID, phone="13800000001", region=region)


def _append(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            audit.append("user:1", "test.action", "thing", i)


def test_index_is_branded_in_chinese(client, operator):
    html = client.get("/console/").content.decode()
    assert "通办 运营后台" in html
    assert "审计校验" in html


def test_person_list_and_form_never_show_clear_id_or_phone(client, operator, person):
    html = client.get("/console/accounts/person/").content.decode()
    assert ID not in html
    assert "13800000001" not in html
    assert "138****0001" in html
    assert "张*" in html
    assert "张三" not in html  # not even through the account column (User.__str__ is the real name)
    form = client.get(f"/console/accounts/person/{person.pk}/change/").content.decode()
    assert ID not in form
    assert "13800000001" not in form


def test_person_search_by_full_id_uses_blind_index(client, operator, person):
    other = User.objects.create_user("lisi", password="x")
    Person.objects.create(user=other, name="李四", id_number="500112199007082468", phone="13800000002")
    html = client.get("/console/accounts/person/", {"q": ID}).content.decode()
    assert "138****0001" in html
    assert "138****0002" not in html
    html = client.get("/console/accounts/person/", {"q": "13800000002"}).content.decode()
    assert "138****0002" in html
    assert "138****0001" not in html


def test_person_edit_with_blank_id_keeps_value(client, operator, person):
    resp = client.post(f"/console/accounts/person/{person.pk}/change/", {
        "user": person.user_id, "name": "张三", "id_number": "", "phone": "", "region": "500000",
        "assurance_level": 1,
    })
    assert resp.status_code == 302, resp.content.decode()[:2000]
    person.refresh_from_db()
    assert person.id_number == ID
    assert person.phone == "13800000001"


def test_department_rejects_bad_credit_code(client, operator):
    Region.objects.create(code="500000", name="重庆市", level=1)
    resp = client.post("/console/accounts/department/add/", {
        "code": "xx", "name": "某局", "credit_code": "11500000MB1234567X", "region": "500000",
    })
    assert resp.status_code == 200
    assert "统一社会信用代码无效" in resp.content.decode()
    assert not Department.objects.exists()


def test_outbox_is_read_only(client, operator):
    from django.utils import timezone
    msg = OutboxMessage.objects.create(topic="t", key="k1", available_at=timezone.now())
    assert client.get("/console/core/outboxmessage/").status_code == 200
    assert client.get("/console/core/outboxmessage/add/").status_code == 403
    client.post(f"/console/core/outboxmessage/{msg.pk}/change/", {"topic": "changed"})
    msg.refresh_from_db()
    assert msg.topic == "t"


def test_holidays_are_editable(client, operator):
    resp = client.post("/console/core/calendarday/add/", {"date": "2026-10-01", "kind": "holiday", "name": "国庆节"})
    assert resp.status_code == 302


def test_audit_verify_reports_ok_then_tampering(client, operator):
    _append(3)
    html = client.get("/console/audit/verify/").content.decode()
    assert 'data-testid="audit-ok"' in html
    assert "全部审计链校验通过" in html
    AuditEntry.objects.filter(chain="main", position=2).update(action="tampered")
    html = client.get("/console/audit/verify/").content.decode()
    assert 'data-testid="audit-broken"' in html
    assert "#2" in html
    assert "记录内容被篡改" in html


def test_audit_verify_is_for_operators_only(client):
    staff = User.objects.create_user("staff", password="x", kind=UserKind.OFFICIAL, is_staff=True)
    client.force_login(staff)
    assert client.get("/console/audit/verify/").status_code == 404


def test_audit_verify_sees_a_chain_whose_head_was_deleted(client, operator):
    from tongban.audit.models import ChainHead

    _append(2)
    ChainHead.objects.all().delete()
    html = client.get("/console/audit/verify/").content.decode()
    assert 'data-testid="audit-broken"' in html
    assert "链头记录被删除" in html
