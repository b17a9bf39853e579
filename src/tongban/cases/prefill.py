"""Prefill ("tell us once"): form fields the platform already knows, each with where it came from.

Sources register with :func:`source` and are asked in order; the first to answer a field wins. The account
source below fills what the applicant's own real-name account proves. The data-exchange issue registers
registry and licence sources here (with consent, and each read shown in the citizen's data tracker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tongban.accounts.models import AssuranceLevel, LegalPerson, Person, User
from tongban.catalog.models import ServiceItem


@dataclass(frozen=True)
class Prefilled:
    value: Any
    source: str  # shown to the applicant: "来自：实名账户"
    verified: bool  # proven by a real-name check, not just typed by the user once


Source = Callable[[User, ServiceItem, set[str]], dict[str, Prefilled]]
_sources: list[Source] = []


def source(fn: Source) -> Source:
    if fn not in _sources:
        _sources.append(fn)
    return fn


def prefill(user: User, item: ServiceItem) -> dict[str, Prefilled]:
    """Known values for the item's form fields; empty for anonymous users or items without a form."""
    wanted = set((item.form_schema or {}).get("properties", {}))
    if not user.is_authenticated or not wanted:
        return {}
    found: dict[str, Prefilled] = {}
    for src in _sources:
        for field, value in src(user, item, wanted - set(found)).items():
            if field in wanted and field not in found and value.value not in (None, ""):
                found[field] = value
    return found


PERSON_FIELDS = {"applicant_name": "name", "id_number": "id_number", "phone": "phone", "contact_phone": "phone",
                 "contact_name": "name", "declarant_name": "name", "declarant_id_number": "id_number"}


@source
def account(user: User, item: ServiceItem, wanted: set[str]) -> dict[str, Prefilled]:
    label = str(_("实名账户"))
    out: dict[str, Prefilled] = {}
    person = Person.objects.filter(user=user).first()
    if person is not None:
        real_name = person.assurance_level >= AssuranceLevel.L2
        for field in wanted & PERSON_FIELDS.keys():
            attr = PERSON_FIELDS[field]
            out[field] = Prefilled(getattr(person, attr), label, real_name if attr != "phone" else True)
    legal = LegalPerson.objects.filter(user=user).select_related("representative").first()
    if legal is not None:
        values = {"company_name": legal.name, "credit_code": legal.credit_code}
        if legal.representative is not None:
            values |= {"legal_rep_name": legal.representative.name,
                       "legal_rep_id_number": legal.representative.id_number}
        out |= {f: Prefilled(v, label, True) for f, v in values.items() if f in wanted}
    return out
