"""The background tasks of webhooks, queued in the database (django-tasks' database backend)
and run by ``manage.py db_worker``."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt of a delivery; a failed one queues the next itself, after its backoff."""
    from .delivery import attempt

    delivery = attempt(delivery_id)
    return delivery.state if delivery else "gone"


@task()
def check_scheduled_webhooks() -> int:
    """Queue the events of items whose publish or unpublish time has passed, then come back in
    ``WEBHOOK_SCHEDULE_CHECK_SECONDS`` (so a running worker keeps checking by itself)."""
    from .events import dispatch_scheduled

    count = dispatch_scheduled()
    ensure_periodic_check(delay=settings.WEBHOOK_SCHEDULE_CHECK_SECONDS)
    return count


def ensure_periodic_check(*, delay: float = 0) -> bool:
    """Queue the scheduled check unless one is already waiting; True when one was queued.

    Only a queue that can hold a task until a given time (the database backend) repeats it;
    elsewhere run ``manage.py dispatch_scheduled_webhooks`` from cron.
    """
    if not default_task_backend.supports_defer:
        return False
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=check_scheduled_webhooks.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    check = check_scheduled_webhooks
    if delay:
        check = check.using(run_after=timezone.now() + timedelta(seconds=delay))
    check.enqueue()
    return True
