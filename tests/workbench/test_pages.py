from __future__ import annotations

import pytest

from tests.workbench.conftest import open_task, post_form, signed_in
from tongban.cases import services
from tongban.cases.models import Rectification, RectificationState

pytestmark = pytest.mark.django_db


def _completed(city, case):
    for user in (city.shouli, city.shenhe, city.shenpi):
        services.act(user, open_task(case).pk, "approve")
    case.refresh_from_db()
    return case


def test_dashboard_renders_with_charts(city, case):
    _completed(city, case)
    services.evaluate(city.zhangsan, case.pk, satisfaction=1, comment="等太久")
    c = signed_in(city.shouli)
    r = c.get("/workbench/dashboard/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="chart-status"' in html
    assert 'data-testid="chart-evaluations"' in html
    assert "<svg" in html
    assert "非常不满意" in html
    assert 'data-testid="kpi-total">1<' in html
    assert c.get("/workbench/dashboard/?period=all").status_code == 200
    assert c.get("/workbench/dashboard/?period=bogus&department=999").status_code == 200


def test_rectification_list_and_answer(city, case):
    _completed(city, case)
    services.evaluate(city.zhangsan, case.pk, satisfaction=1, comment="态度差")
    rect = Rectification.objects.get()
    c = signed_in(city.shouli)
    html = c.get("/workbench/rectifications/").content.decode()
    assert 'data-testid="rect-row"' in html
    assert "态度差" in html
    assert rect.deadline.isoformat() in html
    assert "张*" in html
    assert signed_in(city.ga).get("/workbench/rectifications/").content.decode().count('data-testid="rect-row"') == 0
    r = post_form(c, "/workbench/rectifications/", f"/workbench/rectifications/{rect.pk}/answer/",
                  {"answer": "已约谈窗口人员并整改"})
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.state == RectificationState.ANSWERED
    r = post_form(c, "/workbench/rectifications/", f"/workbench/rectifications/{rect.pk}/answer/", {"answer": "again"})
    assert r.status_code == 302
    assert "该整改已答复" in c.get(r["Location"]).content.decode()


def test_messages_page(city, case):
    c = signed_in(city.shouli)
    r = c.get("/workbench/messages/")
    assert r.status_code == 200
    assert 'data-testid="messages-table"' in r.content.decode()
