"""``manage.py generate_data``: a synthetic archive at a real organisation's size.

    python manage.py generate_data                  # the 100k archive (see config.scaledata)
    python manage.py generate_data --articles 1000 --events 50 --people 160 \\
        --initiatives 50 --news 200 --organisations 50
    python manage.py generate_data --clear          # remove what it generated, nothing else

Every generated row carries the slug prefix ``gen--`` (or hangs off a row that does), which is
how ``--clear`` finds them; the command refuses to generate over an earlier run (clear first).
It lives at the top of the app chain because it fills every app.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from config import scaledata


class Command(BaseCommand):
    help = (
        "Generate a synthetic, cross-linked archive (100,000 articles, 5,000 events with "
        "~92,000 sessions, 16,000 people, 5,000 initiatives, 20,000 news posts, 5,000 "
        "organisations by default) with bulk inserts, or remove it with --clear."
    )

    def add_arguments(self, parser):
        for name, default in scaledata.DEFAULTS.items():
            parser.add_argument(
                f"--{name}", type=int, default=default, help=f"How many {name} ({default:,})."
            )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1): same data.")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Remove every generated row (slug prefix gen--) and stop; nothing else is "
            "touched.",
        )

    def handle(self, *args, clear: bool = False, seed: int = 1, **options):
        verbosity = options.get("verbosity", 1)
        if clear:
            started = time.monotonic()
            removed = scaledata.clear(log=self.stdout.write if verbosity else None)
            total = sum(removed.values())
            self.stdout.write(
                f"Removed {total:,} generated items in {time.monotonic() - started:.1f} s "
                "(with their authors, participants, signatories and links)."
            )
            return
        counts = {name: options[name] for name in scaledata.DEFAULTS}
        if any(count < 0 for count in counts.values()):
            raise CommandError("Counts cannot be negative.")
        if counts["articles"] and not counts["people"]:
            raise CommandError("Articles need authors: give --people 1 or more.")
        existing = scaledata.generated_count()
        if existing:
            raise CommandError(
                f"{existing:,} generated items are already in this database: "
                "run `manage.py generate_data --clear` first."
            )
        started = time.monotonic()
        generator = scaledata.Generator(
            counts=counts, seed=seed, quiet=verbosity == 0, stream=self.stderr._out
        )
        made = generator.run()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in made.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {elapsed:.1f} s."))
