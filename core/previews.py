"""Rendering an item that is not (or not yet) what the database holds, through its public page.

The admin's live preview (``core.admin.preview``) shows the public page of an unsaved form:
the form and its inline rows are saved inside ``rolled_back()``, the item's page is rendered
there by ``render_item`` (the same ``DetailPage`` view, template and context as at its public
address, so it looks exactly like the page), and the transaction is then undone. Anything else
that shows an item as it would be (a stored version, pending changes) renders it the same way.

While ``rolled_back()`` runs, the effects of saving that live outside the database are skipped
(``active()`` is true): the page cache keeps its version, partners' webhooks are not queued and
image renditions stay on disk, since none of those writes is undone with the transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import get_resolver

_active: ContextVar[bool] = ContextVar("previewing", default=False)


def active() -> bool:
    """True inside ``rolled_back()``: what is being saved is a preview and will be undone."""
    return _active.get()


@contextmanager
def undone() -> Iterator[None]:
    """``active()`` is true in the block: its writes are rolled back by the caller's own
    transaction (a pending change taken from a saved form, ``core.admin.pending``)."""
    token = _active.set(True)
    try:
        yield
    finally:
        _active.reset(token)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a transaction that is always rolled back, with ``active()`` true."""
    with undone(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def has_page(model: type[models.Model]) -> bool:
    """Whether items of ``model`` have a public page that can be previewed."""
    return _detail_page(model) is not None


def _detail_page(model: type[models.Model]):
    from core import registry
    from core.pages import DetailPage

    content_type = registry.get(model)
    if content_type is None or content_type.page is None:
        return None
    page = DetailPage.of(model)
    if page is None:
        # The page views are built when the URLconf is first loaded.
        get_resolver().url_patterns  # noqa: B018
        page = DetailPage.of(model)
    return page


def render_item(request: HttpRequest, item: models.Model) -> HttpResponse:
    """The public page of ``item`` as it is in memory (and in the current transaction),
    rendered by its type's detail view for ``request.user``; never cached.

    Raises ``LookupError`` for a type without a public page.
    """
    page = _detail_page(type(item))
    if page is None:
        raise LookupError(f"{item._meta.label} has no public page.")
    return page.render(request, item)
