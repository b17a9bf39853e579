"""Who may do what. One vocabulary of permissions; scoping functions used by every query of officials."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.http import HttpRequest

from tongban.accounts.models import Department, OfficialRole, Role, User, UserKind
from tongban.core import codes
from tongban.core.errors import Unauthenticated


class Permissions(StrEnum):
    APPLY = "cases:application:submit"
    CASE_READ_OWN = "cases:application:read-own"
    TASK_ACT = "cases:task:act"
    CATALOG_MANAGE = "catalog:item:manage"
    AUDIT_READ = "audit:entry:read"


@dataclass(frozen=True)
class Scope:
    """One (department, role, region subtree) an official acts in."""

    department_id: int
    role: str
    region_prefix: str


def signed_in_user(request: HttpRequest) -> User:
    """The request's user when signed in; :class:`Unauthenticated` (401) otherwise."""
    user = request.user
    if not user.is_authenticated:
        raise Unauthenticated()
    return user


def scopes_of(user: User) -> list[Scope]:
    if not user.is_authenticated or not user.is_official:
        return []
    rows = OfficialRole.objects.filter(user=user).values_list("department_id", "role", "region_id")
    return [Scope(d, r, codes.region_prefix(region)) for d, r, region in rows]


def roles_of(user: User) -> list[OfficialRole]:
    """The official's role assignments with their department and region (empty for everyone else)."""
    if not user.is_authenticated:
        return []
    return list(OfficialRole.objects.filter(user=user).select_related("department", "region")
                .order_by("department__code", "role"))


def departments_of(user: User) -> list[Department]:
    return sorted({r.department for r in roles_of(user)}, key=lambda d: d.code)


def task_scope_q(user: User, *, department: str = "department_id", role: str = "role",
                 region: str = "region_id") -> Q:
    """A filter matching rows addressed to any of the official's (department, role, region) scopes.

    Returns a filter that matches nothing for non-officials, so a forgotten check fails closed."""
    q = Q(pk__in=[])
    for s in scopes_of(user):
        q |= Q(**{department: s.department_id, role: s.role, f"{region}__startswith": s.region_prefix})
    return q


def department_scope_q(user: User, *, department: str = "department_id", region: str = "region_id") -> Q:
    q = Q(pk__in=[])
    for s in scopes_of(user):
        q |= Q(**{department: s.department_id, f"{region}__startswith": s.region_prefix})
    return q


def is_operator(user: User) -> bool:
    return user.is_authenticated and (
        user.kind == UserKind.OPERATOR or user.is_superuser
        or OfficialRole.objects.filter(user=user, role=Role.OPERATOR).exists()
    )
