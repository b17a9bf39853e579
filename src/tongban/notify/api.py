"""The signed-in user's inbox. Mounted by the API app at ``/api/v1/me/messages``."""

from __future__ import annotations

from ninja import Router
from ninja.security import django_auth

from tongban.notify import services
from tongban.notify.schemas import MessageOut, MessagePage, ReadAll, UnreadCount

messages_router = Router(tags=["messages"], auth=django_auth)


@messages_router.get("/", response=MessagePage)
def list_messages(request, cursor: str | None = None, limit: int = 20):
    items, nxt = services.inbox(request.user, cursor, limit)
    return {"items": items, "next": nxt}


@messages_router.get("/unread-count", response=UnreadCount)
def unread_count(request):
    return {"count": services.unread_count(request.user)}


@messages_router.post("/read-all", response=ReadAll)
def read_all(request):
    return {"updated": services.mark_all_read(request.user)}


@messages_router.post("/{int:message_id}/read", response=MessageOut)
def read_one(request, message_id: int):
    return services.mark_read(request.user, message_id)
