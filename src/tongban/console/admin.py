"""Console branding and operator-only pages that are not a model's list: the 审计校验 (audit verify) view."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from tongban.accounts.permissions import is_operator
from tongban.audit import services as audit
from tongban.audit.models import AuditEntry

admin.site.site_header = _("通办 运营后台")
admin.site.site_title = _("通办 运营后台")
admin.site.index_title = _("运营管理")
admin.site.site_url = "/"
# Django's own admin templates are found before ours (app order), so the index is named explicitly.
admin.site.index_template = "admin/console_index.html"

# verify() reports its reason in English for logs and the CLI; the console speaks Chinese.
REASONS = {
    "missing or reordered entry": _("记录缺失或顺序被调换"),
    "link to previous entry broken": _("与前一条记录的链接断开（记录被删除或插入）"),
    "entry content edited": _("记录内容被篡改"),
    "entries missing at the end of the chain": _("链尾记录缺失（被截断）"),
    "chain head missing": _("链头记录被删除"),
    "entry beyond the chain head": _("链头之后出现伪造记录"),
}


def _chains() -> list[str]:
    """Chains known by their head or by their entries, so a deleted head cannot hide a chain."""
    entries = AuditEntry.objects.order_by().values_list("chain", flat=True).distinct()
    return sorted(set(audit.chains()) | set(entries)) or ["main"]


def audit_verify_view(request):
    """Walk every chain and show OK or the first broken position. Operators only; others get 404."""
    if not is_operator(request.user):
        raise Http404
    rows = []
    for chain in _chains():
        result = audit.verify(chain)
        rows.append({"chain": chain, "ok": result.ok, "checked": result.checked, "position": result.position,
                     "reason": REASONS.get(result.reason, result.reason)})
    context = {
        **admin.site.each_context(request),
        "title": _("审计校验"),
        "rows": rows,
        "all_ok": all(r["ok"] for r in rows),
    }
    return TemplateResponse(request, "admin/audit_verify.html", context)


_default_get_urls = admin.site.get_urls


def _get_urls():
    return [
        path("audit/verify/", admin.site.admin_view(audit_verify_view), name="audit_verify"),
        *_default_get_urls(),
    ]


admin.site.get_urls = _get_urls  # type: ignore[method-assign]  # one extra page on the default site
