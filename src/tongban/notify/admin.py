from django.contrib import admin

from tongban.notify.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "recipient", "category", "title", "created_at", "read_at")
    list_filter = ("category",)
    search_fields = ("title", "dedup_key")
    raw_id_fields = ("recipient",)
    readonly_fields = ("created_at", "read_at", "dedup_key")

    def has_add_permission(self, request):  # messages come from services via the outbox
        return False
