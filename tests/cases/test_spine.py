"""The spine through the services: submit → 受理 → 审核 → 审批 → 办结 → 好差评, and its detours."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tongban.audit import services as audit
from tongban.cases import permissions, services
from tongban.cases.models import Application, Rectification, Status, Task, TaskState
from tongban.cases.services._common import forget_items
from tongban.core.errors import Forbidden, InvalidStateChange, NotFound, ValidationFailed


def open_task(app: Application) -> Task:
    return Task.objects.get(application=app, state=TaskState.OPEN, kind="user")


def test_full_journey_to_completed_and_bad_rating(city, form):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    assert app.status == Status.SUBMITTED
    assert re.fullmatch(rf"{city.dibao.code}\d{{8}}0001", app.number)
    assert app.region_id == "500103"  # the applicant's district within the city item

    task = open_task(app)
    assert (task.spec, task.role) == ("accept", "accept")
    app = services.act(city.shouli, task.pk, "approve", "材料齐全")
    assert app.status == Status.ACCEPTED
    assert app.due_date is not None

    task = open_task(app)
    assert task.role == "review"  # household_size 5 → 入户核查 branch
    app = services.act(city.shenhe, task.pk, "approve")
    assert app.status == Status.IN_PROGRESS

    task = open_task(app)
    assert task.role == "approve"
    app = services.act(city.shenpi, task.pk, "approve", "同意")
    assert (app.status, app.result) == (Status.COMPLETED, "approved")
    assert not Task.objects.filter(application=app, state=TaskState.OPEN).exists()

    actions = list(app.events.values_list("action", flat=True))
    assert actions == ["submit", "approve", "approve", "approve"]

    ev = services.evaluate(city.zhangsan, app.pk, satisfaction=2, dimensions={"办事效率": 2}, comment="太慢")
    rect = Rectification.objects.get(evaluation=ev)
    assert rect.department == city.mz
    assert rect.deadline > timezone.localdate()
    services.evaluate(city.zhangsan, app.pk, satisfaction=4, comment="后来解决了")  # 追评
    with pytest.raises(InvalidStateChange):
        services.evaluate(city.zhangsan, app.pk, satisfaction=5)
    rect = services.answer_rectification(city.admin, rect.pk, "已加派人手")
    assert rect.state == "answered"
    assert audit.verify().ok


def test_deny_completes_with_denied(city, form):
    form["household_size"] = 2
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    services.act(city.shouli, open_task(app).pk, "approve")
    task = open_task(app)
    assert task.role == "approve"  # small household goes straight to 审批
    app = services.act(city.shenpi, task.pk, "deny", "收入超标")
    assert (app.status, app.result) == (Status.COMPLETED, "denied")


def test_reject_only_at_acceptance(city, form):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    with pytest.raises(InvalidStateChange):
        services.act(city.shouli, open_task(app).pk, "deny")
    app = services.act(city.shouli, open_task(app).pk, "reject", "不属于本部门职责")
    assert app.status == Status.REJECTED
    assert not Task.objects.filter(application=app, state=TaskState.OPEN).exists()

    other = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    services.act(city.shouli, open_task(other).pk, "approve")
    with pytest.raises(InvalidStateChange):
        services.act(city.shenhe, open_task(other).pk, "reject")


def test_withdraw_and_illegal_transitions(city, form):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    app = services.withdraw(city.zhangsan, app.pk, "填错了")
    assert app.status == Status.WITHDRAWN
    assert Task.objects.get(application=app).state == TaskState.CANCELLED
    with pytest.raises(InvalidStateChange):
        services.withdraw(city.zhangsan, app.pk)
    with pytest.raises(InvalidStateChange):
        app.move_to(Status.ACCEPTED)
    with pytest.raises(InvalidStateChange):
        services.supplement(city.zhangsan, app.pk, note="x")
    with pytest.raises(InvalidStateChange):
        services.evaluate(city.zhangsan, app.pk, satisfaction=5)


def test_return_for_supplement_pauses_the_clock(city, form, monkeypatch):
    days = iter([dt.datetime(2026, 9, 21, 10, tzinfo=dt.UTC), dt.datetime(2026, 9, 22, 10, tzinfo=dt.UTC),
                 dt.datetime(2026, 9, 24, 10, tzinfo=dt.UTC)])
    clock = {"now": next(days)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    app = services.act(city.shouli, open_task(app).pk, "approve")
    due = app.due_date
    clock["now"] = next(days)
    task = open_task(app)
    app = services.act(city.shenhe, task.pk, "return", "请补充收入证明", missing=["收入证明"])
    assert app.status == Status.SUPPLEMENT_REQUIRED
    assert app.missing == ["收入证明"]
    with pytest.raises(InvalidStateChange):
        services.act(city.shenhe, task.pk, "approve")
    clock["now"] = next(days)
    app = services.supplement(city.zhangsan, app.pk, {"monthly_income_fen": 50000}, note="已补充")
    assert app.status == Status.ACCEPTED
    assert app.form["monthly_income_fen"] == 50000
    assert app.paused_working_days == 2  # 9-23 and 9-24 (Wed, Thu)
    assert app.due_date > due
    assert open_task(app).pk == task.pk
    assert open_task(app).due_date == app.due_date


def test_four_eyes(city, form):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    services.act(city.shouli, open_task(app).pk, "approve")
    services.act(city.shenpi, open_task(app).pk, "approve")  # 审核 by the approver …
    with pytest.raises(Forbidden) as exc:
        services.act(city.shenpi, open_task(app).pk, "approve")  # … may not also 审批
    assert exc.value.code == "four_eyes"


def test_scoping(city, form):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    with pytest.raises(NotFound):
        permissions.get_application_for(city.lisi, app.pk)
    with pytest.raises(NotFound):
        services.act(city.ga, open_task(app).pk, "approve")  # another department
    with pytest.raises(NotFound):
        services.act(city.shenhe, open_task(app).pk, "approve")  # not their role
    district = services.submit(city.lisi, service_code=city.district.code, form={"applicant_name": "李四"})
    assert district.region_id == "500112"
    assert not permissions.applications_for(city.yz).filter(pk=district.pk).exists()
    assert not permissions.tasks_for(city.yz).filter(application=district).exists()
    assert permissions.tasks_for(city.shouli).filter(application=district).exists()
    assert permissions.tasks_for(city.yz).filter(application=app).exists()  # 渝中 case, 渝中 window


def test_instant_item_done_on_the_spot(city):
    app = services.submit(city.zhangsan, service_code=city.instant.code, form={"applicant_name": "张三"})
    assert (app.status, app.result) == (Status.COMPLETED, "approved")
    assert app.due_date == timezone.localdate(app.accepted_at)


def test_validation_collects_every_field(city, form):
    form.update(household_size=False, monthly_income_fen="100", id_number="500103198503121235")
    del form["phone"]
    with pytest.raises(ValidationFailed) as exc:
        services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    fields = {e["field"]: e["code"] for e in exc.value.errors}
    assert fields == {"household_size": "type", "monthly_income_fen": "type", "id_number": "id_number",
                      "phone": "required"}
    assert not Application.objects.exists()


def test_an_oversized_form_is_refused_by_the_service_whatever_the_channel(city, form):
    form["reason"] = "困" * 30_000  # 90 KB of UTF-8: over the 64 KB a form may carry
    with pytest.raises(ValidationFailed) as exc:
        services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    assert [(e["field"], e["code"]) for e in exc.value.errors] == [("form", "too_large")]
    assert not Application.objects.exists()


def test_assurance_required(city, form):
    city.dibao.assurance_level = 3
    city.dibao.save()
    forget_items()
    with pytest.raises(Forbidden) as exc:
        services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    assert exc.value.code == "assurance_required"


def test_numbers_follow_a_daily_sequence(city, form):
    numbers = [services.submit(city.zhangsan, service_code=city.dibao.code, form=form).number for _ in range(3)]
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003"]
    assert numbers[0][len(city.dibao.code):-4] == timezone.localdate().strftime("%Y%m%d")


def test_draft_then_submit(city, form):
    draft = services.save_draft(city.zhangsan, service_code=city.dibao.code, form={"applicant_name": "张"})
    assert draft.status == Status.DRAFT
    assert draft.number is None
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form, draft_id=draft.pk)
    assert app.pk == draft.pk
    assert app.status == Status.SUBMITTED
    assert app.number


def test_bundle_creates_linked_cases(city):
    group = services.submit_bundle(city.lisi, bundle_code="birth", form={"child_name": "李小宝"})
    apps = list(group.applications.order_by("id"))
    assert [a.item_id for a in apps] == [city.hukou.pk, city.district.pk]
    assert all(a.form == {"applicant_name": "李小宝"} and a.number for a in apps)
    assert group.status == Status.SUBMITTED
    with pytest.raises(ValidationFailed) as exc:
        services.submit_bundle(city.lisi, bundle_code="birth", form={})
    assert exc.value.errors[0]["field"] == "child_name"


def test_suspend_and_resume(city, form):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    services.act(city.shouli, open_task(app).pk, "approve")
    app = services.suspend(city.shenhe, app.pk, "等待专家意见")
    assert app.status == Status.SUSPENDED
    assert app.paused_since
    with pytest.raises(NotFound):
        services.suspend(city.zhangsan, app.pk, "x")
    app = services.resume(city.shenhe, app.pk)
    assert app.status == Status.ACCEPTED
    assert app.paused_since is None
    ev = services.add_comment(city.shenhe, app.pk, "内部意见")
    assert not ev.visible_to_applicant


def test_fee_step_waits_for_payment_and_handlers_run_on_completion(city, form):
    from tongban.cases import handlers
    from tongban.catalog.models import Process

    city.dibao.process = Process.objects.get(key="fee_step")
    city.dibao.save()
    forget_items()
    seen = []
    hook = handlers.on_completed("*")(lambda app: seen.append((app.pk, app.result)))
    try:
        app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
        services.act(city.shouli, open_task(app).pk, "approve")
        app = services.act(city.shenhe, open_task(app).pk, "approve")
        assert app.status == Status.IN_PROGRESS
        assert app.waiting_external == "fee"
        assert not Task.objects.filter(application=app, state=TaskState.OPEN, kind="user").exists()
        with pytest.raises(NotFound):
            services.resume_external(app.pk, "licence_issue")
        app = services.resume_external(app.pk, "fee", {"paid_fen": 1200})
        assert app.waiting_external == ""
        app = services.act(city.shenpi, open_task(app).pk, "approve")
        assert (app.status, app.result) == (Status.COMPLETED, "approved")
        assert seen == [(app.pk, "approved")]
    finally:
        handlers.unregister(hook)
