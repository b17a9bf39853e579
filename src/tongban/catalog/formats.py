"""The catalog exchange format (docs/catalog-format.md): one shape for JSON export, import and Excel.

``item_to_dict`` (database → format) and ``validation`` (format → clean values) agree field by field, so an
export imported again is a no-op and a round trip JSON → DB → xlsx → DB is loss-free.
"""

from __future__ import annotations

from typing import Any

from tongban.catalog.models import FAQ, Bundle, Category, Material, ServiceItem, Synonym, Theme

# Plain text/number fields copied one to one between the format and ServiceItem.
SCALAR_FIELDS = (
    "basic_code", "implementation_code", "name", "short_name", "item_type", "exercise_level", "case_type",
    "legal_basis", "legal_days", "promised_days", "day_unit", "conditions", "process_description", "scope",
    "online", "online_depth", "visits", "consult_phone", "supervise_phone", "address", "hours", "result_type",
    "result_name", "assurance_level",
)
LIST_FIELDS = ("keywords", "service_objects", "handling_forms")


def material_to_dict(m: Material) -> dict[str, Any]:
    return {"code": m.code, "name": m.name, "issuer": m.issuer, "originals": m.originals, "copies": m.copies,
            "required": m.required, "formats": list(m.formats), "note": m.note}


def faq_to_dict(f: FAQ) -> dict[str, str]:
    return {"q": f.question, "a": f.answer}


def fee_to_dict(item: ServiceItem) -> dict[str, Any]:
    return {"charged": item.fee_charged, "basis": item.fee_basis, "amount_fen": item.fee_amount_fen,
            "rule": item.fee_standard, "decision": item.fee_rule}


def item_to_dict(item: ServiceItem) -> dict[str, Any]:
    """Needs ``department``, ``region``, ``category``, ``process`` selected and themes/materials/faqs prefetched."""
    data: dict[str, Any] = {f: getattr(item, f) for f in SCALAR_FIELDS}
    data.update({f: list(getattr(item, f) or []) for f in LIST_FIELDS})
    data.update({
        "department": item.department.code,
        "region": item.region_id,
        "category": item.category.code,
        "themes": sorted(t.name for t in item.themes.all()),
        "fee": fee_to_dict(item),
        "materials": [material_to_dict(m) for m in item.materials.all()],
        "faqs": [faq_to_dict(f) for f in item.faqs.all()],
        "process": item.process.key if item.process is not None else None,
        "form_schema": item.form_schema,
        "active": item.active,
    })
    return data


def category_to_dict(c: Category) -> dict[str, Any]:
    return {"code": c.code, "name": c.name, "icon": c.icon, "order": c.order, "description": c.description}


def theme_to_dict(t: Theme) -> dict[str, str]:
    return {"code": t.code, "name": t.name}


def synonym_to_dict(s: Synonym) -> dict[str, Any]:
    return {"term": s.term, "synonyms": list(s.synonyms)}


def bundle_to_dict(b: Bundle) -> dict[str, Any]:
    """Members are named by basic code, like bundles.json; ``field_map`` is keyed the same way."""
    members = list(b.members.all())
    return {
        "code": b.code, "name": b.name, "description": b.description,
        "items": [m.item.basic_code for m in members],
        "form_schema": b.form_schema,
        "field_map": {m.item.basic_code: m.field_map for m in members},
        "active": b.active,
    }
