"""``manage.py backup [PATH]``: one archive of the database and the media (see core.backups)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.backups import BackupError, create_backup, summary


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive of the whole database (portable JSON) and every media file, "
        "with a manifest. Restore it with `manage.py restore PATH`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write the archive (default: backup-YYYYmmdd-HHMMSS.tar.gz here).",
        )

    def handle(self, *args, path: str | None = None, **options):
        target = Path(path or f"backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        if target.is_dir():
            target = target / f"backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        try:
            manifest = create_backup(target)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backed up {summary(manifest)} to {target}."))
