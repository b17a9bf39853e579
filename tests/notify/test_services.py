import pytest

from tongban.core.errors import NotFound
from tongban.notify import services
from tongban.notify.models import Message

pytestmark = pytest.mark.django_db


def send(user, key, **kw):
    return services.send_in_app(user.pk, title=kw.pop("title", "t"), body="b", dedup_key=key, **kw)


def test_send_is_idempotent_on_dedup_key(alice):
    first = send(alice, "k1", title="first")
    again = send(alice, "k1", title="changed on redelivery")
    assert first.pk == again.pk
    assert Message.objects.count() == 1
    assert Message.objects.get().title == "first"


def test_send_defaults(alice):
    msg = send(alice, "k1")
    assert (msg.category, msg.link, msg.read_at) == ("case", "", None)


def test_unread_count_and_mark_read(alice, bob):
    m1, _m2 = send(alice, "a1"), send(alice, "a2")
    send(bob, "b1")
    assert services.unread_count(alice) == 2
    read = services.mark_read(alice, m1.pk)
    assert read.read_at is not None
    assert services.unread_count(alice) == 1
    assert services.unread_count(bob) == 1


def test_mark_read_keeps_first_read_time(alice):
    msg = send(alice, "a1")
    first = services.mark_read(alice, msg.pk).read_at
    assert services.mark_read(alice, msg.pk).read_at == first


def test_cannot_read_someone_elses_message(alice, bob):
    theirs = send(bob, "b1")
    with pytest.raises(NotFound) as err:
        services.mark_read(alice, theirs.pk)
    assert err.value.code == "message_not_found"
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read_only_touches_own_unread(alice, bob):
    send(alice, "a1")
    send(alice, "a2")
    services.mark_read(alice, send(alice, "a3").pk)
    send(bob, "b1")
    assert services.mark_all_read(alice) == 2
    assert services.unread_count(alice) == 0
    assert services.unread_count(bob) == 1
    assert services.mark_all_read(alice) == 0


def test_inbox_is_newest_first_and_paginates(alice, bob):
    ids = [send(alice, f"a{i}").pk for i in range(5)]
    send(bob, "b1")
    page1, cursor = services.inbox(alice, limit=2)
    page2, cursor2 = services.inbox(alice, cursor, limit=2)
    page3, cursor3 = services.inbox(alice, cursor2, limit=2)
    seen = [m.pk for m in page1 + page2 + page3]
    assert seen == sorted(ids, reverse=True)
    assert cursor
    assert cursor2
    assert cursor3 is None


def test_long_title_is_cut_not_rejected(alice):
    assert len(send(alice, "k", title="长" * 500).title) == 200
