"""``manage.py demo``: migrate, load the demo content, set up the editor and contributor
accounts, show the editorial workflow (``config.demo_workflow``), serve.

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
from config import demo_workflow
from core import menus, pending
from core.workflow import CONTRIBUTORS, EDITORS
from events import demo as events_demo
from events.demo import Catalogue
from initiatives import demo as initiatives_demo
from initiatives.models import Initiative
from publications import demo as publications_demo
from publications.models import NewsPost

EDITOR_USERNAME = "editor"
#: A role account, like the editor: the author of the demo's draft and of the item in review.
CONTRIBUTOR_USERNAME = "contributor"
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
        contributor, contributor_created = ensure_contributor(password=self.editor_password())
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
            # The main menu and footer as rows editors can change (only where none exist).
            self.say(f"Menus… {menus.seed_defaults()} links written.")
            cat.tally.clear()
            demo_workflow.load(cat, contributor=contributor)
            self.say("Workflow: a draft, an item in review with a comment, a scheduled item…")
            self.say(cat.report(NewsPost))
            load_pending_change(editor)
            self.say("A pending change in review…")

        self.report_editor(editor, editor_created, addrport)
        self.report_editor(contributor, contributor_created, addrport)
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
        state = "created" if created else "is up to date"
        self.say(f"{user.username.capitalize()} account “{user.username}” {state}.")
        if settings.DEBUG:
            self.say(
                f"  Sign in at {admin_url(addrport)} as {user.username} with password {password}"
            )
        elif password is None:
            self.say("  It has no password: set DEMO_EDITOR_PASSWORD and run the demo again.")
        else:
            self.say("  Sign-in details are shown only when DEBUG is on.")


PENDING_ITEM = "paris-statement-inclusive-sustainable-ai"
#: A correction waiting for review on a live item: the statement's summary made as precise as
#: its description already is (the counts and their sources are the demo's own).
PENDING_SUMMARY = (
    "The summit's main statement: make AI accessible to narrow digital divides, keep it ethical "
    "and trustworthy, and strengthen international cooperation on its governance. Sixty "
    "countries and organisations signed by our report's count (other reports give 58 to 64); "
    "the United States and the United Kingdom did not."
)


def load_pending_change(editor) -> None:
    """One live item with pending changes in review (left alone once there)."""
    statement = Initiative.objects.get(slug=PENDING_ITEM)
    if pending.for_item(statement) is not None:
        return

    def edit(item: Initiative) -> None:
        item.summary = PENDING_SUMMARY
        item.save(update_fields=["summary", "updated_at"])

    change = pending.save_change(item=statement, data=pending.capture(statement, edit), by=editor)
    pending.send_for_review(change=change, by=editor)


def ensure_editor(*, password: str | None) -> tuple:
    """Create or update the demo editor: in the Editors group if there is one, else superuser.

    The password is only reset when it differs, so a second run leaves the account as it was.
    """
    group = Group.objects.filter(name=EDITORS).first()
    return _ensure_account(EDITOR_USERNAME, group=group, superuser=group is None, password=password)


def ensure_contributor(*, password: str | None) -> tuple:
    """Create or update the demo contributor, in the Contributors group."""
    group = Group.objects.filter(name=CONTRIBUTORS).first()
    return _ensure_account(CONTRIBUTOR_USERNAME, group=group, superuser=False, password=password)


def _ensure_account(username: str, *, group, superuser: bool, password: str | None) -> tuple:
    user, created = get_user_model().objects.get_or_create(username=username)
    changed = created
    wanted = {"is_staff": True, "is_active": True, "is_superuser": superuser}
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
