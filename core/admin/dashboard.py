"""The editorial dashboard: awaiting review, scheduled, recently published and my drafts.

It lists the content types registered in ``core.registry``, under their dashboard labels.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core import registry, workflow
from core.admin.publishable import PublishableAdmin
from core.publishing import Status

DASHBOARD_LIMIT = 10
RECENT_DAYS = 30


def editorial_dashboard(request, admin_site=admin.site) -> dict[str, list[dict]]:
    """Awaiting review, scheduled, recently published and my drafts, across all content.

    One query per publishable model, however much content there is: "my drafts" reads the
    items' ``created_by``.
    """
    user = request.user
    # Every registered content type (core.registry) the user may see in this admin.
    labels = {
        content_type.model: content_type.dashboard_label
        for content_type in registry.types()
        if isinstance(admin_site._registry.get(content_type.model), PublishableAdmin)
        and admin_site._registry[content_type.model].has_view_permission(request)
    }
    publishable = list(labels)
    if not publishable:
        return {}
    now = timezone.now()
    since = now - timedelta(days=RECENT_DAYS)
    columns: dict[str, list[dict]] = {"review": [], "scheduled": [], "recent": [], "drafts": []}
    for model in publishable:
        wanted = (
            Q(status=Status.REVIEW)
            | Q(status=Status.PUBLISHED, publish_at__gt=now)
            | Q(status=Status.PUBLISHED, publish_at__gte=since, publish_at__lte=now)
            | Q(status__in=workflow.AUTHOR_EDITABLE_STATES, created_by=user)
        )
        # Enough rows of each model for every column, newest first.
        rows = model._default_manager.filter(wanted).order_by("-updated_at")[: DASHBOARD_LIMIT * 4]
        opts = model._meta
        for item in rows:
            entry = {
                "item": item,
                "type": labels[model],
                "url": reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=(quote(item.pk),),
                ),
            }
            if item.status == Status.REVIEW:
                columns["review"].append({**entry, "when": item.updated_at})
            elif item.status == Status.PUBLISHED and item.publish_at > now:
                columns["scheduled"].append({**entry, "when": item.publish_at})
            elif item.status == Status.PUBLISHED:
                columns["recent"].append({**entry, "when": item.publish_at})
            else:
                columns["drafts"].append({**entry, "when": item.updated_at})
    columns["review"].sort(key=lambda e: e["when"])
    columns["scheduled"].sort(key=lambda e: e["when"])
    columns["recent"].sort(key=lambda e: e["when"], reverse=True)
    columns["drafts"].sort(key=lambda e: e["when"], reverse=True)
    return {name: entries[:DASHBOARD_LIMIT] for name, entries in columns.items()}
