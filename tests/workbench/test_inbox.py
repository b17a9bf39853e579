from __future__ import annotations

import pytest

from tests.workbench.conftest import open_task, signed_in
from tongban.cases import services

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    r = client.get("/workbench/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/?next=/workbench/")


def test_citizen_cannot_open_the_workbench(city, case):
    c = signed_in(city.zhangsan)
    r = c.get("/workbench/")
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert c.get(f"/workbench/cases/{case.pk}/").status_code == 302
    assert c.get(f"/workbench/tasks/{open_task(case).pk}/").status_code == 302


def test_inbox_lists_task_in_scope_with_masked_applicant(city, case):
    html = signed_in(city.shouli).get("/workbench/").content.decode()
    assert 'data-testid="task-row"' in html
    assert case.number in html
    assert "最低生活保障申请" in html
    assert "张*" in html
    assert "张三" not in html  # the applicant's name never in clear in the list
    assert 'data-testid="tab-count-open">1<' in html
    # header: who is signed in
    assert 'data-testid="official-department">重庆市民政局' in html
    assert "窗口受理" in html


def test_other_department_and_other_role_do_not_see_it(city, case):
    task = open_task(case)
    for user in (city.ga, city.shenhe):
        c = signed_in(user)
        html = c.get("/workbench/").content.decode()
        assert case.number not in html
        assert 'data-testid="inbox-empty"' in html
        assert c.get(f"/workbench/tasks/{task.pk}/").status_code == 404
    # another department cannot read the case either
    assert signed_in(city.ga).get(f"/workbench/cases/{case.pk}/").status_code == 404


def test_region_scope(city, case):
    """A 渝中 official does not see a case handled in 渝北 (outside their region subtree)."""
    district = services.submit(city.lisi, service_code=city.district.code, form={"applicant_name": "李四"})
    assert district.region_id == "500112"
    html = signed_in(city.yz).get("/workbench/").content.decode()
    assert district.number not in html


def test_htmx_tab_switch_returns_the_panel_only(city, case):
    c = signed_in(city.shouli)
    r = c.get("/workbench/?tab=done", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-panel")
    html = r.content.decode()
    assert r.status_code == 200
    assert "<html" not in html
    assert 'data-testid="tab-done"' in html
    assert 'data-testid="inbox-empty"' in html


def test_unknown_tab_falls_back_to_open(city, case):
    html = signed_in(city.shouli).get("/workbench/?tab=evil<script>").content.decode()
    assert "evil<script>" not in html
    assert case.number in html


def test_inbox_query_count_does_not_grow_with_rows(city, form, django_assert_max_num_queries):
    for _ in range(12):
        services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    c = signed_in(city.shouli)
    with django_assert_max_num_queries(20):
        r = c.get("/workbench/")
    assert r.content.decode().count('data-testid="task-row"') == 12


def test_pagination(city, form):
    for _ in range(23):
        services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    c = signed_in(city.shouli)
    html = c.get("/workbench/").content.decode()
    assert html.count('data-testid="task-row"') == 20
    assert 'data-testid="page-next"' in html
    html = c.get("/workbench/?tab=open&page=2", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-panel").content.decode()
    assert html.count('data-testid="task-row"') == 3
