"""好差评: the applicant rates a finished case once (一事一评) and may add one 追评; 差评 opens 整改."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import User
from tongban.audit import services as audit
from tongban.cases import permissions
from tongban.cases.models import (
    DIMENSIONS,
    Application,
    Channel,
    Evaluation,
    Rectification,
    RectificationState,
    Satisfaction,
    Status,
    is_bad,
)
from tongban.cases.services._common import actor_of, event, notify
from tongban.core import calendar
from tongban.core.errors import InvalidStateChange, NotFound, ValidationFailed, field_error


def _level_ok(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def _check(satisfaction: object, dimensions: dict | None, channel: str) -> list[dict]:
    errors = []
    if not _level_ok(satisfaction):
        errors.append(field_error("satisfaction", _("评价等级应为 1–5 的整数（5 = 非常满意）"), "range"))
    if dimensions is not None and not isinstance(dimensions, dict):
        errors.append(field_error("dimensions", _("应为对象"), "type"))
    for name, level in (dimensions or {}).items():
        if name not in DIMENSIONS:
            errors.append(field_error(f"dimensions.{name}", _("未知的评价维度"), "unknown_dimension"))
        elif not _level_ok(level):
            errors.append(field_error(f"dimensions.{name}", _("评价等级应为 1–5 的整数"), "range"))
    if channel not in Channel.values:
        errors.append(field_error("channel", _("未知的评价渠道"), "enum"))
    return errors


def _own_completed(user: User, application_id: int) -> Application:
    app = (Application.objects.select_for_update(of=("self",)).select_related("item")
           .filter(pk=application_id, applicant=user).first())
    if app is None:
        raise NotFound(_("办件不存在"), code="application_not_found")
    if app.status != Status.COMPLETED:
        raise InvalidStateChange(_("办结后才能评价"), code="not_completed")
    return app


def _open_rectification(ev: Evaluation, app: Application) -> Rectification:
    deadline = calendar.add_working_days(timezone.localdate(), settings.TONGBAN_RECTIFY_DAYS)
    return Rectification.objects.create(evaluation=ev, department_id=app.department_id, region_id=app.region_id,
                                        deadline=deadline, return_visit=True)


@transaction.atomic
def evaluate(user: User, application_id: int, *, satisfaction: int, dimensions: dict | None = None,
             comment: str = "", channel: str = "1") -> Evaluation:
    errors = _check(satisfaction, dimensions, channel)
    if errors:
        raise ValidationFailed(errors=errors)
    app = _own_completed(user, application_id)
    done = list(app.evaluations.values_list("is_followup", flat=True))
    if not app.can_be_rated(len(done)):
        raise InvalidStateChange(_("已评价并追评，不能再次评价"), code="already_evaluated")
    followup = bool(done)
    ev = Evaluation.objects.create(application=app, department_id=app.department_id, item_id=app.item_id,
                                   satisfaction=satisfaction, dimensions=dimensions or {}, comment=comment,
                                   channel=channel, is_followup=followup)
    label = str(Satisfaction(satisfaction).label)
    line = event(app, user, "followup" if followup else "evaluate", timezone.now(), before=app.status,
                 comment=comment, data={"satisfaction": satisfaction})
    if is_bad(satisfaction):
        rect = _open_rectification(ev, app)
        notify(line, [{"event": "evaluation.bad", "to": "department"}], {"level": label,
                                                                          "rectification": rect.pk})
    audit.append(actor_of(user), "cases.evaluation.create", "evaluation", ev.pk,
                 after={"application": app.pk, "satisfaction": satisfaction, "followup": followup},
                 detail={"satisfaction": satisfaction, "followup": followup})
    return ev


@transaction.atomic
def answer_rectification(user: User, rectification_id: int, answer: str) -> Rectification:
    """整改 answered by the department; the 回访 (return visit) flag stays for the follow-up call."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(errors=[field_error("answer", _("请填写整改情况"), "required")])
    rect = permissions.get_rectification_for(user, rectification_id)
    if rect.state != RectificationState.OPEN:
        raise InvalidStateChange(_("该整改已答复"), code="already_answered")
    before = {"state": rect.state}
    rect.state, rect.answer = RectificationState.ANSWERED, answer
    rect.answered_at, rect.answered_by = timezone.now(), user
    rect.save(update_fields=["state", "answer", "answered_at", "answered_by"])
    audit.append(actor_of(user), "cases.rectification.answer", "rectification", rect.pk, before=before,
                 after={"state": rect.state, "answer": answer})
    return rect
