from django.urls import path

from tongban.workbench.views import case, dashboard, inbox, messages, rectify

app_name = "workbench"
urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("tasks/<int:task_id>/", case.task_detail, name="task"),
    path("tasks/<int:task_id>/act/", case.task_act, name="act"),
    path("cases/<int:application_id>/", case.case_detail, name="case"),
    path("cases/<int:application_id>/comment/", case.case_comment, name="comment"),
    path("cases/<int:application_id>/suspend/", case.case_suspend, name="suspend"),
    path("materials/<int:material_id>/", case.material_download, name="material"),
    path("rectifications/", rectify.rectifications, name="rectifications"),
    path("rectifications/<int:rectification_id>/answer/", rectify.rectification_answer, name="rectification_answer"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("messages/", messages.inbox, name="messages"),
    path("messages/<int:message_id>/read/", messages.read, name="message_read"),
    path("messages/read-all/", messages.read_all, name="messages_read_all"),
]
