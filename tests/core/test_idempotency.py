"""Idempotency-Key: replay, reuse with another body (422) and in-flight (409)."""

import datetime as dt

import pytest
from django.utils import timezone

from tongban.core.errors import Conflict, ValidationFailed
from tongban.core.idempotency import run_once
from tongban.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db
SCOPE = "POST /api/v1/applications"


class Producer:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return 201, {"id": self.calls, "number": f"N{self.calls}"}


def test_replay_returns_the_stored_response():
    produce = Producer()
    first = run_once("user:1", "key-1", SCOPE, {"a": 1}, produce)
    again = run_once("user:1", "key-1", SCOPE, {"a": 1}, produce)
    assert first == again == (201, {"id": 1, "number": "N1"})
    assert produce.calls == 1


def test_body_key_order_does_not_matter():
    produce = Producer()
    run_once("user:1", "k", SCOPE, {"a": 1, "b": 2}, produce)
    run_once("user:1", "k", SCOPE, {"b": 2, "a": 1}, produce)
    assert produce.calls == 1


@pytest.mark.parametrize(("scope", "body"), [(SCOPE, {"a": 2}), ("POST /api/v1/other", {"a": 1})])
def test_same_key_for_a_different_request_is_422(scope, body):
    run_once("user:1", "k", SCOPE, {"a": 1}, Producer())
    with pytest.raises(ValidationFailed) as err:
        run_once("user:1", "k", scope, body, Producer())
    assert (err.value.status, err.value.code) == (422, "idempotency_key_reused")


def test_in_flight_is_409():
    def produce_and_retry():
        with pytest.raises(Conflict) as err:
            run_once("user:1", "k", SCOPE, {"a": 1}, Producer())
        assert (err.value.status, err.value.code) == (409, "idempotency_in_flight")
        return 201, {"ok": True}

    assert run_once("user:1", "k", SCOPE, {"a": 1}, produce_and_retry) == (201, {"ok": True})


def test_keys_are_per_principal():
    produce = Producer()
    run_once("user:1", "k", SCOPE, {"a": 1}, produce)
    run_once("user:2", "k", SCOPE, {"a": 1}, produce)
    assert produce.calls == 2


def test_a_failed_request_can_be_retried_with_the_same_key():
    def fail():
        raise RuntimeError("db down")

    with pytest.raises(RuntimeError):
        run_once("user:1", "k", SCOPE, {"a": 1}, fail)
    assert IdempotencyRecord.objects.count() == 0
    assert run_once("user:1", "k", SCOPE, {"a": 1}, Producer()) == (201, {"id": 1, "number": "N1"})


def test_expired_keys_run_again(settings):
    produce = Producer()
    run_once("user:1", "k", SCOPE, {"a": 1}, produce)
    old = timezone.now() - dt.timedelta(hours=settings.TONGBAN_IDEMPOTENCY_HOURS + 1)
    IdempotencyRecord.objects.update(created_at=old)
    assert run_once("user:1", "k", SCOPE, {"a": 2}, produce)[1]["id"] == 2


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_key_length_is_checked(key):
    with pytest.raises(ValidationFailed) as err:
        run_once("user:1", key, SCOPE, {}, Producer())
    assert err.value.code == "idempotency_key_invalid"
