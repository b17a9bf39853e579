"""Worker jobs of the kernel: outbox delivery (woken on commit, swept every minute)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tongban.core import outbox


@db_task()
def deliver_outbox() -> int:
    total = 0
    while (n := outbox.deliver_pending()) > 0:
        total += n
    return total


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> int:
    return deliver_outbox.call_local()


outbox.on_emit(lambda: deliver_outbox())
