"""Console (Django admin) pages for the catalog, in Chinese. Saves go through ``catalog.services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from tongban.catalog import services
from tongban.catalog.models import FAQ, Bundle, BundleItem, Category, Material, ServiceItem, Synonym, Theme
from tongban.catalog.validation import check_schema

if TYPE_CHECKING:
    from django_stubs_ext import FieldsetSpec  # type-checking only: django-stubs-ext is a dev dependency

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def actor_of(request: HttpRequest) -> str:
    return f"user:{request.user.pk}"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "icon", "order")
    list_editable = ("order",)
    search_fields = ("name", "code")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ("order", "code", "name", "issuer", "originals", "copies", "required", "formats", "note")


class FAQInline(admin.StackedInline):
    model = FAQ
    extra = 0
    fields = ("order", "question", "answer")


ITEM_FIELDSETS: FieldsetSpec = (
    ("基本信息", {"fields": ("name", "short_name", "keywords", "basic_code", "implementation_code", "item_type",
                         "exercise_level", "department", "region", "category", "themes", "active")}),
    ("办理要求", {"fields": ("service_objects", "handling_forms", "case_type", "legal_basis", "legal_days",
                         "promised_days", "day_unit", "conditions", "process_description")}),
    ("收费", {"fields": ("fee_charged", "fee_basis", "fee_amount_fen", "fee_standard", "fee_rule")}),
    ("网办与窗口", {"fields": ("scope", "online", "online_depth", "visits", "consult_phone", "supervise_phone",
                          "address", "hours")}),
    ("结果与流程", {"fields": ("result_type", "result_name", "assurance_level", "process", "form_schema",
                          "updated_at")}),
)


class ServiceItemForm(forms.ModelForm):
    class Meta:
        model = ServiceItem
        fields = tuple(f for _, group in ITEM_FIELDSETS for f in group["fields"] if f != "updated_at")

    def clean_form_schema(self) -> Any:
        schema = self.cleaned_data.get("form_schema") or {}
        if (problem := check_schema(schema)) is not None:
            raise forms.ValidationError(problem)
        return schema


@admin.action(description="导出所选事项为 Excel")
def export_selected_xlsx(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> HttpResponse:
    items = queryset.select_related("department", "region", "category", "process").prefetch_related(
        "materials", "faqs", "themes").order_by("implementation_code")
    response = HttpResponse(services.export_xlsx(items), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="catalog.xlsx"'
    return response


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    form = ServiceItemForm
    inlines = (MaterialInline, FAQInline)
    list_display = ("name", "implementation_code", "department", "category", "case_type", "promised_days",
                    "online_depth", "active")
    list_filter = ("department", "category", "case_type", "item_type", "online_depth", "active")
    search_fields = ("name", "short_name", "implementation_code", "basic_code")
    list_select_related = ("department", "category")
    filter_horizontal = ("themes",)
    readonly_fields = ("updated_at",)
    actions = (export_selected_xlsx,)
    fieldsets = ITEM_FIELDSETS

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Inlines and themes are saved by now: the search index and the audit entry see the final item.
        super().save_related(request, form, formsets, change)
        services.item_saved(form.instance, actor=actor_of(request), created=not change)


# Process is registered by the console: saving one needs the workflow engine (a higher level) to check it.


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    extra = 0
    autocomplete_fields = ("item",)
    fields = ("order", "item", "field_map")


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "active")
    search_fields = ("name", "code")
    inlines = (BundleItemInline,)


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ("term", "words")
    search_fields = ("term",)

    @admin.display(description="同义词")
    def words(self, obj: Synonym) -> str:
        return "、".join(obj.synonyms)

    def save_model(self, request: HttpRequest, obj: Synonym, form: Any, change: bool) -> None:
        actor = actor_of(request)
        old_term = form.initial.get("term") if change else None
        if old_term and old_term != obj.term:
            services.set_synonyms(old_term, [], actor)
        saved = services.set_synonyms(obj.term, obj.synonyms, actor)
        if saved is None:
            messages.warning(request, "同义词列表为空，该词条已删除")
        else:
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Synonym) -> None:
        services.set_synonyms(obj.term, [], actor_of(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            services.set_synonyms(obj.term, [], actor_of(request))
