"""Account changes. The full identity issue extends these (registration, assurance, MFA)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from tongban.accounts.models import (
    Department,
    LegalPerson,
    OfficialRole,
    Person,
    Region,
    User,
    UserKind,
)
from tongban.audit import services as audit
from tongban.core import codes
from tongban.core.errors import ValidationFailed, field_error
from tongban.crypto.fields import blind_index


def _validated(obj: Region | Department) -> None:
    try:
        obj.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed(errors=[field_error(f, m, "invalid") for f, ms in exc.message_dict.items()
                                       for m in ms]) from None


@transaction.atomic
def create_region(*, code: str, name: str, level: int, parent_code: str | None, actor: str) -> Region:
    """A GB/T 2260 region under its parent (parents first)."""
    region = Region(code=code, name=name, level=level, parent_id=parent_code)
    _validated(region)
    region.save()
    audit.append(actor, "accounts.region.create", "region", region.code)
    return region


@transaction.atomic
def create_department(*, code: str, name: str, credit_code: str, region_code: str, short_name: str = "",
                      phone: str = "", parent_code: str | None = None, actor: str) -> Department:
    """A department with a checked 统一社会信用代码; its parent, if any, must exist already."""
    parent = Department.objects.filter(code=parent_code).first() if parent_code else None
    if parent_code and parent is None:
        raise ValidationFailed(errors=[field_error("parent", "上级部门不存在", "unknown_parent")])
    dept = Department(code=code, name=name, short_name=short_name, credit_code=credit_code,
                      region_id=region_code, phone=phone, parent=parent)
    _validated(dept)
    dept.save()
    audit.append(actor, "accounts.department.create", "department", dept.pk, after={"code": code})
    return dept


def describe(user: User) -> dict:
    roles = [
        {"department": r.department.code, "department_name": r.department.name, "role": r.role,
         "region": r.region_id}
        for r in user.official_roles.select_related("department")
    ]
    return {"id": user.id, "username": user.username, "kind": user.kind,
            "display_name": user.display_name or user.username, "roles": roles}


def find_person_by_id_number(id_number: str) -> Person | None:
    return Person.objects.filter(
        id_number_index=blind_index(codes.normalize_id_number(id_number), namespace="id_number")
    ).first()


@transaction.atomic
def create_citizen(*, username: str, password: str, name: str, id_number: str, phone: str = "",
                   region: Region | None = None, assurance_level: int = 2) -> User:
    errors = []
    if codes.id_number_error(id_number):
        errors.append(field_error("id_number", "公民身份号码无效", "id_number"))
    if User.objects.filter(username=username).exists():
        errors.append(field_error("username", "用户名已被使用", "taken"))
    if errors:
        raise ValidationFailed(errors=errors)
    user = User.objects.create_user(username=username, password=password, kind=UserKind.CITIZEN,
                                    display_name=name)
    Person.objects.create(user=user, name=name, id_number=id_number, phone=phone, region=region,
                          assurance_level=assurance_level)
    audit.append("system", "accounts.citizen.create", "user", user.id)
    return user


@transaction.atomic
def create_enterprise(*, username: str, password: str, name: str, credit_code: str,
                      representative: Person | None = None, region: Region | None = None) -> User:
    if codes.credit_code_error(credit_code):
        raise ValidationFailed(errors=[field_error("credit_code", "统一社会信用代码无效", "credit_code")])
    user = User.objects.create_user(username=username, password=password, kind=UserKind.ENTERPRISE,
                                    display_name=name)
    LegalPerson.objects.create(user=user, name=name, credit_code=credit_code, representative=representative,
                               region=region)
    audit.append("system", "accounts.enterprise.create", "user", user.id)
    return user


@transaction.atomic
def create_official(*, username: str, password: str, name: str, department: Department,
                    roles: list[str], region: Region, operator: bool = False) -> User:
    user = User.objects.create_user(
        username=username, password=password, display_name=name,
        kind=UserKind.OPERATOR if operator else UserKind.OFFICIAL, is_staff=operator, is_superuser=operator,
    )
    for role in roles:
        OfficialRole.objects.create(user=user, department=department, role=role, region=region)
    audit.append("system", "accounts.official.create", "user", user.id, detail={"roles": roles})
    return user
