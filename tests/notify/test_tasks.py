import os
import subprocess
import sys

import pytest
from django.db import transaction

from tongban.core import outbox
from tongban.core.models import OutboxMessage
from tongban.notify.models import Message
from tongban.notify.tasks import IN_APP, deliver_in_app

pytestmark = pytest.mark.django_db


def emit(key, **payload):
    with transaction.atomic():
        return outbox.emit(IN_APP, payload, key=key)


def test_one_message_per_recipient(alice, bob):
    emit("case:1:accepted", recipients=[alice.pk, bob.pk], title="已受理", body="正文", link="/cases/1",
         category="case")
    assert outbox.deliver_pending() == 1
    rows = list(Message.objects.order_by("recipient_id").values_list("recipient_id", "title", "link", "dedup_key"))
    assert rows == [(alice.pk, "已受理", "/cases/1", f"case:1:accepted:{alice.pk}"),
                    (bob.pk, "已受理", "/cases/1", f"case:1:accepted:{bob.pk}")]


def test_redelivery_does_not_duplicate(alice):
    emit("case:1:accepted", recipients=[alice.pk], title="t", body="b")
    outbox.deliver_pending()
    OutboxMessage.objects.update(delivered_at=None)  # the worker crashed after handling, before marking
    assert outbox.deliver_pending() == 1
    assert Message.objects.count() == 1


def test_same_fact_emitted_twice_gives_one_message(alice):
    emit("case:1:accepted", recipients=[alice.pk], title="t", body="b")
    emit("case:1:accepted", recipients=[alice.pk], title="t", body="b")
    outbox.deliver_pending()
    assert Message.objects.count() == 1


def test_vanished_recipient_is_skipped_not_blocking(alice):
    emit("case:1:accepted", recipients=[alice.pk, 987654], title="t", body="b")
    emit("case:2:accepted", recipients=[alice.pk], title="t2", body="b")
    assert outbox.deliver_pending() == 2
    assert Message.objects.filter(recipient=alice).count() == 2


def test_payload_can_name_a_template_event(alice):
    emit("case:1:rejected", recipients=[alice.pk], event="case.rejected", lang="zh-CN",
         context={"number": "N1", "item": "低保", "reason": "材料不全"}, category="case")
    outbox.deliver_pending()
    msg = Message.objects.get()
    assert msg.title == "申请不予受理"
    assert "材料不全" in msg.body


def test_handler_is_registered_for_the_topic():
    assert deliver_in_app in outbox._handlers[IN_APP]


def test_handler_is_registered_at_startup_without_importing_tasks():
    """A web process never imports notify.tasks itself: the app config must, or emits would go unhandled."""
    code = ("import django; django.setup(); from tongban.core import outbox; "
            "print(len(outbox._handlers.get('notify.in_app', [])))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "tongban.settings"})
    assert out.stdout.strip() == "1"
