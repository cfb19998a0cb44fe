"""What every publishable changelist shows and filters by: state, schedule, live now."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from core import publishing
from core.publishing import Status

#: Columns every publishable changelist ends with.
PUBLISHING_COLUMNS = ("status", "schedule", "is_live")


class ScheduleFilter(admin.SimpleListFilter):
    title = "schedule"
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return [
            ("live", "Live now"),
            ("scheduled", "Scheduled"),
            ("expired", "Expired"),
            ("not_public", "Not public"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = Q(status=Status.PUBLISHED)
        if self.value() == "live":
            return queryset.filter(publishing.published_q(at=now))
        if self.value() == "scheduled":
            return queryset.filter(published, publish_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(published, unpublish_at__lte=now)
        if self.value() == "not_public":
            return queryset.exclude(publishing.published_q(at=now))
        return queryset


#: Filters every publishable changelist offers.

#: Filters every publishable changelist offers.
PUBLISHING_FILTERS = ("status", ScheduleFilter, "publish_at")
