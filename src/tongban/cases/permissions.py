"""The only place that scopes case querysets by principal.

A citizen sees their own applications; an official sees those of their department within their region
subtree, and acts on tasks addressed to one of their (department, role, region) scopes. Anything not
visible is NotFound (404 before 403, so existence does not leak).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import User
from tongban.accounts.permissions import department_scope_q, is_operator, task_scope_q
from tongban.cases.models import Application, CaseMaterial, Rectification, Task, TaskState
from tongban.core import calendar
from tongban.core.errors import Forbidden, NotFound, Unauthenticated

TASK_VIEWS = ("open", "done", "due_soon", "overdue")
DUE_SOON_WORKING_DAYS = 3


def _require_user(user: User) -> None:
    if user is None or not user.is_authenticated:
        raise Unauthenticated()


def applications_for(user: User) -> QuerySet[Application]:
    """Citizens: their own; officials: their department × region scopes; operators: all."""
    _require_user(user)
    qs = Application.objects.all()
    if not user.is_official:
        return qs.filter(applicant=user)
    if is_operator(user):
        return qs
    return qs.filter(department_scope_q(user, region="region__code"))


def _one(qs: QuerySet[Application], application_id: int, for_update: bool) -> Application:
    qs = qs.select_related("item", "department")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    app = qs.filter(pk=application_id).first()
    if app is None:
        raise NotFound(_("办件不存在"), code="application_not_found")
    return app


def get_application_for(user: User, application_id: int, *, for_update: bool = False) -> Application:
    return _one(applications_for(user), application_id, for_update)


def get_own_application(user: User, application_id: int, *, for_update: bool = False) -> Application:
    """Applicant-only actions (withdraw, supplement, rate): an official's view is not enough."""
    _require_user(user)
    return _one(Application.objects.filter(applicant=user), application_id, for_update)


def get_managed_application(user: User, application_id: int, *, for_update: bool = False) -> Application:
    """Official-only actions (suspend, resume, comment as official)."""
    _require_user(user)
    if not user.is_official:
        raise NotFound(_("办件不存在"), code="application_not_found")
    return get_application_for(user, application_id, for_update=for_update)


def get_material_for(user: User, material_id: int) -> CaseMaterial:
    """An uploaded material of a case the user may see (their own, or in their scope); 404 otherwise."""
    material = CaseMaterial.objects.select_related("file").filter(
        pk=material_id, application__in=applications_for(user)).first()
    if material is None:
        raise NotFound(_("材料不存在"), code="material_not_found")
    return material


def tasks_for(user: User, view: str = "open", *, today: dt.date | None = None) -> QuerySet[Task]:
    """Workbench inbox views: 待办 open, 已办 done (by this official), 即将超期 due_soon, 已超期 overdue."""
    _require_user(user)
    today = today or timezone.localdate()
    if view == "done":
        return Task.objects.filter(completed_by=user, state=TaskState.DONE)
    qs = Task.objects.filter(task_scope_q(user, region="region__code"), state=TaskState.OPEN, kind="user")
    if view == "open":
        return qs
    if view == "due_soon":
        limit = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
        return qs.filter(due_date__gte=today, due_date__lte=limit)
    if view == "overdue":
        return qs.filter(due_date__lt=today)
    raise NotFound(_("未知的待办视图"), code="unknown_view")


def get_task_for(user: User, task_id: int, *, for_update: bool = False) -> Task:
    """A task the official may see: addressed to one of their scopes, or completed by them."""
    _require_user(user)
    if not user.is_official:
        raise NotFound(_("待办任务不存在"), code="task_not_found")
    qs = Task.objects.filter(task_scope_q(user, region="region__code") | Q(completed_by=user))
    if for_update:
        qs = qs.select_for_update(of=("self",))
    task = qs.filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("待办任务不存在"), code="task_not_found")
    return task


def reviewers_of(application_id: int) -> set[int]:
    return set(
        Task.objects.filter(application_id=application_id, role="review", state=TaskState.DONE)
        .values_list("completed_by_id", flat=True)
    )


def can_act(user: User, task: Task) -> bool:
    """Whether ``user`` may complete ``task`` now; raises Forbidden ``four_eyes`` when only that rule stops them.

    Four-eyes (双人复核): whoever completed 审核 on a case may not complete its 审批.
    """
    if not user.is_official or task.state != TaskState.OPEN or task.kind != "user":
        return False
    if not Task.objects.filter(task_scope_q(user, region="region__code"), pk=task.pk).exists():
        return False
    if settings.TONGBAN_FOUR_EYES and task.role == "approve" and user.pk in reviewers_of(task.application_id):
        raise Forbidden(_("同一人不能既审核又审批同一办件"), code="four_eyes")
    return True


def rectifications_for(user: User) -> QuerySet[Rectification]:
    _require_user(user)
    if not user.is_official:
        return Rectification.objects.none()
    if is_operator(user):
        return Rectification.objects.all()
    return Rectification.objects.filter(department_scope_q(user, region="region__code"))


def get_rectification_for(user: User, rectification_id: int) -> Rectification:
    r = rectifications_for(user).select_for_update(of=("self",)).filter(pk=rectification_id).first()
    if r is None:
        raise NotFound(_("整改任务不存在"), code="rectification_not_found")
    return r
