"""The official's in-app messages (same inbox as citizens', shown in the workbench chrome)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.core.errors import DomainError
from tongban.notify import services as notify
from tongban.workbench.views.common import header, official_required, safe_next


@official_required
def inbox(request):
    try:
        rows, nxt = notify.inbox(request.user, request.GET.get("cursor"), 30)
    except DomainError:
        rows, nxt = notify.inbox(request.user, None, 30)
    return render(request, "workbench/messages.html", header(request) | {"rows": rows, "next": nxt})


@official_required
@require_POST
def read(request, message_id: int):
    try:
        msg = notify.mark_read(request.user, message_id)
    except DomainError as err:
        raise Http404 from err
    link = msg.link if msg.link and msg.link.startswith("/workbench/") else ""
    return redirect(link or safe_next(request, "/workbench/messages/"))


@official_required
@require_POST
def read_all(request):
    notify.mark_all_read(request.user)
    flash.success(request, _("已全部标为已读。"))
    return redirect("workbench:messages")
