from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChainHead(models.Model):
    """The latest position and hash of a chain. Appends lock this row, so positions are gap-free."""

    chain = models.CharField(max_length=40, primary_key=True)
    position = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class AuditEntry(models.Model):
    chain = models.CharField(max_length=40, default="main")
    position = models.BigIntegerField(help_text="1, 2, 3 … within the chain")
    at = models.DateTimeField()
    actor = models.CharField(max_length=80, help_text="user:<id> | system | app:<id>")
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=80)
    before_digest = models.CharField(max_length=64, blank=True)
    after_digest = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text="never personal data")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "position"], name="audit_chain_position")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]
        ordering = ["chain", "position"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"#{self.position} {self.action} {self.object_type}:{self.object_id}"
