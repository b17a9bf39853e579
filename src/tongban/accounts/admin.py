"""Console pages for regions, departments, users, persons and officials' roles.

Personal data (公民身份号码, phone) never appears in clear in the console: lists and forms show it masked;
an operator can replace it, and can find a person by the full number through the blind index.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import Department, LegalPerson, OfficialRole, Person, Region, User
from tongban.core import codes
from tongban.core.admin import Labelled, column, titled
from tongban.core.masking import mask_id_number, mask_mobile, mask_name
from tongban.crypto.fields import blind_index

REGION = _("行政区划")
DEPARTMENT = _("部门")
ACCOUNT = _("账号")
L = {
    "code": _("代码"), "name": _("名称"), "parent": _("上级"), "level": _("层级"), "short_name": _("简称"),
    "credit_code": _("统一社会信用代码"), "region": REGION, "phone": _("联系电话"), "kind": _("用户类型"),
    "display_name": _("姓名/名称"), "user": ACCOUNT, "assurance_level": _("认证等级"),
    "representative": _("法定代表人"), "department": DEPARTMENT, "role": _("岗位角色"),
}


@admin.register(Region)
class RegionAdmin(Labelled, admin.ModelAdmin):
    labels = L
    list_display = (column("code", _("区划代码")), column("name", _("名称")), column("level", _("层级")),
                    column("parent", _("上级")))
    list_filter = (titled("level", _("层级")),)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    ordering = ("code",)


@admin.register(Department)
class DepartmentAdmin(Labelled, admin.ModelAdmin):
    labels = L | {"code": _("部门代码"), "name": _("部门名称"), "region": _("所在区划")}
    list_display = (column("code", _("部门代码")), column("name", _("部门名称")), column("short_name", _("简称")),
                    column("credit_code", _("统一社会信用代码")), column("region", _("所在区划")),
                    column("phone", _("联系电话")))
    list_filter = (titled("region", _("所在区划")),)
    search_fields = ("code", "name", "short_name", "credit_code")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region",)


class OfficialRoleInline(Labelled, admin.TabularInline):
    model = OfficialRole
    labels = L | {"region": _("区划范围（含下级）")}
    extra = 0
    autocomplete_fields = ("department", "region")
    verbose_name = _("岗位角色")
    verbose_name_plural = _("岗位角色（部门 · 角色 · 区划范围）")


@admin.register(User)
class UserAdmin(Labelled, BaseUserAdmin):
    labels = L
    list_display = ("username", column("display_name", _("姓名/名称")), column("kind", _("用户类型")), "is_active",
                    "is_staff", "last_login")
    list_filter = (titled("kind", _("用户类型")), "is_active", "is_staff",
                   titled("official_roles__role", _("岗位角色")), titled("official_roles__department", DEPARTMENT))
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
class PersonAdmin(Labelled, admin.ModelAdmin):
    form = PersonForm
    labels = L | {"name": _("姓名")}
    list_display = ("masked_name", "account", "masked_id_number", "masked_phone", column("region", REGION),
                    column("assurance_level", _("认证等级")))
    list_filter = (titled("assurance_level", _("认证等级")), titled("region", REGION))
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

    @admin.display(description=mark_safe('<input type="checkbox" id="action-toggle">'))
    def action_checkbox(self, obj: Person) -> SafeString:
        """Django labels the row checkbox with ``str(obj)`` (the real name): label it with the masked one."""
        attrs = {"class": "action-select", "aria-label": _("选择 %(name)s") % {"name": mask_name(obj.name)}}
        return forms.CheckboxInput(attrs, lambda value: False).render(ACTION_CHECKBOX_NAME, str(obj.pk))

    @admin.display(description=ACCOUNT, ordering="user__username")
    def account(self, obj: Person) -> str:
        return obj.user.username  # the login name: User.__str__ would show the real name in clear

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
class LegalPersonAdmin(Labelled, admin.ModelAdmin):
    labels = L | {"name": _("单位名称")}
    list_display = (column("name", _("单位名称")), column("credit_code", _("统一社会信用代码")), "account",
                    "representative_masked", column("region", REGION))
    search_fields = ("name", "credit_code", "user__username")
    autocomplete_fields = ("user", "representative", "region")
    list_select_related = ("user", "representative", "region")

    @admin.display(description=ACCOUNT, ordering="user__username")
    def account(self, obj: LegalPerson) -> str:
        return obj.user.username

    @admin.display(description=_("法定代表人"))
    def representative_masked(self, obj: LegalPerson) -> str:
        return mask_name(obj.representative.name) if obj.representative else "—"


@admin.register(OfficialRole)
class OfficialRoleAdmin(Labelled, admin.ModelAdmin):
    labels = L | {"region": _("区划范围（含下级）")}
    list_display = (column("user", _("工作人员")), column("department", DEPARTMENT), column("role", _("岗位角色")),
                    column("region", _("区划范围")))
    list_filter = (titled("role", _("岗位角色")), titled("department", DEPARTMENT))
    search_fields = ("user__username", "user__display_name", "department__name")
    autocomplete_fields = ("user", "department", "region")
    list_select_related = ("user", "department", "region")
