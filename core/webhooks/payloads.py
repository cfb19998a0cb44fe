"""What a delivery says: built when it is sent, from the item's public API representation.

Content types are named as the API names them (``event``, ``session``, ``article``: the
registry's API basenames). An item that is no longer public when its delivery goes out is
sent as withdrawn, and a withdrawn item is sent as its type and id alone, so nothing that is
not public ever leaves the site in a webhook.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.test.client import RequestFactory
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from core import registry
from core.models import WebhookDelivery, WebhookEvent
from core.publishing import Publishable


def content_types() -> dict[str, registry.ContentType]:
    """The types partners can subscribe to, by their API name."""
    return {
        t.api.basename: t
        for t in registry.in_api()
        if isinstance(t.model, type) and issubclass(t.model, Publishable)
    }


def type_name_of(model) -> str | None:
    content_type = registry.get(model)
    if content_type is None or content_type.api is None:
        return None
    return content_type.api.basename if content_type.api.basename in content_types() else None


def _anonymous_request() -> Request:
    """A request as an anonymous reader of the API makes it at ``SITE_URL``, so that the links
    in the representation point at the public site whichever host the worker runs on."""
    site = urlsplit(settings.SITE_URL)
    request = RequestFactory().get("/api/v1/", secure=site.scheme == "https")
    # The site's own address, whatever ALLOWED_HOSTS holds on the machine sending.
    request.get_host = lambda: site.netloc
    return Request(request)


def public_representation(type_name: str, object_id: str) -> dict | None:
    """The item as the API's detail shows it to anyone, or None when it is not public."""
    content_type = content_types().get(type_name)
    if content_type is None:
        return None
    view = content_type.api.viewset_class(
        request=_anonymous_request(), args=(), kwargs={}, action="retrieve", format_kwarg=None
    )
    try:
        item = view.get_queryset().filter(pk=object_id).first()
    except (ValueError, TypeError):
        return None
    if item is None:
        return None
    return view.get_serializer(item).data


def build(delivery: WebhookDelivery) -> tuple[str, bytes]:
    """The event actually sent (published and changed fall back to withdrawn) and the body."""
    event = delivery.event
    data = None
    if event != WebhookEvent.WITHDRAWN:
        data = public_representation(delivery.content_type, delivery.object_id)
        if data is None:
            event = WebhookEvent.WITHDRAWN
    body: dict[str, Any] = {
        "id": str(delivery.event_id),
        "event": str(event),
        "created_at": delivery.created_at.isoformat(),
        "sent_at": timezone.now().isoformat(),
        "type": delivery.content_type,
        "object_id": _json_id(delivery.object_id),
    }
    if data is not None:
        body["data"] = data
    return event, JSONRenderer().render(body)


def _json_id(object_id: str) -> int | str:
    return int(object_id) if object_id.isdigit() else object_id
