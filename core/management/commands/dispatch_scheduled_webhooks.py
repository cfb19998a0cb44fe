"""Queue the webhook events of items whose publish or unpublish time has passed."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.webhooks.events import dispatch_scheduled
from core.webhooks.tasks import ensure_periodic_check


class Command(BaseCommand):
    help = (
        "Queue webhook deliveries for items that reached their publish or unpublish time since "
        "the last check, and make sure the worker keeps checking (unless --once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Only check now (for cron); do not queue the worker's repeating check.",
        )

    def handle(self, *args, once: bool = False, **options):
        count = dispatch_scheduled()
        self.stdout.write(f"{count} deliver{'y' if count == 1 else 'ies'} queued.")
        if not once and ensure_periodic_check(delay=0):
            self.stdout.write("The worker will repeat the check by itself.")
