"""我的消息: the in-app inbox."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongban.notify import services as notify
from tongban.portal.views.common import not_found_as_404


@login_required
def inbox(request):
    items, next_cursor = notify.inbox(request.user, cursor=request.GET.get("cursor") or None, limit=20)
    return render(request, "portal/messages.html", {"items": items, "next_cursor": next_cursor})


@login_required
@require_POST
@not_found_as_404
def open_message(request, message_id: int):
    """Mark read, then go where the message points (only ever a path on this site)."""
    msg = notify.mark_read(request.user, message_id)
    link = msg.link or ""
    if not (link.startswith("/") and not link.startswith("//")):
        link = reverse("portal:messages")
    return HttpResponseRedirect(link)


@login_required
@require_POST
def read_all(request):
    changed = notify.mark_all_read(request.user)
    if changed:
        flash.success(request, _("已全部标为已读"))
    return HttpResponseRedirect(reverse("portal:messages"))
