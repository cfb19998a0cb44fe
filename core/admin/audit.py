"""The audit log: the admin's own log, read-only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.models import LogEntry


class LogEntryAdmin(admin.ModelAdmin):
    """The admin log, read-only: who added, changed, published, archived or reverted what."""

    list_display = ("action_time", "user", "content_type", "object_link", "action", "message")
    list_filter = ("action_flag", "content_type", ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "change_message", "user__username")
    date_hierarchy = "action_time"
    list_select_related = ("user", "content_type")
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="action", ordering="action_flag")
    def action(self, obj: LogEntry) -> str:
        return obj.get_action_flag_display()

    @admin.display(description="object", ordering="object_repr")
    def object_link(self, obj: LogEntry) -> str:
        return obj.object_repr

    @admin.display(description="message")
    def message(self, obj: LogEntry) -> str:
        return obj.get_change_message()


admin.site.register(LogEntry, LogEntryAdmin)
