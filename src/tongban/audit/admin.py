from django.contrib import admin

from tongban.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("position", "chain", "at", "actor", "action", "object_type", "object_id")
    list_filter = ("chain", "action", "object_type")
    search_fields = ("object_id", "actor", "action")

    def has_add_permission(self, request):  # append-only: only services write
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
