"""Console pages for regions, departments, users, persons and officials' roles.

Personal data (公民身份号码, phone) never appears in clear in the console: lists and forms show it masked;
an operator can replace it, and can find a person by the full number through the blind index.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import Department, LegalPerson, OfficialRole, Person, Region, User
from tongban.core import codes
from tongban.core.masking import mask_id_number, mask_mobile, mask_name
from tongban.crypto.fields import blind_index


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "credit_code", "region", "phone")
    list_filter = ("region",)
    search_fields = ("code", "name", "short_name", "credit_code")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region",)


class OfficialRoleInline(admin.TabularInline):
    model = OfficialRole
    extra = 0
    autocomplete_fields = ("department", "region")
    verbose_name = _("岗位角色")
    verbose_name_plural = _("岗位角色（部门 · 角色 · 区划范围）")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "kind", "is_active", "is_staff", "last_login")
    list_filter = ("kind", "is_active", "is_staff", "official_roles__role", "official_roles__department")
    search_fields = ("username", "display_name")
    inlines = (OfficialRoleInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("身份"), {"fields": ("kind", "display_name", "email")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "display_name", "password1", "password2")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


class PersonForm(forms.ModelForm):
    """Editing never shows the stored number: blank fields keep the current value."""

    id_number = forms.CharField(label=_("公民身份号码"), required=False, max_length=18,
                                help_text=_("留空则保持不变；输入新号码将替换原值"))
    phone = forms.CharField(label=_("手机号码"), required=False, max_length=20,
                            help_text=_("留空则保持不变"))

    class Meta:
        model = Person
        fields = ("user", "name", "id_number", "phone", "region", "assurance_level")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["id_number"] = ""
        self.initial["phone"] = ""
        if self.instance.pk is None:
            self.fields["id_number"].required = True

    def clean_id_number(self):
        value = codes.normalize_id_number(self.cleaned_data["id_number"] or "")
        if not value:
            if self.instance.pk is None:
                raise forms.ValidationError(_("请输入公民身份号码"))
            return self.instance.id_number
        if codes.id_number_error(value):
            raise forms.ValidationError(_("公民身份号码无效（请检查位数、出生日期与校验位）"))
        return value

    def clean_phone(self):
        value = (self.cleaned_data["phone"] or "").strip()
        return value or (self.instance.phone if self.instance.pk else "")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonForm
    list_display = ("masked_name", "user", "masked_id_number", "masked_phone", "region", "assurance_level")
    list_filter = ("assurance_level", "region")
    search_fields = ("user__username", "name")
    readonly_fields = ("masked_id_number", "masked_phone")
    autocomplete_fields = ("user", "region")
    list_select_related = ("user", "region")
    fieldsets = (
        (None, {"fields": ("user", "name", "region", "assurance_level")}),
        (_("证件与联系方式（仅显示脱敏值）"), {"fields": ("masked_id_number", "id_number", "masked_phone", "phone")}),
    )

    @admin.display(description=_("姓名"), ordering="name")
    def masked_name(self, obj: Person) -> str:
        return mask_name(obj.name)

    @admin.display(description=_("公民身份号码"))
    def masked_id_number(self, obj: Person) -> str:
        return mask_id_number(obj.id_number) if obj.pk else "—"

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj: Person) -> str:
        return mask_mobile(obj.phone) if obj.pk and obj.phone else "—"

    def get_search_results(self, request, queryset, search_term):
        """A full ID number or mobile is matched through its blind index, never by decrypting rows."""
        term = (search_term or "").strip()
        if term and not codes.id_number_error(codes.normalize_id_number(term)):
            index = blind_index(codes.normalize_id_number(term), namespace="id_number")
            return queryset.filter(id_number_index=index), False
        if term.isdigit() and len(term) == 11:
            return queryset.filter(phone_index=blind_index(term, namespace="phone")), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(LegalPerson)
class LegalPersonAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "user", "representative_masked", "region")
    search_fields = ("name", "credit_code", "user__username")
    autocomplete_fields = ("user", "representative", "region")
    list_select_related = ("user", "representative", "region")

    @admin.display(description=_("法定代表人"))
    def representative_masked(self, obj: LegalPerson) -> str:
        return mask_name(obj.representative.name) if obj.representative else "—"


@admin.register(OfficialRole)
class OfficialRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "role", "region")
    list_filter = ("role", "department")
    search_fields = ("user__username", "user__display_name", "department__name")
    autocomplete_fields = ("user", "department", "region")
    list_select_related = ("user", "department", "region")
