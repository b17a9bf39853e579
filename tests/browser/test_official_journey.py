"""The three 民政局 officials take zhangsan's 低保 case to 办结 in the workbench; the citizen follows and rates it.

The case is submitted through the API (as an external client would) with household_size 5, which sends it
through 审核 at the gateway: 受理 → 审核 → 审批.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DIBAO_NAME


def _row(page, application_id: int):
    return page.locator(f"[data-testid=task-row][data-application-id='{application_id}']")


def _approve_in_workbench(page, application_id: int, step: str, status_label: str, comment: str) -> int:
    """Open the inbox, find the case under 待办 at ``step``, open it and approve. Returns the task id."""
    page.goto("/workbench/")
    expect(page.get_by_test_id("tab-open")).to_have_attribute("aria-selected", "true")
    row = _row(page, application_id)
    expect(row).to_contain_text(step)
    expect(row.get_by_test_id("task-status")).to_have_text(status_label)
    expect(row.get_by_test_id("task-applicant")).to_have_text("张*")  # masked in lists
    task_id = int(row.get_attribute("data-task-id"))
    row.get_by_test_id("task-link").click()

    expect(page).to_have_url(f"/workbench/tasks/{task_id}/")
    panel = page.get_by_test_id("action-panel")
    expect(panel.locator("h2")).to_have_text(f"办理 · {step}")
    page.get_by_test_id("action-approve-button").click()
    page.get_by_test_id("comment-approve").fill(comment)
    page.get_by_test_id("confirm-approve").click()

    expect(page).to_have_url("/workbench/")
    expect(page.get_by_test_id("banner-success")).to_have_text("已通过本环节。")
    expect(_row(page, application_id)).to_have_count(0)  # gone from 待办
    page.get_by_test_id("tab-done").click()
    expect(page.get_by_test_id("tab-done")).to_have_attribute("aria-selected", "true")
    expect(_row(page, application_id)).to_contain_text(step)  # now under 已办
    return task_id


@pytest.fixture
def dibao_case(api) -> dict:
    """A fresh 低保 case of zhangsan's that goes through 审核 (household of 5, no income)."""
    return api("zhangsan").submit_dibao(household_size=5, monthly_income_fen=0)


def test_three_officials_take_the_case_to_completion_and_the_citizen_rates_it(open_as, dibao_case):
    app_id = dibao_case["id"]

    shouli = open_as("mz.shouli", device="desk")
    _approve_in_workbench(shouli, app_id, "受理", "已提交", "材料齐全，予以受理。")

    shenhe = open_as("mz.shenhe", device="desk")
    _approve_in_workbench(shenhe, app_id, "审核", "已受理", "已入户核查，情况属实。")

    shenpi = open_as("mz.shenpi", device="desk")
    shenpi.goto("/workbench/")
    # the history the approver reads shows both earlier steps before the decision
    _row(shenpi, app_id).get_by_test_id("task-link").click()
    history = shenpi.get_by_test_id("history-item")
    expect(history.filter(has_text="已入户核查，情况属实。")).to_have_count(1)
    expect(history.filter(has_text="材料齐全，予以受理。")).to_have_count(1)
    _approve_in_workbench(shenpi, app_id, "审批", "办理中", "符合低保条件，准予。")

    shenpi.goto(f"/workbench/cases/{app_id}/")
    status = shenpi.get_by_test_id("case-status")
    expect(status).to_have_attribute("data-status", "completed")
    expect(status).to_have_text("已办结 · 准予")

    # the citizen sees each step on the case timeline
    citizen = open_as("zhangsan")
    citizen.goto(f"/me/cases/{app_id}/")
    expect(citizen.get_by_test_id("case-status")).to_have_attribute("data-status", "completed")
    expect(citizen.get_by_test_id("case-status")).to_have_text("已办结")
    expect(citizen.get_by_test_id("case-result")).to_have_attribute("data-result", "approved")
    expect(citizen.get_by_test_id("case-outcome")).to_contain_text("准予")
    timeline = citizen.get_by_test_id("timeline")
    for comment in ("材料齐全，予以受理。", "已入户核查，情况属实。", "符合低保条件，准予。"):
        expect(timeline.get_by_test_id("timeline-entry").filter(has_text=comment)).to_have_count(1)
    actions = citizen.get_by_test_id("timeline-entry").evaluate_all("els => els.map(e => e.dataset.action)")
    assert actions[-1] == "submit", actions  # newest first
    assert actions.count("approve") == 3, actions

    # 好差评: rate 非常满意 once; the rating shows, and only a 追评 remains possible
    form = citizen.get_by_test_id("rating-form")
    expect(form).to_be_visible()
    form.locator("label").filter(has_text="非常满意").click()
    expect(citizen.get_by_test_id("rating-5")).to_be_checked()
    citizen.get_by_test_id("rating-comment").fill("办理很快，工作人员耐心。")
    citizen.get_by_test_id("rating-submit").click()
    rating = citizen.get_by_test_id("evaluation")
    expect(rating).to_have_count(1)
    expect(rating).to_have_attribute("data-level", "5")
    expect(rating).to_contain_text("非常满意")
    expect(rating).to_contain_text("办理很快，工作人员耐心。")
    expect(citizen.get_by_test_id("rating-submit")).to_have_text("提交追评")


def test_another_department_cannot_see_or_act_on_the_task(open_as, api, dibao_case):
    app_id = dibao_case["id"]
    task_id = api("mz.shouli").open_task(app_id)["id"]

    other = open_as("gaj.shouli", device="desk")
    other.goto("/workbench/")
    expect(other.get_by_test_id("official-department")).not_to_contain_text("民政局")
    expect(other.get_by_test_id("inbox-table")).to_be_visible()
    expect(_row(other, app_id)).to_have_count(0)
    for tab in ("open", "due_soon", "overdue", "done"):
        other.goto(f"/workbench/?tab={tab}")
        expect(other.get_by_test_id(f"tab-{tab}")).to_have_attribute("aria-selected", "true")
        expect(_row(other, app_id)).to_have_count(0)
    other.goto(f"/workbench/?q={dibao_case['number']}")
    expect(other.get_by_test_id("inbox-empty")).to_be_visible()

    for url in (f"/workbench/tasks/{task_id}/", f"/workbench/cases/{app_id}/"):
        resp = other.goto(url)
        assert resp.status == 404, (url, resp.status)
        expect(other.get_by_test_id("not-found")).to_contain_text("页面不存在")
        expect(other.locator("body")).not_to_contain_text(DIBAO_NAME)

    # acting by a forged POST is refused the same way, and the task stays open for 民政局
    csrf = next(c["value"] for c in other.context.cookies() if c["name"] == "csrftoken")
    resp = other.request.post(f"/workbench/tasks/{task_id}/act/", form={"action": "approve", "comment": "越权"},
                              headers={"X-CSRFToken": csrf}, max_redirects=0)
    assert resp.status == 404, resp.status
    assert api("mz.shouli").open_task(app_id)["id"] == task_id


def test_each_official_sees_only_the_step_of_their_role(open_as, api, dibao_case):
    """Separation of duties: 审核 and 审批 are different people; neither sees the other's open step."""
    app_id = dibao_case["id"]
    api("mz.shouli").complete(app_id, comment="受理")
    review_task = api("mz.shenhe").open_task(app_id)["id"]

    approver = open_as("mz.shenpi", device="desk")
    approver.goto("/workbench/")
    expect(approver.get_by_test_id("official-roles")).to_have_text("审批")
    expect(_row(approver, app_id)).to_have_count(0)  # still at 审核
    resp = approver.goto(f"/workbench/tasks/{review_task}/")
    assert resp.status == 404, resp.status

    api("mz.shenhe").complete(app_id, comment="审核通过")
    approve_task = api("mz.shenpi").open_task(app_id)["id"]
    reviewer = open_as("mz.shenhe", device="desk")
    reviewer.goto("/workbench/")
    expect(_row(reviewer, app_id)).to_have_count(0)
    # the reviewer can still read their own finished step, but has no action panel on it
    reviewer.goto(f"/workbench/tasks/{review_task}/")
    expect(reviewer.get_by_test_id("task-closed")).to_be_visible()
    expect(reviewer.get_by_test_id("action-panel")).to_have_count(0)
    resp = reviewer.goto(f"/workbench/tasks/{approve_task}/")
    assert resp.status == 404, resp.status
