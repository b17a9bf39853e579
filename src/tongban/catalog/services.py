"""Catalog services: the only place that changes catalog state (items, bundles, synonyms, processes).

Every write runs in one transaction and appends to the audit chain from inside it. Imports are
all-or-nothing: every row is validated before anything is written, and a problem found while writing
(a bundle naming an unknown item) rolls the whole import back.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET  # operator-supplied BPMN/DMN from the deployment's own files
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from tongban.accounts.models import Department
from tongban.audit import services as audit
from tongban.catalog import excel
from tongban.catalog import search as searching
from tongban.catalog.formats import (
    bundle_to_dict,
    category_to_dict,
    item_to_dict,
    synonym_to_dict,
    theme_to_dict,
)
from tongban.catalog.models import (
    FAQ,
    Bundle,
    BundleItem,
    Category,
    Material,
    Process,
    SearchTerm,
    ServiceItem,
    Synonym,
    Theme,
)
from tongban.catalog.validation import CleanItem, Lookups, RowChecker, check_schema, error, validate_items
from tongban.core.errors import NotFound

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # type-checking only: django-stubs-ext is a dev dependency

log = logging.getLogger(__name__)
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
DMN_DECISION = "decision"


# ---------------------------------------------------------------- reading


def item_queryset() -> QuerySet[ServiceItem]:
    """Active items with everything a guide page or an export touches, loaded in a fixed number of queries."""
    return (
        ServiceItem.objects.filter(active=True)
        .select_related("department", "region", "category", "process")
        .prefetch_related("materials", "faqs", "themes")
    )


def get_item(code: str) -> ServiceItem:
    """The active item with this 实施编码, or ``NotFound``."""
    item = item_queryset().filter(implementation_code=code).first()
    if item is None:
        raise NotFound(_("事项 %(code)s 不存在或已停用") % {"code": code}, code="service_not_found")
    return item


def search(q: str = "", *, category: str | None = None, region: str | None = None, limit: int = 20,
           cursor: str | None = None) -> tuple[list[ServiceItem], str | None]:
    """Items matching ``q`` best first, or all items in category order when ``q`` is blank.

    ``region`` keeps items of that region and the regions above it (渝中 sees 市级 and 渝中 items).
    Returns the page and the cursor of the next page (``None`` on the last page).
    """
    filters = searching.Filters(category=category or None, region=region or None)
    limit = searching._clamp(limit)
    base = ServiceItem.objects.select_related("department", "category", "region")
    if not searching.normalise(q):
        return searching.browse(base, filters, limit=limit, cursor=cursor)
    ids, nxt = searching.ranked_ids(q, filters, limit=limit, cursor=cursor)
    by_id = base.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id], nxt


class _ItemCount(TypedDict):
    item_count: int


def list_categories() -> list[WithAnnotations[Category, _ItemCount]]:
    """Categories in display order, each with ``item_count`` of its active items."""
    counted = Category.objects.annotate(item_count=Count("items", filter=Q(items__active=True)))
    return list(counted.order_by("order", "code"))  # Meta.ordering is ignored by GROUP BY queries


def list_bundles() -> list[Bundle]:
    return list(Bundle.objects.filter(active=True).prefetch_related(_bundle_members()))


def get_bundle(code: str) -> Bundle:
    bundle = Bundle.objects.filter(code=code, active=True).prefetch_related(_bundle_members()).first()
    if bundle is None:
        raise NotFound(_("一件事 %(code)s 不存在") % {"code": code}, code="bundle_not_found")
    return bundle


def _bundle_members() -> Prefetch:
    members = BundleItem.objects.select_related("item__department", "item__category").order_by("order")
    return Prefetch("members", queryset=members)


def export_catalog() -> dict[str, Any]:
    """The whole catalog in the import format (docs/catalog-format.md); importing it back changes nothing."""
    return {
        "categories": [category_to_dict(c) for c in Category.objects.all()],
        "themes": [theme_to_dict(t) for t in Theme.objects.all()],
        "items": [item_to_dict(i) for i in _all_items().order_by("implementation_code")],
        "bundles": [bundle_to_dict(b) for b in Bundle.objects.prefetch_related(_bundle_members())],
        "synonyms": [synonym_to_dict(s) for s in Synonym.objects.all()],
    }


def _all_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.select_related("department", "region", "category", "process").prefetch_related(
        "materials", "faqs", "themes"
    )


# ---------------------------------------------------------------- search index


def reindex(item: ServiceItem) -> int:
    """Rebuild one item's search terms; returns how many were written."""
    with transaction.atomic():
        SearchTerm.objects.filter(item=item).delete()
        if not item.active:
            return 0
        rows = [SearchTerm(item=item, term=t, weight=w) for t, w in searching.item_terms(item).items()]
        SearchTerm.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def reindex_all() -> int:
    """Rebuild the whole index (after a bulk change or a new weighting)."""
    total = 0
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        for item in _all_items().filter(active=True):
            rows = [SearchTerm(item=item, term=t, weight=w) for t, w in searching.item_terms(item).items()]
            SearchTerm.objects.bulk_create(rows, batch_size=500)
            total += len(rows)
    return total


@transaction.atomic
def item_saved(item: ServiceItem, *, actor: str, created: bool) -> None:
    """Call after an item was edited outside an import (the console): reindex and audit the change."""
    fresh = _all_items().get(pk=item.pk)
    reindex(fresh)
    audit.append(actor, "catalog.item.create" if created else "catalog.item.update", "service_item",
                 fresh.implementation_code, after=item_to_dict(fresh))


# ---------------------------------------------------------------- synonyms


@transaction.atomic
def set_synonyms(term: str, words: Iterable[str], actor: str) -> Synonym | None:
    """Set the official words a colloquial ``term`` expands to; an empty list deletes the term.

    Synonyms are applied when a query is parsed, so an edit takes effect on the next search without a reindex.
    """
    term = term.strip()
    clean = [w.strip() for w in words if w and w.strip()]
    existing = Synonym.objects.filter(term=term).first()
    before = synonym_to_dict(existing) if existing else None
    if not clean:
        if existing:
            existing.delete()
            audit.append(actor, "catalog.synonym.delete", "synonym", term, before=before)
        return None
    syn, _ = Synonym.objects.update_or_create(term=term, defaults={"synonyms": clean})
    if before != synonym_to_dict(syn):
        audit.append(actor, "catalog.synonym.set", "synonym", term, before=before, after=synonym_to_dict(syn))
    return syn


# ---------------------------------------------------------------- import


@dataclass
class ImportReport:
    """What an import did, or why it did nothing: ``errors`` lists ``{row, field, message}`` per problem."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "counts": self.counts, "errors": self.errors}


def _split_payload(data: Any) -> tuple[dict[str, list], list[dict]]:
    if isinstance(data, list):
        return {"items": data}, []
    if not isinstance(data, dict):
        return {}, [error(0, "", _("导入内容应为 JSON 对象或事项数组"))]
    parts = {k: data[k] for k in ("categories", "themes", "items", "bundles", "synonyms") if k in data}
    if not parts:
        return {}, [error(0, "", _("导入内容应包含 categories、themes、items、bundles 或 synonyms"))]
    bad = [error(0, k, _("%(key)s 应为 JSON 数组") % {"key": k}) for k, v in parts.items() if not isinstance(v, list)]
    return parts, bad


@dataclass
class _Validated:
    categories: list[dict]
    themes: list[dict]
    synonyms: list[dict]
    items: list[CleanItem]
    bundles: list


def _validate_payload(data: Any) -> tuple[_Validated | None, list[dict]]:
    parts, errors = _split_payload(data)
    if errors:
        return None, errors
    categories, cat_errors = _validate_categories(parts.get("categories", []))
    themes, theme_errors = _validate_themes(parts.get("themes", []))
    synonyms, syn_errors = _validate_synonyms(parts.get("synonyms", []))
    theme_keys = {t["code"]: t["code"] for t in themes} | {t["name"]: t["code"] for t in themes}
    lookups = Lookups.load(categories={c["code"] for c in categories}, themes=theme_keys)
    items, item_errors = validate_items(parts.get("items", []), lookups)
    errors = cat_errors + theme_errors + syn_errors + item_errors
    return _Validated(categories, themes, synonyms, items, parts.get("bundles", [])), errors


def import_catalog(data: dict | list, *, actor: str, only_new: bool = False) -> ImportReport:
    """Validate everything, then upsert by natural key (items by 实施编码) in one transaction.

    ``data`` is a list of items or a dict with any of categories, themes, items, bundles, synonyms.
    ``only_new`` keeps items that already exist untouched (the demo seed must not undo an operator's edits).
    """
    valid, errors = _validate_payload(data)
    if errors or valid is None:
        return ImportReport(errors=errors)
    report = ImportReport()
    with transaction.atomic():
        report.counts["categories"] = _upsert_simple(Category, valid.categories, actor, "category")
        report.counts["themes"] = _upsert_simple(Theme, valid.themes, actor, "theme")
        _upsert_items(valid.items, actor, report, only_new=only_new)
        report.errors = _import_bundles(valid.bundles, actor, report)
        for row in valid.synonyms:
            set_synonyms(row["term"], row["synonyms"], actor)
        report.counts["synonyms"] = len(valid.synonyms)
        if report.errors:
            transaction.set_rollback(True)
            return ImportReport(errors=report.errors)
    return report


def _validate_categories(rows: list) -> tuple[list[dict], list[dict]]:
    out, errors = [], []
    for i, raw in enumerate(rows, start=1):
        c = RowChecker(i, raw if isinstance(raw, dict) else {}, prefix="categories.")
        row = {"code": c.text("code", model=Category, required=True), "name": c.text("name", model=Category,
                                                                                     required=True),
               "icon": c.text("icon", model=Category), "order": c.integer("order"),
               "description": c.text("description", model=Category)}
        errors += c.errors
        out.append(row)
    return out, errors


def _validate_themes(rows: list) -> tuple[list[dict], list[dict]]:
    out, errors = [], []
    for i, raw in enumerate(rows, start=1):
        c = RowChecker(i, raw if isinstance(raw, dict) else {}, prefix="themes.")
        out.append({"code": c.text("code", model=Theme, required=True),
                    "name": c.text("name", model=Theme, required=True)})
        errors += c.errors
    return out, errors


def _validate_synonyms(rows: list) -> tuple[list[dict], list[dict]]:
    out, errors = [], []
    for i, raw in enumerate(rows, start=1):
        c = RowChecker(i, raw if isinstance(raw, dict) else {}, prefix="synonyms.")
        out.append({"term": c.text("term", model=Synonym, required=True),
                    "synonyms": c.text_list("synonyms", max_length=40)})
        errors += c.errors
    return out, errors


def _upsert_simple(model: type[Category] | type[Theme], rows: list[dict], actor: str, kind: str) -> int:
    changed = 0
    for row in rows:
        obj = model.objects.filter(code=row["code"]).first()
        before = {k: getattr(obj, k) for k in row} if obj else None
        if before == row:
            continue
        model.objects.update_or_create(code=row["code"], defaults=row)
        audit.append(actor, f"catalog.{kind}.{'update' if obj else 'create'}", kind, row["code"],
                     before=before, after=row)
        changed += 1
    return changed


def _snapshot(item: ServiceItem, keys: Iterable[str]) -> dict[str, Any]:
    """The stored item in the shape of a ``CleanItem``, to tell a real change from a re-import."""
    return {
        "fields": {k: getattr(item, k) for k in keys},
        "department": item.department.code, "category": item.category.code,
        "themes": sorted(t.code for t in item.themes.all()),
        "process": item.process.key if item.process is not None else None,
        "materials": [{"code": m.code, "name": m.name, "issuer": m.issuer, "originals": m.originals,
                       "copies": m.copies, "required": m.required, "formats": m.formats, "note": m.note,
                       "order": m.order} for m in item.materials.all()],
        "faqs": [{"question": f.question, "answer": f.answer, "order": f.order} for f in item.faqs.all()],
    }


def _clean_snapshot(clean: CleanItem) -> dict[str, Any]:
    return {"fields": clean.fields, "department": clean.department, "category": clean.category,
            "themes": clean.themes, "process": clean.process, "materials": clean.materials, "faqs": clean.faqs}


def _upsert_items(items: list[CleanItem], actor: str, report: ImportReport, *, only_new: bool) -> None:
    existing = {i.implementation_code: i for i in _all_items().filter(
        implementation_code__in=[c.code for c in items])}
    refs = _References.load()
    for clean in items:
        current = existing.get(clean.code)
        if current is not None and (only_new or _snapshot(current, clean.fields) == _clean_snapshot(clean)):
            report.unchanged += 1
            continue
        before = item_to_dict(current) if current else None
        item = _write_item(current or ServiceItem(), clean, refs)
        fresh = _all_items().get(pk=item.pk)
        reindex(fresh)
        audit.append(actor, "catalog.item.update" if current else "catalog.item.create", "service_item",
                     clean.code, before=before, after=item_to_dict(fresh))
        if current:
            report.updated += 1
        else:
            report.created += 1


@dataclass
class _References:
    departments: dict[str, Department]
    categories: dict[str, Category]
    themes: dict[str, Theme]
    processes: dict[str, Process]

    @classmethod
    def load(cls) -> _References:
        return cls({d.code: d for d in Department.objects.all()}, {c.code: c for c in Category.objects.all()},
                   {t.code: t for t in Theme.objects.all()}, {p.key: p for p in Process.objects.all()})


def _write_item(item: ServiceItem, clean: CleanItem, refs: _References) -> ServiceItem:
    for name, value in clean.fields.items():
        setattr(item, name, value)
    item.department = refs.departments[clean.department]
    item.category = refs.categories[clean.category]
    item.process = refs.processes[clean.process] if clean.process else None
    item.save()
    item.themes.set([refs.themes[c] for c in clean.themes])
    _write_materials(item, clean.materials)
    FAQ.objects.filter(item=item).delete()
    FAQ.objects.bulk_create([FAQ(item=item, **f) for f in clean.faqs])
    return item


def _write_materials(item: ServiceItem, materials: list[dict[str, Any]]) -> None:
    """Upsert by material code, so an application that refers to a material by code keeps its meaning."""
    keep = {m["code"] for m in materials}
    Material.objects.filter(item=item).exclude(code__in=keep).delete()
    current = {m.code: m for m in Material.objects.filter(item=item)}
    for row in materials:
        obj = current.get(row["code"]) or Material(item=item)
        for name, value in row.items():
            setattr(obj, name, value)
        obj.save()


# ---------------------------------------------------------------- bundles


def _import_bundles(rows: list, actor: str, report: ImportReport) -> list[dict[str, Any]]:
    """Bundles are checked after items are written, so a bundle may name items arriving in the same import."""
    errors: list[dict[str, Any]] = []
    for i, raw in enumerate(rows, start=1):
        c = RowChecker(i, raw if isinstance(raw, dict) else {}, prefix="bundles.")
        code = c.text("code", model=Bundle, required=True)
        values = {"name": c.text("name", model=Bundle, required=True), "description": c.text("description"),
                  "form_schema": _or_empty(c.raw.get("form_schema")), "active": c.boolean("active", default=True)}
        if (problem := check_schema(values["form_schema"])) is not None:
            c.fail("form_schema", problem)
        members = _bundle_items(c)
        errors += c.errors
        if not c.errors:
            _write_bundle(code, values, members, actor)
    report.counts["bundles"] = len(rows)
    return errors


def _bundle_items(c: RowChecker) -> list[tuple[ServiceItem, dict]]:
    refs = c.text_list("items", max_length=40)
    field_map = c.raw.get("field_map") or {}
    if not isinstance(field_map, dict):
        c.fail("field_map", _("字段映射应为 JSON 对象"))
        field_map = {}
    if not refs:
        c.fail("items", _("一件事至少包含一个事项"))
    out = []
    for ref in refs:
        found = list(ServiceItem.objects.filter(Q(basic_code=ref) | Q(implementation_code=ref), active=True)[:2])
        if len(found) != 1:
            c.fail("items", (_("事项“%(ref)s”不存在") if not found
                            else _("事项“%(ref)s”对应多个实施事项，请改用实施编码")) % {"ref": ref})
            continue
        mapping = field_map.get(ref, {})
        if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
            c.fail("field_map", _("事项“%(ref)s”的字段映射应为 事项字段 → 一件事字段 的对象") % {"ref": ref})
            mapping = {}
        _check_mapping(c, ref, found[0], mapping)
        out.append((found[0], mapping))
    unknown = set(field_map) - set(refs)
    if unknown:
        c.fail("field_map", _("字段映射中的事项不在本一件事中：%(items)s") % {"items": "、".join(sorted(unknown))})
    return out


def _check_mapping(c: RowChecker, ref: str, item: ServiceItem, mapping: dict[str, str]) -> None:
    """Every required field of the member's form must come from the bundle form, or its case cannot open."""
    bundle_fields = set((c.raw.get("form_schema") or {}).get("properties", {}))
    required = set(item.form_schema.get("required", [])) if isinstance(item.form_schema, dict) else set()
    if missing := sorted(required - set(mapping)):
        c.fail("field_map", _("事项“%(ref)s”的必填字段未映射：%(fields)s") % {"ref": ref, "fields": "、".join(missing)})
    if unknown := sorted(set(mapping.values()) - bundle_fields):
        c.fail("field_map", _("事项“%(ref)s”映射到一件事表单中不存在的字段：%(fields)s")
               % {"ref": ref, "fields": "、".join(unknown)})


def _write_bundle(code: str, values: dict[str, Any], members: list[tuple[ServiceItem, dict]], actor: str) -> None:
    bundle = Bundle.objects.filter(code=code).prefetch_related(_bundle_members()).first()
    before = bundle_to_dict(bundle) if bundle else None
    bundle, _ = Bundle.objects.update_or_create(code=code, defaults=values)
    BundleItem.objects.filter(bundle=bundle).exclude(item__in=[m[0] for m in members]).delete()
    for order, (item, mapping) in enumerate(members, start=1):
        BundleItem.objects.update_or_create(bundle=bundle, item=item,
                                            defaults={"order": order, "field_map": mapping})
    after = bundle_to_dict(Bundle.objects.prefetch_related(_bundle_members()).get(pk=bundle.pk))
    if after != before:
        audit.append(actor, f"catalog.bundle.{'update' if before else 'create'}", "bundle", code,
                     before=before, after=after)


def _or_empty(value: Any) -> Any:
    return {} if value is None else value


# ---------------------------------------------------------------- processes


def load_processes_from_dir(path: Path | str, *, actor: str = "system") -> list[Process]:
    """Create or update a ``Process`` per ``*.bpmn`` file (key = file stem), with the DMN tables it needs.

    A process gets the ``.dmn`` file with its own stem and every ``.dmn`` defining a decision its
    business rule tasks reference (``camunda:decisionRef``). The version goes up when the XML changes.
    """
    folder = Path(path)
    decisions = _decisions_in(folder)
    out = []
    with transaction.atomic():
        for bpmn_path in sorted(folder.glob("*.bpmn")):
            out.append(_load_process(bpmn_path, decisions, actor))
    return out


def _decisions_in(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for dmn in sorted(folder.glob("*.dmn")):
        root = ET.fromstring(dmn.read_bytes())  # noqa: S314 - operator content, see module import
        for node in root.iter():
            decision_id = node.get("id")
            if node.tag.rsplit("}", 1)[-1] == DMN_DECISION and decision_id:
                found[decision_id] = dmn
    return found


def _load_process(bpmn_path: Path, decisions: dict[str, Path], actor: str) -> Process:
    xml = bpmn_path.read_text(encoding="utf-8")
    root = ET.fromstring(xml.encode())  # noqa: S314 - operator content, see module import
    processes = root.findall(f"{{{BPMN_NS}}}process")
    chosen = next((p for p in processes if p.get("id") == bpmn_path.stem), None) or next(
        (p for p in processes if p.get("isExecutable") == "true"), processes[0] if processes else None)
    process_id = chosen.get("id", "") if chosen is not None else ""
    name = (chosen.get("name") if chosen is not None else None) or bpmn_path.stem
    refs = {n.get(f"{{{CAMUNDA_NS}}}decisionRef") for n in root.iter()} - {None}
    dmn_files = {decisions[r] for r in refs if r in decisions}
    same_stem = bpmn_path.with_suffix(".dmn")
    if same_stem.exists():
        dmn_files.add(same_stem)
    dmn = [p.read_text(encoding="utf-8") for p in sorted(dmn_files)]
    return _save_process(bpmn_path.stem, name[:80], xml, dmn, process_id, actor)


def _save_process(key: str, name: str, bpmn: str, dmn: list[str], process_id: str, actor: str) -> Process:
    current = Process.objects.filter(key=key).first()
    if current and (current.bpmn, current.dmn, current.name, current.process_id) == (bpmn, dmn, name, process_id):
        return current
    proc = current or Process(key=key)
    proc.name, proc.bpmn, proc.dmn, proc.process_id = name, bpmn, dmn, process_id
    proc.version = current.version + 1 if current else 1
    proc.save()
    audit.append(actor, f"catalog.process.{'update' if current else 'create'}", "process", key,
                 after={"name": name, "version": proc.version, "bpmn": bpmn, "dmn": dmn})
    return proc


# ---------------------------------------------------------------- Excel


def export_xlsx(items: Iterable[ServiceItem] | None = None) -> bytes:
    """The catalog (or the given items) as an Excel workbook with the national field names as headers."""
    chosen = items if items is not None else _all_items().order_by("implementation_code")
    departments = {d.code: (d.name, d.credit_code) for d in Department.objects.all()}
    categories = dict(Category.objects.values_list("code", "name"))
    return excel.write_workbook([item_to_dict(i) for i in chosen], departments=departments, categories=categories)


def import_xlsx(content: bytes, actor: str) -> ImportReport:
    """Import the items of a workbook written by ``export_xlsx`` or filled in by an operator.

    Errors carry the sheet, its row number and the column header, so they can be fixed in Excel.
    """
    departments = dict(Department.objects.values_list("credit_code", "code"))
    categories = {name: code for code, name in Category.objects.values_list("code", "name")}
    rows, numbers, cell_errors = excel.read_workbook(content, departments=departments, categories=categories)
    if not rows and cell_errors:
        return ImportReport(errors=cell_errors)
    payload = {"items": rows}
    if cell_errors:
        _, errors = _validate_payload(payload)
        return ImportReport(errors=cell_errors + [excel.locate(e, numbers) for e in errors])
    report = import_catalog(payload, actor=actor)
    report.errors = [excel.locate(e, numbers) for e in report.errors]
    return report
