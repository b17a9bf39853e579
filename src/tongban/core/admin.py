"""Console pages for kernel tables: the editable holiday calendar and the (read-only) outbox."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tongban.core.models import CalendarDay, OutboxMessage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # type-checking only: django-stubs-ext is a dev dependency


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write (audit trail, outbox, cases): the console shows them, never edits them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class Labelled:
    """Chinese labels for model fields whose ``verbose_name`` is still English, without touching the models
    (changing ``verbose_name`` there would also create migrations). Forms, read-only views and inlines use
    ``labels``; list columns use :func:`column` and filters :func:`titled`."""

    labels: Mapping[str, StrOrPromise] = {}

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs.setdefault("labels", self.labels)
        # A mixin: super() is the ModelAdmin it is combined with, which mypy cannot see from here.
        return super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("labels", self.labels)
        # A mixin: super() is the InlineModelAdmin it is combined with, which mypy cannot see from here.
        return super().get_formset(request, obj, **kwargs)  # type: ignore[misc]


def column(field: str, label: StrOrPromise, *, ordering: str | None = None) -> Callable[[Any], Any]:
    """A list column for ``field`` headed ``label`` (choices shown by their label)."""

    @admin.display(description=label, ordering=ordering or field)
    def show(obj: Any) -> Any:
        display = getattr(obj, f"get_{field}_display", None)
        return display() if display else getattr(obj, field)

    show.__name__ = f"col_{field}"
    return show


def titled(field_path: str, title, kind: type[admin.FieldListFilter] | None = None):
    """A list filter on ``field_path`` with a Chinese title; Django picks the kind of filter unless given."""

    class Titled(admin.FieldListFilter):
        def __new__(cls, field, request, params, model, model_admin, field_path):
            if kind is not None:
                flt = kind(field, request, params, model, model_admin, field_path)
            else:
                flt = admin.FieldListFilter.create(field, request, params, model, model_admin, field_path)
            flt.title = title
            return flt

    return (field_path, Titled)


@admin.register(CalendarDay)
class CalendarDayAdmin(Labelled, admin.ModelAdmin):
    labels = {"date": _("日期"), "kind": _("类型"), "name": _("名称")}
    list_display = (column("date", _("日期")), column("kind", _("类型")), column("name", _("名称")))
    list_filter = (titled("kind", _("类型")),)
    search_fields = ("name",)
    date_hierarchy = "date"
    ordering = ("date",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(Labelled, ReadOnlyAdmin):
    """Read-only: the worker owns delivery; editing a row here would break at-least-once semantics."""

    labels = {"topic": _("主题"), "key": _("去重键"), "payload": _("内容"), "created_at": _("创建时间"),
              "available_at": _("可投递时间"), "attempts": _("尝试次数"), "delivered_at": _("投递时间"),
              "last_error": _("最近错误")}
    list_display = ("id", column("topic", _("主题")), column("key", _("去重键")), column("created_at", _("创建时间")),
                    column("available_at", _("可投递时间")), column("attempts", _("尝试次数")), "delivered",
                    "short_error")
    list_filter = (titled("topic", _("主题")), titled("delivered_at", _("投递时间"), admin.EmptyFieldListFilter))
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

