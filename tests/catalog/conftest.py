"""The demo catalog, loaded once per test module inside a transaction that is rolled back afterwards.

Loading ~50 items with their index takes a second or two; doing it per test would dominate the run. Each
test still runs in its own savepoint (``django_db``), so tests can change the catalog without leaking.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from tongban.catalog import services
from tongban.console.demo import seed


def demo_payload() -> dict:
    return {name: seed.load(f"{name}.json") for name in ("categories", "themes", "items", "bundles", "synonyms")}


def load_demo_catalog() -> None:
    seed.seed_regions()
    seed.seed_departments()
    seed.seed_processes()
    report = services.import_catalog(demo_payload(), actor="test")
    assert report.ok, json.dumps(report.errors[:10], ensure_ascii=False)


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_catalog()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def catalog(demo_catalog, db):
    """The demo catalog for one test (changes roll back with the test)."""


@pytest.fixture
def item_json() -> dict:
    """A fresh copy of the first demo item (居民身份证换领) in the import format."""
    return json.loads(json.dumps(seed.load("items.json")[0]))
