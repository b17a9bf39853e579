"""帮助中心: the Markdown pages of ``docs/help/`` (English ones in ``docs/help/en/`` when present)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from tongban.portal import markdown

#: Slug order on the index page; a slug is also the file name (``<slug>.md``), so nothing else is readable.
PAGES = ("login", "apply", "supplement", "progress", "evaluate", "care-mode", "privacy")


def help_dir() -> Path:
    return Path(getattr(settings, "TONGBAN_HELP_DIR", settings.BASE_DIR.parent.parent / "docs" / "help"))


def _source(slug: str) -> str | None:
    base = help_dir()
    candidates = [base / "en" / f"{slug}.md"] if (get_language() or "").startswith("en") else []
    for path in [*candidates, base / f"{slug}.md"]:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def index(request):
    pages = []
    for slug in PAGES:
        source = _source(slug)
        if source is not None:
            pages.append({"slug": slug, "title": markdown.title_of(source, slug)})
    return render(request, "portal/help/index.html", {"pages": pages})


def page(request, slug: str):
    source = _source(slug) if slug in PAGES else None
    if source is None:
        raise Http404(slug)
    return render(request, "portal/help/page.html", {
        "slug": slug, "title": markdown.title_of(source, slug), "body": markdown.render(source),
    })
