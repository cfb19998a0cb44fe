"""``manage.py demo``: migrate, load the demo content, set up an editor account, serve.

The command lives in the last app of the chain because it loads content for all three.
Loading is idempotent: every row is found by its slug and written only when it differs,
so running the command again changes nothing.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from config import demo as pages_demo
from core.workflow import EDITORS
from events import demo as events_demo
from events.demo import Catalogue
from initiatives import demo as initiatives_demo
from publications import demo as publications_demo

EDITOR_USERNAME = "editor"
# Good enough for a laptop; with DEBUG off the account gets no password unless one is set.
DEFAULT_EDITOR_PASSWORD = "demo-editor-password"  # noqa: S105 (a local demo account)


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo content (Paris AI Action Summit 2025), create the "
        "demo editor account and run the development server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", help="Optional port number, or ipaddr:port, as for runserver."
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Load the demo content and stop."
        )

    def handle(self, *args, addrport: str | None = None, no_serve: bool = False, **options):
        verbosity = self.verbosity = options.get("verbosity", 1)
        self.say("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        # The editor first: the demo's items are created and published by them, and theirs.
        editor, editor_created = ensure_editor(password=self.editor_password())
        self.say("Loading the demo content…")
        cat = Catalogue(editor=editor)
        with transaction.atomic():
            for app_steps in (
                events_demo.STEPS,
                initiatives_demo.STEPS,
                publications_demo.STEPS,
                pages_demo.STEPS,
            ):
                for label, load, models in app_steps:
                    load(cat)
                    self.say(f"{label}…")
                    for model in models:
                        self.say(cat.report(model))

        self.report_editor(editor, editor_created, addrport)
        self.say(self.style.SUCCESS("Demo content is ready."))

        if not no_serve:
            # No autoreloader: it would start this command again, migrations and loading included.
            if addrport:
                call_command("runserver", addrport, use_reloader=False)
            else:
                call_command("runserver", use_reloader=False)

    def say(self, message: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(message)

    @staticmethod
    def editor_password() -> str | None:
        return os.environ.get("DEMO_EDITOR_PASSWORD") or (
            DEFAULT_EDITOR_PASSWORD if settings.DEBUG else None
        )

    def report_editor(self, user, created: bool, addrport: str | None) -> None:
        password = self.editor_password()
        self.say(f"Editor account “{user.username}” {'created' if created else 'is up to date'}.")
        if settings.DEBUG:
            self.say(
                f"  Sign in at {admin_url(addrport)} as {user.username} with password {password}"
            )
        elif password is None:
            self.say("  It has no password: set DEMO_EDITOR_PASSWORD and run the demo again.")
        else:
            self.say("  Sign-in details are shown only when DEBUG is on.")


def ensure_editor(*, password: str | None) -> tuple:
    """Create or update the demo editor: in the Editors group if there is one, else superuser.

    The password is only reset when it differs, so a second run leaves the account as it was.
    """
    group = Group.objects.filter(name=EDITORS).first()
    user, created = get_user_model().objects.get_or_create(username=EDITOR_USERNAME)
    changed = created
    wanted = {"is_staff": True, "is_active": True, "is_superuser": group is None}
    for name, value in wanted.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            changed = True
    if password is None:
        if user.has_usable_password():
            user.set_unusable_password()
            changed = True
    elif not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    if group is not None:
        user.groups.add(group)
    return user, created


def admin_url(addrport: str | None) -> str:
    if not addrport:
        return f"{settings.SITE_URL}/admin/"
    host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
    return f"http://{host}/admin/"
