"""Console pages for kernel tables: the editable holiday calendar and the (read-only) outbox."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tongban.core.models import CalendarDay, OutboxMessage


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("date",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: the worker owns delivery; editing a row here would break at-least-once semantics."""

    list_display = ("id", "topic", "key", "created_at", "available_at", "attempts", "delivered", "short_error")
    list_filter = ("topic", ("delivered_at", admin.EmptyFieldListFilter))
    search_fields = ("topic", "key")
    date_hierarchy = "created_at"
    ordering = ("-id",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.display(description=_("已投递"), boolean=True)
    def delivered(self, obj: OutboxMessage) -> bool:
        return obj.delivered_at is not None

    @admin.display(description=_("最近错误"))
    def short_error(self, obj: OutboxMessage) -> str:
        return (obj.last_error or "")[:60]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
