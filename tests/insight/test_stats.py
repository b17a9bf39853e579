"""Dashboard statistics over cases built through the real services."""

from __future__ import annotations

from tests.cases.conftest import DIBAO_FORM
from tongban.cases import services
from tongban.cases.models import Task, TaskState
from tongban.insight import services as insight


def _finish(city, form) -> int:
    app = services.submit(city.zhangsan, service_code=city.dibao.code, form=form)
    for official in (city.shouli, city.shenpi):
        task = Task.objects.get(application=app, state=TaskState.OPEN, kind="user")
        services.act(official, task.pk, "approve")
    return app.pk


def test_evaluation_and_case_stats(city):
    small = {**DIBAO_FORM, "household_size": 2}
    good, bad = _finish(city, small), _finish(city, small)
    services.submit(city.zhangsan, service_code=city.dibao.code, form=small)
    services.evaluate(city.zhangsan, good, satisfaction=5)
    services.evaluate(city.zhangsan, bad, satisfaction=1, comment="差")

    stats = insight.evaluation_stats(department=city.mz)
    assert stats["total"] == 2
    assert stats["levels"][5] == 1
    assert stats["levels"][1] == 1
    assert stats["bad"] == 1
    assert stats["good_rate"] == 0.5
    assert stats["rectifications"] == 1
    assert stats["rectified"] == 0
    assert insight.evaluation_stats(department=city.hukou.department)["total"] == 0
    assert insight.evaluation_stats_by_item()[0]["item"] == "最低生活保障申请"

    cases = insight.case_stats(item=city.dibao)
    assert cases["statuses"]["completed"] == 2
    assert cases["statuses"]["submitted"] == 1
    assert cases["approved"] == 2
    assert cases["overdue_rate"] == 0
    assert cases["avg_working_days"] == 0
