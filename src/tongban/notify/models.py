"""The in-app inbox (站内信). Delivery is at least once, so ``dedup_key`` makes every write idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    CASE = "case", _("办件")
    TASK = "task", _("待办")
    SLA = "sla", _("时限提醒")
    EVALUATION = "evaluation", _("好差评")
    SYSTEM = "system", _("系统")


class Message(models.Model):
    """One message in one user's inbox. Never holds personal data beyond what the recipient may see."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages",
                                  db_comment="收件人")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True, help_text="site-relative URL to open")
    category = models.CharField(_("类别"), max_length=30, default=Category.CASE, choices=Category.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    dedup_key = models.CharField(max_length=255, unique=True,
                                 help_text="producer fact + recipient; a redelivery finds the existing row")

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notify_inbox"),
            models.Index(fields=["recipient", "read_at"], name="notify_unread"),
        ]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
