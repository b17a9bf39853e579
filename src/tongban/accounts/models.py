from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.core import codes
from tongban.crypto.fields import EncryptedTextField, blind_index


def validate_credit_code(value: str) -> None:
    if codes.credit_code_error(value):
        raise ValidationError(_("统一社会信用代码无效（请检查位数与校验位）"), code="credit_code")


def validate_id_number(value: str) -> None:
    if codes.id_number_error(value):
        raise ValidationError(_("公民身份号码无效（请检查位数、出生日期与校验位）"), code="id_number")


def validate_region_code(value: str) -> None:
    if codes.region_code_error(value):
        raise ValidationError(_("行政区划代码应为 6 位或 12 位数字"), code="region_code")


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("市级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡镇/街道")
    VILLAGE = 5, _("村/社区")


class Region(models.Model):
    """GB/T 2260 administrative region; a subtree is every code sharing ``codes.region_prefix``."""

    code = models.CharField(max_length=12, primary_key=True, validators=[validate_region_code])
    name = models.CharField(max_length=60)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    level = models.PositiveSmallIntegerField(choices=RegionLevel.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self) -> str:
        return codes.region_prefix(self.code)


class Department(models.Model):
    code = models.SlugField(max_length=30, unique=True, help_text="short internal code, e.g. mz")
    name = models.CharField(max_length=80)
    short_name = models.CharField(max_length=30, blank=True)
    credit_code = models.CharField(max_length=18, unique=True, validators=[validate_credit_code],
                                   help_text="统一社会信用代码")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class UserKind(models.TextChoices):
    CITIZEN = "citizen", _("自然人")
    ENTERPRISE = "enterprise", _("法人")
    OFFICIAL = "official", _("工作人员")
    OPERATOR = "operator", _("平台运营")


class User(AbstractUser):
    kind = models.CharField(max_length=12, choices=UserKind.choices, default=UserKind.CITIZEN)
    display_name = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_official(self) -> bool:
        return self.kind in (UserKind.OFFICIAL, UserKind.OPERATOR)


class AssuranceLevel(models.IntegerChoices):
    L1 = 1, _("L1 手机号验证")
    L2 = 2, _("L2 实名认证")
    L3 = 3, _("L3 人脸核身")


class Person(models.Model):
    """自然人. ID number and phone are SM4-encrypted; lookups go through blind indexes."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="person")
    name = models.CharField(max_length=60)
    id_number = EncryptedTextField(validators=[validate_id_number], help_text="公民身份号码 (encrypted)")
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField(blank=True, help_text="mobile phone (encrypted)")
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL)
    assurance_level = models.PositiveSmallIntegerField(choices=AssuranceLevel.choices, default=AssuranceLevel.L1)

    class Meta:
        verbose_name = _("自然人")
        verbose_name_plural = _("自然人")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.id_number = codes.normalize_id_number(self.id_number)
        self.id_number_index = blind_index(self.id_number, namespace="id_number")
        self.phone_index = blind_index(self.phone, namespace="phone") if self.phone else ""
        super().save(*args, **kwargs)


class LegalPerson(models.Model):
    """法人 (enterprise or institution) with its 统一社会信用代码."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="legal_person")
    name = models.CharField(max_length=120)
    credit_code = models.CharField(max_length=18, unique=True, validators=[validate_credit_code])
    representative = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="represented")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("法人")
        verbose_name_plural = _("法人")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ACCEPT = "accept", _("窗口受理")
    REVIEW = "review", _("审核")
    APPROVE = "approve", _("审批")
    DEPT_ADMIN = "dept_admin", _("部门管理员")
    OPERATOR = "operator", _("平台运营")


class OfficialRole(models.Model):
    """An official holds a role for one department over a region subtree (scope)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="official_roles")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="official_roles")
    role = models.CharField(max_length=12, choices=Role.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, help_text="scope: this region and below")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "department", "role"], name="official_role_unique")]
        verbose_name = _("岗位角色")
        verbose_name_plural = _("岗位角色")

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.get_role_display()}"
