"""The signed-in user's inbox. Mounted by the API app at ``/api/v1/me/messages``."""

from __future__ import annotations

from ninja import Query, Router
from ninja.security import django_auth

from tongban.notify import services
from tongban.notify.schemas import MessageOut, MessagePage, ReadAll, UnreadCount

messages_router = Router(tags=["messages"], auth=django_auth)


@messages_router.get("/", response=MessagePage, summary="My messages, newest first (站内消息)")
def list_messages(request, cursor: str | None = Query(None, max_length=200),
                  limit: int = Query(20, ge=1, le=100)):
    items, nxt = services.inbox(request.user, cursor, limit)
    return {"items": items, "next": nxt}


@messages_router.get("/unread-count", response=UnreadCount, summary="Number of unread messages (未读数)")
def unread_count(request):
    return {"count": services.unread_count(request.user)}


@messages_router.post("/read-all", response=ReadAll, summary="Mark every message read (全部已读)")
def read_all(request):
    return {"updated": services.mark_all_read(request.user)}


@messages_router.post("/{int:message_id}/read", response=MessageOut, summary="Mark one message read (已读)")
def read_one(request, message_id: int):
    return services.mark_read(request.user, message_id)
