"""When webhooks fire: the one place that turns changes of public state into deliveries.

An item is *published* when it becomes public, *changed* when it is saved while public and
stays so, and *withdrawn* when it stops being public (archived, returned to draft, expired,
deleted). Every state change goes through ``core.workflow``, which saves the item; so does
every edit of a published item. The signal handlers below (connected once, in
``CoreConfig.ready``, for each content type partners can subscribe to) compare the item's
public state when it was loaded with its state as saved. Saves of drafts, items in review and
items scheduled for later fire nothing.

Scheduled publishing needs no save: an item goes live when the clock passes ``publish_at``
and leaves at ``unpublish_at``. ``dispatch_scheduled`` finds the items whose boundary passed
since its last run and queues their events, unless the endpoint already knows (its last
delivery for the item says so). The worker runs it every ``WEBHOOK_SCHEDULE_CHECK_SECONDS``;
``manage.py dispatch_scheduled_webhooks`` runs it by hand or from cron.

Deliveries and their tasks are written in the same transaction as the change (the queue is
in the database), so a change that is rolled back sends nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.utils import timezone

from core import previews
from core.models import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    WebhookScheduleMark,
)
from core.publishing import Publishable
from core.workflow import Status

from . import payloads

_FIELDS = ("status", "publish_at", "unpublish_at")
_STATE = "_webhook_public_state"


def _public(state: tuple, at: datetime) -> bool:
    status, publish_at, unpublish_at = state
    return (
        status == Status.PUBLISHED
        and publish_at is not None
        and publish_at <= at
        and (unpublish_at is None or unpublish_at > at)
    )


def _remember(sender, instance, **kwargs) -> None:
    """Keep the publishing fields an instance was loaded (or built) with."""
    if not isinstance(instance, Publishable):
        return
    values = instance.__dict__
    if all(name in values for name in _FIELDS):
        setattr(instance, _STATE, tuple(values[name] for name in _FIELDS))


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    # An instance built by hand with an existing pk (or loaded with deferred fields) has no
    # remembered state: read it from the database.
    if raw or not isinstance(instance, Publishable) or instance._state.adding:
        return
    if getattr(instance, _STATE, None) is not None:
        return
    row = sender._default_manager.filter(pk=instance.pk).values_list(*_FIELDS).first()
    setattr(instance, _STATE, row)


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not isinstance(instance, Publishable) or previews.active():
        return
    now = timezone.now()
    before = None if created else getattr(instance, _STATE, None)
    was_public = before is not None and _public(before, now)
    is_public = instance.is_published
    setattr(instance, _STATE, tuple(getattr(instance, name) for name in _FIELDS))
    if is_public:
        event = WebhookEvent.CHANGED if was_public else WebhookEvent.PUBLISHED
    elif was_public:
        event = WebhookEvent.WITHDRAWN
    else:
        return
    queue_event(model=sender, object_id=instance.pk, event=event)


def _after_delete(sender, instance, **kwargs) -> None:
    if not isinstance(instance, Publishable):
        return
    state = getattr(instance, _STATE, None) or tuple(getattr(instance, n) for n in _FIELDS)
    if _public(state, timezone.now()):
        queue_event(model=sender, object_id=instance.pk, event=WebhookEvent.WITHDRAWN)


def connect() -> None:
    """Listen to the saves of publishable items (from ``CoreConfig.ready``).

    Connected for every model, since content types register after ``core`` is ready; the
    handlers pass over anything that is not publishable, and ``queue_event`` over what
    partners cannot subscribe to.
    """
    post_init.connect(_remember, dispatch_uid="webhooks-remember")
    pre_save.connect(_before_save, dispatch_uid="webhooks-before-save")
    post_save.connect(_after_save, dispatch_uid="webhooks-after-save")
    post_delete.connect(_after_delete, dispatch_uid="webhooks-after-delete")


def _subscribers(event: str, type_name: str, endpoints=None) -> list[WebhookEndpoint]:
    if endpoints is None:
        endpoints = WebhookEndpoint.objects.filter(enabled=True)
    return [endpoint for endpoint in endpoints if endpoint.wants(event, type_name)]


def _queue(endpoints, *, event: str, type_name: str, object_id) -> list[WebhookDelivery]:
    from .tasks import deliver_webhook

    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint, event=event, content_type=type_name, object_id=str(object_id)
        )
        for endpoint in endpoints
    )
    for delivery in deliveries:
        deliver_webhook.enqueue(delivery.pk)
    return deliveries


def queue_event(*, model, object_id, event: str) -> list[WebhookDelivery]:
    """Queue ``event`` for the item to every enabled endpoint that asked for it.

    An item that is public by its own state but not on the site (a session of an unpublished
    event) announces nothing: what partners are told is what the public can see.
    """
    type_name = payloads.type_name_of(model)
    if type_name is None:
        return []
    endpoints = _subscribers(event, type_name)
    if not endpoints:
        return []
    if event != WebhookEvent.WITHDRAWN:
        content_type = payloads.content_types()[type_name]
        if not content_type.model._default_manager.published().filter(pk=object_id).exists():
            return []
    with transaction.atomic():
        return _queue(endpoints, event=event, type_name=type_name, object_id=object_id)


def dispatch_scheduled(*, now: datetime | None = None) -> int:
    """Queue the events of items whose ``publish_at`` or ``unpublish_at`` passed since the last
    run (the first run looks back to the first endpoint's creation); return how many."""
    now = now or timezone.now()
    queued = 0
    with transaction.atomic():
        mark = WebhookScheduleMark.objects.select_for_update().first()
        endpoints = list(WebhookEndpoint.objects.filter(enabled=True))
        if mark is None:
            first = WebhookEndpoint.objects.aggregate(first=Min("created_at"))["first"]
            mark = WebhookScheduleMark(checked_until=first or now)
        since = mark.checked_until
        if endpoints and since < now:
            for type_name, content_type in payloads.content_types().items():
                queued += _dispatch_type(type_name, content_type, endpoints, since, now)
        mark.checked_until = max(since, now)
        mark.save()
    return queued


def _dispatch_type(type_name, content_type, endpoints, since: datetime, now: datetime) -> int:
    wanting = {
        event: _subscribers(event, type_name, endpoints)
        for event in (WebhookEvent.PUBLISHED, WebhookEvent.WITHDRAWN)
    }
    if not any(wanting.values()):
        return 0
    manager = content_type.model._default_manager
    went_live = list(
        manager.published(at=now)
        .filter(publish_at__gt=since, publish_at__lte=now)
        .values_list("pk", flat=True)
    )
    ended = list(
        manager.filter(
            status=Status.PUBLISHED, unpublish_at__gt=since, unpublish_at__lte=now
        ).values_list("pk", flat=True)
    )
    if not went_live and not ended:
        return 0
    # What each endpoint was last told about each of these items (one query).
    last: dict[tuple[int, str], str] = {}
    for endpoint_id, object_id, event in (
        WebhookDelivery.objects.filter(
            endpoint__in=endpoints,
            content_type=type_name,
            object_id__in=[str(pk) for pk in went_live + ended],
        )
        .order_by("created_at", "id")
        .values_list("endpoint_id", "object_id", "event")
    ):
        last[(endpoint_id, object_id)] = event
    queued = 0
    for pks, event, known in (
        (went_live, WebhookEvent.PUBLISHED, {WebhookEvent.PUBLISHED, WebhookEvent.CHANGED}),
        (ended, WebhookEvent.WITHDRAWN, {WebhookEvent.WITHDRAWN}),
    ):
        for pk in pks:
            told = [e for e in wanting[event] if last.get((e.pk, str(pk))) not in known]
            if told:
                queued += len(_queue(told, event=event, type_name=type_name, object_id=pk))
    return queued
