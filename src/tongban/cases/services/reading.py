"""Reads of personal data that leave a trace: every material download is an audited access."""

from __future__ import annotations

from typing import IO

from django.db import transaction

from tongban.accounts.models import User
from tongban.audit import services as audit
from tongban.cases import permissions
from tongban.cases.models import CaseMaterial
from tongban.files import services as files


@transaction.atomic
def open_material(user: User, material_id: int) -> tuple[CaseMaterial, IO[bytes]]:
    """The material and its bytes, if the user may see its case; the access is appended to the audit chain."""
    material = permissions.get_material_for(user, material_id)
    handle = files.open_file(material.file)
    audit.append(f"user:{user.pk}", "cases.material.read", "case_material", material.pk,
                 detail={"application": material.application_id, "material_code": material.material_code})
    return material, handle
