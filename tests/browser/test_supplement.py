"""补正: an official returns the case naming what is missing; the citizen sees it, supplements, and it goes back."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import PDF_BYTES

MISSING_MATERIAL = "家庭经济状况核对授权书"  # material m03 of the 低保 item
MISSING_OTHER = "近六个月家庭成员收入证明"


def _row(page, application_id: int):
    return page.locator(f"[data-testid=task-row][data-application-id='{application_id}']")


def test_return_for_supplement_and_supplement(open_as, api):
    case = api("zhangsan").submit_dibao()
    app_id = case["id"]

    # 受理 returns the case for 补正, naming one material and one free-text item
    official = open_as("mz.shouli", device="desk")
    official.goto("/workbench/")
    row = _row(official, app_id)
    task_id = row.get_attribute("data-task-id")
    row.get_by_test_id("task-link").click()
    official.get_by_test_id("action-return-button").click()
    official.get_by_test_id("missing-m03").check()
    official.get_by_test_id("missing-other").fill(MISSING_OTHER)
    official.get_by_test_id("comment-return").fill("授权书需全体家庭成员签字。")
    official.get_by_test_id("confirm-return").click()
    expect(official.get_by_test_id("banner-success")).to_have_text("已退回申请人补正。")
    # the 受理 task waits (still listed, marked 待补正); no decision can be taken before the citizen answers
    row = _row(official, app_id)
    expect(row.get_by_test_id("task-status")).to_have_text("待补正")
    row.get_by_test_id("task-link").click()
    expect(official.get_by_test_id("case-status")).to_have_attribute("data-status", "supplement_required")
    expect(official.get_by_test_id("case-missing")).to_contain_text(MISSING_MATERIAL)
    expect(official.get_by_test_id("case-missing")).to_contain_text(MISSING_OTHER)
    expect(official.get_by_test_id("task-waiting")).to_contain_text("待补正")
    expect(official.get_by_test_id("action-panel")).to_have_count(0)

    # the citizen sees 待补正 and exactly what is missing
    citizen = open_as("zhangsan")
    citizen.goto("/me/cases/")
    link = citizen.locator(f"[data-testid=case-link][data-id='{app_id}']")
    expect(link.get_by_test_id("case-status")).to_have_text("待补正")
    link.click()
    status = citizen.get_by_test_id("case-status")
    expect(status).to_have_attribute("data-status", "supplement_required")
    expect(status).to_have_text("待补正")
    missing = citizen.get_by_test_id("supplement-missing")
    expect(missing.locator("li")).to_have_text([MISSING_MATERIAL, MISSING_OTHER])
    expect(missing).to_contain_text("授权书需全体家庭成员签字。")
    expect(citizen.get_by_test_id("material-m03")).to_contain_text("需补正")

    # supplements the material with a note
    citizen.get_by_test_id("upload-m03").set_input_files(
        {"name": "授权书.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES})
    citizen.get_by_test_id("supplement-note").fill("已上传全体家庭成员签字的授权书，收入证明见附件说明。")
    citizen.get_by_test_id("supplement-submit").click()
    expect(citizen.get_by_test_id("supplement-section")).to_have_count(0)
    # returned at 受理, so it goes back to 已提交 for the same official
    expect(citizen.get_by_test_id("case-status")).to_have_attribute("data-status", "submitted")
    expect(citizen.get_by_test_id("case-status")).to_have_text("已提交")
    expect(citizen.get_by_test_id("case-materials")).to_contain_text("授权书.pdf")
    expect(citizen.get_by_test_id("timeline-entry").first).to_contain_text("已上传全体家庭成员签字的授权书")

    # and the case is back in the official's 待办, with the new material attached
    official.goto("/workbench/")
    row = _row(official, app_id)
    expect(row).to_contain_text("受理")
    expect(row.get_by_test_id("task-status")).to_have_text("已提交")
    assert row.get_attribute("data-task-id") == task_id  # the same 受理 task, open again
    row.get_by_test_id("task-link").click()
    expect(official.get_by_test_id("action-panel")).to_be_visible()
    expect(official.get_by_test_id("material-m03").get_by_test_id("material-download")).to_have_text("授权书.pdf")
    expect(official.get_by_test_id("history-item").filter(has_text="已上传全体家庭成员签字的授权书")).to_have_count(1)
