from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import AssuranceLevel, Department, Region
from tongban.catalog.codes import (
    CaseType,
    DayUnit,
    ExerciseLevel,
    ItemType,
    OnlineDepth,
    ResultType,
)


class Category(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=40)
    icon = models.CharField(max_length=8, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("服务分类")
        verbose_name_plural = _("服务分类")

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name = _("服务主题")
        verbose_name_plural = _("服务主题")

    def __str__(self) -> str:
        return self.name


class Process(models.Model):
    """A BPMN 2.0 process (+ DMN tables). Trusted operator content: scripts in it run as Python."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    bpmn = models.TextField(help_text="BPMN 2.0 XML")
    dmn = models.JSONField(default=list, blank=True, help_text="list of DMN XML documents")
    process_id = models.CharField(max_length=80, blank=True, help_text="executable process id; blank = the only one")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("办理流程")
        verbose_name_plural = _("办理流程")

    def __str__(self) -> str:
        return f"{self.name} ({self.key} v{self.version})"


class ServiceItem(models.Model):
    """政务服务事项 with the GB/T 39046 catalog fields (REFERENCE.md §Service items)."""

    basic_code = models.CharField(max_length=20, db_index=True, help_text="基本编码")
    implementation_code = models.CharField(max_length=40, unique=True, help_text="实施编码")
    name = models.CharField(max_length=120, help_text="事项名称")
    short_name = models.CharField(max_length=60, blank=True)
    keywords = models.JSONField(default=list, blank=True)
    item_type = models.CharField(max_length=2, choices=ItemType.choices, help_text="事项类型")
    exercise_level = models.CharField(max_length=1, choices=ExerciseLevel.choices, default=ExerciseLevel.MUNICIPAL,
                                      help_text="行使层级")
    service_objects = models.JSONField(default=list, help_text="服务对象 codes")
    handling_forms = models.JSONField(default=list, help_text="办理形式 codes")
    case_type = models.CharField(max_length=1, choices=CaseType.choices, help_text="办件类型")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="items", help_text="实施主体")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="items", help_text="实施区划")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items")
    themes = models.ManyToManyField(Theme, blank=True, related_name="items")
    legal_basis = models.TextField(blank=True, help_text="设定依据")
    legal_days = models.PositiveIntegerField(default=0, help_text="法定办结时限")
    promised_days = models.PositiveIntegerField(default=0, help_text="承诺办结时限")
    day_unit = models.CharField(max_length=8, choices=DayUnit.choices, default=DayUnit.WORKING)
    conditions = models.TextField(blank=True, help_text="受理条件")
    process_description = models.TextField(blank=True, help_text="办理流程")
    fee_charged = models.BooleanField(default=False, help_text="是否收费")
    fee_basis = models.TextField(blank=True, help_text="收费依据")
    fee_amount_fen = models.BigIntegerField(default=0, help_text="收费金额（分）")
    fee_rule = models.CharField(max_length=80, blank=True, help_text="DMN decision id when the fee depends on the form")
    fee_standard = models.CharField(max_length=200, blank=True, help_text="收费标准（给办事人看的文字说明）")
    scope = models.CharField(max_length=20, blank=True, help_text="通办范围")
    online = models.BooleanField(default=True, help_text="是否网办")
    online_depth = models.PositiveSmallIntegerField(choices=OnlineDepth.choices, default=OnlineDepth.IV,
                                                    help_text="网上办理深度")
    visits = models.PositiveSmallIntegerField(default=0, help_text="到办事现场次数")
    consult_phone = models.CharField(max_length=40, blank=True, help_text="咨询电话")
    supervise_phone = models.CharField(max_length=40, blank=True, help_text="监督电话")
    address = models.CharField(max_length=200, blank=True, help_text="办理地点")
    hours = models.CharField(max_length=120, blank=True, help_text="办理时间")
    result_type = models.CharField(max_length=4, choices=ResultType.choices, default=ResultType.OTHER,
                                   help_text="审批结果类型")
    result_name = models.CharField(max_length=80, blank=True, help_text="审批结果名称")
    assurance_level = models.PositiveSmallIntegerField(choices=AssuranceLevel.choices, default=AssuranceLevel.L2,
                                                       help_text="required identity assurance level")
    process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    form_schema = models.JSONField(default=dict, blank=True, help_text="application form as JSON Schema + x-ui hints")
    active = models.BooleanField(default=True)
    search_text = models.TextField(blank=True, editable=False, help_text="normalised text for search")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__order", "implementation_code"]
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return self.implementation_code

    def clean(self) -> None:
        errors = {}
        if self.case_type == CaseType.INSTANT and self.promised_days:
            errors["promised_days"] = _("即办件的承诺办结时限应为 0")
        if self.online_depth == OnlineDepth.IV and self.visits:
            errors["visits"] = _("全程网办（Ⅳ级）事项到现场次数必须为 0")
        if self.promised_days > self.legal_days > 0:
            errors["promised_days"] = _("承诺时限不能超过法定时限")
        if errors:
            raise ValidationError(errors)


class Material(models.Model):
    """申请材料."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    code = models.SlugField(max_length=40, help_text="stable id within the item")
    name = models.CharField(max_length=120)
    issuer = models.CharField(max_length=80, blank=True, help_text="出具机构")
    originals = models.PositiveSmallIntegerField(default=0, help_text="原件份数")
    copies = models.PositiveSmallIntegerField(default=0, help_text="复印件份数")
    required = models.BooleanField(default=True, help_text="是否必需")
    formats = models.JSONField(default=list, blank=True, help_text="accepted file types, e.g. pdf jpg png")
    note = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "order"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="material_unique_code")]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self) -> str:
        return self.name


class FAQ(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=200)
    answer = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item", "order"]
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")

    def __str__(self) -> str:
        return self.question


class Bundle(models.Model):
    """一件事一次办: one form, one submission, one case per item."""

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    form_schema = models.JSONField(default=dict)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="bundle_memberships")
    order = models.PositiveSmallIntegerField(default=0)
    field_map = models.JSONField(default=dict, help_text="item field → bundle field")

    class Meta:
        ordering = ["bundle", "order"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_unique")]


class Synonym(models.Model):
    """Colloquial term → official words, e.g. 驾照 → 机动车驾驶证. Editable by operators."""

    term = models.CharField(max_length=40, unique=True)
    synonyms = models.JSONField(default=list)

    class Meta:
        ordering = ["term"]
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")

    def __str__(self) -> str:
        return self.term


class SearchTerm(models.Model):
    """Inverted index of character bigrams (and keywords) per item: identical results on SQLite and PostgreSQL."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["term"], name="search_term_idx")]
