"""Console branding and operator-only pages that are not a model's list: the 审计校验 (audit verify) view."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import Http404, HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from tongban.accounts.permissions import is_operator
from tongban.audit import services as audit
from tongban.audit.models import AuditEntry
from tongban.catalog.models import Process
from tongban.workflow import services as workflow

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


class ProcessForm(forms.ModelForm):
    """BPMN pasted or uploaded (a .bpmn file as bpmn.io saves it); the engine must compile it before saving."""

    bpmn_file = forms.FileField(label=_("上传 BPMN 文件"), required=False,
                                help_text=_("bpmn.io 等建模工具导出的 .bpmn 文件；上传后覆盖下方的 BPMN 文本"))

    class Meta:
        model = Process
        fields = ("key", "name", "process_id", "bpmn", "dmn")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bpmn"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("bpmn_file")
        if upload is not None:
            if upload.size > 2 * 1024 * 1024:
                raise forms.ValidationError({"bpmn_file": _("BPMN 文件不能超过 2 MB")})
            try:
                data["bpmn"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError({"bpmn_file": _("BPMN 文件应为 UTF-8 编码的 XML")}) from None
        if not data.get("bpmn"):
            raise forms.ValidationError({"bpmn": _("请粘贴 BPMN 内容或上传 .bpmn 文件")})
        dmn = data.get("dmn") or []
        if not isinstance(dmn, list) or not all(isinstance(d, str) for d in dmn):
            raise forms.ValidationError({"dmn": _("DMN 应为 XML 文本的列表")})
        problem = workflow.validate_process(data["bpmn"], dmn, data.get("process_id") or "")
        if problem:
            raise forms.ValidationError({"bpmn": problem})
        return data


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    form = ProcessForm
    list_display = ("name", "key", "version", "process_id", "updated_at")
    search_fields = ("name", "key")
    readonly_fields = ("version", "updated_at")
    fields = ("key", "name", "process_id", "bpmn_file", "bpmn", "dmn", "version", "updated_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Process | None = None) -> tuple[str, ...]:
        # items refer to a process by its row; renaming the key would silently create a second process
        return (*self.readonly_fields, "key") if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Process, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = workflow.save_process(key=obj.key, name=data["name"], bpmn=data["bpmn"],
                                      dmn=data.get("dmn") or [], process_id=data.get("process_id") or "",
                                      actor=f"user:{request.user.pk}")
        obj.pk, obj.version = saved.pk, saved.version
