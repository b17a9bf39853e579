"""The console pages of the catalog render in Chinese, and saves reindex and audit through the services."""

from __future__ import annotations

import pytest

from tongban.accounts.models import User, UserKind
from tongban.audit.models import AuditEntry
from tongban.catalog import services
from tongban.catalog.models import Bundle, Category, Process, ServiceItem, Synonym, Theme

pytestmark = pytest.mark.usefixtures("catalog")


@pytest.fixture
def admin_client(client):
    user = User.objects.create(username="root", kind=UserKind.OPERATOR, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", [Category, Theme, ServiceItem, Process, Bundle, Synonym])
def test_changelist_and_change_pages_render(admin_client, model):
    base = f"/console/catalog/{model._meta.model_name}/"
    response = admin_client.get(base, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural) in response.content.decode()
    obj = model.objects.first()
    assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200


def test_item_search_and_filters(admin_client):
    response = admin_client.get("/console/catalog/serviceitem/", {"q": "最低生活", "case_type__exact": "2"})
    assert "最低生活保障申请" in response.content.decode()


def test_export_selected_action(admin_client):
    ids = list(ServiceItem.objects.values_list("pk", flat=True)[:3])
    response = admin_client.post("/console/catalog/serviceitem/", {
        "action": "export_selected_xlsx", "_selected_action": ids})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_synonym_saved_in_the_console_applies_to_search(admin_client):
    response = admin_client.post("/console/catalog/synonym/add/", {"term": "喵喵", "synonyms": '["结婚登记"]'})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert services.search("喵喵")[0][0].name == "结婚登记"
    assert AuditEntry.objects.filter(action="catalog.synonym.set", object_id="喵喵").exists()


def test_item_saved_in_the_console_is_reindexed(admin_client):
    item = ServiceItem.objects.get(name="结婚登记")
    item.keywords = [*item.keywords, "喵星人登记"]
    item.save()
    services.item_saved(item, actor="user:1", created=False)
    assert services.search("喵星人登记")[0][0].pk == item.pk
