"""Stored material files (申请材料). The bytes live under ``MEDIA_ROOT``; the row keeps what was checked."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    """A file whose type was sniffed from its content, never trusted from the client."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stored_files",
                              db_comment="上传人")
    original_name = models.CharField(_("文件名"), max_length=255, help_text="sanitised name, for display only")
    content_type = models.CharField(_("类型"), max_length=100, help_text="sniffed from the content")
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64, db_index=True)
    path = models.CharField(max_length=300, unique=True, help_text="relative to MEDIA_ROOT: yyyy/mm/<uuid>")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("材料文件")
        verbose_name_plural = _("材料文件")

    def __str__(self) -> str:
        return self.original_name
