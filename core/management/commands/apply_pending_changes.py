"""``manage.py apply_pending_changes``: publish the scheduled pending changes whose time has
come. Requests do this by themselves (``core.pending.PendingChangesMiddleware``); the command
is for a site that may see no request at the scheduled moment, from cron or by hand."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core import pending


class Command(BaseCommand):
    help = "Publish the scheduled pending changes whose time has come."

    def handle(self, *args, **options):
        count = pending.apply_due()
        self.stdout.write(f"Published {count} scheduled pending change(s).")
