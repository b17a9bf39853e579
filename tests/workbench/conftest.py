"""Workbench tests reuse the cases tests' small city (重庆市, 民政局 and 公安局, their officials, two citizens)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cases.conftest import PASSWORD, city, form
from tongban.cases import services
from tongban.cases.models import Task, TaskState


def signed_in(user) -> Client:
    """A CSRF-enforcing browser-like client; the token is read from the page like a real form post."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post_form(client: Client, page_url: str, action_url: str, data: dict):
    """GET the page (sets the csrftoken cookie), then POST the form with the token as a field."""
    page = client.get(page_url)
    assert page.status_code == 200, page.content[:500]
    token = client.cookies["csrftoken"].value
    return client.post(action_url, {**data, "csrfmiddlewaretoken": token})


def open_task(app) -> Task:
    return Task.objects.filter(application=app, state=TaskState.OPEN, kind="user").order_by("id").first()


@pytest.fixture
def case(city, form):
    """A 低保 application just submitted by 张三, waiting for 民政局 受理."""
    return services.submit(city.zhangsan, service_code=city.dibao.code, form=form)


__all__ = ["PASSWORD", "city", "form", "open_task", "post_form", "signed_in"]
