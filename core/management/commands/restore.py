"""``manage.py restore PATH``: bring a backup into an empty installation (see core.backups)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, restore_backup, summary


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into this installation: run "
        "`manage.py migrate` first. Refuses an installation that already has content unless "
        "--force, which replaces everything in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .tar.gz archive to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of a non-empty installation (its rows and media files).",
        )

    def handle(self, *args, path: str, force: bool = False, **options):
        try:
            manifest = restore_backup(Path(path), force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {summary(manifest)} from {path} (made {manifest['created_at']})."
            )
        )
        self.stdout.write("Everyone signs in again: sessions are not part of a backup.")
