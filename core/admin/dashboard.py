"""The editorial dashboard: awaiting review, scheduled, recently published, my drafts, and the
open review comments that concern me.

It lists the content types registered in ``core.registry``, under their dashboard labels.
"Recently published" is the latest items that went live, however long ago.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from core import registry, workflow
from core.admin.publishable import PublishableAdmin
from core.comments import Comment
from core.publishing import Status

DASHBOARD_LIMIT = 10


def editorial_dashboard(request, admin_site=admin.site) -> dict[str, list[dict]]:
    """Awaiting review, scheduled, recently published, my drafts and my open comments.

    Two queries per publishable model, however much content there is (one for what is
    waiting, one for the latest published), and one for the comments: "my drafts" reads the
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
    columns: dict[str, list[dict]] = {"review": [], "scheduled": [], "recent": [], "drafts": []}
    for model in publishable:
        wanted = (
            Q(status=Status.REVIEW)
            | Q(status=Status.PUBLISHED, publish_at__gt=now)
            | Q(status__in=workflow.AUTHOR_EDITABLE_STATES, created_by=user)
        )
        # Enough rows of each model for every column, newest first.
        rows = list(
            model._default_manager.filter(wanted).order_by("-updated_at")[: DASHBOARD_LIMIT * 3]
        )
        live = model._default_manager.filter(status=Status.PUBLISHED, publish_at__lte=now)
        rows += live.order_by("-publish_at")[:DASHBOARD_LIMIT]
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
    result = {name: entries[:DASHBOARD_LIMIT] for name, entries in columns.items()}
    result["comments"] = open_comments_for(user, labels, admin_site=admin_site)
    return result


def open_comments_for(user, labels: dict, *, admin_site=admin.site) -> list[dict]:
    """The open comment threads on items that ``user`` owns, wrote or took part in.

    ``labels`` maps the models the user may see to their dashboard labels.

    One query for the threads (items the user owns are matched by a subquery per type inside
    it), one per content type of the items they are on.
    """
    types = ContentType.objects.get_for_models(*labels)
    mine = Q(author=user) | Q(replies__author=user)
    for model, content_type in types.items():
        owned = (
            model._default_manager.filter(created_by=user)
            .annotate(ref=Cast("pk", output_field=CharField()))
            .values("ref")
        )
        mine |= Q(content_type=content_type, object_id__in=owned)
    threads = list(
        Comment.objects.threads()
        .open()
        .filter(content_type__in=types.values())
        .filter(mine)
        .distinct()
        .select_related("author", "content_type")
        .prefetch_related("item")
        .order_by("-created_at")[:DASHBOARD_LIMIT]
    )
    entries = []
    for thread in threads:
        item = thread.item
        if item is None:
            continue
        opts = item._meta
        entries.append(
            {
                "comment": thread,
                "item": item,
                "type": labels.get(type(item), opts.verbose_name),
                "url": reverse(
                    f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=(quote(item.pk),),
                )
                + f"#comment-{thread.pk}",
            }
        )
    return entries
