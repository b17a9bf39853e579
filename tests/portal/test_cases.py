"""Applying and following a case: the schema form, inline errors, drafts, my cases, access control, login."""

from __future__ import annotations

import pytest

from tests.portal.conftest import DIBAO, dibao_form, sign_in
from tongban.cases.models import Application, Status

pytestmark = pytest.mark.django_db
APPLY = f"/services/{DIBAO}/apply/"


def test_apply_requires_login(web):
    response = web.get(APPLY)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_apply_form_renders_fields_from_the_schema(zhangsan):
    html = zhangsan.get(APPLY).content.decode()
    for name in ("applicant_name", "id_number", "phone", "household_size", "monthly_income_fen", "address",
                 "reason"):
        assert f'data-testid="field-{name}"' in html, name
    assert "<textarea" in html  # reason uses the textarea widget
    assert 'type="tel"' in html
    assert 'data-testid="save-draft"' in html


def test_bad_form_shows_inline_errors_and_keeps_values(zhangsan):
    before = Application.objects.count()
    response = zhangsan.post(APPLY, dibao_form(f_household_size="三口人", f_phone="123", f_address=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-household_size"' in html
    assert "请输入整数" in html
    assert 'data-testid="error-phone"' in html  # the service's verdict on fields that did convert
    assert 'data-testid="error-address"' in html
    assert 'value="三口人"' in html
    assert 'value="张三"' in html
    assert Application.objects.count() == before


def test_service_validation_errors_render_next_to_fields(zhangsan):
    response = zhangsan.post(APPLY, dibao_form(f_id_number="500103198503121235"))  # wrong check digit
    html = response.content.decode()
    assert 'data-testid="error-id_number"' in html
    assert 'value="500103198503121235"' in html


def test_apply_success_redirects_to_the_case_page(zhangsan):
    response = zhangsan.post(APPLY, dibao_form())
    assert response.status_code == 302
    app = Application.objects.filter(applicant__username="zhangsan").latest("id")
    assert response["Location"] == f"/me/cases/{app.pk}/"
    assert app.form["household_size"] == 3
    assert app.form["monthly_income_fen"] == 120050  # 1200.50 元 entered, 分 stored
    html = zhangsan.get(response["Location"]).content.decode()
    assert app.number in html
    assert 'data-testid="case-status"' in html
    assert "已提交" in html
    assert 'data-testid="timeline-entry"' in html
    assert 'data-testid="withdraw"' in html
    assert app.number in zhangsan.get("/me/cases/").content.decode()


def test_save_draft_keeps_a_half_filled_form(zhangsan):
    response = zhangsan.post(APPLY, {"action": "draft", "f_applicant_name": "张三", "f_household_size": "2"})
    assert response.status_code == 302
    draft = Application.objects.filter(applicant__username="zhangsan", status=Status.DRAFT).latest("id")
    assert response["Location"] == f"{APPLY}?draft={draft.pk}"
    html = zhangsan.get(response["Location"]).content.decode()
    assert 'value="张三"' in html
    assert f'name="draft_id" value="{draft.pk}"' in html
    zhangsan.post(APPLY, {**dibao_form(), "draft_id": str(draft.pk)})
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_withdraw_from_the_case_page(zhangsan):
    zhangsan.post(APPLY, dibao_form())
    app = Application.objects.filter(applicant__username="zhangsan").latest("id")
    response = zhangsan.post(f"/me/cases/{app.pk}/withdraw/", {"reason": "不需要了"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN


def test_citizen_cannot_open_anothers_case(zhangsan, lisi):
    zhangsan.post(APPLY, dibao_form())
    app = Application.objects.filter(applicant__username="zhangsan").latest("id")
    assert lisi.get(f"/me/cases/{app.pk}/").status_code == 404
    assert lisi.post(f"/me/cases/{app.pk}/withdraw/").status_code == 404
    assert app.number not in lisi.get("/me/cases/").content.decode()


def test_me_pages_require_login(web):
    for url in ("/me/cases/", "/me/cases/1/", "/me/messages/"):
        response = web.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next="), url


def test_login_wrong_password_is_a_readable_error(web):
    response = web.post("/login/", {"username": "zhangsan", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="login-error"' in html
    assert "用户名或密码错误" in html
    unknown = web.post("/login/", {"username": "nobody", "password": "wrong"}).content.decode()
    assert "用户名或密码错误" in unknown  # same words: no hint whether the account exists


def test_login_respects_next_and_sends_officials_to_the_workbench(web):
    response = web.post("/login/", {"username": "zhangsan", "password": "Tongban@2026", "next": "/me/messages/"})
    assert response["Location"] == "/me/messages/"
    official = sign_in("mz.shouli")
    official.post("/logout/")
    response = official.post("/login/", {"username": "mz.shouli", "password": "Tongban@2026"})
    assert response["Location"] == "/workbench/"
    evil = web.post("/login/", {"username": "zhangsan", "password": "Tongban@2026", "next": "//evil.example/"})
    assert evil["Location"] == "/me/cases/"


def test_logout_is_post_only(zhangsan):
    assert zhangsan.get("/logout/").status_code == 405
    assert zhangsan.post("/logout/").status_code == 302
    assert zhangsan.get("/me/cases/").status_code == 302


def test_messages_inbox_lists_case_notices(zhangsan):
    zhangsan.post(APPLY, dibao_form())
    response = zhangsan.get("/me/messages/")
    assert response.status_code == 200


def test_apply_form_is_prefilled_from_the_real_name_account(zhangsan):
    html = zhangsan.get(APPLY).content.decode()
    assert 'data-testid="prefill-note"' in html
    assert 'value="张三"' in html
    assert 'value="500103198503121234"' in html  # the applicant's own ID, shown to the applicant only
    assert 'value="13800000001"' in html
    assert 'name="f_household_size"' in html  # fields the account cannot know stay empty


def test_prefill_names_its_source_and_skips_unknown_fields(city, db):
    from tongban.accounts.models import User
    from tongban.cases.prefill import prefill
    from tongban.catalog.models import ServiceItem

    found = prefill(User.objects.get(username="zhangsan"), ServiceItem.objects.get(implementation_code=DIBAO))
    assert set(found) == {"applicant_name", "id_number", "phone"}
    assert found["id_number"].verified
    assert found["applicant_name"].source == "实名账户"
    enterprise = prefill(User.objects.get(username="qiye"),
                         ServiceItem.objects.filter(form_schema__properties__has_key="credit_code").first())
    assert enterprise["credit_code"].value.startswith("91500000")


def test_applicant_downloads_own_material_and_nobody_else_can(zhangsan, lisi):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tongban.accounts.models import User
    from tongban.audit.models import AuditEntry
    from tongban.cases import services

    user = User.objects.get(username="zhangsan")
    app = services.save_draft(user, service_code=DIBAO, form={"applicant_name": "张三"})
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    material = services.attach_material(user, app.pk, "m03", SimpleUploadedFile("授权书.pdf", pdf))
    url = f"/me/cases/{app.pk}/materials/{material.pk}/"
    response = zhangsan.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(action="cases.material.read", object_id=str(material.pk)).exists()
    assert lisi.get(url).status_code == 404
    assert zhangsan.get(f"/me/cases/{app.pk + 999}/materials/{material.pk}/").status_code == 404


def test_a_case_waiting_for_its_fee_says_so(zhangsan):
    from tongban.accounts.models import User
    from tongban.cases import services
    from tongban.catalog.models import ServiceItem

    item = ServiceItem.objects.get(name="居民身份证换领")
    user = User.objects.get(username="zhangsan")
    form = {"applicant_name": "张三", "id_number": "500103198503121234", "phone": "13800000001"}
    schema = item.form_schema
    form = {k: v for k, v in form.items() if k in schema["properties"]}
    for name in schema.get("required", []):
        prop = schema["properties"][name]
        filler = 1 if prop.get("type") == "integer" else "到期换领"
        form.setdefault(name, prop["enum"][0] if "enum" in prop else filler)
    app = services.submit(user, service_code=item.code, form=form)
    for username in ("gaj.shouli", "gaj.shenhe"):
        official = User.objects.get(username=username)
        services.act(official, app.tasks.get(state="open").pk, "approve")
    app.refresh_from_db()
    assert app.waiting_external == "fee"
    html = zhangsan.get(f"/me/cases/{app.pk}/").content.decode()
    assert 'data-testid="case-fee"' in html
    assert "¥20.00" in html
