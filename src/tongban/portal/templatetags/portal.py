"""Small presentation helpers for portal templates."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def unread_count(user) -> int:
    """Header badge. A failing inbox must not take every page down with it."""
    from tongban.notify import services as notify

    try:
        return notify.unread_count(user)
    except Exception:
        return 0


@register.filter
def yuan(fen) -> str:
    """分 → "12.50 元"; 0 → 免费 is the template's business, this only formats."""
    try:
        return _("%(amount)s 元") % {"amount": f"{Decimal(int(fen)) / 100:,.2f}"}
    except (TypeError, ValueError):
        return ""


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
