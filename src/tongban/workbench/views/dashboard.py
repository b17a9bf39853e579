"""统计分析 for the official's department: case counts per status, overdue rate, 好差评 distribution."""

from __future__ import annotations

from django.shortcuts import render

from tongban.workbench.views.common import header, official_required


@official_required
def dashboard(request):
    return render(request, "workbench/dashboard.html", header(request))
