from django.contrib import admin

from tongban.audit.models import AuditEntry
from tongban.core.admin import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):  # append-only: only services write
    list_display = ("position", "chain", "at", "actor", "action", "object_type", "object_id")
    list_filter = ("chain", "action", "object_type")
    search_fields = ("object_id", "actor", "action")

