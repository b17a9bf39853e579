"""Finding a service: home, search (htmx live results), category lists, 办事指南 guide pages."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from tongban.catalog import services as catalog
from tongban.portal.views.common import not_found_as_404

#: Colloquial words people type most; each links to a search and its best match is a "popular item".
HOT_WORDS = ("低保", "身份证到期", "驾照", "公积金提取", "出生医学证明", "居住证")
PAGE_SIZE = 20


def _popular() -> list:
    seen, out = set(), []
    for word in HOT_WORDS:
        items, _next = catalog.search(word, limit=1)
        if items and items[0].pk not in seen:
            seen.add(items[0].pk)
            out.append(items[0])
    return out


def home(request):
    return render(request, "portal/home.html", {
        "categories": catalog.list_categories(),
        "bundles": catalog.list_bundles(),
        "popular": _popular(),
        "hot_words": HOT_WORDS,
    })


def search(request):
    q = (request.GET.get("q") or "").strip()[:100]
    category = (request.GET.get("category") or "").strip() or None
    cursor = request.GET.get("cursor") or None
    items, next_cursor = (catalog.search(q, category=category, limit=PAGE_SIZE, cursor=cursor)
                          if q or category else ([], None))
    context = {"q": q, "items": items, "next_cursor": next_cursor, "category": category}
    if request.htmx and request.htmx.target == "results":
        return render(request, "portal/partials/results.html", context)
    return render(request, "portal/search.html", context)


@not_found_as_404
def category(request, code: str):
    categories = {c.code: c for c in catalog.list_categories()}
    current = categories.get(code)
    if current is None:
        raise Http404(code)
    cursor = request.GET.get("cursor") or None
    items, next_cursor = catalog.search("", category=code, limit=PAGE_SIZE, cursor=cursor)
    return render(request, "portal/category.html", {
        "category": current, "items": items, "next_cursor": next_cursor,
    })


@not_found_as_404
def guide(request, code: str):
    item = catalog.get_item(code)
    return render(request, "portal/guide.html", {"item": item, "steps": _steps(item.process_description)})


def _steps(description: str) -> list[str]:
    """The guide's 办理流程 text is written as "申请→受理→…"; show it as numbered steps."""
    for sep in ("→", "->", "；", "\n"):
        if sep in description:
            return [s.strip() for s in description.split(sep) if s.strip()]
    return [description] if description else []

