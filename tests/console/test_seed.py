"""The demo seed builds the whole city and is idempotent."""

from __future__ import annotations

import time

import pytest

from tongban.accounts.models import Department, OfficialRole, Region, Role, User
from tongban.cases.services._common import forget_items
from tongban.catalog.models import Bundle, Process, SearchTerm, ServiceItem, Synonym
from tongban.console.demo import seed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_item_cache():
    # The case services cache items for a few seconds; each test's seed makes new rows (new ids on PostgreSQL).
    forget_items()
    yield
    forget_items()


def test_seed_builds_the_city_and_is_idempotent():
    first = seed.run()
    assert first["catalog"] > 0
    counts = _counts()
    assert counts["items"] >= 40
    assert counts["departments"] >= 12
    assert {"500000", "500103", "500105", "500112", "500109"} <= set(Region.objects.values_list("code", flat=True))
    assert Bundle.objects.filter(code__in=["birth", "company"]).count() == 2
    assert SearchTerm.objects.exists()

    started = time.monotonic()
    second = seed.run()
    assert time.monotonic() - started < 2
    assert not any(second.values())
    assert _counts() == counts


def test_seed_accounts():
    seed.run()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    assert admin.check_password("Tongban@2026")
    for name, role in [("mz.shouli", Role.ACCEPT), ("mz.shenhe", Role.REVIEW), ("mz.shenpi", Role.APPROVE)]:
        assert OfficialRole.objects.filter(user__username=name, department__code="mz", role=role).exists()
    zhangsan = User.objects.get(username="zhangsan")
    assert zhangsan.person.id_number == "500103198503121234"
    assert User.objects.get(username="qiye").legal_person.representative == zhangsan.person


def test_seed_links_items_to_processes():
    seed.run()
    dibao = ServiceItem.objects.get(name="最低生活保障申请")
    assert dibao.department.code == "mz"
    assert dibao.process is not None
    dmn_rule = Process.objects.get(key="dmn_rule")
    assert dmn_rule.dmn, "the DMN table referenced by the process is loaded with it"
    assert Synonym.objects.filter(term="低保").exists()


def test_logins_text_lists_the_demo_accounts():
    text = seed.logins_text("http://127.0.0.1:8000/")
    for needle in ["http://127.0.0.1:8000/workbench/", "/console/", "zhangsan", "lisi", "qiye", "admin",
                   "mz.shouli", "mz.shenhe", "mz.shenpi", "{dept}.shouli", "Tongban@2026"]:
        assert needle in text


def test_seed_runs_the_cases_step_last():
    assert list(seed.run())[-1] == "cases"


def _counts() -> dict[str, int]:
    return {"items": ServiceItem.objects.count(), "departments": Department.objects.count(),
            "users": User.objects.count(), "terms": SearchTerm.objects.count(), "bundles": Bundle.objects.count()}
