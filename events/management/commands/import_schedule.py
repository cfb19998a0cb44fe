"""Import a programme from a frab or pretalx ``schedule.json`` or ``schedule.xml``.

    manage.py import_schedule schedule.json --event my-summit --dry-run

Without ``--event`` the event is the one whose slug is the schedule's acronym, created as a
draft when there is none. Prints what is (or, with ``--dry-run``, would be) created, changed
and left unchanged, then what could not be mapped. See ``events.schedule_import``.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from events.schedule_import import ScheduleError, import_schedule, read_schedule


class Command(BaseCommand):
    help = "Import an event's programme from a frab or pretalx schedule.json or schedule.xml."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the schedule.json or schedule.xml file")
        parser.add_argument(
            "--event",
            metavar="SLUG",
            default="",
            help="the event to import into (created as a draft if no event has this slug); "
            "default: the schedule's acronym",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change; write nothing"
        )
        parser.add_argument(
            "--user", metavar="USERNAME", help="whom the admin log and history name for it"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user is called {options['user']}.")
        try:
            schedule = read_schedule(content)
            result = import_schedule(
                schedule=schedule,
                event=Event.objects.filter(slug=options["event"]).first()
                if options["event"]
                else None,
                slug=options["event"],
                by=user,
                dry_run=options["dry_run"],
            )
        except ScheduleError as exc:
            raise CommandError(f"{path} cannot be imported: " + " ".join(exc.messages)) from None
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {path.name} ({schedule.format}) into “{result.event.title}” "
            f"({result.event.slug}{', a new draft event' if result.event_created else ''})."
        )
        for line in result.report(verbose=options["verbosity"] > 1):
            self.stdout.write(line)
        if result.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif result.has_changes:
            self.stdout.write(
                self.style.SUCCESS("Done. New sessions and people are drafts for review.")
            )
        else:
            self.stdout.write("Nothing changed.")
