"""What every public page shares: pagination and rendering (previews are never cached).

Used by the page views of all three apps.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .publishing import can_preview

PAGE_SIZE = 20
RELATED_LIMIT = 20


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def render_page(
    request: HttpRequest, template: str, context: dict, *, obj: Model | None = None
) -> HttpResponse:
    """Render a public page. A page seen in preview (it may show drafts) is never cached."""
    preview = obj is not None and can_preview(request.user, type(obj))
    context = {
        **context,
        "preview": preview,
        "not_public": obj is not None and not obj.is_published,
    }
    response = render(request, template, context)
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    return response
