"""The transactional outbox: written with the state change, delivered at least once, never twice at a time."""

import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tongban.core import outbox
from tongban.core.models import OutboxMessage


@pytest.fixture
def topic(request):
    """A topic private to the test, with a recording handler; unregistered afterwards."""
    name = f"test.{request.node.name}"[:80]
    calls: list[int] = []
    lock = threading.Lock()

    def record(msg):
        with lock:
            calls.append(msg.id)

    outbox.handler(name)(record)
    yield name, calls
    outbox._handlers.pop(name, None)


def emit(topic, key, payload=None):
    with transaction.atomic():
        return outbox.emit(topic, payload or {}, key=key)


@pytest.mark.django_db(transaction=True)
def test_emit_outside_a_transaction_raises():
    with pytest.raises(RuntimeError, match="transaction"):
        outbox.emit("t", {}, key="k")
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_delivered_exactly_once(topic):
    name, calls = topic
    msg = emit(name, "k1", {"a": 1})
    assert outbox.deliver_pending() == 1
    assert outbox.deliver_pending() == 0
    assert calls == [msg.id]
    msg.refresh_from_db()
    assert msg.delivered_at is not None
    assert msg.attempts == 1


@pytest.mark.django_db
def test_every_handler_of_a_topic_runs(topic):
    name, calls = topic
    seen = []
    outbox.handler(name)(lambda m: seen.append(m.payload))
    emit(name, "k1", {"x": 1})
    outbox.deliver_pending()
    assert (len(calls), seen) == (1, [{"x": 1}])


@pytest.mark.django_db
def test_same_key_twice_is_one_row(topic):
    name, calls = topic
    first = emit(name, "case:1:accepted")
    second = emit(name, "case:1:accepted")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    outbox.deliver_pending()
    assert len(calls) == 1


@pytest.mark.django_db
def test_rolled_back_transaction_emits_nothing(topic):
    name, _calls = topic

    def fail():
        with transaction.atomic():
            outbox.emit(name, {}, key="k")
            raise ValueError

    with pytest.raises(ValueError):  # noqa: PT011 - the error is ours
        fail()
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_failing_handler_is_retried_later_and_does_not_block_others(topic):
    name, _calls = topic
    flaky = {"fail": True}

    def sometimes(msg):
        if msg.payload.get("bad") and flaky["fail"]:
            raise RuntimeError("downstream unavailable")

    outbox.handler(name)(sometimes)
    bad, good = emit(name, "bad", {"bad": True}), emit(name, "good")
    assert outbox.deliver_pending() == 1
    bad.refresh_from_db()
    assert bad.delivered_at is None
    assert bad.attempts == 1
    assert bad.available_at > timezone.now()
    assert "downstream unavailable" in bad.last_error
    assert OutboxMessage.objects.get(pk=good.pk).delivered_at is not None
    assert outbox.deliver_pending() == 0  # not due yet

    flaky["fail"] = False
    OutboxMessage.objects.filter(pk=bad.pk).update(available_at=timezone.now() - dt.timedelta(seconds=1))
    assert outbox.deliver_pending() == 1
    bad.refresh_from_db()
    assert bad.delivered_at is not None
    assert bad.attempts == 2


@pytest.mark.django_db
def test_failed_handler_side_effects_roll_back(topic):
    """A handler's writes and its failure share a savepoint, so a retry never sees half a delivery."""
    name, _calls = topic

    def half_then_fail(msg):
        OutboxMessage.objects.filter(pk=msg.pk).update(payload={"half": True})
        raise RuntimeError("boom")

    outbox.handler(name)(half_then_fail)
    msg = emit(name, "k", {"orig": True})
    outbox.deliver_pending()
    msg.refresh_from_db()
    assert msg.payload == {"orig": True}


@pytest.mark.django_db
def test_retry_delay_grows(topic):
    name, _calls = topic

    def always_fail(msg):
        raise RuntimeError("x")

    outbox.handler(name)(always_fail)
    msg = emit(name, "k")
    delays = []
    for _ in range(3):
        OutboxMessage.objects.filter(pk=msg.pk).update(available_at=timezone.now() - dt.timedelta(seconds=1))
        before = timezone.now()
        outbox.deliver_pending()
        msg.refresh_from_db()
        delays.append(round((msg.available_at - before).total_seconds()))
    assert delays == list(outbox.RETRY_DELAYS[:3])


@pytest.mark.django_db
def test_commit_wakes_the_worker_once_per_new_message(topic, monkeypatch, django_capture_on_commit_callbacks):
    name, _calls = topic
    kicks = []
    monkeypatch.setattr(outbox, "_kickers", [lambda: kicks.append(1)])
    with django_capture_on_commit_callbacks(execute=True):
        emit(name, "k")
    with django_capture_on_commit_callbacks(execute=True):
        emit(name, "k")  # the same fact again: no new row, nothing to wake up for
    assert kicks == [1]


@pytest.mark.django_db
def test_failing_wake_up_does_not_fail_the_commit(topic, monkeypatch, django_capture_on_commit_callbacks):
    name, _calls = topic

    def broken():
        raise ConnectionError("queue down")

    monkeypatch.setattr(outbox, "_kickers", [broken])
    with django_capture_on_commit_callbacks(execute=True):
        emit(name, "k")
    assert OutboxMessage.objects.filter(key="k").exists()


def test_wake_up_is_registered_at_startup():
    """Web processes never import core.tasks themselves; without it a commit would not wake the worker."""
    code = "import django; django.setup(); from tongban.core import outbox; print(len(outbox._kickers))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "tongban.settings"})
    assert int(out.stdout.strip()) >= 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_handle_each_message_once(topic):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE), and its shared-cache in-memory test database "
                    "reports 'table is locked' across threads; SKIP LOCKED row locks are PostgreSQL's")
    name, calls = topic

    def slow(msg):
        time.sleep(0.005)

    outbox.handler(name)(slow)
    for i in range(60):
        emit(name, f"k{i}")
    errors: list[BaseException] = []

    def worker():
        try:
            while outbox.deliver_pending(limit=25):
                pass
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(calls) == sorted(set(calls))
    assert len(calls) == 60
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 0
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
