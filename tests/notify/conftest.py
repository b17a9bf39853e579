import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(name: str | None = None):
        return get_user_model().objects.create_user(username=name or f"user{next(counter)}", password="x" * 12)

    return make


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")
