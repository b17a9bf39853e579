"""Portal tests run against the demo city (``tongban.console.demo.seed``) through ``django.test.Client``.

The city is seeded once per test module (about five seconds) and committed; each test still runs in its own
rolled-back transaction, and the module's teardown flushes the database so other test packages start empty.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from tongban.accounts.models import Person
from tongban.console.demo import seed

PASSWORD = "Tongban@2026"
DIBAO = "11500000009281099L3000509001000"  # 最低生活保障申请 (民政局, 二级审批)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    # Hashing ~60 demo passwords with argon2 dominates the seed; tests only need *a* hasher.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        seed.run()
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture
def web(city, db) -> Client:
    return Client()


def sign_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def zhangsan(city, db) -> Client:
    # 低保 asks for 人脸核身 (L3); the identity issue brings the real step-up, here the test grants it.
    Person.objects.filter(user__username="zhangsan").update(assurance_level=3)
    return sign_in("zhangsan")


@pytest.fixture
def lisi(city, db) -> Client:
    return sign_in("lisi")


def dibao_form(**overrides) -> dict:
    """A valid 低保 application as the browser posts it (inputs are prefixed ``f_``; money in 元)."""
    form = {
        "f_applicant_name": "张三", "f_id_number": "500103198503121234", "f_phone": "13800000001",
        "f_household_size": "3", "f_monthly_income_fen": "1200.50", "f_address": "重庆市渝中区解放碑街道 1 号",
        "f_reason": "家庭成员患病，收入低于低保标准",
    }
    form.update(overrides)
    return form
