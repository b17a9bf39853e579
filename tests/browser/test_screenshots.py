"""The README's screenshots. Each test asserts what its picture shows, so a broken page fails here.

The PNGs are written to docs/screenshots/ only with TONGBAN_SCREENSHOTS=1 (CI never rewrites them):
    TONGBAN_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py -p no:xdist
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DIBAO_CODE, DIBAO_FORM, ZHANGSAN_ID_BAD_CHECK_DIGIT

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WRITE = os.environ.get("TONGBAN_SCREENSHOTS") == "1"


def shoot(page, name: str, *, down_to=None) -> None:
    """The viewport, or with ``down_to`` (a locator) the page from its top to just below that element."""
    clip = None
    if down_to is not None:
        box = down_to.bounding_box()
        scroll_y = page.evaluate("window.scrollY")
        bottom = box["y"] + scroll_y + box["height"] + 12
        clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": bottom}
    png = page.screenshot(full_page=clip is not None, clip=clip, animations="disabled", caret="hide")
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), name
    assert len(png) > 10_000, f"{name}: no real picture"
    if WRITE:
        # a README picture must not show tofu boxes: the CJK font has to be there
        assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '通办')"), "CJK font missing"
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / name).write_bytes(png)


@pytest.fixture(scope="module")
def decided_case(api) -> dict:
    """A 低保 case taken through 受理 → 审核 → 审批 by the three 民政局 officials."""
    case = api("zhangsan").submit_dibao()
    api("mz.shouli").complete(case["id"], comment="材料齐全，予以受理。")
    api("mz.shenhe").complete(case["id"], comment="已入户核查，家庭情况属实。")
    api("mz.shenpi").complete(case["id"], comment="符合最低生活保障条件，准予。")
    return case


def test_portal_home(open_as):
    page = open_as("zhangsan")
    page.goto("/")
    expect(page.locator(".hero h1")).to_have_text("您好，想办什么事？")
    expect(page.get_by_test_id("search-input")).to_have_attribute("placeholder", re.compile("低保"))
    expect(page.get_by_test_id("category-link").filter(has_text="民政")).to_be_visible()
    assert page.get_by_test_id("category-link").count() >= 10
    shoot(page, "portal-home.png")


def test_portal_home_care(open_as):
    page = open_as("zhangsan")
    page.goto("/")
    page.get_by_test_id("care-toggle").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\bcare\b"))
    expect(page.get_by_test_id("care-toggle")).to_have_text("标准版")
    expect(page.locator(".hero h1")).to_have_text("您好，想办什么事？")
    shoot(page, "portal-home-care.png")


def test_portal_apply_with_inline_errors(open_as):
    page = open_as("zhangsan")
    page.goto(f"/services/{DIBAO_CODE}/apply/")
    for name in ("applicant_name", "phone", "address", "reason"):
        page.get_by_test_id(f"input-{name}").fill(DIBAO_FORM[name])
    page.get_by_test_id("input-id_number").fill(ZHANGSAN_ID_BAD_CHECK_DIGIT)
    page.get_by_test_id("input-monthly_income_fen").fill("0.00")
    page.get_by_test_id("submit").click()
    expect(page.locator("h1.page-title")).to_have_text("最低生活保障申请")
    expect(page.get_by_test_id("form-error")).to_be_visible()
    expect(page.get_by_test_id("error-id_number")).to_contain_text("公民身份号码无效")
    expect(page.get_by_test_id("error-household_size")).to_be_visible()
    shoot(page, "portal-apply.png", down_to=page.get_by_test_id("field-household_size"))


def test_portal_case_timeline(open_as, decided_case):
    page = open_as("zhangsan")
    page.goto(f"/me/cases/{decided_case['id']}/")
    expect(page.get_by_test_id("case-status")).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("case-result")).to_have_text("准予")
    expect(page.get_by_test_id("case-number")).to_have_text(decided_case["number"])
    expect(page.get_by_test_id("timeline-entry")).to_have_count(4)  # 提交 + three decisions
    expect(page.get_by_test_id("rating-form")).to_be_visible()
    shoot(page, "portal-case.png", down_to=page.get_by_test_id("timeline"))


def test_workbench_inbox(open_as, decided_case, api):
    waiting = api("zhangsan").submit_dibao(household_size=3, monthly_income_fen=120000)
    page = open_as("mz.shouli", device="desk")
    page.goto("/workbench/")
    expect(page.locator("h1")).to_have_text("待办事项")
    expect(page.get_by_test_id("official-department")).to_contain_text("民政局")
    row = page.locator(f"[data-testid=task-row][data-application-id='{waiting['id']}']")
    expect(row).to_contain_text(waiting["number"])
    expect(row.get_by_test_id("task-status")).to_have_text("已提交")
    shoot(page, "workbench-inbox.png")


def test_workbench_task_with_action_panel(open_as, api):
    case = api("zhangsan").submit_dibao()
    api("mz.shouli").complete(case["id"], comment="材料齐全，予以受理。")
    api("mz.shenhe").complete(case["id"], comment="已入户核查，家庭情况属实。")
    task = api("mz.shenpi").open_task(case["id"])
    page = open_as("mz.shenpi", device="desk")
    page.goto(f"/workbench/tasks/{task['id']}/")
    expect(page.get_by_test_id("case-number")).to_have_text(case["number"])
    expect(page.get_by_test_id("action-panel").locator("h2")).to_have_text("办理 · 审批")
    page.get_by_test_id("action-approve-button").click()
    expect(page.get_by_test_id("confirm-approve")).to_be_visible()
    page.get_by_test_id("comment-approve").fill("符合最低生活保障条件，准予。")
    expect(page.get_by_test_id("history-item")).to_have_count(3)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "workbench-task.png")
