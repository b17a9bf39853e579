"""The SLA clock over the 2026 国庆 holidays, with a fixed clock; notices reach the right people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tongban.audit import services as audit
from tongban.cases import services, sla
from tongban.cases.models import Application, Task, TaskState
from tongban.cases.tasks import recipients
from tongban.core import outbox
from tongban.notify.models import Message


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+08:00").astimezone(dt.UTC)  # as timezone.now() gives


@pytest.fixture
def clock(monkeypatch):
    state = {"now": at("2026-09-29")}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


def open_task(app):
    return Task.objects.get(application=app, state=TaskState.OPEN, kind="user")


def test_due_date_skips_national_day_and_counts_make_up_saturday(city, form, clock):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    app = services.act(city.shouli, open_task(app).pk, "approve")
    # 10 working days from Tue 29 Sep: 30 Sep, 8, 9, 10 (调休 Saturday), 12–16, 19 Oct.
    assert app.due_date == dt.date(2026, 10, 19)
    assert app.warn_date == dt.date(2026, 10, 15)  # 80 % = 8 working days
    assert open_task(app).due_date == app.due_date

    assert sla.scan(at("2026-10-14")) == {"warned": 0, "overdue": 0}
    assert sla.scan(at("2026-10-15")) == {"warned": 1, "overdue": 0}
    assert sla.scan(at("2026-10-16")) == {"warned": 0, "overdue": 0}  # warned once
    assert sla.scan(at("2026-10-19", 17)) == {"warned": 0, "overdue": 0}  # due today is not overdue
    assert sla.scan(at("2026-10-20")) == {"warned": 0, "overdue": 1}
    app.refresh_from_db()
    assert app.escalated
    assert app.overdue_at is not None
    assert audit.verify().ok


def test_paused_days_move_the_due_date(city, form, clock):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    app = services.act(city.shouli, open_task(app).pk, "approve")
    clock["now"] = at("2026-09-30")
    services.act(city.shenhe, open_task(app).pk, "return", "缺收入证明", missing=["收入证明"])
    assert sla.scan(at("2026-10-20")) == {"warned": 0, "overdue": 0}  # paused cases are not flagged
    clock["now"] = at("2026-10-09")
    app = services.supplement(city.zhangsan, app.pk, note="补好了")
    assert app.paused_working_days == 2  # 8 and 9 Oct; the holidays in between were never working days
    assert app.due_date == dt.date(2026, 10, 21)


def test_overdue_escalates_to_dept_admin_and_notices_are_delivered(city, form, clock):
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    app = services.act(city.shouli, open_task(app).pk, "approve")
    sla.scan(at("2026-10-20"))
    outbox.deliver_pending()
    titles = dict(Message.objects.values_list("recipient__username", "title").order_by("id"))
    assert titles["zhangsan"] == "申请已受理"
    assert titles["mz.admin"] == "办件已超期"
    assert "mz.shenhe" in titles  # the 审核 task was announced to its officials
    assert titles["yz.shouli"] == "新的待办"  # 渝中's window sees the 渝中 applicant's case
    assert "ga.shouli" not in titles  # … another department never does
    app = Application.objects.get(pk=app.pk)
    assert recipients(app, {"to": "dept_admin"}) == [city.admin.pk]
