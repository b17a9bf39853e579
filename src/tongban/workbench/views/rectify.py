"""差评整改: the department's rectification tasks for bad ratings, answered before their deadline."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.cases import permissions as case_permissions
from tongban.cases import services as cases
from tongban.cases.models import RectificationState
from tongban.core.errors import DomainError
from tongban.workbench.presenters import applicant_name
from tongban.workbench.views.common import error_banner, header, official_required

ANSWER_MAX = 4000


@official_required
def rectifications(request):
    state = request.GET.get("state", "open")
    qs = case_permissions.rectifications_for(request.user).select_related(
        "evaluation__application__item", "evaluation__application__applicant__person",
        "evaluation__application__applicant__legal_person", "department", "answered_by",
    )
    if state in (RectificationState.OPEN, RectificationState.ANSWERED):
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("deadline", "id"), 20).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{
        "r": r, "ev": r.evaluation, "app": r.evaluation.application,
        "applicant": applicant_name(r.evaluation.application),
        "overdue": r.state == RectificationState.OPEN and r.deadline < today,
    } for r in page.object_list]
    context = header(request) | {"rows": rows, "page": page, "state": state, "today": today,
                                 "open_id": request.GET.get("answer")}
    return render(request, "workbench/rectifications.html", context)


@official_required
@require_POST
def rectification_answer(request, rectification_id: int):
    answer = (request.POST.get("answer") or "").strip()[:ANSWER_MAX]
    try:
        cases.answer_rectification(request.user, rectification_id, answer)
    except DomainError as err:
        if err.status == 404:
            raise Http404 from None
        error_banner(request, err)
        return redirect(f"{reverse('workbench:rectifications')}?answer={rectification_id}#r{rectification_id}")
    messages.success(request, _("整改情况已提交。"))
    return redirect("workbench:rectifications")
