"""The citizen's journey on a phone: search 低保, read the guide, apply (with mistakes first), track the case.

Also the same key pages in 关怀版 (care mode) and with the English switch.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.helpers import (
    CASE_NUMBER,
    DIBAO_CODE,
    DIBAO_FORM,
    DIBAO_NAME,
    ZHANGSAN_ID,
    ZHANGSAN_ID_BAD_CHECK_DIGIT,
    root_font_px,
)

CASE_URL = re.compile(r"/me/cases/(\d+)/$")


def _find_dibao(page) -> None:
    """Home → search box → 低保 → the 最低生活保障申请 guide → 在线办理."""
    page.goto("/")
    page.get_by_test_id("search-input").fill("低保")
    page.get_by_test_id("search-submit").click()
    hit = page.get_by_test_id("result-link").filter(has_text=DIBAO_NAME)
    expect(hit).to_be_visible()
    expect(hit).to_have_attribute("data-code", DIBAO_CODE)
    hit.click()
    expect(page.get_by_test_id("guide-title")).to_have_text(DIBAO_NAME)
    expect(page.get_by_test_id("guide-materials")).to_contain_text("家庭经济状况核对授权书")
    page.get_by_test_id("apply-button").click()
    expect(page).to_have_url(re.compile(rf"/services/{DIBAO_CODE}/apply/$"))


def _fill(page, form: dict, skip: tuple[str, ...] = ()) -> None:
    for name, value in form.items():
        if name in skip:
            continue
        if name == "monthly_income_fen":
            value = f"{value / 100:.2f}"  # the money widget takes yuan
        page.get_by_test_id(f"input-{name}").fill(str(value))


def _submit_with_mistakes_then_fix(page) -> str:
    """Returns the case id. Asserts the inline errors and that typed values survive the round trip."""
    _fill(page, DIBAO_FORM | {"id_number": ZHANGSAN_ID_BAD_CHECK_DIGIT}, skip=("household_size",))
    page.get_by_test_id("submit").click()

    expect(page.get_by_test_id("form-error")).to_be_visible()
    expect(page.get_by_test_id("error-id_number")).to_contain_text("公民身份号码无效")
    expect(page.get_by_test_id("error-household_size")).to_have_text("请填写此项")
    expect(page.get_by_test_id("input-id_number")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("input-household_size")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error")).to_have_count(2)  # nothing else is flagged
    # what the citizen typed is still there, the wrong ID number included (so it can be corrected)
    expect(page.get_by_test_id("input-id_number")).to_have_value(ZHANGSAN_ID_BAD_CHECK_DIGIT)
    expect(page.get_by_test_id("input-applicant_name")).to_have_value(DIBAO_FORM["applicant_name"])
    expect(page.get_by_test_id("input-phone")).to_have_value(DIBAO_FORM["phone"])
    expect(page.get_by_test_id("input-address")).to_have_value(DIBAO_FORM["address"])
    expect(page.get_by_test_id("input-reason")).to_have_value(DIBAO_FORM["reason"])
    expect(page.get_by_test_id("input-household_size")).to_have_value("")

    page.get_by_test_id("input-id_number").fill(ZHANGSAN_ID)
    page.get_by_test_id("input-household_size").fill(str(DIBAO_FORM["household_size"]))
    page.get_by_test_id("submit").click()
    expect(page).to_have_url(CASE_URL)
    return CASE_URL.search(page.url).group(1)


def test_zhangsan_finds_dibao_applies_and_tracks_the_case_on_a_phone(phone):
    sign_in(phone, "zhangsan")
    expect(phone.get_by_test_id("logout")).to_be_attached()
    _find_dibao(phone)
    case_id = _submit_with_mistakes_then_fix(phone)

    status = phone.get_by_test_id("case-status")
    expect(status).to_have_attribute("data-status", "submitted")
    expect(status).to_have_text("已提交")
    number = phone.get_by_test_id("case-number").inner_text().strip()
    assert CASE_NUMBER.match(number), number
    expect(phone.get_by_test_id("flash")).to_contain_text(number)
    expect(phone.get_by_test_id("timeline-entry").first).to_have_attribute("data-action", "submit")
    # the case page masks the ID number it shows
    expect(phone.get_by_test_id("case-form")).not_to_contain_text(ZHANGSAN_ID)

    phone.get_by_test_id("nav-cases").click()
    expect(phone).to_have_url(re.compile(r"/me/cases/$"))
    mine = phone.locator(f"[data-testid=case-link][data-id='{case_id}']")
    expect(mine).to_contain_text(number)
    expect(mine.get_by_test_id("case-status")).to_have_attribute("data-status", "submitted")
    expect(mine.get_by_test_id("case-status")).to_have_text("已提交")


def _assert_care(page, normal_px: float) -> None:
    expect(page.locator("body")).to_have_class(re.compile(r"\bcare\b"))
    expect(page.get_by_test_id("care-toggle")).to_have_attribute("aria-pressed", "true")
    care_px = root_font_px(page)
    assert care_px >= 1.5 * normal_px, f"关怀版 root font-size {care_px}px < 1.5 × {normal_px}px on {page.url}"


def test_care_mode_the_same_flow_in_big_text(open_as):
    page = open_as("zhangsan")
    page.goto("/")
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bcare\b"))
    normal_px = root_font_px(page)
    assert normal_px >= 14, normal_px
    toggle = page.get_by_test_id("care-toggle")
    expect(toggle).to_have_text("关怀版")
    toggle.click()
    expect(page.get_by_test_id("care-toggle")).to_have_text("标准版")
    _assert_care(page, normal_px)

    _find_dibao(page)  # search → guide → apply, the care cookie holds on every page
    _assert_care(page, normal_px)
    case_id = _submit_with_mistakes_then_fix(page)
    _assert_care(page, normal_px)
    expect(page.get_by_test_id("case-status")).to_have_attribute("data-status", "submitted")

    page.get_by_test_id("nav-cases").click()
    _assert_care(page, normal_px)
    expect(page.locator(f"[data-testid=case-link][data-id='{case_id}']")).to_be_visible()

    page.get_by_test_id("care-toggle").click()  # back to 标准版
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bcare\b"))
    assert root_font_px(page) == normal_px


def test_english_switch_shows_english(open_as):
    page = open_as("zhangsan")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator(".hero h1")).to_have_text("您好，想办什么事？")
    page.get_by_test_id("lang-toggle").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".hero h1")).to_have_text("Hello, what do you need to do?")
    expect(page.get_by_test_id("nav-cases")).to_have_text("My cases")
    expect(page.get_by_test_id("care-toggle")).to_have_text("Care mode")
    page.goto(f"/services/{DIBAO_CODE}/")
    expect(page.get_by_test_id("apply-button")).to_have_text("Apply online")
    page.get_by_test_id("apply-button").click()
    expect(page.get_by_test_id("submit")).to_have_text("Submit")
    page.get_by_test_id("submit").click()  # empty form: the banner is in English too
    expect(page.get_by_test_id("form-error")).to_have_text("Some of the information is not valid")

    page.get_by_test_id("lang-toggle").click()  # and back
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("submit")).to_have_text("提交申请")


def test_english_field_errors_are_english(open_as):
    page = open_as("zhangsan")
    page.goto(f"/services/{DIBAO_CODE}/apply/")
    page.get_by_test_id("lang-toggle").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("input-id_number").fill(ZHANGSAN_ID_BAD_CHECK_DIGIT)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    no_chinese = re.compile(r"^[^\u4e00-\u9fff]+$")
    expect(page.get_by_test_id("error-id_number")).to_have_text(no_chinese)
    expect(page.get_by_test_id("error-household_size")).to_have_text(no_chinese)
    expect(page.get_by_test_id("error-id_number")).to_contain_text("check digit")


def test_another_citizen_cannot_open_the_case(open_as, api):
    case = api("zhangsan").submit_dibao()
    page = open_as("lisi")
    resp = page.goto(f"/me/cases/{case['id']}/")
    assert resp.status == 404, resp.status
    expect(page.get_by_test_id("not-found")).to_contain_text("页面不存在")
    expect(page.locator("body")).not_to_contain_text(case["number"])
    page.goto("/me/cases/")
    expect(page.get_by_test_id("case-list")).to_be_visible()
    expect(page.locator(f"[data-testid=case-link][data-id='{case['id']}']")).to_have_count(0)
    for action in ("withdraw", "evaluate", "supplement"):  # nor act on it
        csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        resp = page.request.post(f"/me/cases/{case['id']}/{action}/", form={"reason": "x", "satisfaction": "1"},
                                 headers={"X-CSRFToken": csrf}, max_redirects=0)
        assert resp.status == 404, (action, resp.status)
    assert api("zhangsan").get(f"/api/v1/applications/{case['id']}")["status"] == "submitted"
