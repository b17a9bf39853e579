"""A tiny, safe Markdown subset for the help pages.

Supported: ``#``–``###`` headings, paragraphs, ``-``/``*`` and ``1.`` lists, ``**bold**``, `` `code` ``,
``[text](link)`` to site-relative, http(s) or mailto targets, and ``> `` notes. Everything else is text:
every character from the file is escaped before any tag is added, so raw HTML in a help file shows as text.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_SAFE_TARGET = re.compile(r"^(/[^/\\]|/$|https?://|mailto:|#)", re.IGNORECASE)


def _inline(text: str) -> str:
    """Escape first, then add the few inline tags on the escaped text."""
    out: str = escape(text)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)

    def link(m: re.Match) -> str:
        label, target = m.group(1), m.group(2)
        if not _SAFE_TARGET.match(target.replace("&amp;", "&")):
            return label
        return f'<a href="{target}">{label}</a>'

    return _LINK.sub(link, out)


def render(source: str) -> SafeString:
    html: list[str] = []
    para: list[str] = []
    list_tag = ""

    def flush_para() -> None:
        if para:
            html.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()

    def close_list() -> None:
        nonlocal list_tag
        if list_tag:
            html.append(f"</{list_tag}>")
            list_tag = ""

    for line in source.splitlines():
        stripped = line.strip()
        if not stripped:
            flush_para()
            close_list()
            continue
        if m := _HEADING.match(stripped):
            flush_para()
            close_list()
            level = len(m.group(1))
            html.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if item := bullet or numbered:
            flush_para()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                html.append(f"<{tag}>")
                list_tag = tag
            html.append(f"<li>{_inline(item.group(1))}</li>")
            continue
        if m := _QUOTE.match(stripped):
            flush_para()
            close_list()
            html.append(f'<p class="banner banner-info">{_inline(m.group(1))}</p>')
            continue
        if list_tag:  # a continuation line of the last list item
            html[-1] = html[-1][: -len("</li>")] + " " + _inline(stripped) + "</li>"
            continue
        para.append(stripped)
    flush_para()
    close_list()
    return mark_safe("\n".join(html))


def title_of(source: str, default: str) -> str:
    for line in source.splitlines():
        if m := _HEADING.match(line.strip()):
            return m.group(2).strip()
    return default
