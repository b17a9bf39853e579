"""办件 (applications) and everything that hangs off one: history, workbench tasks, materials, 好差评.

State changes happen only in ``tongban.cases.services``; the models hold the status vocabulary and the
transition table so an illegal move fails the same way wherever it is attempted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongban.core.errors import InvalidStateChange


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    SUPPLEMENT_REQUIRED = "supplement_required", _("待补正")
    SUSPENDED = "suspended", _("已挂起")
    COMPLETED = "completed", _("已办结")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


class Result(models.TextChoices):
    NONE = "", _("无")
    APPROVED = "approved", _("准予")
    DENIED = "denied", _("不予批准")


S = Status
#: Allowed moves. 补正 and 挂起 return to the status they interrupted, hence the several targets.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN, S.SUPPLEMENT_REQUIRED, S.COMPLETED}),
    S.ACCEPTED: frozenset({S.IN_PROGRESS, S.SUPPLEMENT_REQUIRED, S.SUSPENDED, S.COMPLETED, S.WITHDRAWN}),
    S.IN_PROGRESS: frozenset({S.SUPPLEMENT_REQUIRED, S.SUSPENDED, S.COMPLETED, S.WITHDRAWN}),
    S.SUPPLEMENT_REQUIRED: frozenset({S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS, S.WITHDRAWN}),
    S.SUSPENDED: frozenset({S.ACCEPTED, S.IN_PROGRESS, S.WITHDRAWN}),
    S.COMPLETED: frozenset(),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
#: The SLA clock runs only in these (it starts at acceptance, pauses in 补正/挂起).
CLOCK_RUNNING = (S.ACCEPTED, S.IN_PROGRESS)
OPEN_STATUSES = (S.SUBMITTED, S.ACCEPTED, S.IN_PROGRESS, S.SUPPLEMENT_REQUIRED, S.SUSPENDED)
FINAL_STATUSES = (S.COMPLETED, S.REJECTED, S.WITHDRAWN)
RATINGS_PER_CASE = 2  # the rating and one 追评


class CaseGroup(models.Model):
    """一件事一次办: one bundle submission that fans out to one application per member item."""

    bundle = models.ForeignKey("catalog.Bundle", on_delete=models.PROTECT, related_name="case_groups")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_groups")
    form = models.JSONField(default=dict, help_text="the bundle form as submitted")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("一件事办件")
        verbose_name_plural = _("一件事办件")

    def __str__(self) -> str:
        return f"{self.bundle_id}#{self.pk}"

    @property
    def status(self) -> str:
        """Combined status for the citizen: the least advanced member, completed only when all are."""
        statuses = [a.status for a in self.applications.all()]
        if not statuses:
            return Status.SUBMITTED
        for s in (S.SUPPLEMENT_REQUIRED, S.SUBMITTED, S.SUSPENDED, S.ACCEPTED, S.IN_PROGRESS):
            if s in statuses:
                return s
        if all(s == S.COMPLETED for s in statuses):
            return S.COMPLETED
        if all(s == S.WITHDRAWN for s in statuses):
            return S.WITHDRAWN
        return S.REJECTED if S.REJECTED in statuses else S.COMPLETED


class Application(models.Model):
    """办件. ``number`` (办件编号) = 实施编码 + yyyyMMdd + 4-digit daily sequence, given at submission."""

    number = models.CharField(max_length=60, unique=True, null=True, blank=True, help_text="办件编号")
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    group = models.ForeignKey(CaseGroup, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="applications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    status_before_pause = models.CharField(max_length=20, blank=True,
                                           help_text="where 补正/挂起 returns to")
    result = models.CharField(max_length=10, choices=Result.choices, blank=True, default="")
    form = models.JSONField(default=dict)
    missing = models.JSONField(default=list, blank=True, help_text="materials/fields named for 补正")
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="applications",
                               help_text="handling region: the applicant's within the item's, else the item's")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="applications")
    workflow_state = models.JSONField(null=True, blank=True)
    process_key = models.CharField(max_length=60, blank=True)
    process_version = models.PositiveIntegerField(default=0)
    waiting_external = models.CharField(max_length=80, blank=True,
                                        help_text="spec of the outside step (fee, licence) being waited on")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # SLA clock (see cases/sla.py)
    due_date = models.DateField(null=True, blank=True, db_index=True, help_text="承诺办结日期")
    warn_date = models.DateField(null=True, blank=True, help_text="day the SLA warning falls due")
    paused_since = models.DateTimeField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    warned_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["applicant", "-id"], name="case_applicant"),
            models.Index(fields=["department", "region", "-id"], name="case_dept_region"),
            models.Index(fields=["status", "warn_date"], name="case_sla_scan"),
        ]
        verbose_name = _("办件")
        verbose_name_plural = _("办件")

    def __str__(self) -> str:
        return self.number or f"草稿#{self.pk}"

    def can_move_to(self, target: str) -> bool:
        return target in TRANSITIONS.get(self.status, frozenset())

    def can_be_rated(self, ratings_so_far: int) -> bool:
        """一事一评 plus one 追评, only once the case is 办结."""
        return self.status == S.COMPLETED and ratings_so_far < RATINGS_PER_CASE

    def move_to(self, target: str) -> str:
        """Set the status if the table allows it; returns the previous status."""
        if not self.can_move_to(target):
            raise InvalidStateChange(
                _("办件状态为“%(s)s”，不能变为“%(t)s”") % {"s": Status(self.status).label, "t": Status(target).label},
                code="invalid_state_change", status_from=self.status, status_to=target,
            )
        before, self.status = self.status, target
        return before

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)

    def snapshot(self) -> dict:
        """What the audit chain digests before/after a change (digested, never stored in clear)."""
        return {"id": self.pk, "number": self.number, "status": self.status, "result": self.result,
                "form": self.form, "due_date": self.due_date, "paused_working_days": self.paused_working_days}


class CaseEvent(models.Model):
    """One line of a case's history (办理过程), shown to the applicant when ``visible_to_applicant``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    comment = models.TextField(blank=True)
    visible_to_applicant = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class TaskState(models.TextChoices):
    OPEN = "open", _("待办")
    DONE = "done", _("已办")
    CANCELLED = "cancelled", _("已取消")


class Task(models.Model):
    """A workbench task: one waiting workflow task addressed to (department, role, region)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tasks")
    engine_task_id = models.CharField(max_length=40)
    spec = models.CharField(max_length=80, help_text="BPMN element id")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, default="user", help_text="user | external")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, blank=True)
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="completed_tasks")
    action = models.CharField(max_length=10, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["department", "role", "state", "region"], name="task_inbox"),
            models.Index(fields=["state", "due_date"], name="task_due"),
            models.Index(fields=["completed_by", "-completed_at"], name="task_done_by"),
        ]
        verbose_name = _("待办任务")
        verbose_name_plural = _("待办任务")

    def __str__(self) -> str:
        return f"{self.name} · {self.application_id}"

    @property
    def waiting_for_applicant(self) -> bool:
        """补正 or 挂起: the task stays open but nobody can act on it until the case resumes."""
        return self.application.status in (S.SUPPLEMENT_REQUIRED, S.SUSPENDED)

    @property
    def actionable(self) -> bool:
        return self.state == TaskState.OPEN and self.kind == "user" and not self.waiting_for_applicant


class CaseMaterial(models.Model):
    """An uploaded 申请材料 (the bytes live in file storage; this row is the case's reference)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="materials")
    material_code = models.CharField(max_length=40)
    file_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+",
                             help_text="the checked bytes in the file store")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")

    def __str__(self) -> str:
        return f"{self.material_code}: {self.file_name}"


class Satisfaction(models.IntegerChoices):
    """Our internal scale: 5 = 非常满意 … 1 = 非常不满意 (as the provincial interfaces count)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASIC = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


def to_gbt39046(level: int) -> str:
    """GB/T 39046 A.8 counts the other way round (1 = 非常满意)."""
    return str(6 - int(level))


def from_gbt39046(code: str | int) -> int:
    return 6 - int(code)


def to_provincial(level: int) -> str:
    """Provincial 好差评 interfaces: 1 = 非常不满意 … 5 = 非常满意, the same direction as ours."""
    return str(int(level))


def from_provincial(code: str | int) -> int:
    return int(code)


def is_bad(level: int) -> bool:
    """差评 = 不满意 or 非常不满意."""
    return int(level) <= Satisfaction.DISSATISFIED


class Channel(models.TextChoices):
    PC = "1", _("PC端")
    MOBILE = "2", _("移动端")
    QR = "3", _("二维码")
    HALL_PAD = "4", _("政务大厅平板")
    HALL_OTHER = "5", _("大厅其他终端")
    PHONE = "6", _("电话")
    SMS = "7", _("短信")


DIMENSIONS = ("整体满意度", "办事效率", "办事指南精确度", "办事便捷度", "平台操作性")


class Evaluation(models.Model):
    """好差评: one rating per case (一事一评) plus one 追评."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evaluations")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="+")
    satisfaction = models.PositiveSmallIntegerField(choices=Satisfaction.choices)
    dimensions = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)
    channel = models.CharField(max_length=2, choices=Channel.choices, default=Channel.PC, help_text="评价渠道 pf")
    is_followup = models.BooleanField(default=False, help_text="追评")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "is_followup"], name="evaluation_once")]
        indexes = [models.Index(fields=["department", "created_at"], name="evaluation_dept")]
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")

    def __str__(self) -> str:
        return f"{self.application_id} {self.get_satisfaction_display()}"

    @property
    def is_bad(self) -> bool:
        return is_bad(self.satisfaction)


class RectificationState(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已整改")


class Rectification(models.Model):
    """整改 of a 差评: the department answers by ``deadline``; real-name ratings get a 回访 (return visit)."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="rectification")
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="rectifications")
    region = models.ForeignKey("accounts.Region", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField()
    state = models.CharField(max_length=10, choices=RectificationState.choices, default=RectificationState.OPEN)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    return_visit = models.BooleanField(default=True, help_text="回访 required (real-name rating)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["department", "state"], name="rectification_inbox")]
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.get_state_display()}"
