"""Shared facts and small helpers of the browser journeys (the demo city's 低保 item and its form)."""

from __future__ import annotations

import re

PASSWORD = "Tongban@2026"
DIBAO_CODE = "11500000009281099L3000509001000"  # 最低生活保障申请 (民政局, 按家庭情况分级审批)
DIBAO_NAME = "最低生活保障申请"
ZHANGSAN_ID = "500103198503121234"
ZHANGSAN_ID_BAD_CHECK_DIGIT = "500103198503121235"
# 办件编号 = 实施编码 + yyyyMMdd + 4-digit daily sequence
CASE_NUMBER = re.compile(rf"^{DIBAO_CODE}20\d{{6}}\d{{4}}$")
# household_size ≥ 5 (or income 0) sends the case through 审核 at the gateway
DIBAO_FORM = {
    "applicant_name": "张三", "id_number": ZHANGSAN_ID, "phone": "13800000001", "household_size": 5,
    "monthly_income_fen": 0, "address": "渝中区解放碑街道民族路1号",
    "reason": "家中两人失业，老人长期患病，收入低于低保标准",
}
# a minimal well-formed PDF, enough for the upload's type check
PDF_BYTES = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")


def csrf_of(storage_state: dict) -> str:
    return next(c["value"] for c in storage_state["cookies"] if c["name"] == "csrftoken")


def root_font_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
