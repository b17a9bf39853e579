from django.contrib import admin

from tongban.files.models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "owner", "content_type", "size", "created_at")
    list_filter = ("content_type",)
    search_fields = ("original_name", "sha256")
    raw_id_fields = ("owner",)
    readonly_fields = ("id", "owner", "original_name", "content_type", "size", "sha256", "path", "created_at")

    def has_add_permission(self, request):  # uploads go through files.services, which checks them
        return False

    def has_change_permission(self, request, obj=None):
        return False
