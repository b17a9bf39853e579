import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from tongban.api import problems
from tongban.notify import services
from tongban.notify.api import messages_router

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client():
    api = NinjaAPI(urls_namespace="notify-api-test")
    problems.install(api)
    api.add_router("/me/messages", messages_router)
    return TestClient(api)


def send(user, key):
    return services.send_in_app(user.pk, title=f"t-{key}", body="b", link="/x", dedup_key=key)


def test_list_and_cursor(client, alice, bob):
    ids = [send(alice, f"a{i}").pk for i in range(3)]
    send(bob, "b")
    first = client.get("/me/messages/?limit=2", user=alice)
    assert first.status_code == 200
    body = first.json()
    assert [m["id"] for m in body["items"]] == ids[::-1][:2]
    assert set(body["items"][0]) == {"id", "title", "body", "link", "category", "created_at", "read_at"}
    rest = client.get(f"/me/messages/?cursor={body['next']}", user=alice).json()
    assert [m["id"] for m in rest["items"]] == [ids[0]]
    assert rest["next"] is None


def test_list_query_count_is_constant(client, alice, django_assert_max_num_queries):
    for i in range(15):
        send(alice, f"a{i}")
    with django_assert_max_num_queries(1):
        assert len(client.get("/me/messages/", user=alice).json()["items"]) == 15


def test_unread_count_read_and_read_all(client, alice):
    m1 = send(alice, "a1")
    send(alice, "a2")
    assert client.get("/me/messages/unread-count", user=alice).json() == {"count": 2}
    read = client.post(f"/me/messages/{m1.pk}/read", user=alice)
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert client.get("/me/messages/unread-count", user=alice).json() == {"count": 1}
    assert client.post("/me/messages/read-all", user=alice).json() == {"updated": 1}
    assert client.get("/me/messages/unread-count", user=alice).json() == {"count": 0}


def test_someone_elses_message_is_404(client, alice, bob):
    theirs = send(bob, "b1")
    resp = client.post(f"/me/messages/{theirs.pk}/read", user=alice)
    assert resp.status_code == 404
    assert resp.json()["code"] == "message_not_found"


def test_anonymous_is_401(client):
    assert client.get("/me/messages/").status_code == 401
