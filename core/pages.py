"""What every public page shares: pagination, rendering (previews are never cached) and the
one detail view of publishable pages (``DetailPage``), used by the page views of all apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
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
        # The pending version of the item shown in its place (``render_pending``).
        "pending_preview": preview and getattr(request, "pending_change", None) is not None,
    }
    response = render(request, template, context)
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    return response


def render_pending(
    request: HttpRequest,
    obj: Model,
    render: Callable[[Model], HttpResponse],
    *,
    reload: Callable[[object], Model] | None = None,
) -> HttpResponse:
    """``render(obj)``, or, at ``?pending`` for those who may preview, the same page of the
    item's pending version (``core.pending``): rendered with the snapshot written over the
    live rows in a transaction that is then rolled back, so every query the page makes sees
    the pending version and nothing of it stays. ``reload(pk)`` loads the item again as the
    view does (by default, by its primary key). Never cached."""
    from core import pending

    change = pending.previewed(request, obj)
    if change is None:
        return render(obj)
    reload = reload or type(obj)._base_manager.get
    request.pending_change = change
    with pending.applied(change):
        response = render(reload(obj.pk))
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
    patch_cache_control(response, private=True, no_store=True)
    return response


@dataclass(frozen=True)
class Related:
    """A list of related items on a detail page, declared once: what the reader may see of
    ``items(obj)`` (the relation, ordered and loaded as the page needs), at most ``limit``."""

    name: str
    items: Callable[[Model], QuerySet]
    limit: int | None = None


class DetailPage:
    """The one detail view of publishable pages.

    It finds the item the reader may see (published, or previewed by staff; else 404), fills
    each declared ``Related`` list through ``.visible_to(user)``, adds the sections that later
    apps contribute through the registry, then ``more_context(request, obj, context)`` for what only
    this page computes (JSON-LD, citations, a programme), and renders with the preview rules
    of ``render_page``. A view declares what it shows; visibility is decided here alone.

    ``render(request, obj)`` renders an item already in hand (``core.previews`` renders an
    unsaved form that way); ``DetailPage.of(model)`` finds a model's detail view.
    """

    _by_model: ClassVar[dict[type[Model], DetailPage]] = {}

    def __init__(
        self,
        model: type[Model],
        template: str,
        *,
        name: str,
        lookups: dict[str, str] | None = None,
        queryset: Callable[[object], QuerySet] | None = None,
        related: tuple[Related, ...] = (),
        more_context: Callable[[HttpRequest, Model, dict], dict] | None = None,
    ):
        self.model = model
        self.template = template
        self.name = name
        #: The URL's keyword arguments by the lookup they stand for (default: the slug).
        self.lookups = lookups or {"slug": "slug"}
        self.queryset = queryset or (lambda user: model._default_manager.visible_to(user))
        self.related = related
        self.more_context = more_context
        DetailPage._by_model[model] = self

    @classmethod
    def of(cls, model: type[Model]) -> DetailPage | None:
        """The detail view of ``model``'s items (once the URLconf that uses it is loaded)."""
        return cls._by_model.get(model._meta.concrete_model)

    def __call__(self, request: HttpRequest, **kwargs) -> HttpResponse:
        obj = get_object_or_404(
            self.queryset(request.user),
            **{lookup: kwargs[arg] for lookup, arg in self.lookups.items()},
        )
        return render_pending(
            request,
            obj,
            lambda item: self.render(request, item),
            reload=lambda pk: self.queryset(request.user).get(pk=pk),
        )

    def render(self, request: HttpRequest, obj: Model) -> HttpResponse:
        """The page of ``obj``, with the related lists and sections ``request.user`` may see."""
        from core import registry

        user = request.user
        context: dict = {self.name: obj}
        for related in self.related:
            items = related.items(obj).visible_to(user)
            context[related.name] = list(items[: related.limit] if related.limit else items)
        context["sections"] = registry.related_sections(obj, user)
        if self.more_context is not None:
            context.update(self.more_context(request, obj, context))
        return render_page(request, self.template, context, obj=obj)
