"""Kernel tables: the holiday calendar, the transactional outbox, idempotency records, daily counters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a public holiday, or a weekend day worked instead (调休)."""

    date = models.DateField(unique=True)
    kind = models.CharField(max_length=10, choices=DayKind.choices)
    name = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休")
        verbose_name_plural = _("节假日/调休")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class OutboxMessage(models.Model):
    """A durable side effect, written in the same transaction as the state change that causes it."""

    topic = models.CharField(max_length=80, db_index=True)
    key = models.CharField(max_length=200, unique=True, help_text="consumer de-duplication key")
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["delivered_at", "available_at"], name="outbox_pending")]
        verbose_name = _("发件箱消息")
        verbose_name_plural = _("发件箱消息")


class IdempotencyRecord(models.Model):
    """A stored response for an Idempotency-Key, per principal (REFERENCE.md §Idempotency-Key)."""

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=120, help_text="method and route")
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_unique_key")]


class DailyCounter(models.Model):
    """Per-prefix daily sequences (办件编号 = 实施编码 + yyyyMMdd + 4-digit sequence)."""

    prefix = models.CharField(max_length=60)
    day = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="daily_counter_unique")]
