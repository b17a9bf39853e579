from django.urls import path

from tongban.portal.views import apply, auth, cases, catalog, help, inbox, prefs

app_name = "portal"
urlpatterns = [
    path("", catalog.home, name="home"),
    path("search", catalog.search, name="search"),
    path("category/<slug:code>/", catalog.category, name="category"),
    path("services/<str:code>/", catalog.guide, name="guide"),
    path("services/<str:code>/apply/", apply.apply, name="apply"),
    path("bundles/<slug:code>/apply/", apply.bundle_apply, name="bundle_apply"),
    path("me/cases/", cases.my_cases, name="my_cases"),
    path("me/cases/<int:application_id>/", cases.detail, name="case_detail"),
    path("me/cases/<int:application_id>/materials/<int:material_id>/", cases.material, name="case_material"),
    path("me/cases/<int:application_id>/withdraw/", cases.withdraw, name="case_withdraw"),
    path("me/cases/<int:application_id>/supplement/", cases.supplement, name="case_supplement"),
    path("me/cases/<int:application_id>/evaluate/", cases.evaluate, name="case_evaluate"),
    path("me/messages/", inbox.inbox, name="messages"),
    path("me/messages/<int:message_id>/open/", inbox.open_message, name="message_open"),
    path("me/messages/read-all/", inbox.read_all, name="messages_read_all"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("prefs/care/", prefs.care, name="care"),
    path("help/", help.index, name="help"),
    path("help/<slug:slug>/", help.page, name="help_page"),
]
