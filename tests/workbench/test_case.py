from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workbench.conftest import open_task, post_form, signed_in
from tongban.cases import services
from tongban.cases.models import Application, Result, Status

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def act(user, app, action: str, **extra):
    task = open_task(app)
    c = signed_in(user)
    return c, post_form(c, f"/workbench/tasks/{task.pk}/", f"/workbench/tasks/{task.pk}/act/",
                        {"action": action, **extra})


def test_task_page_shows_case_masked_with_actions(city, case):
    task = open_task(case)
    html = signed_in(city.shouli).get(f"/workbench/tasks/{task.pk}/").content.decode()
    assert case.number in html
    assert "申请人姓名" in html  # label from the item's form_schema
    assert "500103198503121234" not in html
    assert "13800000001" not in html
    assert "138****0001" in html
    assert "5" + "*" * 15 + "34" in html
    for testid in ("action-approve-button", "action-return-button", "action-reject-button", "comment-box",
                   "case-status", "history-item"):
        assert f'data-testid="{testid}"' in html
    assert 'data-testid="action-deny-button"' not in html  # 受理 rejects, it does not deny


def test_approve_through_the_form_moves_the_case_on(city, case):
    c, r = act(city.shouli, case, "approve", comment="材料齐全，予以受理")
    assert r.status_code == 302
    assert r["Location"] == "/workbench/"
    case.refresh_from_db()
    assert case.status in (Status.ACCEPTED, Status.IN_PROGRESS)
    html = c.get("/workbench/").content.decode()
    assert 'data-testid="banner-success"' in html
    assert "已通过本环节" in html
    done = c.get("/workbench/?tab=done").content.decode()
    assert case.number in done
    assert f"/workbench/cases/{case.pk}/" in done
    assert c.get(f"/workbench/cases/{case.pk}/").status_code == 200


def test_return_for_supplement_names_the_materials(city, case):
    _c, r = act(city.shouli, case, "return", comment="请补充", missing=["household"], missing_other="收入证明")
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUPPLEMENT_REQUIRED
    assert case.missing == ["户口簿", "收入证明"]


def test_a_case_waiting_for_the_applicant_shows_no_actions(city, case):
    act(city.shouli, case, "return", comment="请补充", missing=["household"])
    task = open_task(case)
    html = signed_in(city.shouli).get(f"/workbench/tasks/{task.pk}/").content.decode()
    assert 'data-testid="task-waiting"' in html
    assert "待补正" in html
    assert 'data-testid="action-panel"' not in html


def test_reject_at_acceptance(city, case):
    act(city.shouli, case, "reject", comment="不属于本部门受理范围")
    case.refresh_from_db()
    assert case.status == Status.REJECTED


def test_full_chain_and_deny(city, case):
    act(city.shouli, case, "approve")
    act(city.shenhe, case, "approve", comment="审核通过")
    _c, r = act(city.shenpi, case, "deny", comment="收入超过标准")
    assert r.status_code == 302
    case = Application.objects.get(pk=case.pk)
    assert case.status == Status.COMPLETED
    assert case.result == Result.DENIED


def test_full_chain_approved(city, case):
    for user in (city.shouli, city.shenhe, city.shenpi):
        _c, r = act(user, case, "approve")
        assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.COMPLETED
    assert case.result == Result.APPROVED


def test_four_eyes_violation_shows_the_service_message(city, case):
    act(city.shouli, case, "approve")
    act(city.shenpi, case, "approve")  # 审核 by someone who also holds 审批
    _c, r = act(city.shenpi, case, "approve")
    html = r.content.decode()
    assert r.status_code == 403
    assert 'data-testid="banner-error"' in html
    assert "同一人不能既审核又审批同一办件" in html
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_acting_without_csrf_is_refused(city, case):
    task = open_task(case)
    r = signed_in(city.shouli).post(f"/workbench/tasks/{task.pk}/act/", {"action": "approve"})
    assert r.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_other_department_cannot_act(city, case):
    task = open_task(case)
    c = signed_in(city.ga)
    c.get("/workbench/")
    r = c.post(f"/workbench/tasks/{task.pk}/act/", {"action": "approve",
                                                    "csrfmiddlewaretoken": c.cookies["csrftoken"].value})
    assert r.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_comment_is_saved(city, case):
    task = open_task(case)
    c = signed_in(city.shouli)
    r = post_form(c, f"/workbench/tasks/{task.pk}/", f"/workbench/cases/{case.pk}/comment/",
                  {"text": "需核实户籍", "next": f"/workbench/tasks/{task.pk}/"})
    assert r.status_code == 302
    assert r["Location"] == f"/workbench/tasks/{task.pk}/"
    assert "需核实户籍" in c.get(r["Location"]).content.decode()


def test_comment_next_cannot_leave_the_site(city, case):
    c = signed_in(city.shouli)
    r = post_form(c, "/workbench/", f"/workbench/cases/{case.pk}/comment/",
                  {"text": "x", "next": "https://evil.example/"})
    assert r["Location"] == f"/workbench/cases/{case.pk}/"


def test_suspend_and_resume(city, case):
    act(city.shouli, case, "approve")
    task = open_task(case)
    c = signed_in(city.shenhe)
    post_form(c, f"/workbench/tasks/{task.pk}/", f"/workbench/cases/{case.pk}/suspend/",
              {"op": "suspend", "comment": "需入户调查"})
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED
    post_form(c, f"/workbench/tasks/{task.pk}/", f"/workbench/cases/{case.pk}/suspend/", {"op": "resume"})
    case.refresh_from_db()
    assert case.status in (Status.ACCEPTED, Status.IN_PROGRESS)


def test_material_download_checks_scope(city, case):
    upload = SimpleUploadedFile("户口簿.png", PNG, content_type="image/png")
    material = services.attach_material(city.zhangsan, case.pk, "household", upload)
    task = open_task(case)
    c = signed_in(city.shouli)
    html = c.get(f"/workbench/tasks/{task.pk}/").content.decode()
    assert f"/workbench/materials/{material.pk}/" in html
    r = c.get(f"/workbench/materials/{material.pk}/")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PNG
    assert r["Content-Disposition"].startswith("attachment")
    from tongban.audit.models import AuditEntry

    read = AuditEntry.objects.get(action="cases.material.read", object_id=str(material.pk))
    assert read.actor == f"user:{city.shouli.pk}"
    assert signed_in(city.ga).get(f"/workbench/materials/{material.pk}/").status_code == 404
    assert signed_in(city.lisi).get(f"/workbench/materials/{material.pk}/").status_code == 302
