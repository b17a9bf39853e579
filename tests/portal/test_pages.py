"""Finding a service: home, search (full page and htmx partial), category, guide, help, 404, language, care mode."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.portal.conftest import DIBAO

pytestmark = pytest.mark.django_db


def test_home_shows_categories_bundles_and_search(web):
    html = web.get("/").content.decode()
    assert 'data-testid="search-input"' in html
    assert html.count('data-testid="category-link"') >= 11
    assert "民政" in html
    assert "一件事一次办" in html
    assert "出生一件事" in html
    assert 'class="care"' not in html


def test_search_dibao_finds_minimum_living_allowance(web):
    response = web.get("/search?q=" + quote("低保"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "最低生活保障申请" in html
    assert f'href="/services/{DIBAO}/"' in html


def test_search_htmx_returns_only_the_results_partial(web):
    response = web.get("/search?q=" + quote("驾照"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="search-results"' in html
    assert "机动车驾驶证" in html


def test_search_without_match_says_so(web):
    html = web.get("/search?q=" + quote("火星移民")).content.decode()
    assert 'data-testid="no-results"' in html


def test_search_escapes_the_query(web):
    html = web.get("/search?q=" + quote("<script>alert(1)</script>")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_category_lists_its_items(web):
    html = web.get("/category/minzheng/").content.decode()
    assert "最低生活保障申请" in html
    assert web.get("/category/no-such/").status_code == 404


def test_guide_page_has_the_guide_sections(web):
    response = web.get(f"/services/{DIBAO}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("受理条件", "申请材料", "家庭经济状况核对授权书", "承诺时限", "20", "承诺件", "不收费",
                 "常见问题", "023-63898000", "办理地点", "在线办理"):
        assert text in html, text
    assert f'href="/services/{DIBAO}/apply/"' in html


def test_unknown_service_is_a_friendly_404(web):
    response = web.get("/services/NOPE/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_care_mode_cookie_toggles_the_body_class(web):
    response = web.post("/prefs/care/", {"care": "1", "next": "/search"})
    assert response.status_code == 302
    assert response["Location"] == "/search"
    assert response.cookies["tongban_care"].value == "1"
    assert 'class="care"' in web.get("/").content.decode()
    web.post("/prefs/care/", {"care": "0", "next": "/"})
    assert 'class="care"' not in web.get("/").content.decode()


def test_care_toggle_refuses_offsite_redirects(web):
    response = web.post("/prefs/care/", {"care": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_english_switch_renders_english(web):
    response = web.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = web.get("/").content.decode()
    assert "Service categories" in html
    assert 'lang="en"' in html
    assert "搜索办事服务" not in html
    web.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "服务分类" in web.get("/").content.decode()


def test_chinese_is_the_default_even_for_english_browsers(web, settings):
    settings.MIDDLEWARE = [m.replace("django.middleware.locale.LocaleMiddleware",
                                     "tongban.portal.middleware.CookieLocaleMiddleware") for m in settings.MIDDLEWARE]
    html = web.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "服务分类" in html


def test_help_centre_renders_markdown_safely(web):
    index = web.get("/help/").content.decode()
    assert 'data-testid="help-link"' in index
    page = web.get("/help/apply/").content.decode()
    assert "<h1>" in page
    assert web.get("/help/../settings/").status_code == 404
    assert web.get("/help/nope/").status_code == 404
