"""GB/T 39046-2020 Annex A code tables: the code and the Chinese label, both kept (codes are data)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    LICENSING = "01", _("行政许可")
    PENALTY = "02", _("行政处罚")
    ENFORCEMENT = "03", _("行政强制")
    LEVY = "04", _("行政征收")
    BENEFIT = "05", _("行政给付")
    INSPECTION = "06", _("行政检查")
    CONFIRMATION = "07", _("行政确认")
    REWARD = "08", _("行政奖励")
    ADJUDICATION = "09", _("行政裁决")
    OTHER_POWER = "10", _("其他行政权力")
    PUBLIC_SERVICE = "20", _("公共服务")


class ExerciseLevel(models.TextChoices):
    NATIONAL = "1", _("国家级")
    PROVINCIAL = "2", _("省级")
    MUNICIPAL = "3", _("市级")
    COUNTY = "4", _("县级")
    TOWNSHIP = "5", _("镇(乡、街道)级")
    VILLAGE = "6", _("村(社区)级")
    TIERED = "7", _("分级管理")


class ServiceObject(models.TextChoices):
    NATURAL_PERSON = "1", _("自然人")
    ENTERPRISE = "2", _("企业法人")
    INSTITUTION = "3", _("事业法人")
    SOCIAL_ORG = "4", _("社会组织法人")
    AUTHORITY = "5", _("行政机关")
    OTHER_ORG = "6", _("其他组织")


class HandlingForm(models.TextChoices):
    COUNTER = "1", _("窗口办理")
    PC = "2", _("电脑端网上办理")
    MOBILE = "3", _("移动端网上申请")
    COURIER = "4", _("快递申请")
    OTHER = "9", _("其他")


class CaseType(models.TextChoices):
    INSTANT = "1", _("即办件")
    PROMISED = "2", _("承诺件")
    OTHER = "9", _("其他")


class DayUnit(models.TextChoices):
    WORKING = "working", _("工作日")
    NATURAL = "natural", _("自然日")


class ResultType(models.TextChoices):
    LICENCE = "证照", _("证照")
    APPROVAL = "批文", _("批文")
    OTHER = "其他", _("其他")


class OnlineDepth(models.IntegerChoices):
    I = 1, _("Ⅰ级 信息公开")  # noqa: E741
    II = 2, _("Ⅱ级 表格下载")
    III = 3, _("Ⅲ级 网上预审")
    IV = 4, _("Ⅳ级 全程网办")
