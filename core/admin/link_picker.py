"""The rich-text editor's link picker: search our items by title, for staff only.

``GET /admin/rich-text/link-targets/?q=paris`` answers
``{"results": [{"ref": "events.event:3", "type": "event", "label": "...", "state": "Published",
"published": true, "url": "/events/..."}]}``. The editor stores the ``ref``; the URL is only
shown to help the editor choose. Each type is searched only if the user may view it in the
admin, and drafts are listed (an editor may link to an item before it goes live: the link
shows as text until it does).
"""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from core.references import Ref, item_title, linkable_models, title_field, with_parents

RESULTS_PER_TYPE = 8
MAX_QUERY = 100


@require_GET
@staff_member_required
def link_targets(request: HttpRequest) -> JsonResponse:
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY]
    results = []
    if len(query) >= 2:
        for model in linkable_models():
            opts = model._meta
            name = title_field(model)
            if name is None or not request.user.has_perm(
                f"{opts.app_label}.view_{opts.model_name}"
            ):
                continue
            queryset = with_parents(model._default_manager.filter(**{f"{name}__icontains": query}))
            for obj in queryset.order_by(name)[:RESULTS_PER_TYPE]:
                results.append(
                    {
                        "ref": str(Ref.to(obj)),
                        "type": str(opts.verbose_name),
                        "label": item_title(obj),
                        "state": obj.get_status_display(),
                        "published": obj.is_published,
                        "url": obj.get_absolute_url(),
                    }
                )
    return JsonResponse({"results": results})
