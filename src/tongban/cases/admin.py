"""Read-only console views of cases: state changes go through the services (and the audit chain), never
through an admin form."""

from django.contrib import admin

from tongban.cases.models import Application, CaseEvent, Evaluation, Rectification, Task
from tongban.core.admin import ReadOnlyAdmin as ReadOnly


class EventInline(admin.TabularInline):
    model = CaseEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "comment", "visible_to_applicant")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TaskInline(admin.TabularInline):
    model = Task
    fields = ("name", "role", "region", "state", "due_date", "completed_by", "action", "completed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("number", "item", "status", "result", "department", "region", "submitted_at", "due_date",
                    "overdue_at")
    list_filter = ("status", "result", "department", "escalated")
    search_fields = ("number",)
    list_select_related = ("item", "department", "region")
    exclude = ("form", "workflow_state")  # personal data and engine state stay out of the console list
    inlines = (TaskInline, EventInline)


@admin.register(Task)
class TaskAdmin(ReadOnly):
    list_display = ("id", "application", "name", "department", "role", "region", "state", "due_date")
    list_filter = ("state", "role", "department")
    list_select_related = ("application", "department", "region")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly):
    list_display = ("application", "department", "item", "satisfaction", "channel", "is_followup", "created_at")
    list_filter = ("satisfaction", "department", "is_followup")
    list_select_related = ("application", "department", "item")


@admin.register(Rectification)
class RectificationAdmin(ReadOnly):
    list_display = ("evaluation", "department", "deadline", "state", "return_visit", "answered_at")
    list_filter = ("state", "department")
    list_select_related = ("evaluation", "department")
