"""Chinese search over service items without database-specific full text.

Chinese has no spaces, so words are approximated by overlapping character bigrams: "居民身份证" indexes
居民, 民身, 身份, 份证. Each item stores its bigrams (plus unigrams of short fields, and whole keywords) in the
``SearchTerm`` table with a weight by field (name > keywords > category/department > guide text). A query is
normalised the same way, expanded with the editable synonym table (驾照 → 机动车驾驶证换证), and scored with one
``GROUP BY item`` sum of weights. Plain SQL over plain rows gives the same ranking on SQLite and PostgreSQL.

This module computes terms and runs read queries; writing the index lives in ``services.reindex``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from tongban.catalog.models import SearchTerm, ServiceItem, Synonym
from tongban.core import codes
from tongban.core.errors import ValidationFailed
from tongban.core.pagination import decode_cursor, encode_cursor

W_NAME = 10
W_SHORT_NAME = 8
W_KEYWORD = 6
W_CATEGORY = 3
W_DEPARTMENT = 3
W_GUIDE = 1

# A match below this share of the best score is noise (one shared bigram such as 申请 or 办理).
RELATIVE_THRESHOLD = 0.3
MAX_TERM = 40  # SearchTerm.term max_length
_SPLIT = re.compile(r"[^0-9a-z\u3400-\u9fff\uf900-\ufaff]+")


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case; punctuation and spaces become single spaces."""
    return " ".join(segments(text))


def segments(text: str) -> list[str]:
    """Runs of letters, digits and CJK characters; everything else separates them."""
    folded = unicodedata.normalize("NFKC", text or "").lower()
    return [s for s in _SPLIT.split(folded) if s]


def bigrams(segment: str) -> set[str]:
    return {segment[i : i + 2] for i in range(len(segment) - 1)}


def text_terms(text: str, *, unigrams: bool = False, whole: bool = False) -> set[str]:
    """Bigrams of every segment; optionally single characters and whole segments (for exact keyword hits)."""
    terms: set[str] = set()
    for seg in segments(text):
        terms |= bigrams(seg)
        if unigrams or len(seg) == 1:
            terms |= set(seg)
        if whole and len(seg) <= MAX_TERM:
            terms.add(seg)
    return terms


def item_terms(item: ServiceItem) -> dict[str, int]:
    """term → weight for one item; a term found in several fields keeps its best weight."""
    weighted: dict[str, int] = {}

    def add(terms: Iterable[str], weight: int) -> None:
        for term in terms:
            if weight > weighted.get(term, 0):
                weighted[term] = weight

    add(text_terms(item.name, unigrams=True, whole=True), W_NAME)
    add(text_terms(item.short_name, unigrams=True, whole=True), W_SHORT_NAME)
    for keyword in item.keywords or []:
        add(text_terms(str(keyword), unigrams=True, whole=True), W_KEYWORD)
    add(text_terms(item.category.name, whole=True), W_CATEGORY)
    add(text_terms(f"{item.department.name} {item.department.short_name}", whole=True), W_DEPARTMENT)
    add(text_terms(guide_text(item)), W_GUIDE)
    return weighted


def guide_text(item: ServiceItem) -> str:
    """The 办事指南 prose worth matching at low weight: conditions, steps, result, material names."""
    material_names = " ".join(m.name for m in item.materials.all())
    return " ".join([item.conditions, item.process_description, item.result_name, material_names])


def synonym_table() -> list[tuple[str, list[str]]]:
    rows = Synonym.objects.values_list("term", "synonyms")
    return [(normalise(term).replace(" ", ""), words) for term, words in rows]


def query_terms(q: str, synonyms: list[tuple[str, list[str]]] | None = None) -> set[str]:
    """Terms of the query plus those of every synonym whose colloquial term occurs inside it."""
    terms = text_terms(q, whole=True)
    compact = normalise(q).replace(" ", "")
    for term, words in synonyms if synonyms is not None else synonym_table():
        if term and term in compact:
            for word in words:
                terms |= text_terms(str(word), whole=True)
    return terms


def region_ancestors(region: str) -> list[str]:
    """The region itself and every region above it (500103 → 500000, 500100, 500103).

    GB/T 2260 pads unused levels with zeros, so ancestors are the code's prefixes padded back out.
    """
    prefix = codes.region_prefix(region)
    out = []
    for cut, width in ((2, 6), (4, 6), (6, 6), (9, 12), (12, 12)):
        if len(prefix) >= cut:
            out.append(prefix[:cut].ljust(width, "0"))
    return out


@dataclass(frozen=True)
class Filters:
    category: str | None = None
    region: str | None = None

    def item_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}active": True})
        if self.category:
            q &= Q(**{f"{prefix}category__code": self.category})
        if self.region:
            q &= Q(**{f"{prefix}region_id__in": region_ancestors(self.region)})
        return q


def _clamp(limit: int) -> int:
    return max(1, min(int(limit), 100))


def ranked_ids(q: str, filters: Filters, *, limit: int, cursor: str | None) -> tuple[list[int], str | None]:
    """Item ids for a text query, best first (score desc, id asc), keyset-paginated on (score, id)."""
    terms = query_terms(q)
    if not terms:
        return [], None
    scored = (
        SearchTerm.objects.filter(Q(term__in=sorted(terms)) & filters.item_q("item__"))
        .values("item_id")
        .annotate(score=Sum("weight"))
    )
    best = scored.order_by("-score", "item_id").first()
    if best is None:
        return [], None
    page = scored.filter(score__gte=best["score"] * RELATIVE_THRESHOLD)
    if cursor:
        score, last_id = _cursor_pair(cursor)
        page = page.filter(Q(score__lt=score) | Q(score=score, item_id__gt=last_id))
    rows = list(page.order_by("-score", "item_id")[: limit + 1])
    nxt = encode_cursor([rows[limit - 1]["score"], rows[limit - 1]["item_id"]]) if len(rows) > limit else None
    return [r["item_id"] for r in rows[:limit]], nxt


def browse(qs: QuerySet, filters: Filters, *, limit: int, cursor: str | None) -> tuple[list, str | None]:
    """All items in category order (the portal's home), keyset-paginated on (category order, id)."""
    qs = qs.filter(filters.item_q())
    if cursor:
        order, last_id = _cursor_pair(cursor)
        qs = qs.filter(Q(category__order__gt=order) | Q(category__order=order, id__gt=last_id))
    rows = list(qs.order_by("category__order", "id")[: limit + 1])
    nxt = encode_cursor([rows[limit - 1].category.order, rows[limit - 1].id]) if len(rows) > limit else None
    return rows[:limit], nxt


def _cursor_pair(cursor: str) -> tuple[int, int]:
    value = decode_cursor(cursor)
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise ValidationFailed("invalid cursor", code="invalid_cursor")
    return value[0], value[1]
